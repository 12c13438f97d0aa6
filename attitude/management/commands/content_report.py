import importlib
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from attitude import quality


def _modules(name):
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.{name}"
        if app_config.path.startswith(str(settings.BASE_DIR)) and find_spec(module_name):
            yield importlib.import_module(module_name)


class Command(BaseCommand):
    help = (
        "Print the README's content table: per dimension, how many seeded questions and "
        "role-play decisions measure it (each app's quality.seeded_coverage(), from the YAML). "
        "With --testwise, also what the test-wise heuristics score on the live quizzes and "
        "role-plays in the database (seed first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--testwise", action="store_true")

    def handle(self, *args, testwise=False, **options):
        columns = {
            m.COVERAGE_HEADING: m.seeded_coverage()
            for m in _modules("quality")
            if hasattr(m, "seeded_coverage")
        }
        minimums = (
            f"(mínimo {quality.MIN_QUESTIONS} preguntas y {quality.MIN_DECISIONS} decisiones)"
        )
        self.stdout.write(quality.coverage_table(columns) + f"\n\n{minimums}\n")
        if testwise:
            for module in _modules("testwise"):
                if hasattr(module, "report"):
                    self.stdout.write("\n" + "\n".join(module.report()) + "\n")
