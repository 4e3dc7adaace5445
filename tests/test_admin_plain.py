"""Issue 16: the leads' admin in plain language. Their area first, readable history with undo,
order that makes sense, forms of a sensible size, and the way from the draft pages to the editor.

Through the admin as a lead would use it (the test client), with the scoping checks repeated for
every new view and link: a lead never sees or reaches another area's rows.
"""

import html
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guidance.admin import cut_words, ordinal, reason_in_words
from guidance.loader import export_authority
from guidance.models import Authority, Contact, Domain, GuidanceSection, Indicator, Level

from .helpers import snapshot
from .test_admin_safety import open_change_form, page_form, url

pytestmark = pytest.mark.django_db

NORTHSHIRE = "northshire--draft"
SOUTHVALE = "southvale--draft"


def lead(email="lead@northshire.example", *slugs):
    args = [arg for slug in slugs or ("northshire",) for arg in ("--authority", slug)]
    call_command("create_lead", email, *args, stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username=email))
    return client


@pytest.fixture
def first():
    return lead()


@pytest.fixture
def second():
    return lead("second@northshire.example")


def text(response):
    return html.unescape(response.content.decode())


def draft(slug=NORTHSHIRE):
    return Authority.objects.get(slug=slug)


def an_indicator(slug=NORTHSHIRE, **filters):
    return Indicator.objects.filter(domain__authority__slug=slug, **filters).order_by("pk").first()


def save(client, obj, button="_save", **changes):
    data = open_change_form(client, obj)
    data.update({name: [str(value)] for name, value in changes.items()})
    data[button] = ["pressed"]
    return client.post(url(type(obj), "change", obj.pk), data)


# --- 1. A home for the lead's area ----------------------------------------------------------------


def test_the_home_names_the_leads_area_with_links_by_task(first):
    response = first.get(reverse("admin:index"))
    page = text(response)
    assert "Your area: Northshire" in page
    assert "Southvale" not in page
    northshire = draft()
    for address in (
        reverse("admin:guidance_authority_publish", args=[northshire.pk]),
        reverse("admin:guidance_authority_editions", args=[northshire.pk]),
        reverse("admin:guidance_authority_recent", args=[northshire.pk]),
        reverse("admin:guidance_authority_yaml", args=[northshire.pk]),
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        reverse("admin:guidance_indicator_deleted"),
        "/northshire/",
        "/northshire--draft/",
    ):
        assert f'href="{address}"' in response.content.decode(), address
    assert "Changes waiting to be published (0)" in page
    assert "Level 1 " in page and "Contacts" in page and "Guidance sections" in page
    # Every task link opens, and shows only Northshire's rows.
    links = re.findall(r'href="(/admin/guidance/[^"]+)"', response.content.decode())
    for link in links:
        assert first.get(html.unescape(link)).status_code == 200, link
    contacts = first.get(f"{url(Contact, 'changelist')}?authority__id__exact={northshire.pk}")
    assert {c.authority_id for c in contacts.context["cl"].result_list} == {northshire.pk}
    # No "Recent actions" of Django's, nor the list of every kind alphabetically.
    assert "Recent actions" not in page
    assert "Historical" not in page


def test_the_home_counts_the_changes_waiting(first):
    contact = Contact.objects.filter(authority__slug=NORTHSHIRE, phones__len__gt=0).first() or (
        Contact.objects.filter(authority__slug=NORTHSHIRE).first()
    )
    assert save(first, contact, phones="01234 999999").status_code == 302
    assert "Changes waiting to be published (1)" in text(first.get(reverse("admin:index")))


def test_a_lead_of_two_areas_sees_both_and_a_superuser_the_usual_index():
    both = lead("both@example.org", "northshire", "southvale")
    page = text(both.get(reverse("admin:index")))
    assert "Your area: Northshire" in page and "Your area: Southvale" in page
    admin = Client()
    admin.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    page = text(admin.get(reverse("admin:index")))
    assert "Your area" not in page
    assert "Recent actions" in page


