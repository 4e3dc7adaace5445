from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guidance.loader import (
    DocumentError,
    check_documents,
    document_paths,
    load_documents,
    read_documents,
)


class Command(BaseCommand):
    help = "Validate and load threshold fixtures (default: every YAML file in fixtures/)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML files to load")
        parser.add_argument(
            "--check", action="store_true", help="Only validate the files; write nothing."
        )

    def handle(self, *args, files, check, **options):
        paths = files or document_paths(settings.FIXTURES_DIR)
        if not paths:
            raise CommandError(f"No fixture files found in {settings.FIXTURES_DIR}")
        try:
            documents = read_documents(paths)
            if check:
                check_documents(documents)
                for document in documents:
                    self.stdout.write(f"{document.path}: valid ({document.slug})")
                return
            reports = load_documents(documents, reason="load_thresholds")
        except DocumentError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(exc.messages)} problem(s) found; nothing was loaded."
            ) from None
        for report in reports:
            self.stdout.write(str(report))
