from django.core.management.base import BaseCommand, CommandError

from devsky.api.exceptions import ApplicationError
from devsky.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for a user (usually a service account). The key is printed once, on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username the key acts as (it gets that user's roles).")
        parser.add_argument("--name", required=True, help="A label, e.g. 'instagram-collector'.")
        parser.add_argument("--expires-days", type=int, default=None, help="Days until the key expires.")

    def handle(self, *args, **options):
        try:
            api_key, secret = api_key_create(
                username=options["user"], name=options["name"], expires_days=options["expires_days"]
            )
        except ApplicationError as error:
            raise CommandError(error.detail) from None
        expiry = api_key.expiry_date.isoformat() if api_key.expiry_date else "never"
        self.stdout.write(
            f"API key '{api_key.name}' for {api_key.user.username} (prefix {api_key.prefix}, expires {expiry})."
        )
        self.stdout.write("Store it now: it is not shown again. Send it as 'Authorization: Api-Key <key>'.")
        self.stdout.write(secret)