def test_leads_are_offered_no_action_they_cannot_take(first):
    level = Level.objects.get(authority__slug=NORTHSHIRE, number=2)
    for address in (
        reverse("admin:index"),
        url(Level, "changelist"),
        url(Authority, "changelist"),
        url(Level, "change", level.pk),
        url(Authority, "change", draft().pk),
    ):
        page = first.get(address).content.decode()
        for model in (Level, Authority):
            assert url(model, "add") not in page, address
        assert url(Level, "delete", level.pk) not in page
        assert url(Authority, "delete", draft().pk) not in page
    for obj in (an_indicator(), Contact.objects.filter(authority__slug=NORTHSHIRE).first()):
        response = first.get(url(type(obj), "change", obj.pk))
        page = response.content.decode()
        assert "related-widget-wrapper-link" not in page, type(obj)
        form = response.context["adminform"].form
        for field in form.fields.values():
            for flag in ("can_add_related", "can_change_related", "can_view_related"):
                assert not getattr(field.widget, flag, False)
            assert not getattr(field.widget, "can_delete_related", False)


def test_the_login_asks_for_an_email():
    page = text(Client().get(reverse("admin:login")))
    label = re.search(r'<label[^>]*for="id_username"[^>]*>(.*?)</label>', page)[1]
    assert re.sub(r'<span class="visually-hidden">.*?</span>', "", label) in ("Email", "Email:")
    assert "Username" not in page


# --- 2. Plain words ------------------------------------------------------------------------------


JARGON = ["Slug", "Object", "Historical", "Revert", "schema", "Hold down", "Source file"]


def test_no_jargon_on_the_pages_a_lead_reads(first):
    contact = Contact.objects.filter(authority__slug=NORTHSHIRE).first()
    indicator = an_indicator()
    assert save(first, indicator, text="Changed words").status_code == 302
    section = GuidanceSection.objects.filter(authority__slug=NORTHSHIRE).first()
    earlier = indicator.history.order_by("-history_id")[1]
    pages = [
        reverse("admin:index"),
        url(Authority, "change", draft().pk),
        url(Contact, "change", contact.pk),
        url(Indicator, "change", indicator.pk),
        url(Indicator, "history", indicator.pk),
        url(Indicator, "simple_history", indicator.pk, earlier.history_id),
        url(GuidanceSection, "change", section.pk),
        url(Domain, "change", indicator.domain_id),
        reverse("admin:guidance_authority_recent", args=[draft().pk]),
        reverse("admin:guidance_authority_import", args=[draft().pk]),
        url(Indicator, "delete", indicator.pk),
        url(Indicator, "deleted"),
        url(Contact, "changelist"),
    ]
    for address in pages:
        page = text(first.get(address))
        shown = re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1])
        for word in JARGON:
            assert word not in shown, (address, word)


def test_every_field_a_lead_edits_has_help_in_plain_words(first):
    contact = Contact.objects.filter(authority__slug=NORTHSHIRE).first()
    form = first.get(url(Contact, "change", contact.pk)).context["adminform"].form
    assert form.fields["levels"].help_text == "Levels: this contact is shown on these level pages."
    assert form.fields["notes"].help_text == "Notes: for editors only, never shown to the public."
    for model, obj in (
        (Contact, contact),
        (Indicator, an_indicator()),
        (GuidanceSection, GuidanceSection.objects.filter(authority__slug=NORTHSHIRE).first()),
        (Domain, Domain.objects.filter(authority__slug=NORTHSHIRE).first()),
    ):
        form = first.get(url(model, "change", obj.pk)).context["adminform"].form
        missing = [n for n, f in form.fields.items() if n != "seen_version" and not f.help_text]
        assert missing == [], model
    note = an_indicator()
    form = first.get(url(Indicator, "change", note.pk)).context["adminform"].form
    assert form.fields["note"].help_text == "Note: for editors only, never shown to the public."


def test_messages_and_titles_are_cut_at_whole_words(first):
    indicator = an_indicator()
    words = "I have been permanently excluded from school and my family (UX Team) cannot cope " * 2
    response = save(first, indicator, text=words)
    assert response.status_code == 302
    page = text(first.get(response.url))
    message = re.search(r'<ul class="messagelist">(.*?)</ul>', page, re.S)[1]
    assert "(UX T" not in message.replace("(UX Team)", "")
    assert "…" in message
    title = text(first.get(url(Indicator, "change", indicator.pk))).split("<title>")[1]
    title = title.split("</title>")[0]
    assert title.startswith(cut_words(words))
    assert re.search(r"\w…", cut_words(words)) is None or cut_words(words).endswith("…")
    assert cut_words("one two three", 7) == "one two…"


