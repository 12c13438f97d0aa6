import time

from django.core.management.base import BaseCommand

from people import outbox


class Command(BaseCommand):
    help = (
        "Keep background work moving: hand the outbox's tasks to the task queue (Redis), run "
        "again database-queue tasks whose worker died (RUNNING past TASK_LEASE_SECONDS), queue "
        "again emails whose task was lost, and forget outbox rows handed over a week ago. Run "
        "beside the worker with --loop, or every minute from cron; safe to run twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument(
            "--interval", type=float, default=5, help="Seconds between rounds with --loop."
        )

    def handle(self, *args, loop=False, interval=5, **options):
        while True:
            reclaimed = outbox.reclaim_stuck_tasks()
            requeued = outbox.requeue_stale_emails()
            relayed = outbox.relay()
            pruned = outbox.prune_sent()
            if not loop or options["verbosity"] > 1:
                self.stdout.write(
                    f"{relayed} handed over, {reclaimed} stuck tasks reclaimed, "
                    f"{requeued} emails queued again, {pruned} old rows pruned"
                )
            if not loop:
                return
            time.sleep(interval)
