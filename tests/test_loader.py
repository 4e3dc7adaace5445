"""load_thresholds and export_thresholds, through the management commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance import loader, search
from guidance.models import (
    Authority,
    Contact,
    Domain,
    GuidanceSection,
    Indicator,
    NextStep,
    SearchEntry,
    records_for_authorities,
)

from .helpers import DATA, FIXTURES, GUIDANCE_MODELS, site_document_paths, snapshot

pytestmark = pytest.mark.django_db


def load(*paths):
    out = StringIO()
    call_command("load_thresholds", *[str(p) for p in paths], stdout=out, stderr=StringIO())
    return out.getvalue()


def load_error(path):
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_thresholds", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue(), str(excinfo.value)


def export(slug):
    out = StringIO()
    call_command("export_thresholds", slug, stdout=out)
    return out.getvalue()


def test_load_creates_authority_levels_domains_indicators_contacts(sample):
    assert sample.name == "Sampleshire"
    assert sample.edition == "May 2020"
    assert list(sample.levels.values_list("number", "name")) == [
        (1, "Universal"),
        (2, "Early Help"),
        (3, "Targeted"),
        (4, "Specialist"),
    ]
    health = Domain.objects.published().get(authority=sample, name="Health")
    assert health.parent.name == "Child's Development"
    assert health.path == "Child's Development / Health"
    assert health.theme == "health"
    marked = Indicator.objects.published().get(domain=health, level__number=4)
    assert marked.text == "Fabricated or induced illness: medical evidence"
    assert marked.strategy_discussion is True
    assert marked.document_source == "Development table"
    education = list(
        Indicator.objects.filter(domain__name="Education", domain__authority=sample)
        .order_by("order")
        .values_list("level__number", "text")
    )
    assert education == [
        (2, "Occasional non attendance at school;"),
        (2, "Few or no qualifications."),
    ]
    front_door = Contact.objects.published().get(authority=sample, name="Front Door")
    assert front_door.phones == ["01234 567890"]
    assert front_door.emails == ["frontdoor@example.org"]
    assert front_door.emergency is True
    assert sorted(front_door.levels.values_list("number", flat=True)) == [3, 4]
    assert Contact.objects.published().get(authority=sample, name="Early Help Team").phones == [
        "999"
    ]
    step = NextStep.objects.published().get(level__authority=sample)
    assert step.heading == "Referral route"
    assert step.text == "Talk to the family.\n\n- Complete an early help assessment."
    assert sample.sections.get().slug == "significant-harm"


def test_load_reports_what_it_did_per_authority(db):
    first = load(DATA / "sample.yaml")
    assert "sample: 16 created, 0 updated, 0 removed" in first
    second = load(DATA / "sample.yaml")
    assert "sample: 0 created, 0 updated, 0 removed" in second


def test_loading_twice_keeps_the_same_rows_and_primary_keys(sample):
    before = snapshot()
    load(DATA / "sample.yaml")
    assert snapshot() == before


def test_edited_file_adds_updates_and_removes_only_that_authoritys_rows(
    sample, sample_text, write_fixture
):
    other_authorities = {
        slug: snapshot_of(slug)
        for slug in Authority.objects.exclude(slug__startswith="sample").values_list(
            "slug", flat=True
        )
    }
    kept = Indicator.objects.published().get(domain__authority=sample, text="Physically well.")
    edited = sample_text.replace("Few or no qualifications.", "Few or no qualifications at all.")
    edited = edited.replace("    - Occasional non attendance at school;\n", "")
    edited = edited.replace(
        "    1:\n    - Physically well.\n", "    1:\n    - Physically well.\n    - Growing well.\n"
    )
    out = load(write_fixture(edited))
    assert "sample: 1 created, 1 updated, 1 removed" in out
    texts = set(Indicator.objects.filter(domain__authority=sample).values_list("text", flat=True))
    assert texts == {
        "Physically well.",
        "Growing well.",
        "Fabricated or induced illness: medical evidence",
        "Few or no qualifications at all.",
    }
    assert Indicator.objects.published().get(pk=kept.pk).text == "Physically well."
    # The file is the new published edition, and the draft starts again from it.
    draft_texts = Indicator.objects.filter(domain__authority__slug="sample--draft")
    assert set(draft_texts.values_list("text", flat=True)) == texts
    assert sample.editions.first().number == 2
    for slug, rows in other_authorities.items():
        assert snapshot_of(slug) == rows


def test_a_site_with_history_switched_off_still_loads(sample_text, write_fixture, settings):
    # simple_history's own switch: its bulk history writer then returns nothing.
    settings.SIMPLE_HISTORY_ENABLED = False
    records = [model.history.count() for model in (Contact, Indicator)]
    assert "sample: 16 created, 0 updated, 0 removed" in load(write_fixture(sample_text))
    edited = sample_text.replace("  levels:\n  - 3\n  - 4\n", "  levels:\n  - 4\n", 1)
    edited = edited.replace("Few or no qualifications.", "Few or no qualifications at all.")
    assert "sample: 0 created, 2 updated, 0 removed" in load(write_fixture(edited))
    front_door = Contact.objects.published().get(authority__slug="sample", name="Front Door")
    assert list(front_door.levels.values_list("number", flat=True)) == [4]
    assert [model.history.count() for model in (Contact, Indicator)] == records


def snapshot_of(slug):
    return sorted(Indicator.objects.filter(domain__authority__slug=slug).values_list(), key=str)


def test_export_reproduces_the_loaded_file(sample, sample_text):
    assert export("sample") == sample_text


@pytest.mark.parametrize(
    "slug", ["stoke-on-trent", "newcastle", "dudley", "gloucestershire", "hull"]
)
def test_every_real_document_round_trips_exactly(real_documents, slug):
    assert slug in real_documents
    assert export(slug) == (FIXTURES / f"{slug}.yaml").read_text()


# Laid out otherwise than an export would write it: levels out of order, a level listed with no
# indicators, indicators and contacts written out in full with their defaults, `yes` for true,
# keys in another order, a list written inline, padding that the loader trims.
UNTIDY = """\
authority:
  name: Untidyshire
  slug: untidy
  partnership: Untidyshire Partnership
  document_title: '  Untidy Levels  '
  edition: "2024"
  website: https://untidy.example.org