def test_import_errors_are_in_the_leads_words_with_the_line(first):
    northshire = draft()
    bad = export_authority(northshire).replace("- number: 3\n", "- number: 7\n")
    response = first.post(
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        {"file": SimpleUploadedFile("northshire.yaml", bad.encode())},
    )
    page = text(response)
    assert re.search(r"Line \d+: the 3rd level's number: level 7 is outside 1-4", page)
    assert "levels[2]" not in page.split('id="import-errors"')[1].split("<details")[0]
    broken = export_authority(northshire).replace("- number: 2\n", "-- number 2\n x\n", 1)
    response = first.post(
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        {"file": SimpleUploadedFile("northshire.yaml", broken.encode())},
    )
    page = text(response)
    assert re.search(r"Line \d+: the file's layout is broken here", page)
    assert "schema" not in page


# --- 3. History a person can read, with undo -----------------------------------------------------


def test_history_shows_each_change_word_by_word_with_who_when_and_why(first):
    indicator = an_indicator()
    old = indicator.text
    assert save(first, indicator, text=f"{old} and more").status_code == 302
    response = first.get(url(Indicator, "history", indicator.pk))
    page = response.content.decode()
    assert "<ins> and more</ins>" in page
    words = text(response)
    assert "Edited" in words
    assert "By lead@northshire.example, today at" in words
    assert "By an administrator" in words  # the loaded file
    assert "Undo this change" in words


def test_undo_puts_back_the_record_before_and_says_so(first):
    indicator = an_indicator()
    old = indicator.text
    assert save(first, indicator, text="A typo fixd").status_code == 302
    history = first.get(url(Indicator, "history", indicator.pk))
    entry = history.context["entries"][0]
    response = first.post(
        reverse("admin:guidance_indicator_undo", args=[indicator.pk, entry["record"].history_id]),
        {"seen_version": history.context["newest"]},
        follow=True,
    )
    assert Indicator.objects.get(pk=indicator.pk).text == old
    page = text(response)
    assert "Undone: the indicator" in page and "is back as it was" in page
    assert "changed successfully" not in page
    newest = indicator.history.order_by("-history_id").first()
    assert newest.history_change_reason.startswith("Reverted to the version of ")
    assert reason_in_words(newest).startswith("Reverted to the version of ")
    assert newest.history_user.username == "lead@northshire.example"


def test_undo_from_a_stale_page_is_refused_naming_who(first, second):
    indicator = an_indicator()
    assert save(first, indicator, text="First edit").status_code == 302
    history = first.get(url(Indicator, "history", indicator.pk))
    assert save(second, indicator, text="Second edit").status_code == 302
    entry = history.context["entries"][0]
    response = first.post(
        reverse("admin:guidance_indicator_undo", args=[indicator.pk, entry["record"].history_id]),
        {"seen_version": history.context["newest"]},
        follow=True,
    )
    assert "changed by second@northshire.example" in text(response)
    assert "nothing was undone" in text(response)
    assert Indicator.objects.get(pk=indicator.pk).text == "Second edit"


def test_undo_of_a_contacts_levels_puts_the_levels_back(first):
    contact = Contact.objects.filter(authority__slug=NORTHSHIRE, levels__isnull=False).first()
    levels = set(contact.levels.values_list("pk", flat=True))
    data = open_change_form(first, contact)
    data["levels"] = [str(Level.objects.get(authority__slug=NORTHSHIRE, number=1).pk)]
    assert first.post(url(Contact, "change", contact.pk), data).status_code == 302
    history = first.get(url(Contact, "history", contact.pk))
    assert "Levels" in text(history)
    entry = next(e for e in history.context["entries"] if e["undoable"])
    first.post(
        reverse("admin:guidance_contact_undo", args=[contact.pk, entry["record"].history_id]),
        {"seen_version": history.context["newest"]},
    )
    assert set(contact.levels.values_list("pk", flat=True)) == levels


