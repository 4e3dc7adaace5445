from django.core.management.base import BaseCommand
from django.utils import timezone

from guidance import editions

from .publish import published_authority


class Command(BaseCommand):
    help = "List an authority's published editions, newest first, and whether its draft differs."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The authority, e.g. stoke-on-trent")

    def handle(self, *args, slug, **options):
        authority = published_authority(slug)
        for edition in authority.editions.all():
            when = timezone.localtime(edition.published_at).strftime("%Y-%m-%d %H:%M")
            who = (
                f"prepared by {edition.prepared_by or '-'}, "
                f"approved by {edition.approved_by or '-'}"
            )
            self.stdout.write(f"{edition.number}\t{when}\t{who}\t{edition.summary}")
        old, new = editions.pending(authority)
        self.stdout.write(
            "The draft has changes not yet published."
            if old != new
            else "The draft is as published."
        )
