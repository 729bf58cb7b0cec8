from django.core.management.base import BaseCommand, CommandError

from content.generate import generate_influencers, generate_pieces


class Command(BaseCommand):
    help = "Insert generated content pieces (and influencers), e.g. 1,000,000 pieces for the benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--pieces", type=int, default=1000)
        parser.add_argument("--influencers", type=int, default=0)
        parser.add_argument("--seed", type=int, default=11)

    def handle(self, *args, **options):
        if options["pieces"] < 0 or options["influencers"] < 0:
            raise CommandError("Counts must not be negative.")
        if options["influencers"]:
            generate_influencers(options["influencers"], seed=options["seed"])
        made = generate_pieces(options["pieces"], seed=options["seed"], log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"{made:,} content pieces and {options['influencers']:,} influencers added")
        )
