"""The admin is safe to put in front of busy leads: no lost updates, fixed structure, large imports
kept on the server between preview and apply, and no public page broken by any allowed edit.

Forms are read from the pages as a browser would submit them (see `page_form`), so the tests go
through exactly what a lead sees, hidden fields included.
"""

import html
import time
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO

import pytest
import yaml
from django.conf import global_settings
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guidance.editions import publish
from guidance.loader import MAX_DOCUMENT_BYTES, export_authority
from guidance.models import (
    Authority,
    Contact,
    Domain,
    GuidanceSection,
    ImportPreview,
    Indicator,
    Level,
    NextStep,
)

from .helpers import snapshot

pytestmark = pytest.mark.django_db

# Leads edit the drafts in admin (create_lead takes the public slug and sets the role on the
# draft); the published authorities change only by publishing.
NORTHSHIRE = "northshire--draft"
SOUTHVALE = "southvale--draft"


# --- Helpers: users, pages and forms as a browser submits them ----------------------------------


def lead(email, *slugs):
    args = [arg for slug in slugs for arg in ("--authority", slug)]
    call_command("create_lead", email, *args, stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username=email.lower()))
    return client


@pytest.fixture
def first():
    return lead("lead@northshire.example", "northshire")


@pytest.fixture
def second():
    return lead("second@northshire.example", "northshire")


@pytest.fixture
def admin_client_():
    client = Client()
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    return client


def url(model, view, *args):
    return reverse(f"admin:guidance_{model._meta.model_name}_{view}", args=args)


class _Forms(HTMLParser):
    """Every form of a page with the values a browser would submit (without pressing a button)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.textarea, self.select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {"id": a.get("id"), "fields": [], "buttons": []}
            self.forms.append(self.form)
        elif self.form is None or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind == "submit":
                self.form["buttons"].append(a.get("name"))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form["fields"].append((a["name"], a.get("value", "on")))
            elif kind != "file" and a.get("name"):
                self.form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
        elif tag == "select":
            self.select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the newline that Django writes right after <textarea>.
            self.form["fields"].append((name, text.removeprefix("\r\n").removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.select["options"] if selected]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                chosen = [self.select["options"][0][0]]
            self.form["fields"].extend((self.select["name"], value) for value in chosen)
            self.select = None


def page_form(response, form_id=None, button=None):
    """The data a browser submits from the page's form with that id or that button."""
    reader = _Forms()
    reader.feed(response.content.decode())
    for form in reader.forms:
        if (form_id and form["id"] == form_id) or (button and button in form["buttons"]):
            data = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            if button:
                data[button] = ["pressed"]
            return data
    raise AssertionError(f"no form {form_id or button} on the page")


def open_change_form(client, obj):
    response = client.get(url(type(obj), "change", obj.pk))
    assert response.status_code == 200
    return page_form(response, f"{obj._meta.model_name}_form")


def text_of(response):
    return html.unescape(response.content.decode())


def refusal(response):
    """The stale-page message shown on a refused save, or None if the save went through."""
    if response.status_code == 302:
        return None
    assert response.status_code == 200
    page = text_of(response)
    assert "after you opened this page" in page, "the form was refused for another reason"
    return page


def inline_row(data, obj):
    """The prefix of an inline row's fields on a page, e.g. 'indicators-3'."""
    return next(k for k, v in data.items() if k.endswith("-id") and v == [str(obj.pk)])[:-3]


def northshire_domain(name):
    """A domain of Northshire's draft. "Child's Development" groups Health and Education and has no
    indicators of its own; the others are top-level domains with indicators."""
    return Domain.objects.get(authority__slug=NORTHSHIRE, name=name)


# --- 1. Import: the upload waits on the server between preview and apply -------------------------


def import_url(authority):
    return reverse("admin:guidance_authority_import", args=[authority.pk])


def preview(client, authority, text, name="northshire.yaml"):
    response = client.post(import_url(authority), {"file": SimpleUploadedFile(name, text.encode())})
    assert response.status_code == 200
    return response


