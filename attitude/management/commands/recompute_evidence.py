import importlib
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Re-derive the stored attitude evidence of every finished quiz attempt and role-play "
        "run from its snapshot under today's scoring rule (attitude/scoring.py). Runs each "
        "installed app's services.recompute_evidence(); running it again changes nothing."
    )

    def handle(self, *args, **options):
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.services"
            if not app_config.path.startswith(str(settings.BASE_DIR)) or not find_spec(module_name):
                continue
            recompute = getattr(importlib.import_module(module_name), "recompute_evidence", None)
            if recompute is None:
                continue
            seen, changed = recompute()
            self.stdout.write(f"  {app_config.label}: {changed} of {seen} rescored")
