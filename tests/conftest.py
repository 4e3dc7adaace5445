from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from guidance import models

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
