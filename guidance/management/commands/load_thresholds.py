from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guidance.editions import load_as_editions
from guidance.loader import DocumentError, check_documents, document_paths, read_documents


class Command(BaseCommand):
    help = (
        "Validate and load threshold documents (default: every YAML file in fixtures/), each as "
        "the next published edition of its authority (edition 1 of a new one, whose draft starts "
        "from it). Every file is validated first: one bad file means nothing is loaded; so is an "
        "authority whose draft has changes not yet published. Each file is then written in a "
        "transaction of its own: should writing one fail, the files before it stay loaded and "
        "it and the files after it are not."
    )

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
        except DocumentError as exc:
            self._refused(exc)
        loaded = []

        def report(line):  # each file's report as soon as its transaction has committed
            loaded.append(line)
            self.stdout.write(str(line))

        try:
            load_as_editions(documents, reason="load_thresholds", loaded=report)
        except DocumentError as exc:
            self._refused(exc)
        except Exception:
            failed = documents[len(loaded)].path
            self.stderr.write(
                f"{failed}: writing failed, so nothing of it was written; the {len(loaded)} "
                f"file(s) before it stay loaded, the {len(documents) - len(loaded) - 1} after it "
                "were not loaded."
            )
            raise

    def _refused(self, exc):
        for message in exc.messages:
            self.stderr.write(message)
        raise CommandError(f"{len(exc.messages)} problem(s) found; nothing was loaded.") from None
