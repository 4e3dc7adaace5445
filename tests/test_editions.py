"""Published editions: leads edit a draft, a second person publishes it, practitioners see what
changed. Through the public surfaces: admin, pages, API, search, feeds and commands."""

import html
import re
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from guidance import loader
from guidance.editions import publish
from guidance.loader import load_documents, read_document
from guidance.models import (
    Authority,
    Contact,
    Domain,
    Edition,
    GuidanceSection,
    Indicator,
    Level,
    NextStep,
    SearchEntry,
    records_for_authorities,
)

from .helpers import PAGE_OF_EACH_KIND, site_document_paths
from .test_admin_safety import edit_through_admin

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def published(slug="northshire"):
    return Authority.objects.published().get(slug=slug)


def draft(slug="northshire"):
    return Authority.objects.get(slug=f"{slug}--draft")


def person(email, *flags, slug="northshire"):
    call_command("create_lead", email, "--authority", slug, *flags, stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username=email))
    return client


@pytest.fixture
def lead():
    return person("lead@northshire.example")


@pytest.fixture
def approver():
    return person("approver@northshire.example", "--approver")


def front_door(authority):
    return Contact.objects.get(authority=authority, name="Northshire Front Door")


def text(response):
    return html.unescape(response.content.decode())


def publish_page(client):
    return f"/admin/guidance/authority/{draft().pk}/publish/"


def change_phone(client, phone):
    contact = front_door(draft())
    edit_through_admin(client, contact, phones=phone)


# --- Draft and published ------------------------------------------------------------------------


def test_every_loaded_area_is_edition_1_with_a_draft_of_its_own():
    for authority in Authority.objects.published():
        assert authority.published_edition == 1
        (edition,) = authority.editions.all()
        assert edition.number == 1 and edition.document.startswith("authority:\n  slug: ")
        assert authority.draft.slug == f"{authority.slug}--draft"
        assert authority.draft.name == authority.name
        assert Indicator.objects.for_authorities([authority.draft]).count() == (
            Indicator.objects.for_authorities([authority]).count()
        )


def test_a_leads_edit_is_only_in_the_draft_preview_until_an_approver_publishes(
    client, lead, approver
):
    old = front_door(published()).phones[0]
    change_phone(lead, "01234 999999")

    # Public page, API and search: still the published edition.
    assert old in text(client.get("/northshire/"))
    assert "01234 999999" not in text(client.get("/northshire/level/4/"))
    assert "01234 999999" not in client.get("/api/v1/authorities/northshire").content.decode()
    assert "01234 999999" not in text(client.get("/search/?q=front+door"))
    # The lead's preview shows it; nobody else may open the preview.
    preview = lead.get("/northshire--draft/level/4/")
    assert preview.status_code == 200 and "01234 999999" in text(preview)
    assert "Draft preview" in text(preview)
    assert "no-store" in preview["Cache-Control"] and preview["X-Robots-Tag"] == "noindex"
    assert client.get("/northshire--draft/level/4/").status_code == 404
    southvale_lead = person("lead@southvale.example", slug="southvale")
    assert southvale_lead.get("/northshire--draft/level/4/").status_code == 404
    assert client.get("/api/v1/authorities/northshire--draft").status_code == 404

    # The approver sees the change, word by word, and publishes it.
    page = text(approver.get(publish_page(approver)))
    assert "Contact Northshire Front Door: phone changed from" in page
    assert "<ins>999999</ins>" in approver.get(publish_page(approver)).content.decode()
    response = approver.post(publish_page(approver), {"summary": "Front Door number changed."})
    assert response.status_code == 302

    edition = published().editions.first()
    assert (edition.number, edition.summary) == (2, "Front Door number changed.")
    assert edition.prepared_by == "lead@northshire.example"
    assert edition.approved_by == "approver@northshire.example"
    for address in ("/northshire/", "/northshire/level/4/", "/search/?q=front+door"):
        page = text(client.get(address))
        assert "01234 999999" in page and old not in page, address
    assert "01234 999999" in client.get("/api/v1/authorities/northshire").content.decode()
    assert "edition 2" in text(client.get("/northshire/"))