def northshire_with_long_notes(size):
    """Northshire's guidance with a long transcription note on every indicator: about `size`
    bytes."""
    data = yaml.safe_load(export_authority(Authority.objects.get(slug=NORTHSHIRE)))
    count = sum(len(items) for d in data["domains"] for items in d.get("indicators", {}).values())
    sentence = "Checked against the printed document, page by page. "
    note = (sentence * (size // count // len(sentence))).strip()
    for domain in data["domains"]:
        for items in domain.get("indicators", {}).values():
            for i, item in enumerate(items):
                text = item if isinstance(item, str) else item["text"]
                items[i] = {**({} if isinstance(item, str) else item), "text": text, "note": note}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**9), note


def test_a_900_kb_file_previews_then_applies_posting_only_the_previews_id(first, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == global_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    text, note = northshire_with_long_notes(900_000)
    size = len(text.encode())
    assert 850_000 < size < MAX_DOCUMENT_BYTES
    before = snapshot()

    started = time.monotonic()
    page = preview(first, northshire, text)
    previewed = time.monotonic() - started
    assert "to change" in text_of(page)
    assert snapshot() == before
    apply = page_form(page, button="apply")
    assert set(apply) == {"csrfmiddlewaretoken", "preview", "apply"}  # not the file's text
    assert sum(len(v) for values in apply.values() for v in values) < 200

    started = time.monotonic()
    response = first.post(import_url(northshire), apply)
    applied = time.monotonic() - started
    assert response.status_code == 302
    assert not Indicator.objects.filter(domain__authority=northshire).exclude(note=note).exists()
    assert not ImportPreview.objects.exists()  # applied: nothing left behind
    print(f"\n{size} bytes: preview {previewed:.1f}s, apply {applied:.1f}s")


def edited_northshire():
    text = export_authority(Authority.objects.get(slug=NORTHSHIRE))
    edited = text.replace(
        "- Northshire health indicator 1.1\n", "- Northshire health indicator 1.1, thriving\n", 1
    )
    assert edited != text
    return edited


def refused_apply(client, authority, data):
    """Posts Apply; returns the error message shown on the page it leads back to."""
    response = client.post(import_url(authority), data, follow=True)
    assert response.redirect_chain[-1][0] == import_url(authority)
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 1
    assert errors[0] in text_of(response)
    assert "Nothing was imported" in errors[0]
    return errors[0]


def test_apply_is_refused_when_the_authority_changed_since_the_preview(first, second):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    apply = page_form(preview(first, northshire, edited_northshire()), button="apply")
    # Meanwhile another lead saves a change to one of Northshire's indicators.
    indicator = Indicator.objects.filter(domain__authority=northshire).first()
    data = open_change_form(second, indicator)
    data["text"] = ["Changed meanwhile"]
    assert second.post(url(Indicator, "change", indicator.pk), data).status_code == 302
    after_the_other_save = snapshot()

    message = refused_apply(first, northshire, apply)
    assert "Northshire's guidance has changed since the preview of northshire.yaml" in message
    assert "Upload the file again to see a fresh preview" in message
    assert snapshot() == after_the_other_save


def test_apply_is_refused_for_a_preview_of_another_lead_or_authority_or_too_old(first, second):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    southvale = Authority.objects.get(slug=SOUTHVALE)
    both = lead("both@example.org", "northshire", "southvale")
    apply = page_form(preview(first, northshire, edited_northshire()), button="apply")
    southvale_apply = page_form(
        preview(both, southvale, export_authority(southvale).replace("Southvale", "Southvale!", 1)),
        button="apply",
    )
    before = snapshot()

    for client, authority, data in (
        (second, northshire, apply),  # another lead's preview
        (both, northshire, southvale_apply),  # a preview of another authority
        (first, northshire, {**apply, "preview": ["999999"]}),  # no such preview
        (first, northshire, {**apply, "preview": ["x"]}),
        (
            first,
            northshire,
            {"yaml_text": edited_northshire(), "file_name": "northshire.yaml", "apply": "Apply"},
        ),
    ):
        message = refused_apply(client, authority, data)
        assert "that preview is no longer available" in message
    ImportPreview.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert "no longer available" in refused_apply(first, northshire, apply)
    assert snapshot() == before


def test_a_new_preview_replaces_the_leads_older_one(first, second):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    preview(first, northshire, edited_northshire())
    preview(second, northshire, edited_northshire())
    apply = page_form(preview(first, northshire, edited_northshire()), button="apply")
    assert ImportPreview.objects.filter(user__username="lead@northshire.example").count() == 1
    assert ImportPreview.objects.count() == 2  # the other lead's preview is theirs to keep
    assert first.post(import_url(northshire), apply).status_code == 302
    assert ImportPreview.objects.filter(user__username="lead@northshire.example").count() == 0


def test_a_file_over_the_loaders_limit_is_refused_at_upload(first):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    text = export_authority(northshire) + "#" * MAX_DOCUMENT_BYTES
    before = snapshot()
    page = text_of(preview(first, northshire, text))
    assert f"the file is larger than {MAX_DOCUMENT_BYTES // 1024} KB" in page
    assert not ImportPreview.objects.exists()
    assert snapshot() == before


# --- 2. No lost updates: a save from a stale page is refused -------------------------------------


def test_second_of_two_leads_saving_one_indicator_is_refused_naming_the_first(first, second):
    indicator = Indicator.objects.filter(domain__authority__slug=NORTHSHIRE).first()
    page_of_first = open_change_form(first, indicator)
    page_of_second = open_change_form(second, indicator)
    change = url(Indicator, "change", indicator.pk)

    page_of_first["text"] = ["The first lead's words"]
    assert first.post(change, page_of_first).status_code == 302

    page_of_second["text"] = ["The second lead's words"]
    response = second.post(change, page_of_second)
    page = refusal(response)
    changed = indicator.history.latest("history_id").history_date
    when = timezone.localtime(changed).strftime("%-d %b %Y at %H:%M")
    assert f"This indicator was changed by lead@northshire.example on {when}" in page
    assert "The second lead's words" in page  # their input is kept to merge
    assert Indicator.objects.get(pk=indicator.pk).text == "The first lead's words"

    # Having compared, saving again from the refused page deliberately keeps their words.
    assert refusal(second.post(change, page_form(response, "indicator_form"))) is None
    assert Indicator.objects.get(pk=indicator.pk).text == "The second lead's words"
    users = [r.history_user.username for r in indicator.history.order_by("-history_id")[:2]]
    assert users == [
        "second@northshire.example",
        "lead@northshire.example",
    ]  # history stays complete


def test_the_domain_page_lists_its_indicators_without_editing_them(first):
    # Issue 16: a compact read-only list with change links, not an editable row per indicator.
    domain = northshire_domain("Health")
    indicator = domain.indicators.order_by("level__number", "order").first()
    response = first.get(url(Domain, "change", domain.pk))
    data = page_form(response, "domain_form")
    assert not any(name.endswith("-text") for name in data)
    assert url(Indicator, "change", indicator.pk) in response.content.decode()
    at_level = first.get(url(Domain, "change", domain.pk), {"level": 2}).context
    assert {i["indicator"].level.number for i in at_level["domain_indicators"]} == {2}


def test_an_indicator_changed_elsewhere_is_not_overwritten_by_a_domain_save(first, second):
    # The second lead edits only the domain: the domain page carries no indicator text.
    domain = northshire_domain("Health")
    indicator = domain.indicators.order_by("level__number", "order").first()
    page_of_second = open_change_form(second, domain)
    data = open_change_form(first, indicator)
    data["text"] = ["Edited on the indicator's own page"]
    assert first.post(url(Indicator, "change", indicator.pk), data).status_code == 302
    page_of_second["name"] = ["Renamed"]
    assert refusal(second.post(url(Domain, "change", domain.pk), page_of_second)) is None
    assert Indicator.objects.get(pk=indicator.pk).text == "Edited on the indicator's own page"
    assert Domain.objects.get(pk=domain.pk).name == "Renamed"


def test_a_stale_inline_next_step_on_the_level_page_is_refused(first, second):
    level = Level.objects.get(authority__slug=NORTHSHIRE, number=3)
    step = level.next_steps.order_by("order", "id").first()
    page_of_first = open_change_form(first, level)
    page_of_second = open_change_form(second, level)
    change = url(Level, "change", level.pk)
    row = inline_row(page_of_first, step)

    page_of_first[f"{row}-text"] = ["Call the first lead's team"]
    assert first.post(change, page_of_first).status_code == 302
    page_of_second[f"{row}-text"] = ["Call the second lead's team"]
    before = snapshot()
    response = second.post(change, page_of_second)
    assert "This next step was changed by lead@northshire.example" in refusal(response)
    assert "Call the second lead's team" in text_of(response)
    assert snapshot() == before


def test_a_change_by_load_thresholds_is_named(first, tmp_path):
    indicator = Indicator.objects.filter(domain__authority__slug=NORTHSHIRE).first()
    data = open_change_form(first, indicator)
    edited = tmp_path / "northshire.yaml"
    edited.write_text(
        export_authority(indicator.domain.authority).replace(indicator.text, "Reloaded", 1)
    )
    call_command("load_thresholds", str(edited), stdout=StringIO())
    data["note"] = ["My note"]
    page = refusal(first.post(url(Indicator, "change", indicator.pk), data))
    assert "This indicator was changed by load_thresholds on" in page
    assert Indicator.objects.get(pk=indicator.pk).text == "Reloaded"


ONE_ROW = {
    Authority: lambda: Authority.objects.get(slug=NORTHSHIRE),  # with its levels inline
    Level: lambda: Level.objects.get(
        authority__slug=NORTHSHIRE, number=2
    ),  # with next steps inline
    NextStep: lambda: NextStep.objects.filter(level__authority__slug=NORTHSHIRE).first(),
    Domain: lambda: Domain.objects.get(authority__slug=NORTHSHIRE, name="Health"),  # indicators
    Indicator: lambda: Indicator.objects.filter(domain__authority__slug=NORTHSHIRE).first(),
    Contact: lambda: Contact.objects.filter(
        authority__slug=NORTHSHIRE, levels__isnull=False
    ).first(),
    GuidanceSection: lambda: GuidanceSection.objects.filter(authority__slug=NORTHSHIRE).first(),
}


@pytest.mark.parametrize("model", ONE_ROW)
def test_every_change_form_saves_when_nothing_changed_meanwhile(first, model):
    obj = ONE_ROW[model]()
    data = open_change_form(first, obj)
    assert "seen_version" in data
    assert refusal(first.post(url(model, "change", obj.pk), data)) is None
    # ... and again from a page opened after that save.
    data = open_change_form(first, obj)
    assert refusal(first.post(url(model, "change", obj.pk), data)) is None


@pytest.mark.parametrize("model", ONE_ROW)
def test_every_change_form_refuses_a_save_from_a_stale_page(first, model):
    obj = ONE_ROW[model]()
    data = open_change_form(first, obj)
    obj._change_reason = "a script"
    obj.save()
    before = snapshot()
    page = refusal(first.post(url(model, "change", obj.pk), data))
    assert f"This {model._meta.verbose_name} was changed by a script on" in page
    assert snapshot() == before


def test_the_add_form_is_unaffected(first):
    response = first.get(url(Indicator, "add"))
    assert 'name="seen_version"' not in response.content.decode()
    domain = Domain.objects.filter(authority__slug=NORTHSHIRE).first()
    level = Level.objects.get(authority__slug=NORTHSHIRE, number=1)
    response = first.post(
        url(Indicator, "add"),
        {"domain": domain.pk, "level": level.pk, "text": "A new indicator", "order": 0},
    )
    assert response.status_code == 302
    assert Indicator.objects.filter(text="A new indicator", domain=domain).exists()


def test_reverting_to_an_earlier_version_works_and_is_checked_like_a_save(first, second):
    indicator = Indicator.objects.filter(domain__authority__slug=NORTHSHIRE).first()
    original = indicator.text
    data = open_change_form(first, indicator)
    data["text"] = ["Edited"]
    first.post(url(Indicator, "change", indicator.pk), data)
    earlier = indicator.history.order_by("-history_id")[1]
    revert = url(Indicator, "simple_history", indicator.pk, earlier.history_id)

    # Someone saves while the revert page is open: the revert is refused, then made deliberately.
    response = first.get(revert)
    assert response.status_code == 200
    revert_page = page_form(response, "historicalindicator_form")
    data = open_change_form(second, indicator)
    data["text"] = ["Edited again"]
    second.post(url(Indicator, "change", indicator.pk), data)
    response = first.post(revert, revert_page)
    assert "changed by second@northshire.example" in refusal(response)
    assert Indicator.objects.get(pk=indicator.pk).text == "Edited again"
    assert refusal(first.post(revert, page_form(response, "historicalindicator_form"))) is None
    assert Indicator.objects.get(pk=indicator.pk).text == original

    # With nothing in between, a revert simply goes through.
    earlier = indicator.history.order_by("-history_id")[1]
    revert = url(Indicator, "simple_history", indicator.pk, earlier.history_id)
    response = first.post(revert, page_form(first.get(revert), "historicalindicator_form"))
    assert refusal(response) is None
    assert Indicator.objects.get(pk=indicator.pk).text == "Edited again"


def test_a_bad_version_address_is_not_found(first):
    indicator = Indicator.objects.filter(domain__authority__slug=NORTHSHIRE).first()
    assert first.get(f"/admin/guidance/indicator/{indicator.pk}/history/x/").status_code == 404
    assert first.get("/admin/guidance/indicator/x/history/1/").status_code == 404


# --- 3. Structure: four levels each; authorities come from their files ---------------------------


def bulk_delete(client, model, pks):
    return client.post(
        url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": pks, "select_across": "1", "post": "yes"},
    )


def actions(client, model):
    response = client.get(url(model, "changelist"))
    form = response.context["action_form"]
    return {name for name, _ in form.fields["action"].choices} if form else set()


@pytest.mark.parametrize("who", ["lead", "superuser"])
def test_nobody_adds_or_deletes_a_level(first, admin_client_, who):
    client = first if who == "lead" else admin_client_
    level = Level.objects.get(authority__slug=NORTHSHIRE, number=4)
    before = snapshot()
    assert client.get(url(Level, "add")).status_code == 403
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    added = {"authority": northshire.pk, "number": 4, "name": "Fifth", "summary": "x"}
    assert client.post(url(Level, "add"), added).status_code == 403
    assert client.get(url(Level, "delete", level.pk)).status_code == 403
    assert client.post(url(Level, "delete", level.pk), {"post": "yes"}).status_code == 403
    assert "delete_selected" not in actions(client, Level)
    bulk_delete(client, Level, list(Level.objects.values_list("pk", flat=True)))
    assert (
        'href="/admin/guidance/level/add/"'
        not in client.get(url(Level, "changelist")).content.decode()
    )
    assert client.get(url(Level, "deleted")).status_code == 403
    assert snapshot() == before


def test_a_crafted_extra_level_on_the_authority_page_is_ignored(admin_client_):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    data = open_change_form(admin_client_, northshire)
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS"))[: -len("-TOTAL_FORMS")]
    data[f"{prefix}-TOTAL_FORMS"] = ["5"]
    data[f"{prefix}-4-name"] = ["A fifth level"]
    data[f"{prefix}-4-summary"] = ["Planted"]
    data[f"{prefix}-4-authority"] = [str(northshire.pk)]
    admin_client_.post(url(Authority, "change", northshire.pk), data)
    assert sorted(northshire.levels.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert not Level.objects.filter(name="A fifth level").exists()


def test_leads_cannot_add_or_delete_authorities_even_in_bulk(first):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    before = snapshot()
    assert first.get(url(Authority, "add")).status_code == 403
    assert first.post(url(Authority, "add"), {"name": "New", "slug": "new"}).status_code == 403
    assert first.post(url(Authority, "delete", northshire.pk), {"post": "yes"}).status_code == 403
    assert "delete_selected" not in actions(first, Authority)
    bulk_delete(first, Authority, [northshire.pk])
    assert snapshot() == before


def test_superusers_add_authorities_from_files_and_may_delete_one(admin_client_):
    before = snapshot()
    assert admin_client_.get(url(Authority, "add")).status_code == 403
    assert admin_client_.post(url(Authority, "add"), {"name": "N", "slug": "n"}).status_code == 403
    assert snapshot() == before
    listing = text_of(admin_client_.get(url(Authority, "changelist")))
    assert "manage.py load_thresholds FILE" in listing
    assert 'href="/admin/guidance/authority/add/"' not in listing
    # Restoring a deleted authority would be adding one without its levels.
    assert admin_client_.get(url(Authority, "deleted")).status_code == 403

    # The admin shows the draft: deleting it deletes the area, its published guidance too (an
    # area left published without a draft could no longer be edited or published).
    southvale = Authority.objects.get(slug=SOUTHVALE)
    published = Authority.objects.get(slug="southvale")
    assert (
        admin_client_.post(url(Authority, "delete", published.pk), {"post": "yes"}).status_code
        == 403
    )
    assert (
        admin_client_.post(url(Authority, "delete", southvale.pk), {"post": "yes"}).status_code
        == 302
    )
    assert not Authority.objects.filter(slug=SOUTHVALE).exists()
    assert not Level.objects.filter(authority_id=southvale.pk).exists()
    level = Level.history.filter(authority_id=southvale.pk, history_type="-").first()
    restore = url(Level, "simple_history", level.id, level.history_id)
    assert admin_client_.get(restore).status_code == 403  # nor its levels, one by one
    assert not Authority.objects.filter(slug="southvale").exists()
    assert Client().get("/southvale/").status_code == 404


# --- 4. No allowed edit breaks a public page (nor the draft's preview) ---------------------------


def pages_of_northshire(client, slug="northshire"):
    """Every page of Northshire's published guidance, or with the draft's slug, of its preview
    (which only its leads see; the site-wide pages and the API show published guidance only)."""
    pages = [
        f"/{slug}/",
        *(f"/{slug}/level/{n}/" for n in (1, 2, 3, 4)),
        f"/{slug}/indicators/",
        f"/{slug}/indicators/?level=1",
        f"/{slug}/table/",
        f"/{slug}/present/",
    ]
    if slug == "northshire":
        pages += [
            "/",
            "/compare/?authority=northshire&authority=southvale",
            "/compare/next-steps/?authority=northshire&authority=southvale&level=4",
            "/api/v1/authorities/northshire",
            "/api/v1/indicators?authority=northshire",
        ]
    deck = client.get(f"/{slug}/present/")
    assert deck.status_code == 200
    pages += [f"/{slug}/present/{n}/" for n in range(1, deck.context["count"] + 1)]
    pages += [
        f"/{slug}/guidance/{s.slug}/" for s in GuidanceSection.objects.filter(authority__slug=slug)
    ]
    pages += [
        f"/{slug}/indicators/{pk}/"
        for pk in Indicator.objects.filter(domain__authority__slug=slug).values_list(
            "pk", flat=True
        )[:5]
    ]
    return pages


def assert_no_page_fails(client, slug="northshire"):
    # Every page of Northshire is still there; the test client would raise an error (500) here.
    statuses = {page: client.get(page).status_code for page in pages_of_northshire(client, slug)}
    assert {page: s for page, s in statuses.items() if s != 200} == {}


def publish_northshire():
    """Publish the draft as an administrator's command would; the published guidance is then
    the draft's."""
    published = Authority.objects.published().get(slug="northshire")
    publish(published, "Changed through the admin.")
    assert export_authority(published) == export_authority(published.draft)


def assert_no_preview_or_public_page_fails(lead_client):
    """The lead's preview of the draft, then the public pages once the draft is published."""
    assert_no_page_fails(lead_client, NORTHSHIRE)
    publish_northshire()
    assert_no_page_fails(Client())
    assert_no_page_fails(lead_client, NORTHSHIRE)


def delete_all_through_admin(client, model):
    northshire = Authority.objects.filter(slug=NORTHSHIRE)
    others = sorted(
        model.objects.exclude(pk__in=model.objects.for_authorities(northshire)).values_list()
    )
    assert others and model.objects.for_authorities(northshire).exists()
    pks = list(model.objects.values_list("pk", flat=True))  # every authority's: the lead may
    response = bulk_delete(client, model, pks)  # delete only Northshire's
    assert response.status_code == 302
    assert not model.objects.for_authorities(northshire).exists()
    assert sorted(model.objects.values_list()) == others


def edit_through_admin(client, obj, **changes):
    data = open_change_form(client, obj)
    data.update({name: [str(value)] for name, value in changes.items()})
    response = client.post(url(type(obj), "change", obj.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def northshire_domains():
    return list(Domain.objects.filter(authority__slug=NORTHSHIRE).order_by("order", "id"))


def test_a_domain_with_indicators_keeps_a_theme_and_contacts_keep_real_numbers(first):
    """What the loader would refuse on publishing is refused when saving, so a draft can always
    be published."""
    before = snapshot()
    health = northshire_domain("Health")
    data = open_change_form(first, health)
    data["theme"] = [""]
    response = first.post(url(Domain, "change", health.pk), data)
    assert "A domain with indicators needs a theme" in text_of(response)
    contact = Contact.objects.filter(authority__slug=NORTHSHIRE).first()
    data = open_change_form(first, contact)
    data["phones"] = ["01234 567890\nring the office"]
    data["emails"] = ["not an address"]
    response = first.post(url(Contact, "change", contact.pk), data)
    page = text_of(response)
    assert "Line 2 (ring the office): Enter a phone number as printed" in page
    assert "Line 1 (not an address)" in page
    assert snapshot() == before


def nested(client):
    # A domain with indicators of its own comes to group another.
    parent, child = (
        northshire_domain("Parenting Capacity"),
        northshire_domain("Family and Environment"),
    )
    assert parent.indicators.exists() and child.parent is None
    edit_through_admin(client, child, parent=parent.pk)


def moved(client):
    # From a grouped domain to a top-level one.
    source, target = northshire_domain("Health"), northshire_domain("Risks Outside the Home")
    for indicator in Indicator.objects.filter(domain=source)[:3]:
        edit_through_admin(client, indicator, domain=target.pk)
    assert Indicator.objects.filter(domain=target).count() == 6


def theme_of_another_kind_everywhere(client):
    for domain in northshire_domains():
        edit_through_admin(client, domain, theme="outside-home")


def bare_contacts(client):
    # Only a name: no numbers, addresses or levels; one of them marked as the emergency route.
    for contact in Contact.objects.filter(authority__slug=NORTHSHIRE):
        data = open_change_form(client, contact)
        for field in ("phones", "emails", "url", "hours", "covers", "notes"):
            data[field] = [""]
        data.pop("levels", None)
        data["emergency"] = ["on"]
        response = client.post(url(Contact, "change", contact.pk), data)
        assert response.status_code == 302


SCENARIOS = {
    "every indicator deleted": lambda client: delete_all_through_admin(client, Indicator),
    "every domain deleted": lambda client: delete_all_through_admin(client, Domain),
    "every contact deleted": lambda client: delete_all_through_admin(client, Contact),
    "every section deleted": lambda client: delete_all_through_admin(client, GuidanceSection),
    "every next step deleted": lambda client: delete_all_through_admin(client, NextStep),
    "nested domains": nested,
    "indicators moved to another domain": moved,
    "one theme for every domain": theme_of_another_kind_everywhere,
    "contacts with only a name": bare_contacts,
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_public_page_fails_after_what_a_lead_may_do(first, scenario):
    SCENARIOS[scenario](first)
    assert_no_preview_or_public_page_fails(first)


def test_domains_group_one_deep_only(first):
    # Pages, filters and the YAML format know one level of grouping; deeper is refused.
    group, member = northshire_domain("Child's Development"), northshire_domain("Health")
    top = northshire_domain("Parenting Capacity")
    assert member.parent == group and group.parent is None and top.parent is None
    before = snapshot()
    for child, parent, message in (
        (top, member, "is itself in a group"),
        (group, member, "is itself in a group"),  # a circle
        (group, top, "groups other domains, so it cannot go in a group itself"),
        (group, group, "A domain cannot be its own parent"),
    ):
        data = open_change_form(first, child)
        data["parent"] = [str(parent.pk)]
        response = first.post(url(Domain, "change", child.pk), data)
        assert response.status_code == 200
        assert message in text_of(response)
    assert snapshot() == before
    assert_no_page_fails(Client())
    assert_no_page_fails(first, NORTHSHIRE)


def test_no_public_page_fails_with_everything_deleted(first):
    for model in (Indicator, Domain, Contact, GuidanceSection, NextStep):
        delete_all_through_admin(first, model)
    assert not Indicator.objects.filter(domain__authority__slug=NORTHSHIRE).exists()
    assert Indicator.objects.filter(domain__authority__slug="northshire").exists()
    assert_no_preview_or_public_page_fails(first)
    assert not Indicator.objects.filter(domain__authority__slug="northshire").exists()


def test_the_domain_page_reads_history_once_however_many_indicators(first):
    domain = northshire_domain("Health")
    level = Level.objects.get(authority__slug=NORTHSHIRE, number=1)

    def history_queries():
        with CaptureQueriesContext(connection) as queries:
            assert first.get(url(Domain, "change", domain.pk)).status_code == 200
        return [q for q in queries if "historical" in q["sql"]]

    few = history_queries()
    for n in range(30):
        Indicator.objects.create(domain=domain, level=level, text=f"More {n}")
    # The domain's own: its indicators are listed read-only, with links (issue 16).
    assert len(history_queries()) == len(few) == 1


def test_a_save_locks_the_rows_it_checks_until_it_commits(first):
    # Two saves at the same moment: the second waits, then sees the first's change and is refused.
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks (production runs PostgreSQL)")
    level = Level.objects.get(authority__slug=NORTHSHIRE, number=3)
    data = open_change_form(first, level)
    with CaptureQueriesContext(connection) as queries:
        assert first.post(url(Level, "change", level.pk), data).status_code == 302
    locks = [q["sql"] for q in queries if "FOR NO KEY UPDATE" in q["sql"]]
    assert len(locks) == 2  # the level, then its next steps together