levels:
- number: 3
  name: Targeted
  summary: Complex needs.
  next_steps: []
- number: 1
  name: Universal
  summary: Needs met by universal services.
  definition: ''
  next_steps:
  - heading: Consent
    text: Ask first.
    incomplete: ''
  - {heading: Referral route, text: "Ring the front door.\\n\\nThen write.", incomplete: cut off}
- number: 4
  name: Specialist
  summary: Significant harm.
- number: 2
  name: Early help
  summary: Some needs.
domains:
- name: Health
  theme: health
  indicators:
    4:
    - text: Injury.
      strategy_discussion: yes
    1: []
    2:
    - text: Well.
      strategy_discussion: false
      source: ''
      note: A note.
- name: Physical health
  parent: Health
  theme: health
  indicators: {3: [Ill.]}
- name: Empty
contacts:
- name: Front door
  levels: [4, 3, 4]
  phones: ['01234 567890']
  emergency: true
- name: Nobody
  levels: []
  emails: []
  emergency: false
sections: []
"""


def test_a_documents_export_is_written_from_its_values_as_from_its_rows(
    real_documents, sample, write_fixture
):
    # Edition 1 of a new area is written from the document just loaded (loader.export_document),
    # not read back from the database: the same bytes as the export of what was loaded.
    untidy = write_fixture(UNTIDY, "untidy.yaml")
    load(untidy)
    paths = [*sorted(FIXTURES.glob("*.yaml")), *site_document_paths(), DATA / "sample.yaml", untidy]
    for path in paths:
        document = loader.read_document(path)
        authority = Authority.objects.published().get(slug=document.slug)
        assert loader.export_document(document) == loader.export_authority(authority), path
        assert authority.editions.get().document == loader.export_authority(authority), path
    assert loader.export_document(loader.read_document(untidy)) != UNTIDY


def test_export_of_unknown_authority_names_it():
    with pytest.raises(CommandError, match="No authority 'nowhere'"):
        call_command("export_thresholds", "nowhere", stdout=StringIO())


def test_check_validates_without_writing(db):
    before = snapshot()
    out = StringIO()
    call_command("load_thresholds", "--check", str(DATA / "sample.yaml"), stdout=out)
    assert "valid (sample)" in out.getvalue()
    assert snapshot() == before


BAD_INPUT = [
    pytest.param(
        lambda t: t.replace("  name: Sampleshire\n", "  name: Sampleshire\n   oops: [\n"),
        "line 4: the file is not valid YAML: mapping values are not allowed",
        id="malformed-yaml",
    ),
    pytest.param(
        lambda t: t.replace("  edition: May 2020\n", "  edition: May 2020\n  colour: red\n"),
        "line 7: authority: unknown key 'colour'",
        id="unknown-key",
    ),
    pytest.param(
        lambda t: t.replace("- number: 3\n", "- number: 5\n"),
        "levels[2].number: level 5 is outside 1-4",
        id="level-outside-1-4",
    ),
    pytest.param(
        lambda t: t.replace("    4:\n    - text: 'Fabricated", "    7:\n    - text: 'Fabricated"),
        "domains[1] 'Health'.indicators (level key '7'): level 7 is outside 1-4",
        id="indicator-level-outside-1-4",
    ),
    pytest.param(
        lambda t: t.replace("    - Few or no qualifications.\n", "    - ''\n"),
        "line 45: domains[2] 'Education'.indicators.2[1]: indicator text must not be empty",
        id="empty-indicator",
    ),
    pytest.param(
        lambda t: t.replace("- name: Education\n", "- name: Health\n"),
        "domains[2] 'Health': duplicate domain (also domains[1])",
        id="duplicate-domain",
    ),
    pytest.param(
        lambda t: t.replace("  - '999'\n", "  - 999\n"),
        "contacts[1] 'Early Help Team'.phones[0]: expected text, found a whole number",
        id="wrong-type-number-for-text",
    ),
    pytest.param(
        lambda t: t.replace("      strategy_discussion: true", "      strategy_discussion: maybe"),
        "strategy_discussion: expected true or false, found text",
        id="wrong-type-text-for-bool",
    ),
    pytest.param(
        lambda t: t.replace("  parent: Child's Development\n", "  parent: Parenting\n"),
        "domains[1] 'Health'.parent: no domain 'Parenting' is listed before this one",
        id="parent-domain-missing",
    ),
    pytest.param(
        lambda t: t.replace("  theme: learning\n", "  theme: maths\n"),
        "domains[2] 'Education'.theme: unknown theme 'maths'",
        id="unknown-theme",
    ),
    pytest.param(
        lambda t: t.replace(
            "- number: 4\n  name: Specialist\n", "- number: 3\n  name: Specialist\n"
        ),
        "level 3 appears twice",
        id="duplicate-level",
    ),
    pytest.param(
        lambda t: t.replace("  levels:\n  - 3\n", "  levels:\n  - 6\n"),
        "contacts[0] 'Front Door'.levels[0]: level 6 is outside 1-4",
        id="contact-level-outside-1-4",
    ),
    pytest.param(
        lambda t: t.replace("  summary: Complex needs.\n", ""),
        "line 20: levels[2]: missing required key 'summary'",
        id="missing-required",
    ),
    pytest.param(lambda t: "", "the file is empty", id="empty-file"),
    pytest.param(
        lambda t: t.replace("  name: Targeted\n", "  name: " + "T" * 201 + "\n"),
        "line 21: levels[2] (level 3).name: is 201 characters long; at most 200",
        id="too-long-for-the-database",
    ),
    pytest.param(
        lambda t: "- just\n- a list\n", "top level: expected a mapping", id="not-a-mapping"
    ),
]


@pytest.mark.parametrize(("edit", "message"), BAD_INPUT)
def test_bad_input_names_file_place_and_problem_and_changes_nothing(
    sample, sample_text, write_fixture, edit, message
):
    path = write_fixture(edit(sample_text.replace("Sample Levels", "Changed Levels")))
    before = snapshot()
    errors, summary = load_error(path)
    assert str(path) in errors
    assert message in errors
    assert "nothing was loaded" in summary
    assert snapshot() == before


def test_one_bad_file_among_good_ones_loads_none(sample_text, write_fixture, db):
    good = write_fixture(sample_text.replace("slug: sample", "slug: good"), "good.yaml")
    bad = write_fixture(sample_text.replace("- number: 3\n", "- number: 9\n"), "bad.yaml")
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_thresholds", str(good), str(bad), stdout=StringIO(), stderr=err)
    assert "bad.yaml" in err.getvalue()
    assert snapshot() == before
    assert not Authority.objects.filter(slug="good").exists()


def test_the_same_authority_in_two_files_is_refused(sample_text, write_fixture, db):
    a = write_fixture(sample_text, "a.yaml")
    b = write_fixture(sample_text, "b.yaml")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_thresholds", str(a), str(b), stdout=StringIO(), stderr=err)
    assert "'sample' is also in" in err.getvalue()


def test_a_database_failure_midway_rolls_everything_back(
    sample, sample_text, write_fixture, monkeypatch
):
    """The indicator is written before the contact fails: the file's transaction undoes it."""
    before = snapshot()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_link_contact_levels", fail)
    edited = sample_text.replace("Physically well.", "Physically very well.").replace(
        "name: Early Help Team", "name: Early Help Service"
    )
    with pytest.raises(RuntimeError):
        load(write_fixture(edited))
    assert snapshot() == before


