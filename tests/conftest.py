from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance import models
from guidance.models import Domain, Indicator

DATA = Path(__file__).parent / "data"
FIXTURES = Path(__file__).parent.parent / "fixtures"
GUIDANCE_MODELS = [
    models.Authority,
    models.Level,
    models.NextStep,
    models.Domain,
    models.Indicator,
    models.Contact,
    models.GuidanceSection,
]


def snapshot():
    """Every guidance row, so a test can assert the database did not change at all."""
    rows = {
        model.__name__: sorted(model.objects.values_list(), key=str) for model in GUIDANCE_MODELS
    }
    rows["contact levels"] = sorted(models.Contact.levels.through.objects.values_list(), key=str)
    return rows


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
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real fixtures once per run; tests see them and roll back their own changes."""
    with django_db_blocker.unblock():
        call_command("load_thresholds", stdout=StringIO())


def add_more_data(authority, count=40):
    """More rows of every kind, to show the query count does not grow with the data."""
    for n in range(count):
        domain = Domain.objects.create(authority=authority, name=f"Extra {n}", theme="health")
        for level in authority.levels.all():
            Indicator.objects.create(domain=domain, level=level, text=f"Extra indicator {n}")
        contact = authority.contacts.create(name=f"Extra team {n}", phones=["01234 000000"])
        contact.levels.set(authority.levels.all())
        authority.sections.create(slug=f"extra-{n}", title="Extra", body="Text")
        for level in authority.levels.all():
            level.next_steps.create(heading="Extra", text="Text")


def queries_before_and_after_more_data(client, url, authority):
    """How many queries a page runs, then again after more rows of every kind are added."""
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_more_data(authority)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    return len(small), len(large)