def test_undo_and_history_refuse_another_areas_rows(first):
    other = an_indicator(SOUTHVALE)
    other.text = "Changed by someone in Southvale"
    other.save()
    record = other.history.order_by("-history_id").first()
    before = snapshot()
    undo = reverse("admin:guidance_indicator_undo", args=[other.pk, record.history_id])
    assert first.post(undo, {"seen_version": record.history_id}).status_code == 403
    assert first.get(url(Indicator, "history", other.pk)).status_code == 403
    published = an_indicator("northshire")
    record = published.history.order_by("-history_id").first()
    undo = reverse("admin:guidance_indicator_undo", args=[published.pk, record.history_id])
    assert first.post(undo, {"seen_version": record.history_id}).status_code == 403
    southvale = draft(SOUTHVALE)
    assert (
        first.get(reverse("admin:guidance_authority_recent", args=[southvale.pk])).status_code
        == 403
    )
    assert snapshot() == before


def test_revert_and_restore_are_announced_as_such(first):
    indicator = an_indicator()
    old = indicator.text
    assert save(first, indicator, text="Edited").status_code == 302
    earlier = indicator.history.order_by("-history_id")[1]
    revert = url(Indicator, "simple_history", indicator.pk, earlier.history_id)
    page = first.get(revert)
    assert "Go back to this version" in text(page)
    response = first.post(revert, page_form(page, "historicalindicator_form"), follow=True)
    assert Indicator.objects.get(pk=indicator.pk).text == old
    assert "is back as it was on" in text(response)
    assert "changed successfully" not in text(response)
    reason = indicator.history.order_by("-history_id").first().history_change_reason
    assert reason.startswith("Reverted to the version of ")

    # Deleted, then restored: the restore page does not link to the deleted row.
    pk = indicator.pk
    assert first.post(url(Indicator, "delete", pk), {"post": "yes"}).status_code == 302
    record = Indicator.history.filter(id=pk, history_type="-").latest()
    restore = url(Indicator, "simple_history", pk, record.history_id)
    page = first.get(restore)
    breadcrumbs = page.content.decode().split('class="breadcrumbs"')[1].split("</div>")[0]
    assert url(Indicator, "change", pk) not in breadcrumbs
    assert "Restore" in text(page)
    response = first.post(restore, page_form(page, "historicalindicator_form"), follow=True)
    assert "is back, as it was before it was deleted" in text(response)
    latest = Indicator.history.filter(id=pk).latest("history_id")
    assert latest.history_change_reason == "Restored after deletion"
    assert reason_in_words(latest) == "Restored after deletion"


def test_recent_changes_in_the_area_across_rows_imports_included_by_person_and_day(first, second):
    northshire = draft()
    assert save(first, an_indicator(), text="Words by the first lead").status_code == 302
    contact = Contact.objects.filter(authority=northshire).first()
    assert save(second, contact, hours="9 to 5 by the second lead").status_code == 302
    edited = export_authority(northshire).replace(
        "- Northshire health indicator 3.1\n", "- Northshire health indicator 3.1, imported\n", 1
    )
    preview = first.post(
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        {"file": SimpleUploadedFile("northshire.yaml", edited.encode())},
    )
    first.post(
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        {"preview": preview.context["preview"].pk, "apply": "Apply"},
    )
    Indicator.objects.filter(domain__authority__slug=SOUTHVALE).update(text="x")  # not listed
    address = reverse("admin:guidance_authority_recent", args=[northshire.pk])
    page = text(first.get(address))
    assert "Recent changes in Northshire" in page
    assert "Words by the first lead" in page and "9 to 5 by the second lead" in page
    assert "imported from northshire.yaml" in page
    second_id = User.objects.get(username="second@northshire.example").pk
    page = text(first.get(address, {"person": second_id}))
    assert "9 to 5 by the second lead" in page and "Words by the first lead" not in page
    page = text(first.get(address, {"day": "2001-01-01"}))
    assert "No changes for that choice" in page