def test_a_failure_while_starting_a_new_areas_draft_leaves_nothing_of_its_file(
    sample_text, write_fixture, db, monkeypatch
):
    """The published rows are written, then copying them into the draft fails (the links'
    history, last): the file's transaction undoes the area, its draft and their history."""
    before = snapshot()
    records = sum(model.history.count() for model in GUIDANCE_MODELS)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_record_levels_history", fail)
    with pytest.raises(RuntimeError):
        load(write_fixture(_copy(sample_text, "fresh"), "fresh.yaml"))
    assert snapshot() == before
    assert sum(model.history.count() for model in GUIDANCE_MODELS) == records


def _copy(text, slug, extra=0):
    """The sample under another slug and name, with `extra` more indicators, domains, contacts
    and sections."""
    text = text.replace("slug: sample", f"slug: {slug}").replace(
        "name: Sampleshire", f"name: Sampleshire {slug}"
    )
    more = "".join(f"    - Extra indicator {n}.\n" for n in range(extra))
    text = text.replace(
        "    - Few or no qualifications.\n", "    - Few or no qualifications.\n" + more
    )
    text = text.replace(
        "contacts:\n",
        "".join(
            f"- name: Extra {n}\n  theme: health\n  indicators:\n    1:\n    - Extra {n}.\n"
            for n in range(extra)
        )
        + "contacts:\n"
        + "".join(f"- name: Extra team {n}\n  levels:\n  - 2\n  - 3\n" for n in range(extra)),
    )
    return (
        text.rstrip("\n")
        + "\n"
        + "".join(
            f"- slug: extra-{n}\n  kind: other\n  title: Extra\n  body: Text.\n"
            for n in range(extra)
        )
    )


