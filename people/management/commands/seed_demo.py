import importlib
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from people.demo import DEMO_PASSWORD


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
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if not app_config.path.startswith(str(settings.BASE_DIR)) or not find_spec(module_name):
                continue
            seeded = importlib.import_module(module_name).seed(overwrite=overwrite_content)
            accounts.extend(seeded or [])
            self.stdout.write(f"  {app_config.label}: ok")
        if accounts:
            self.stdout.write(
                self.style.SUCCESS("\nDemo accounts (password for all: %s)") % DEMO_PASSWORD
            )
            width = max(len(str(role)) for role, _ in accounts)
            for role, email in accounts:
                self.stdout.write(f"  {str(role):<{width}}  {email}")
