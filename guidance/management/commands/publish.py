from django.core.management.base import BaseCommand, CommandError

from guidance import editions
from guidance.models import Authority


class Command(BaseCommand):
    help = (
        "Publish an authority's draft as its next edition, as an administrator (the admin's "
        "Publish button does the same for an approver)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The authority, e.g. stoke-on-trent")
        parser.add_argument(
            "--summary", required=True, help="What changed, in a sentence, for practitioners"
        )

    def handle(self, *args, slug, summary, **options):
        authority = published_authority(slug)
        try:
            edition = editions.publish(authority, summary)
        except editions.PublishingRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(f"Published edition {edition.number} of {authority}.")


def published_authority(slug):
    published = Authority.objects.published()
    authority = published.filter(slug=slug).first()
    if authority is None:
        known = ", ".join(published.values_list("slug", flat=True)) or "none loaded"
        raise CommandError(f"No authority '{slug}' (known: {known})")
    if not Authority.objects.filter(draft_of=authority).exists():
        raise CommandError(f"'{slug}' has no draft yet: run manage.py migrate")
    return authority
