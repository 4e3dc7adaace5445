import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction

from guidance import models

from .helpers import DATA, load_real_documents, load_site_documents, real_document_paths


@pytest.fixture
def sample_text():
    return (DATA / "sample.yaml").read_text()


@pytest.fixture
def write_fixture(tmp_path):
    def write(text, name="sample.yaml"):
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


@pytest.fixture
def sample(db):
    call_command("load_thresholds", str(DATA / "sample.yaml"))
    return models.Authority.objects.get(slug="sample")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """SQLite tests run on a database file, not in memory. With an in-memory database the live
    server's request threads all share the test's one connection, and with it one transaction
    state: two pages drawn at once (a service worker saving an area fetches several) could
    interleave their transactions, and Python functions that SQLite calls back could deadlock
    the process. A file gives each thread its own connection, as a real server has."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_file = tmp_path_factory.mktemp("db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(test_file)


# The real database (db.sqlite3 or DATABASE_URL's), before pytest-django swaps in a test one.
REAL_DATABASE = settings.DATABASES["default"]["NAME"]


def on_a_test_database():
    """Whether pytest-django has set up a test database. It sets up none when no test it
    collected asks for one: the connection is then the real one, which fixtures must never
    write to."""
    return connection.settings_dict["NAME"] != REAL_DATABASE


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the purpose-made documents (tests/data/site/*.yaml: Northshire, Southvale, Westmere)
    once per run; tests see them and roll back their own changes."""
    with django_db_blocker.unblock():
        if on_a_test_database():
            load_site_documents()


@pytest.fixture(scope="module")
def real_documents(django_db_setup, django_db_blocker):
    """The real transcriptions (fixtures/*.yaml), for the fixture-faithfulness and loader
    round-trip tests only. Loaded once per module that asks for them, on top of the purpose-made
    documents, inside a transaction rolled back when the module ends; each test still rolls back
    its own changes (use with `db`, not `transactional_db`). Returns the real slugs."""
    if not on_a_test_database():
        pytest.fail("real_documents is for tests that use the database (the db fixture)")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        load_real_documents()
    try:
        yield [path.stem for path in real_document_paths()]
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test's rows are rolled back, so authority versions repeat between tests: a page
    cached in one test must not be served in the next."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()
