import importlib
from contextlib import contextmanager
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models.signals import post_save

from people.demo import DEMO_PASSWORD


@contextmanager
def index_updates_deferred():
    """Wagtail queues a search-index task and a reference-index task for every page and
    snippet saved — about 760 for the demo, which a worker would then churn through while
    people use the site (on SQLite, competing with their writes). Inside this block neither is
    queued; the caller rebuilds both indexes once afterwards."""
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_save_signal_handler

    models = [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


class Command(BaseCommand):
    help = (
        "Load the demo organisation and content. Runs each installed app's demo.seed() in "
        "INSTALLED_APPS order; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite-content",
            action="store_true",
            help="Replace course content edited in the admin with the text in the repository.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Demo accounts share a published password.",
        )

    def handle(self, *args, force=False, overwrite_content=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; with DEBUG off it "
                "needs --force."
            )
        accounts = []
        with index_updates_deferred():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if not app_config.path.startswith(str(settings.BASE_DIR)) or not find_spec(
                    module_name
                ):
                    continue
                seeded = importlib.import_module(module_name).seed(overwrite=overwrite_content)
                accounts.extend(seeded or [])
                self.stdout.write(f"  {app_config.label}: ok")
        call_command("rebuild_references_index", verbosity=0)
        call_command("update_index", verbosity=0)
        self.stdout.write("  search and reference indexes: rebuilt")
        if accounts:
            self.stdout.write(
                self.style.SUCCESS("\nDemo accounts (password for all: %s)") % DEMO_PASSWORD
            )
            width = max(len(str(role)) for role, _ in accounts)
            for role, email in accounts:
                self.stdout.write(f"  {str(role):<{width}}  {email}")
