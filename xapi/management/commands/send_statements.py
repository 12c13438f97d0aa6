from people.locks import ExclusiveCommand
from xapi.sender import send_due


class Command(ExclusiveCommand):
    help = (
        "Send the xAPI statements due now to the LRS (pending ones, and failing ones whose "
        "next try has come). Run every minute from cron, so retries happen; safe to repeat."
    )

    def handle_exclusive(self, *args, **options):
        report = send_due()
        line = f"{report.sent} statements sent, {report.failed} failing"
        if report.outage:
            line += f" (the LRS is down: {report.outage})"
        self.stdout.write(line)