def test_recent_changes_cost_the_same_queries_for_few_or_many_changes(first):
    northshire = draft()
    address = reverse("admin:guidance_authority_recent", args=[northshire.pk])
    indicators = list(Indicator.objects.filter(domain__authority=northshire)[:12])
    contacts = list(Contact.objects.filter(authority=northshire)[:3])

    def queries_after(indicator_edits, contact_edits):
        for n, indicator in enumerate(indicators[:indicator_edits]):
            assert save(first, indicator, text=f"Reworded line {n}").status_code == 302
        for n, contact in enumerate(contacts[:contact_edits]):
            assert save(first, contact, hours=f"Open {n} to 5").status_code == 302
        with CaptureQueriesContext(connection) as queries:
            page = text(first.get(address))
        assert f"Reworded line {indicator_edits - 1}" in page
        return len(queries)

    few = queries_after(2, 1)
    many = queries_after(12, 3)
    assert many == few, (few, many)


# --- 4. Order that makes sense -------------------------------------------------------------------


def test_a_new_indicator_goes_last_and_the_message_says_where(first):
    domain = Domain.objects.get(authority__slug=NORTHSHIRE, name="Health")
    level = Level.objects.get(authority__slug=NORTHSHIRE, number=1)
    count = Indicator.objects.filter(domain=domain, level=level).count()
    add = first.get(url(Indicator, "add"), {"domain": domain.pk})
    assert add.context["adminform"].form.fields["order"].required is False
    response = first.post(
        url(Indicator, "add"),
        {"domain": domain.pk, "level": level.pk, "text": "A brand new indicator", "order": ""},
        follow=True,
    )
    new = Indicator.objects.get(text="A brand new indicator")
    last = Indicator.objects.filter(domain=domain, level=level).order_by("order", "pk").last()
    assert last == new
    page = text(response)
    assert f"It is {ordinal(count + 1)} of {count + 1} in Level 1, {domain.path}." in page


def test_moving_an_indicator_says_where_it_lands(first):
    indicator = an_indicator(level__number=1)
    target = Domain.objects.filter(authority__slug=NORTHSHIRE).exclude(pk=indicator.domain_id)
    target = target.filter(indicators__isnull=False).first()
    there = Indicator.objects.filter(domain=target, level=indicator.level).count()
    response = save(first, indicator, domain=target.pk)
    page = text(first.get(response.url))
    assert f"of {there + 1} in Level 1, {target.path}" in page


def test_the_import_preview_counts_renumberings_apart_from_text_changes(first):
    northshire = draft()
    text_now = export_authority(northshire)
    # A new first indicator at level 1 of Health: the others below it are only renumbered.
    edited = text_now.replace(
        "    - Northshire health indicator 1.1\n",
        "    - A new first indicator\n    - Northshire health indicator 1.1\n",
        1,
    )
    assert edited != text_now
    response = first.post(
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        {"file": SimpleUploadedFile("northshire.yaml", edited.encode())},
    )
    page = text(response)
    assert response.context["renumbered"] >= 1
    assert f"{response.context['renumbered']} moved to a new position only" in page
    assert "@@" not in page


# --- 5. Forms of a sensible size -----------------------------------------------------------------


def test_text_boxes_are_sized_to_their_text(first):
    indicator = an_indicator()
    page = first.get(url(Indicator, "change", indicator.pk)).content.decode()
    rows = re.search(r'<textarea[^>]*name="text"[^>]*>', page)[0]
    assert 'rows="2"' in rows
    long = "word " * 400
    Indicator.objects.filter(pk=indicator.pk).update(text=long)
    page = first.get(url(Indicator, "change", indicator.pk)).content.decode()
    rows = int(re.search(r'<textarea[^>]*name="text"[^>]*rows="(\d+)"', page)[1])
    assert 10 < rows <= 15


def test_the_contact_levels_are_tick_boxes_without_djangos_hint(first):
    contact = Contact.objects.filter(authority__slug=NORTHSHIRE).first()
    page = text(first.get(url(Contact, "change", contact.pk)))
    assert 'type="checkbox" name="levels"' in page
    assert "Hold down" not in page
    assert "Southvale" not in page


# --- 6. After saving -----------------------------------------------------------------------------