def test_a_lead_cannot_publish_at_all_and_an_approver_not_their_own_change_alone(lead, approver):
    change_phone(lead, "01234 999999")
    assert "An approver for Northshire publishes" in text(lead.get(publish_page(lead)))
    assert lead.post(publish_page(lead), {"summary": "Mine."}).status_code == 403

    # The approver's own change on top of the lead's is fine (someone else prepared some) ...
    edition_before = published().published_edition
    approver.post(publish_page(approver), {"summary": "Published."})
    assert published().published_edition == edition_before + 1
    # ... but a draft holding only the approver's own changes is refused, and nothing changes.
    change_phone(approver, "01234 888888")
    response = approver.post(publish_page(approver), {"summary": "Mine only."})
    assert response.status_code == 200
    assert "Every change in this draft is your own" in text(response)
    assert published().published_edition == edition_before + 1
    assert "01234 888888" not in str(front_door(published()).phones)

    # A superuser marks the area as having a single lead: then the approver may.
    Authority.objects.filter(pk=draft().pk).update(single_lead=True)
    assert approver.post(publish_page(approver), {"summary": "Mine only."}).status_code == 302
    assert front_door(published()).phones == ["01234 888888"]


def test_publishing_needs_a_summary_and_a_change(approver, lead):
    response = approver.post(publish_page(approver), {"summary": "Nothing."})
    assert "no changes to publish" in text(response)
    change_phone(lead, "01234 999999")
    response = approver.post(publish_page(approver), {"summary": "   "})
    assert response.status_code == 200 and published().published_edition == 1


def test_discarding_the_draft_puts_back_the_published_edition(lead):
    change_phone(lead, "01234 999999")
    response = lead.post(f"/admin/guidance/authority/{draft().pk}/discard/")
    assert response.status_code == 302
    assert front_door(draft()).phones == front_door(published()).phones
    assert "nothing waits to be published" in text(lead.get(publish_page(lead)))


def test_restoring_edition_1_and_publishing_reproduces_it_byte_for_byte(lead, approver):
    first = published().editions.get(number=1).document
    change_phone(lead, "01234 999999")
    approver.post(publish_page(approver), {"summary": "Changed."})
    assert published().editions.first().document != first

    restore = f"/admin/guidance/authority/{draft().pk}/editions/1/restore/"
    assert lead.post(restore).status_code == 302
    response = approver.post(publish_page(approver), {"summary": "Back to edition 1."})
    assert response.status_code == 302, text(response)
    assert published().editions.first().number == 3
    assert published().editions.first().document == first
    download = lead.get(f"/admin/guidance/authority/{draft().pk}/editions/1.yaml")
    assert download.content.decode() == first


def test_permalinks_of_unchanged_indicators_survive_and_a_removed_one_says_when(client):
    indicators = Indicator.objects.for_authorities([published()]).order_by("pk")
    before = {i.pk: i.text for i in indicators}
    removed = Indicator.objects.for_authorities([draft()]).get(
        text="Northshire health indicator 2.2"
    )
    removed.delete()
    # A new indicator first in another list does not move the others to new addresses. (Removing
    # one and adding one in the same list reads as a change of that one, as the diff says.)
    Indicator.objects.create(
        domain=removed.domain,
        level=removed.level.authority.levels.get(number=3),
        order=0,
        text="A new first indicator.",
    )
    publish(published(), "One indicator removed, one added.")

    after = {i.pk: i.text for i in Indicator.objects.for_authorities([published()])}
    gone = [pk for pk, words in before.items() if words == "Northshire health indicator 2.2"]
    assert [pk for pk in before if pk not in after] == gone
    for pk, words in before.items():
        if pk not in gone:
            assert after[pk] == words
            assert client.get(f"/northshire/indicators/{pk}/").status_code == 200
    response = client.get(f"/northshire/indicators/{gone[0]}/")
    assert response.status_code == 410
    page = text(response)
    assert "This indicator was removed" in page and "edition 2" in page
    assert 'href="/northshire/level/2/"' in page


# --- What changed, for practitioners ------------------------------------------------------------


def test_the_changes_page_lists_editions_newest_first_in_plain_words(client, lead, approver):
    change_phone(lead, "01234 999999")
    approver.post(publish_page(approver), {"summary": "Front Door number changed."})
    page = text(client.get("/northshire/changes/"))
    assert page.index("Edition 2") < page.index("Edition 1")
    assert "Front Door number changed." in page
    assert re.search(r"Contact Northshire Front Door: phone changed from .+ to 01234 999999", page)
    assert page.count("First published on this site.") == 1
    assert client.get("/northshire--draft/changes/").status_code == 404
    assert lead.get("/northshire--draft/changes/").status_code == 404  # drafts have no editions
    document = client.get("/northshire/changes/2.yaml")
    assert document.content.decode() == published().editions.get(number=2).document