def test_loading_many_documents_records_history_for_every_row(sample_text, write_fixture, db):
    paths = [write_fixture(_copy(sample_text, f"copy-{n}", 3), f"copy-{n}.yaml") for n in range(4)]
    out = load(*paths)
    authorities = Authority.objects.published().filter(slug__startswith="copy-")
    assert authorities.count() == 4
    for model in GUIDANCE_MODELS:
        rows = model.objects.for_authorities(authorities)
        records = records_for_authorities(model.history.all(), authorities)
        assert rows.count() > 0
        # One "+" record for each row created, with the loader's reason.
        assert sorted(records.filter(history_type="+").values_list("id", flat=True)) == sorted(
            rows.values_list("pk", flat=True)
        ), model
        assert set(records.values_list("history_change_reason", flat=True)) == {"load_thresholds"}
    # A contact's record carries the levels it was created with.
    contact = Contact.objects.published().get(authority__slug="copy-0", name="Front Door")
    record = contact.history.get(history_type="+")
    assert sorted(link.level.number for link in record.levels.all()) == [3, 4]
    created = sum(int(line.split(": ")[1].split()[0]) for line in out.splitlines())
    assert created == sum(
        model.objects.for_authorities(authorities).count() for model in GUIDANCE_MODELS
    )


def test_changes_and_removals_are_recorded_in_history(sample, sample_text, write_fixture):
    edited = sample_text.replace("Few or no qualifications.", "Few qualifications.")
    edited = edited.replace("  levels:\n  - 3\n  - 4\n", "  levels:\n  - 2\n")
    edited = edited.replace("    - Occasional non attendance at school;\n", "")
    education = Indicator.objects.filter(domain__authority=sample, domain__name="Education")
    # Paired by likeness (as the Changes page pairs them): the reworded line keeps its row, and
    # the removed line's row goes, though it came first.
    gone, kept = education.order_by("order")
    out = load(write_fixture(edited))
    # The indicator text, the contact's levels (one change each); one indicator removed.
    assert "sample: 0 created, 2 updated, 1 removed" in out
    changed = Indicator.objects.published().get(pk=kept.pk)
    assert changed.text == "Few qualifications."
    assert changed.history.latest("history_id").history_type == "~"
    front_door = Contact.objects.published().get(authority=sample, name="Front Door")
    record = front_door.history.latest("history_id")
    assert record.history_type == "~"
    assert [link.level.number for link in record.levels.all()] == [2]
    assert Indicator.history.filter(id=gone.pk, history_type="-").exists()
    assert export("sample") == edited


