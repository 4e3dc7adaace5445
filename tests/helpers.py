"""Shared helpers for the test modules (pytest fixtures live in conftest.py)."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance import models
from guidance.models import Domain, Indicator

DATA = Path(__file__).parent / "data"
# Purpose-made documents every test database starts with: Northshire (rich), Southvale (small)
# and Westmere (no domains or indicators at all).
SITE_DOCUMENTS = DATA / "site"
# The real transcriptions; only the fixture-faithfulness and loader round-trip tests use them.
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


def site_document_paths():
    return sorted(SITE_DOCUMENTS.glob("*.yaml"))


def real_document_paths():
    return sorted(FIXTURES.glob("*.yaml"))


def load_site_documents():
    """Load the purpose-made documents (tests/data/site/*.yaml)."""
    call_command("load_thresholds", *map(str, site_document_paths()), stdout=StringIO())


def load_real_documents():
    """Load the real transcriptions (fixtures/*.yaml)."""
    call_command("load_thresholds", *map(str, real_document_paths()), stdout=StringIO())


def snapshot():
    """Every guidance row, so a test can assert the database did not change at all."""
    rows = {
        model.__name__: sorted(model.objects.values_list(), key=str) for model in GUIDANCE_MODELS
    }
    rows["contact levels"] = sorted(models.Contact.levels.through.objects.values_list(), key=str)
    return rows


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


def add_indicators(authority, count, level_number=1):
    """`count` more indicators of the authority, in a domain of their own at one level, for
    paging: the purpose-made documents hold fewer than a page (50) each."""
    domain = Domain.objects.create(
        authority=authority, name="Paging", theme="health", order=len(authority.domains.all())
    )
    level = authority.levels.get(number=level_number)
    Indicator.objects.bulk_create(
        Indicator(domain=domain, level=level, text=f"Paging indicator {n}", order=n)
        for n in range(count)
    )
    return domain


def add_long_indicators(slug, domains=3, per_cell=4, length=220):
    """Domains of indicators as long as real ones (a sentence or two), `per_cell` in each level:
    enough text that the level table prints over several pages and slides split a domain."""
    authority = models.Authority.objects.get(slug=slug)
    levels = list(authority.levels.all())
    start = authority.domains.count()
    for d in range(domains):
        domain = Domain.objects.create(
            authority=authority, name=f"Long domain {d + 1}", theme="family", order=start + d
        )
        for level in levels:
            for n in range(per_cell):
                words = f"Long indicator {d + 1}.{level.number}.{n + 1} "
                filler = "where the worries about the child grow and the family needs support "
                text = (words + filler * 10)[:length].rstrip() + "."
                Indicator.objects.create(domain=domain, level=level, text=text, order=n)
    return authority


# One page of each kind on the purpose-made documents, with the pages that run scripts of their own.
PAGE_OF_EACH_KIND = [
    "/",
    "/search/?q=indicator",
    "/compare/?authority=northshire&authority=southvale",
    "/compare/next-steps/?authority=northshire&authority=southvale&level=3",
    "/northshire/",
    "/northshire/level/4/",
    "/northshire/indicators/?level=3",
    "/northshire/table/",
    "/northshire/present/2/",
    "/northshire/guidance/significant-harm/",
    "/northshire/changes/",
    "/no/such/page/",
    "/admin/login/",
    "/api/v1/docs",
]
