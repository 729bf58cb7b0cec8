from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devsky.demo import seed_all


class Command(BaseCommand):
    help = "Load the demo data of every app. Idempotent: a second run changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when DEBUG is off and the production profile is active.",
        )

    def handle(self, *args, **options):
        if settings.DEVSKY_PROFILE == "production" and not options["allow_production"]:
            raise CommandError("Refusing to load demo accounts into production; pass --allow-production to insist.")
        ran = seed_all(log=lambda message: self.stdout.write(message))
        self.stdout.write(self.style.SUCCESS(f"demo data ready ({', '.join(ran)})"))