def _tracked(record_or_row, model):
    return {
        field.attname: getattr(record_or_row, field.attname)
        for field in model.history.model.tracked_fields
    }


def test_each_history_record_holds_the_row_as_written(sample, sample_text, write_fixture):
    # The loader writes history records in the database (INSERT ... SELECT): each holds every
    # tracked column of its row as it was created, then as it was changed.
    for model in GUIDANCE_MODELS:
        for row in model.objects.for_authorities([sample]):
            record = row.history.get(history_type="+")
            assert _tracked(record, model) == _tracked(row, model), (model, row.pk)
            assert record.history_change_reason == "load_thresholds"
            assert record.history_user is None
    edited = sample_text.replace("Few or no qualifications.", "Few qualifications.")
    load(write_fixture(edited))
    changed = Indicator.objects.published().get(text="Few qualifications.")
    record = changed.history.latest("history_id")
    assert record.history_type == "~"
    assert _tracked(record, Indicator) == _tracked(changed, Indicator)
    assert record.history_date > changed.history.earliest("history_id").history_date


def test_a_reload_without_changes_writes_nothing(sample, sample_text, write_fixture):
    records = sum(model.history.count() for model in GUIDANCE_MODELS)
    with CaptureQueriesContext(connection) as queries:
        load(DATA / "sample.yaml")
    assert sum(model.history.count() for model in GUIDANCE_MODELS) == records
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_the_queries_of_a_load_do_not_grow_with_its_rows(sample_text, write_fixture, db):
    def queries(text, name):
        path = write_fixture(text, f"{name}.yaml")
        with CaptureQueriesContext(connection) as captured:
            load(path)
        return len(captured)

    small = queries(_copy(sample_text, "small"), "small")
    large = queries(_copy(sample_text, "large", extra=40), "large")
    assert Indicator.objects.filter(domain__authority__slug="large").count() == 84
    # 200 more rows; SQLite splits a long insert into batches of its variable limit.
    assert large - small <= 3


def test_a_write_failing_midway_keeps_the_files_before_it(
    sample_text, write_fixture, db, monkeypatch
):
    """Validation comes first (one bad file loads none); then each file has its own transaction,
    so a file whose writing fails leaves nothing of itself and the files before it loaded."""
    first = write_fixture(_copy(sample_text, "first"), "first.yaml")
    second = write_fixture(_copy(sample_text, "second"), "second.yaml")
    third = write_fixture(_copy(sample_text, "third"), "third.yaml")
    original = loader._load_document

    def fail_second(document, reason, authority=None):
        report = original(document, reason, authority)  # written, then the failure undoes it
        if document.slug == "second":
            raise RuntimeError("disk full")
        return report

    monkeypatch.setattr(loader, "_load_document", fail_second)
    err = StringIO()
    with pytest.raises(RuntimeError):
        call_command(
            "load_thresholds", str(first), str(second), str(third), stdout=StringIO(), stderr=err
        )
    assert "second.yaml: writing failed, so nothing of it was written" in err.getvalue()
    assert "the 1 file(s) before it stay loaded" in err.getvalue()
    assert set(
        Authority.objects.filter(slug__in=["first", "second", "third"]).values_list(
            "slug", flat=True
        )
    ) == {"first"}
    assert Authority.objects.get(slug="first--draft").editions.count() == 0
    assert Authority.objects.get(slug="first").editions.count() == 1
    assert not Indicator.objects.filter(domain__authority__slug__startswith="second").exists()


@pytest.mark.parametrize("slug", ["offline", "search", "compare", "admin", "api"])
def test_an_authority_cannot_take_one_of_the_sites_own_addresses(sample_text, write_fixture, slug):
    before = snapshot()
    err, message = load_error(
        write_fixture(sample_text.replace("slug: sample", f"slug: {slug}", 1))
    )
    assert f"authority.slug: '{slug}' is one of the site's own addresses" in err
    assert snapshot() == before


# --- Search entries and the queries of a load ---------------------------------------------------