def test_after_saving_the_list_shows_where_the_row_is_highlighted(first):
    indicator = an_indicator(level__number=2)
    response = save(first, indicator, text="Saved words")
    assert response.status_code == 302
    assert "level__number__exact=2" in response.url and f"saved={indicator.pk}" in response.url
    listing = first.get(response.url)
    assert listing.status_code == 200
    page = listing.content.decode()
    assert f'id="row-{indicator.pk}" class="saved-row"' in page
    assert "just saved" in page
    assert {i.level.number for i in listing.context["cl"].result_list} == {2}
    # Save and view the draft page: the draft preview page showing it.
    response = save(first, indicator, button="_viewdraft", text="Viewed words")
    assert response.url == indicator.get_absolute_url()
    assert response.url.startswith(f"/{NORTHSHIRE}/")


# --- 7. From the draft pages to the editor --------------------------------------------------------


def test_view_on_site_of_a_contact_is_its_first_level_page_of_the_draft(first):
    contact = Contact.objects.filter(authority__slug=NORTHSHIRE, levels__isnull=False).first()
    level = contact.levels.order_by("number").first()
    page = first.get(url(Contact, "change", contact.pk)).content.decode()
    assert f'href="/{NORTHSHIRE}/level/{level.number}/#contacts"' in page


def test_edit_links_on_the_draft_preview_only(first, client):
    level = Level.objects.get(authority__slug=NORTHSHIRE, number=4)
    page = first.get(f"/{NORTHSHIRE}/level/4/").content.decode()
    assert f'href="{url(Level, "change", level.pk)}"' in page
    contact = level.contacts.first()
    if contact is not None and contact.reachable:
        assert f'href="{url(Contact, "change", contact.pk)}"' in page
    indicator = an_indicator()
    page = first.get(f"/{NORTHSHIRE}/indicators/{indicator.pk}/").content.decode()
    assert f'href="{url(Indicator, "change", indicator.pk)}"' in page
    section = GuidanceSection.objects.filter(authority__slug=NORTHSHIRE).first()
    page = first.get(f"/{NORTHSHIRE}/guidance/{section.slug}/").content.decode()
    assert f'href="{url(GuidanceSection, "change", section.pk)}"' in page
    # Never on the public pages, whoever reads them.
    for reader in (first, client):
        for address in ("/northshire/level/4/", "/northshire/", "/southvale/level/4/"):
            assert "/admin/guidance/" not in reader.get(address).content.decode()


def test_a_deletion_is_named_in_whole_words_with_the_way_back(first):
    indicator = an_indicator()
    words = "Worries about the child's attendance at school (UX Team) and their friendships " * 2
    Indicator.objects.filter(pk=indicator.pk).update(text=words)
    response = first.post(url(Indicator, "delete", indicator.pk), {"post": "yes"}, follow=True)
    page = text(response)
    assert f"“{cut_words(words)}” was deleted from the draft" in page
    assert "Restore deleted indicators" in page
    # "Restore it": the deleted row's own restore page, at once.
    record = Indicator.history.get(id=indicator.pk, history_type="-")
    restore = reverse(
        "admin:guidance_indicator_simple_history", args=[indicator.pk, record.history_id]
    )
    assert f'<a href="{restore}">Restore it</a>' in response.content.decode()
    assert first.get(restore).status_code == 200


# --- 8. Found by the leads' tasks in the browser (tests/browser/test_lead_tasks.py) --------------


def test_the_add_form_offers_save_and_view_the_draft_page(first):
    domain = Domain.objects.get(authority__slug=NORTHSHIRE, name="Health")
    level = Level.objects.get(authority__slug=NORTHSHIRE, number=2)
    add = first.get(url(Indicator, "add"), {"domain": domain.pk})
    assert 'name="_viewdraft"' in add.content.decode()
    assert "Save and view the draft page" in text(add)
    response = first.post(
        url(Indicator, "add"),
        {"domain": domain.pk, "level": level.pk, "text": "Seen at once", "_viewdraft": "pressed"},
    )
    new = Indicator.objects.get(text="Seen at once")
    assert response.status_code == 302
    assert response.url == new.get_absolute_url()
    assert response.url.startswith(f"/{NORTHSHIRE}/")
    page = text(first.get(response.url))
    assert "Seen at once" in page


