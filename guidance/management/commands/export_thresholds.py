from django.core.management.base import BaseCommand, CommandError

from guidance.loader import export_authority
from guidance.models import Authority


class Command(BaseCommand):
    help = (
        "Write an authority's published guidance (or, with --draft, its draft) as a YAML "
        "threshold document."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The authority, e.g. stoke-on-trent")
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output")
        parser.add_argument(
            "--draft", action="store_true", help="The draft leads are editing, not yet published"
        )

    def handle(self, *args, slug, output, draft, **options):
        published = Authority.objects.published()
        authority = published.filter(slug=slug).first()
        if authority is None:
            known = ", ".join(published.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No authority '{slug}' (known: {known})")
        if draft:
            authority = Authority.objects.filter(draft_of=authority).first()
            if authority is None:
                raise CommandError(f"'{slug}' has no draft yet: run manage.py migrate")
        text = export_authority(authority)
        if output:
            try:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        else:
            self.stdout.write(text, ending="")
