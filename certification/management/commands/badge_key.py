from django.core.management.base import BaseCommand

from certification.credentials.keys import (
    current_key,
    generate_seed,
    multibase_public,
    private_from_setting,
    published_keys,
)


class Command(BaseCommand):
    help = (
        "Show the badge signing key's name and public key (Multikey) and every published "
        "key; with --new, make a new BADGE_SIGNING_KEY for a rotation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new", action="store_true", help="print a new signing key")

    def handle(self, *args, new=False, **options):
        if new:
            seed = generate_seed()
            public = multibase_public(private_from_setting(seed).public_key())
            self.stdout.write(f"BADGE_SIGNING_KEY={seed}")
            self.stdout.write(f"# its public key: {public}")
            self.stdout.write(
                "# keep the current public key published: add it to BADGE_PREVIOUS_PUBLIC_KEYS: "
                + current_key().multibase
            )
            return
        for index, key in enumerate(published_keys()):
            role = "signing" if index == 0 else "previous"
            self.stdout.write(f"{role}\t{key.name}\t{key.multibase}")
