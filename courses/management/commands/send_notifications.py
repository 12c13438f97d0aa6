from django.utils import timezone

from courses.notifications import send_due_reminders, send_overdue_notices, send_weekly_digests
from people.locks import ExclusiveCommand
from people.reports import send_scheduled_reports


class Command(ExclusiveCommand):
    help = (
        "Queue today's reminders and overdue notices (and, on Mondays or with --digest, the "
        "supervisors' weekly digest), and the scheduled reports not yet sent this week or "
        "month. Run once a day from cron; running it twice sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="Send the weekly digest today.")

    def handle_exclusive(self, *args, digest=False, **options):
        today = timezone.localdate()
        reminders = send_due_reminders(today)
        notices = send_overdue_notices(today)
        digests = send_weekly_digests(today) if digest or today.weekday() == 0 else 0
        reports = send_scheduled_reports(today)
        self.stdout.write(
            f"{reminders} reminders, {notices} overdue notices, {digests} digests, "
            f"{reports} scheduled reports"
        )
