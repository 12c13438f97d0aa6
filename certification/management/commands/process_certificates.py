from certification.lifecycle import handle_expired, warn_expiring
from people.locks import ExclusiveCommand


class Command(ExclusiveCommand):
    help = (
        "Warn holders 30 days before their certificate expires and handle expiries "
        "(notify, re-assign the programme's courses). Daily from cron; safe to repeat."
    )

    def handle_exclusive(self, *args, **options):
        warned = warn_expiring()
        expired = handle_expired()
        self.stdout.write(f"{warned} expiry warnings, {expired} expiries handled")
