from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guidance import search
from guidance.models import Authority


class Command(BaseCommand):
    help = (
        "Write the search entries of these authorities (every authority if none is named) again: "
        "after changing guidance/synonyms.yaml or the normalisation in guidance/search.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")

    def handle(self, *slugs, **options):
        slugs = options["slugs"]
        authorities = Authority.objects.all()
        if slugs:
            authorities = authorities.filter(slug__in=slugs)
            missing = sorted(set(slugs) - set(authorities.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"No authority {', '.join(missing)}")
        ids = list(authorities.values_list("pk", flat=True))
        with transaction.atomic():
            count = search.rebuild(ids)
            # Pages cached before show the old results: move their versions on.
            Authority.objects.filter(pk__in=ids).bump_versions()
        self.stdout.write(f"{count} search entries written for {len(ids)} authorities")