def _entries(authority):
    """(kind, authority, row, title terms, terms) of the authority's search entries, in the order
    of their keys (search lists entries of equal rank in that order)."""
    entries = SearchEntry.objects.filter(authority=authority).order_by("pk")
    return [(e.kind, e.authority_id, e.row_id, e.title_terms, e.terms) for e in entries]


def _entries_read_back(authority):
    """The entries search.rebuild wrote before entries were copied (COPY) and made from the
    loader's rows: each row read back, kind by kind, in document order."""
    rows = {
        "indicator": Indicator.objects.filter(domain__authority=authority).order_by(
            "level__number", "domain__order", "order", "pk"
        ),
        "contact": Contact.objects.filter(authority=authority).order_by("order", "pk"),
        "next_step": NextStep.objects.filter(level__authority=authority).order_by(
            "level__number", "order", "pk"
        ),
        "section": GuidanceSection.objects.filter(authority=authority).order_by("order", "pk"),
    }
    entries = []
    for kind, rows_of_kind in rows.items():
        columns = search.SEARCHED_COLUMNS[kind][1]
        if kind == "contact":
            columns = [*columns, *Contact.WAYS_TO_REACH]
        for row in rows_of_kind:
            values = {column: getattr(row, column) for column in columns}
            entries.append((kind, authority.pk, row.pk, *search.entry_values(kind, values)))
    return entries


def test_a_first_load_writes_the_search_entries_rebuild_writes(db):
    """A new authority's entries are made from the rows the loader just created, and written
    with COPY on PostgreSQL: the same entries, in the same order, as reading the rows back
    writes, for every real and purpose-made document; rebuilding them changes nothing."""
    paths = [*loader.document_paths(FIXTURES), *site_document_paths()]
    load(*paths)
    authorities = list(Authority.objects.published())
    assert len(authorities) == len(paths)
    for authority in authorities:
        expected = _entries_read_back(authority)
        assert expected
        assert _entries(authority) == expected, authority.slug
    assert SearchEntry.objects.count() == sum(len(_entries(a)) for a in authorities)
    search.rebuild([a.pk for a in authorities])
    for authority in authorities:
        assert _entries(authority) == _entries_read_back(authority), authority.slug
    # A draft has no entries.
    assert not SearchEntry.objects.filter(authority__draft_of__isnull=False).exists()


def test_a_reload_with_changes_rebuilds_the_entries(sample, sample_text, write_fixture):
    edited = sample_text.replace("Few or no qualifications.", "Few qualifications.").replace(
        "    - Occasional non attendance at school;\n", ""
    )
    assert edited.count("Few qualifications.") == 1
    load(write_fixture(edited))
    entries = _entries(sample)
    assert entries == _entries_read_back(sample)
    assert any(" few qualif " in terms for *_, terms in entries)
    assert not any("attend" in terms for *_, terms in entries)


def test_search_entries_are_copied_on_postgresql(sample_text, write_fixture, db):
    with CaptureQueriesContext(connection) as queries:
        load(write_fixture(_copy(sample_text, "copied"), "copied.yaml"))
    writes = [q["sql"] for q in queries if "guidance_searchentry" in q["sql"]]
    if connection.vendor == "postgresql":
        assert [sql.split(" (")[0] for sql in writes] == ['COPY "guidance_searchentry"']
    else:
        assert writes and all(sql.startswith("INSERT") for sql in writes)
    assert _entries(Authority.objects.get(slug="copied")) == _entries_read_back(
        Authority.objects.get(slug="copied")
    )


def test_a_first_load_asks_only_what_it_needs(sample_text, write_fixture, db):
    """Loading new authorities reads none of their rows back (their search entries are made
    from the rows written), asks nothing about editions or drafts they cannot have yet, and
    checks the authorities' names once for the whole load."""
    paths = [write_fixture(_copy(sample_text, s), f"{s}.yaml") for s in ("new-one", "new-two")]
    with CaptureQueriesContext(connection) as queries:
        load(*paths)
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    for table in ("guidance_indicator", "guidance_nextstep", "guidance_edition"):
        assert not [sql for sql in reads if f'FROM "{table}"' in sql], table
    names = [sql for sql in reads if '"guidance_authority"."name" IN' in sql]
    assert len(names) == 1, names
    for slug in ("new-one", "new-two"):
        authority = Authority.objects.get(slug=slug)
        assert authority.published_edition == 1
        assert list(authority.editions.values_list("number", flat=True)) == [1]
        assert Authority.objects.filter(draft_of=authority).count() == 1
