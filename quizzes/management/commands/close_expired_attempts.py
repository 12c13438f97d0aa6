from people.locks import ExclusiveCommand
from quizzes.services import close_expired_attempts


class Command(ExclusiveCommand):
    help = "Submit every quiz attempt whose time limit ran out (run every minute from cron)."

    def handle_exclusive(self, *args, **options):
        closed = close_expired_attempts()
        self.stdout.write(f"{closed} attempt(s) submitted")