def atom(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def assert_valid_atom(feed):
    """RFC 4287's requirements: a feed and each entry have an id, a title and an updated date
    (RFC 3339); the feed has an author (or every entry has one) and a self or alternate link;
    every entry has an alternate link or content."""
    rfc3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.findall(f"{ATOM}entry")):
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1, (element.tag, name)
        assert rfc3339.match(element.find(f"{ATOM}updated").text)
        assert element.find(f"{ATOM}link[@rel='alternate']") is not None
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None


def test_the_feeds_validate_as_atom_and_carry_each_edition(client, lead, approver):
    change_phone(lead, "01234 999999")
    approver.post(publish_page(approver), {"summary": "Front Door number changed."})
    area = atom(client.get("/northshire/changes/feed/"))
    assert_valid_atom(area)
    entries = area.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Northshire: edition 2",
        "Northshire: edition 1",
    ]
    assert "01234 999999" in entries[0].find(f"{ATOM}summary").text
    everyone = atom(client.get("/changes/feed/"))
    assert_valid_atom(everyone)
    titles = [e.find(f"{ATOM}title").text for e in everyone.findall(f"{ATOM}entry")]
    assert titles[0] == "Northshire: edition 2"
    assert {"Southvale: edition 1", "Westmere: edition 1"} <= set(titles)
    assert not any("draft" in title.lower() for title in titles)
    assert client.get("/northshire--draft/changes/feed/").status_code == 404


def test_every_area_page_says_its_edition_and_links_to_the_changes(client):
    pages = [a for a in PAGE_OF_EACH_KIND if a.startswith("/northshire/") and "/present/" not in a]
    assert len(pages) > 4
    for address in pages:
        page = text(client.get(address))
        assert re.search(r"Last updated \d+ \w+ \d{4}, edition 1\.", page), address
        assert 'href="/northshire/changes/"' in page, address
    # A projected slide says which edition the room is looking at, without a link to follow.
    for address in ("/northshire/present/1/", "/northshire/present/2/"):
        page = text(client.get(address))
        assert re.search(r"Last updated \d+ \w+ \d{4}, edition 1", page), address


# --- Nothing of a draft leaks -------------------------------------------------------------------

MARKER = "Zqxdraftmarker"