def test_the_area_page_names_each_level_input_and_every_column(first):
    page = first.get(url(Authority, "change", draft().pk)).content.decode()
    table = page[page.index('id="levels-group"') :]
    table = table[: table.index("</table>")]
    for number in (1, 2, 3, 4):
        assert f'aria-label="Name of level {number}"' in table
        assert f'aria-label="Summary of level {number}"' in table
    # No empty column header (axe: empty-table-header), hidden columns apart.
    headers = re.findall(r"<th([^>]*)>(.*?)</th>", table, re.S)
    empty = [attrs for attrs, inner in headers if not re.sub(r"<[^>]+>", "", inner).strip()]
    assert empty == []


def heading_and_title(response):
    page = text(response)
    return re.search(r"<h1>(.*?)</h1>", page, re.S)[1], re.search(r"<title>(.*?)</title>", page)[1]


def test_a_list_of_one_level_or_domain_says_which_in_its_heading_and_title(first):
    northshire, southvale = draft(), draft(SOUTHVALE)
    at_level = first.get(
        url(Indicator, "changelist"),
        {"domain__authority__id__exact": northshire.pk, "level__number__exact": 2},
    )
    heading, title = heading_and_title(at_level)
    assert heading == "Indicators at level 2 (Northshire Early Help), Northshire"
    assert title.startswith(heading + " |")
    health = Domain.objects.get(authority=northshire, name="Health")
    in_domain = first.get(url(Indicator, "changelist"), {"domain__id__exact": health.pk})
    assert heading_and_title(in_domain)[0] == "Indicators in Health, Northshire"
    both = first.get(
        url(Indicator, "changelist"), {"domain__id__exact": health.pk, "level__number__exact": 4}
    )
    assert heading_and_title(both)[0] == (
        "Indicators at level 4 (Northshire Specialist) in Health, Northshire"
    )
    # A long level name is cut at a whole word.
    Level.objects.filter(authority=northshire, number=2).update(
        name="Early Help for families with additional needs (UX Team) " * 2
    )
    heading, title = heading_and_title(
        first.get(
            url(Indicator, "changelist"),
            {"domain__authority__id__exact": northshire.pk, "level__number__exact": 2},
        )
    )
    assert heading.endswith("…") and "(UX T" not in heading.replace("(UX Team)", "")
    # Another area's domain or area is never named.
    theirs = Domain.objects.get(authority=southvale, name="Health")
    for params in (
        {"domain__id__exact": theirs.pk},
        {"domain__authority__id__exact": southvale.pk, "level__number__exact": 2},
    ):
        heading, title = heading_and_title(first.get(url(Indicator, "changelist"), params))
        assert "Southvale" not in heading + title
    # Numbers too long for the database name nothing, and break nothing.
    for name in ("domain__id__exact", "domain__authority__id__exact", "level__number__exact"):
        response = first.get(url(Indicator, "changelist"), {name: "9" * 40})
        assert response.status_code in (200, 302), name


def test_the_home_finds_an_indicator_by_its_words_across_the_area(first):
    northshire = draft()
    home = first.get(reverse("admin:index")).content.decode()
    form = re.search(r'<form[^>]*class="area-search"[^>]*>(.*?)</form>', home, re.S)
    assert form, "no search form on the home"
    assert "Find an indicator by its words" in form[0]
    assert f'action="{url(Indicator, "changelist")}"' in form[0]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form[1]))
    assert fields == {"domain__authority__id__exact": str(northshire.pk)}
    assert re.search(r'<input[^>]*type="search"[^>]*name="q"', form[1])
    assert re.search(r'<label for="[^"]+">Find an indicator by its words</label>', form[1])
    # Its search: every level of the area, never another area's rows.
    target = an_indicator(level__number=4)
    found = first.get(url(Indicator, "changelist"), {**fields, "q": target.text})
    rows = list(found.context["cl"].result_list)
    assert target in rows
    found = first.get(url(Indicator, "changelist"), {**fields, "q": "health indicator"})
    rows = list(found.context["cl"].result_list)
    assert {row.level.number for row in rows} == {1, 2, 3, 4}
    assert {row.domain.authority_id for row in rows} == {northshire.pk}
    assert "Southvale" not in text(found)
    # Crafted for Southvale: nothing of theirs.
    theirs = first.get(
        url(Indicator, "changelist"),
        {"domain__authority__id__exact": draft(SOUTHVALE).pk, "q": "health indicator"},
    )
    assert all(row.domain.authority_id == northshire.pk for row in theirs.context["cl"].result_list)