def test_no_public_page_api_answer_search_or_feed_shows_the_draft(client):
    """Marker text in every kind of row of the draft: no public address shows it."""
    d = draft()
    Authority.objects.filter(pk=d.pk).update(caveat=f"{MARKER} caveat")
    for model, field in [
        (Indicator, "text"),
        (NextStep, "text"),
        (GuidanceSection, "body"),
        (Contact, "name"),
    ]:
        for row in model.objects.for_authorities([d]):
            setattr(row, field, f"{MARKER} {getattr(row, field)}")
            row.save()
    d.levels.update(name=f"{MARKER} level")
    contact = Contact.objects.for_authorities([d]).first()
    contact.phones = ["01234 987654"]
    contact.save()
    draft_indicator = Indicator.objects.for_authorities([d]).first()

    addresses = [
        *PAGE_OF_EACH_KIND,
        "/northshire/changes/",
        "/northshire/changes/feed/",
        "/changes/feed/",
        "/northshire/offline.json",
        "/offline/",
        # Words the draft's rows hold as well as the published ones (a search page repeats the
        # words searched for, so the marker itself is searched for only where answers are JSON).
        "/search/?q=northshire",
        "/search/?q=indicator&area=northshire",
        "/search/?q=front+door&kind=contact",
        "/northshire/indicators/?q=indicator",
        "/api/v1/authorities",
        "/api/v1/authorities/northshire",
        "/api/v1/indicators?limit=500",
        "/api/v1/indicators?q=northshire",
        "/api/v1/search?q=northshire",
        f"/northshire/indicators/{draft_indicator.pk}/",
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code in (200, 404), address
        body = response.content.decode()
        assert MARKER.lower() not in body.lower(), address
        assert "987654" not in body, address
        assert "--draft" not in body, address
    # Search reads entries without asking whose they are: a draft's rows have none.
    assert not SearchEntry.objects.filter(authority__draft_of__isnull=False).exists()
    for address in (f"/api/v1/indicators?q={MARKER}", f"/api/v1/search?q={MARKER}"):
        assert client.get(address).json()["count"] == 0, address
    # The draft is there all the same: its lead sees it.
    assert MARKER in text(person("lead@northshire.example").get("/northshire--draft/"))


def test_published_rows_cannot_be_edited_in_admin_even_by_a_superuser():
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    for obj in (published(), front_door(published())):
        address = f"/admin/guidance/{obj._meta.model_name}/{obj.pk}/change/"
        assert admin.get(address).status_code == 403, address
    assert admin.get(f"/admin/guidance/contact/{front_door(draft()).pk}/change/").status_code == 200


def test_every_publishing_path_is_scoped_to_the_users_own_area(approver):
    southvale = draft("southvale")
    for path in ("publish/", "editions/", "editions/1.yaml", "discard/", "editions/1/restore/"):
        address = f"/admin/guidance/authority/{southvale.pk}/{path}"
        assert approver.get(address).status_code == 403, address
        assert approver.post(address, {"summary": "x"}).status_code == 403, address
        published_address = f"/admin/guidance/authority/{published().pk}/{path}"
        assert approver.post(published_address, {"summary": "x"}).status_code == 404
    assert Edition.objects.filter(authority__slug="southvale").count() == 1


# --- Commands -----------------------------------------------------------------------------------


def test_publish_and_editions_commands():
    contact = front_door(draft())
    contact.phones = ["01234 999999"]
    contact.save()
    out = StringIO()
    call_command("editions", "northshire", stdout=out)
    assert "1\t" in out.getvalue() and "The draft has changes not yet published." in out.getvalue()
    out = StringIO()
    call_command("publish", "northshire", "--summary", "Scripted.", stdout=out)
    assert out.getvalue() == "Published edition 2 of Northshire.\n"
    assert front_door(published()).phones == ["01234 999999"]
    out = StringIO()
    call_command("editions", "northshire", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2\t") and lines[0].endswith("Scripted.")
    assert lines[-1] == "The draft is as published."
    with pytest.raises(CommandError, match="no changes to publish"):
        call_command("publish", "northshire", "--summary", "Again.")
    with pytest.raises(CommandError, match="No authority 'northshire--draft'"):
        call_command("publish", "northshire--draft", "--summary", "x")


def test_load_thresholds_refuses_an_area_whose_draft_waits_to_be_published(tmp_path):
    contact = front_door(draft())
    contact.phones = ["01234 999999"]
    contact.save()
    document = tmp_path / "northshire.yaml"
    call_command("export_thresholds", "northshire", "-o", str(document))
    # The same guidance again (as `make run` loads the fixtures each time): nothing to do, and
    # the draft keeps the lead's change.
    out = StringIO()
    call_command("load_thresholds", str(document), stdout=out)
    assert out.getvalue() == "northshire: 0 created, 0 updated, 0 removed\n"
    assert front_door(draft()).phones == ["01234 999999"]
    # New guidance for the area would overwrite the lead's waiting change: refused.
    document.write_text(document.read_text().replace("Northshire Universal", "Universal"))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_thresholds", str(document), stdout=StringIO(), stderr=err)
    assert "northshire: its draft has changes not yet published" in err.getvalue()
    assert front_door(draft()).phones == ["01234 999999"]
    assert published().published_edition == 1


# --- Publishing is one step for readers ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_page_drawn_while_publishing_shows_one_edition_whole(transactional_db, client):
    """A publication commits on another connection between the first and the second query of a
    page: the page still shows the old edition whole (its queries read one snapshot)."""
    from django.db import connection

    from .helpers import load_site_documents

    if connection.vendor != "postgresql":
        pytest.skip("needs two connections at once writing and reading: PostgreSQL")
    if not Authority.objects.filter(slug="northshire").exists():
        load_site_documents()
    old_phone = front_door(published()).phones[0]
    draft().levels.filter(number=4).update(name="Renamed level four")
    contact = front_door(draft())
    contact.phones = ["01234 999999"]
    contact.save()

    published_elsewhere = []

    def publish_elsewhere():
        try:
            published_elsewhere.append(publish(published(), "Level 4 renamed, number changed."))
        finally:
            connection.close()  # this thread's own connection

    def between_queries(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        # After the page reads the authority (the version check before it reads only the id and
        # version), before it reads the levels.
        if '"guidance_authority"."document_title"' in sql and not published_elsewhere:
            import threading

            thread = threading.Thread(target=publish_elsewhere)
            thread.start()
            thread.join(timeout=60)
        return result

    with connection.execute_wrapper(between_queries):
        page = text(client.get("/northshire/level/4/"))
    assert published_elsewhere, "the publication did not run during the page"
    assert "edition 1." in page and "Northshire Specialist" in page and old_phone in page
    assert "Renamed level four" not in page and "01234 999999" not in page
    # The next request shows the new edition, whole.
    page = text(client.get("/northshire/level/4/"))
    assert "edition 2." in page and "Renamed level four" in page and "01234 999999" in page
    assert old_phone not in page


def test_the_history_of_published_rows_names_the_edition_and_the_approver(lead, approver):
    change_phone(lead, "01234 999999")
    approver.post(publish_page(approver), {"summary": "Front Door number changed."})
    record = front_door(published()).history.order_by("-history_id").first()
    assert record.history_change_reason == "Edition 2"
    assert record.history_user.username == "approver@northshire.example"
    assert record.phones == ["01234 999999"]
    # The draft's own history keeps who changed it.
    draft_record = front_door(draft()).history.order_by("-history_id").first()
    assert draft_record.history_user.username == "lead@northshire.example"


# --- Starting a draft ---------------------------------------------------------------------------


COPIED_MODELS = (Level, NextStep, Domain, Indicator, Contact, GuidanceSection)


def _described(model, pk):
    """A row by what it holds, its own and its relations' keys replaced by the rows they are
    (recursively), so that two copies of one document compare equal whatever their ids."""
    if pk is None:
        return None
    if model is Authority:
        return "the draft"  # both drafts are compared as the draft of the same area
    row = model._base_manager.filter(pk=pk).values().get()
    return tuple(sorted(_column(model, name, value) for name, value in row.items() if name != "id"))


def _column(model, attname, value):
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return attname, _described(field.related_model, value) if field.is_relation else value


def _records(model, draft):
    """The history records of a draft's rows: each record's columns but its own key and date,
    the row's key and relations described."""
    records = records_for_authorities(model.history.all(), [draft.pk])
    described = []
    for record in records.values():
        row = record.pop("id")
        record.pop("history_id"), record.pop("history_date")
        for field in model.history.model.tracked_fields:
            if field.is_relation:
                record[field.attname] = _described(field.related_model, record[field.attname])
        described.append((_described(model, row), sorted(record.items(), key=repr)))
    return sorted(described, key=repr)


def _draft_as_written(draft):
    """Everything starting `draft` wrote: its row, its rows, the contacts' links, the history
    records of them all and the levels each contact's record carries."""
    links = Contact.levels.through
    written = {
        "authority": Authority.objects.filter(pk=draft.pk).values().get() | {"id": None},
        "links": sorted(
            (_described(Contact, c), _described(Level, lv))
            for c, lv in links.objects.filter(contact__authority=draft).values_list(
                "contact", "level"
            )
        ),
        "search entries": SearchEntry.objects.filter(authority=draft).count(),
    }
    for model in (Authority, *COPIED_MODELS):
        rows = model._base_manager.filter(**{model.authority_path: draft.pk})
        written[model.__name__] = sorted(
            (_described(model, pk) for pk in rows.values_list("pk", flat=True)), key=repr
        )
        written[f"{model.__name__} history"] = _records(model, draft)
    written["contact levels history"] = sorted(
        (
            _described(Contact, link.contact_id),
            _described(Level, link.level_id),
            links.objects.filter(pk=link.id, contact=link.contact_id, level=link.level_id).exists(),
            link.history.history_type,
        )
        for record in records_for_authorities(Contact.history.all(), [draft.pk])
        for link in record.levels.all()
    )
    return written


def _draft_loaded_from(document, published_authority):
    """What the loader writes loading the document into a new draft, as a draft started before
    copy_authority was; rolled back."""
    with transaction.atomic():
        Authority.objects.filter(draft_of=published_authority).delete()
        draft = Authority(draft_of=published_authority, slug=f"{document.slug}--draft")
        load_documents([document], reason="Draft started", into={document.slug: draft})
        written = _draft_as_written(draft)
        transaction.set_rollback(True)
    return written


@pytest.fixture
def untidy(write_fixture):
    from .test_loader import UNTIDY

    path = write_fixture(UNTIDY, "untidy.yaml")
    call_command("load_thresholds", str(path), stdout=StringIO())
    return path


def test_a_new_areas_draft_is_the_copy_loading_its_document_would_write(untidy):
    # load_thresholds copies a new area's rows into its draft in the database (copy_authority):
    # the same rows, columns, links and history records as loading the document into it.
    for path in [*site_document_paths(), untidy]:
        document = read_document(path)
        authority = published(document.slug)
        copied = _draft_as_written(authority.draft)
        assert copied == _draft_loaded_from(document, authority), path
        assert len(copied["Indicator history"]) == len(copied["Indicator"])
    assert copied["links"] and copied["contact levels history"]


def _leave_out_a_column(monkeypatch):
    """A copy that leaves the indicators' order at its default."""
    copy_rows = loader._copy_rows

    def without_order(model, keys, source, draft, *condition):
        copy_rows(model, keys, source, draft, *condition)
        if model is Indicator:
            Indicator.objects.filter(domain__authority=draft).update(order=0)

    monkeypatch.setattr(loader, "_copy_rows", without_order)


@pytest.mark.parametrize(
    "sabotage",
    [
        pytest.param(lambda mp: mp.setattr(loader, "COPIED", loader.COPIED[:-1]), id="no-sections"),
        pytest.param(
            lambda mp: mp.setattr(loader, "_record_levels_history", lambda *a: None),
            id="no-levels-history",
        ),
        pytest.param(
            lambda mp: mp.setattr(loader, "COPIED", (*loader.COPIED[:5], loader.COPIED[6])),
            id="no-links",
        ),
        pytest.param(
            lambda mp: mp.setattr(loader, "bump_versions", lambda ids: None), id="no-bump"
        ),
        pytest.param(lambda mp: _leave_out_a_column(mp), id="no-order-column"),
    ],
)
def test_the_comparison_of_drafts_notices_what_a_copy_leaves_out(monkeypatch, sabotage):
    northshire = published()
    document = read_document(site_document_paths()[0])
    expected = _draft_loaded_from(document, northshire)
    sabotage(monkeypatch)
    with transaction.atomic():
        Authority.objects.filter(draft_of=northshire).delete()
        draft = Authority(draft_of=northshire, slug="northshire--draft")
        loader.copy_authority(northshire, draft, "Draft started")
        assert _draft_as_written(draft) != expected
        transaction.set_rollback(True)


def _words(response):
    """The page's text without its tags (search marks the words it found)."""
    return re.sub(r"<[^>]+>", "", text(response))


def _count_and_texts(response):
    page = _words(response)
    count = re.search(r'id="result-count" role="status">(\d+) ', text(response)).group(1)
    return int(count), sorted(set(re.findall(r"Northshire [a-z ]*indicator \d\.\d", page)))


@pytest.mark.parametrize("words", ["parenting", "DV", "exploit*", '"family domestic"', "health 3"])
def test_the_draft_preview_finds_what_the_published_page_finds(client, lead, words):
    # Search entries are for what is published; the preview reads the draft's own indicators.
    query = f"?q={words}"
    published_page = client.get(f"/northshire/indicators/{query}")
    preview = lead.get(f"/northshire--draft/indicators/{query}")
    count, texts = _count_and_texts(published_page)
    assert count > 0 and _count_and_texts(preview) == (count, texts)


def test_the_draft_preview_finds_the_drafts_new_words_and_the_public_page_does_not(client, lead):
    indicator = Indicator.objects.filter(domain__authority=draft()).order_by("pk").first()
    indicator.text = "Witnessed domestic violence at home."
    indicator.save()
    for words in ("DV", "witness*", '"domestic violence"', "domestic abuse"):
        assert indicator.text in _words(lead.get(f"/northshire--draft/indicators/?q={words}"))
        assert indicator.text not in _words(client.get(f"/northshire/indicators/?q={words}"))
