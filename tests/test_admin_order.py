"""Issue 16, "Order that makes sense": a lead puts a list in order in the admin, by dragging a row
or with "Move up" / "Move down" (buttons that work without JavaScript), on the lists that show one
whole group of rows: the indicators of a domain at a level, the next steps of a level, an area's
domains, contacts and guidance sections.

Every move goes through the models: the authority's version moves (the cached pages with it),
each changed row gets a history record "Moved", only the rows that moved change, and only rows of
the lead's own draft move, whatever is posted.
"""

import html
import json
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guidance.models import Authority, Contact, Domain, GuidanceSection, Indicator, Level, NextStep

from .helpers import snapshot

pytestmark = pytest.mark.django_db

NORTHSHIRE = "northshire--draft"
SOUTHVALE = "southvale--draft"
HINT = "Drag a row to put it in order, or use Move up and Move down."


def lead(email="lead@northshire.example", *slugs, **client_options):
    args = [arg for slug in slugs or ("northshire",) for arg in ("--authority", slug)]
    call_command("create_lead", email, *args, stdout=StringIO())
    client = Client(**client_options)
    client.force_login(User.objects.get(username=email))
    return client


@pytest.fixture
def first():
    return lead()


def text(response):
    return html.unescape(response.content.decode())


def order_url(model):
    return reverse(f"admin:guidance_{model._meta.model_name}_order")


def changelist(model):
    return reverse(f"admin:guidance_{model._meta.model_name}_changelist")


def version(slug=NORTHSHIRE):
    return Authority.objects.get(slug=slug).version


def health_level_2(slug=NORTHSHIRE):
    """Level 2, Child's Development / Health: three indicators, 2.1, 2.2 and 2.3."""
    return list(
        Indicator.objects.filter(
            domain__authority__slug=slug, domain__name="Health", level__number=2
        ).order_by("order", "pk")
    )


def texts(rows):
    return [row.text.rsplit(" ", 1)[-1] for row in rows]


def orders(slug=NORTHSHIRE):
    """Every ordered row of an area, with its position."""
    return {
        (model.__name__, pk): order
        for model, path in (
            (Indicator, "domain__authority__slug"),
            (NextStep, "level__authority__slug"),
            (Domain, "authority__slug"),
            (Contact, "authority__slug"),
            (GuidanceSection, "authority__slug"),
        )
        for pk, order in model.objects.filter(**{path: slug}).values_list("pk", "order")
    }


def newest_reasons(model, rows):
    return {row.pk: model.history.filter(id=row.pk).order_by("-history_id").first() for row in rows}


def json_post(client, model, data):
    return client.post(order_url(model), data, HTTP_ACCEPT="application/json")


# --- Move up and Move down ------------------------------------------------------------------------


def test_move_down_changes_only_the_two_rows_bumps_the_version_and_records_moved(first):
    one, two, three = health_level_2()
    before = orders()
    old_version = version()
    seen = newest_reasons(Indicator, [one, two, three])
    listing = f"{changelist(Indicator)}?domain__id__exact={one.domain_id}&level__number__exact=2"

    response = first.post(order_url(Indicator), {"move": f"down:{one.pk}", "next": listing})

    assert response.status_code == 302
    assert response["Location"] == f"{listing}#order-{one.pk}"
    assert texts(health_level_2()) == ["2.2", "2.1", "2.3"]
    after = orders()
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {("Indicator", one.pk), ("Indicator", two.pk)}
    assert version() > old_version
    assert version("northshire") == Authority.objects.get(slug="northshire").version  # untouched
    newest = newest_reasons(Indicator, [one, two, three])
    for row in (one, two):
        assert newest[row.pk].history_change_reason == "Moved"
        assert newest[row.pk].history_user.username == "lead@northshire.example"
    assert newest[three.pk] == seen[three.pk]  # no record for a row that stayed

    page = text(first.get(response["Location"]))
    assert (
        "Moved down: The indicator “Northshire health indicator 2.1” is now 2nd of 3 in Level 2, "
        "Child's Development / Health." in page
    )
    history = text(first.get(reverse("admin:guidance_indicator_history", args=[one.pk])))
    assert "Moved" in history
    assert "Position" in history


def test_the_draft_preview_shows_the_new_order_and_the_published_page_does_not(first):
    one, two, _ = health_level_2()
    preview = "/northshire--draft/level/2/"
    public = "/northshire/level/2/"
    assert Client().get(public).status_code == 200  # cached under the published version
    first.post(order_url(Indicator), {"move": f"up:{two.pk}"})
    page = text(first.get(preview))
    assert page.index("health indicator 2.2") < page.index("health indicator 2.1")
    page = text(Client().get(public))
    assert page.index("health indicator 2.1") < page.index("health indicator 2.2")


def test_the_buttons_answer_the_pages_script_with_where_the_row_is(first):
    one, two, three = health_level_2()
    response = json_post(first, Indicator, {"move": f"up:{three.pk}"})
    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["order"] == [str(one.pk), str(three.pk), str(two.pk)]
    assert answer["message"].endswith("is now 2nd of 3 in Level 2, Child's Development / Health.")
    # No message waits for the next page: the script showed it.
    assert "Moved up" not in text(first.get(changelist(Indicator)))


def test_moving_the_first_row_up_changes_nothing_and_says_so(first):
    one, _, _ = health_level_2()
    before, old_version = snapshot(), version()
    response = json_post(first, Indicator, {"move": f"up:{one.pk}"})
    assert json.loads(response.content)["message"] == (
        "The indicator “Northshire health indicator 2.1” is already first: 1st of 3 in Level 2, "
        "Child's Development / Health."
    )
    assert snapshot() == before
    assert version() == old_version


@pytest.mark.parametrize(
    "model, rows",
    [
        (
            NextStep,
            lambda: NextStep.objects.filter(level__authority__slug=NORTHSHIRE).filter(
                level__number=1
            ),
        ),
        (Contact, lambda: Contact.objects.filter(authority__slug=NORTHSHIRE)),
        (GuidanceSection, lambda: GuidanceSection.objects.filter(authority__slug=NORTHSHIRE)),
        (Domain, lambda: Domain.objects.filter(authority__slug=NORTHSHIRE)),
    ],
)
def test_next_steps_contacts_sections_and_domains_move_too(first, model, rows):
    top, second, *_ = rows().order_by("order", "pk")
    old_version = version()
    response = json_post(first, model, {"move": f"down:{top.pk}"})
    assert response.status_code == 200, response.content
    assert list(rows().order_by("order", "pk")[:2]) == [second, top]
    assert version() > old_version
    assert model.history.filter(id=top.pk).latest("history_id").history_change_reason == "Moved"
    assert "is now 2nd of" in json.loads(response.content)["message"]


def test_a_contacts_levels_stay_in_its_history_when_it_moves(first):
    top = Contact.objects.filter(authority__slug=NORTHSHIRE).order_by("order", "pk").first()
    levels = set(top.levels.values_list("pk", flat=True))
    json_post(first, Contact, {"move": f"down:{top.pk}"})
    record = Contact.history.filter(id=top.pk).latest("history_id")
    assert {row.level_id for row in record.levels.all()} == levels
    history = text(first.get(reverse("admin:guidance_contact_history", args=[top.pk])))
    entry = history[history.index("Moved") :][:2000]
    assert "Levels" not in entry  # only the position changed


# --- Dragging: the whole list in its new order ----------------------------------------------------


def test_dragging_saves_the_new_order_of_the_rows_that_moved(first):
    one, two, three = health_level_2()
    before = orders()
    response = json_post(first, Indicator, {"order": [two.pk, three.pk, one.pk], "moved": one.pk})
    assert response.status_code == 200
    assert json.loads(response.content)["message"] == (
        "Moved: The indicator “Northshire health indicator 2.1” is now 3rd of 3 in Level 2, "
        "Child's Development / Health."
    )
    assert texts(health_level_2()) == ["2.2", "2.3", "2.1"]
    after = orders()
    assert {key for key in before if before[key] != after[key]} == {
        ("Indicator", one.pk),
        ("Indicator", two.pk),
        ("Indicator", three.pk),
    }
    for row in (one, two, three):
        assert Indicator.history.filter(id=row.pk).latest("history_id").history_change_reason == (
            "Moved"
        )


def test_a_drag_keeps_the_other_rows_positions_where_the_list_has_gaps(first):
    one, two, three = health_level_2()
    Indicator.objects.filter(pk=one.pk).update(order=10)
    Indicator.objects.filter(pk=two.pk).update(order=20)
    Indicator.objects.filter(pk=three.pk).update(order=30)
    json_post(first, Indicator, {"order": [two.pk, one.pk, three.pk], "moved": one.pk})
    assert dict(
        Indicator.objects.filter(pk__in=[one.pk, two.pk, three.pk]).values_list("pk", "order")
    ) == {two.pk: 10, one.pk: 20, three.pk: 30}


def test_a_list_with_shared_positions_is_numbered_from_0(first):
    one, two, three = health_level_2()
    Indicator.objects.filter(pk__in=[one.pk, two.pk, three.pk]).update(order=0)
    json_post(first, Indicator, {"move": f"down:{one.pk}"})
    assert [(row.pk, row.order) for row in health_level_2()] == [
        (two.pk, 0),
        (one.pk, 1),
        (three.pk, 2),
    ]


# --- Only the lead's own draft, whatever is posted ------------------------------------------------


@pytest.mark.parametrize("slug", [SOUTHVALE, "northshire", "southvale"])
def test_another_areas_or_a_published_row_is_refused_and_nothing_changes(first, slug):
    row = health_level_2(slug)[0]
    before = snapshot()
    versions = dict(Authority.objects.values_list("slug", "version"))
    for data in ({"move": f"down:{row.pk}"}, {"order": [r.pk for r in health_level_2(slug)]}):
        assert first.post(order_url(Indicator), data).status_code == 403
        response = json_post(first, Indicator, data)
        assert response.status_code == 403
    assert "not in your area's draft" in json.loads(response.content)["error"]
    assert snapshot() == before
    assert dict(Authority.objects.values_list("slug", "version")) == versions


def test_a_row_that_does_not_exist_is_not_found(first):
    assert first.post(order_url(Indicator), {"move": "down:999999"}).status_code == 404


def test_published_rows_are_refused_to_superusers_too():
    client = Client()
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    row = health_level_2("northshire")[0]
    before = snapshot()
    assert client.post(order_url(Indicator), {"move": f"down:{row.pk}"}).status_code == 403
    assert snapshot() == before


def test_a_reorder_mixing_two_lists_is_refused_with_a_clear_message(first):
    health = health_level_2()
    other = Indicator.objects.filter(
        domain__authority__slug=NORTHSHIRE, domain__name="Health", level__number=3
    )
    before, old_version = snapshot(), version()
    data = {"order": [*(row.pk for row in reversed(health)), *other.values_list("pk", flat=True)]}
    response = json_post(first, Indicator, data)
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == (
        "Nothing was moved: these indicators are not one list. Indicators are put in order "
        "within one domain at one level. To put them in order, choose one level and one domain "
        "in the filter."
    )
    # Without the script: the same words on the list.
    response = first.post(order_url(Indicator), data, follow=True)
    assert "these indicators are not one list" in text(response)
    assert snapshot() == before
    assert version() == old_version


def test_a_reorder_mixing_two_areas_is_refused(first):
    rows = [*health_level_2(), *health_level_2(SOUTHVALE)]
    before = snapshot()
    response = json_post(first, Indicator, {"order": [row.pk for row in reversed(rows)]})
    assert response.status_code == 403
    assert snapshot() == before


def test_a_lead_of_both_areas_still_cannot_mix_them():
    client = lead("both@example.org", "northshire", "southvale")
    rows = [*health_level_2(), *health_level_2(SOUTHVALE)]
    before = snapshot()
    response = json_post(client, Indicator, {"order": [row.pk for row in reversed(rows)]})
    assert response.status_code == 400
    assert "not one list" in json.loads(response.content)["error"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "order, status, words",
    [
        ("missing", 409, "changed since the page was opened"),
        ("twice", 400, "listed twice"),
        ("junk", 400, "was not valid"),
        ("deleted", 409, "deleted since the page was opened"),
    ],
)
def test_a_stale_or_broken_reorder_changes_nothing(first, order, status, words):
    one, two, three = health_level_2()
    data = {
        "missing": [two.pk, one.pk],
        "twice": [two.pk, one.pk, one.pk, three.pk],
        "junk": [two.pk, "1; DROP TABLE", three.pk],
        "deleted": [two.pk, one.pk, three.pk, 999999],
    }[order]
    before = snapshot()
    response = json_post(first, Indicator, {"order": data})
    assert response.status_code == status
    assert words in json.loads(response.content)["error"]
    assert snapshot() == before


def test_moving_needs_a_post_with_the_csrf_token():
    client = lead(enforce_csrf_checks=True)
    one = health_level_2()[0]
    before = snapshot()
    assert client.get(order_url(Indicator), {"move": f"down:{one.pk}"}).status_code == 405
    assert client.post(order_url(Indicator), {"move": f"down:{one.pk}"}).status_code == 403
    assert snapshot() == before
    assert Client().post(order_url(Indicator), {"move": f"down:{one.pk}"}).status_code == 302


def test_a_next_address_elsewhere_is_not_followed(first):
    one = health_level_2()[0]
    response = first.post(
        order_url(Indicator), {"move": f"down:{one.pk}", "next": "https://evil.example/admin/"}
    )
    assert response["Location"].startswith(changelist(Indicator) + "?")
    assert response["Location"].endswith(f"#order-{one.pk}")


# --- The same number of queries however long the list ---------------------------------------------


def a_list_of(count):
    draft = Authority.objects.get(slug=NORTHSHIRE)
    domain = Domain.objects.create(authority=draft, name=f"List of {count}", theme="health")
    level = Level.objects.get(authority=draft, number=1)
    for n in range(count):
        Indicator.objects.create(domain=domain, level=level, text=f"Row {n}", order=n)
    return list(Indicator.objects.filter(domain=domain).order_by("order"))


def queries(client, data):
    with CaptureQueriesContext(connection) as captured:
        response = json_post(client, Indicator, data)
    assert response.status_code == 200, response.content
    assert len(captured) < 40  # two rows saved, each with its history and version bump
    return len(captured)


def test_a_move_runs_the_same_queries_for_a_list_of_5_and_of_30(first):
    short, long = a_list_of(5), a_list_of(30)
    json_post(first, Indicator, {"move": f"down:{short[4].pk}"})  # warm the session and user
    assert queries(first, {"move": f"down:{short[1].pk}"}) == queries(
        first, {"move": f"down:{long[1].pk}"}
    )
    assert queries(first, {"move": f"up:{short[3].pk}"}) == queries(
        first, {"move": f"up:{long[20].pk}"}
    )
    # Dragging one row one place: the whole list is posted, the same queries.
    short_order = [
        row.pk
        for row in Indicator.objects.filter(pk__in=[r.pk for r in short]).order_by("order", "pk")
    ]
    long_order = [
        row.pk
        for row in Indicator.objects.filter(pk__in=[r.pk for r in long]).order_by("order", "pk")
    ]
    short_order[0], short_order[1] = short_order[1], short_order[0]
    long_order[0], long_order[1] = long_order[1], long_order[0]
    assert queries(first, {"order": short_order, "moved": short_order[0]}) == queries(
        first, {"order": long_order, "moved": long_order[0]}
    )


# --- The lists: offered where one whole list is shown, explained elsewhere ------------------------


def test_one_domain_at_one_level_offers_dragging_and_named_buttons(first):
    one, _, _ = health_level_2()
    response = first.get(
        changelist(Indicator), {"domain__id__exact": one.domain_id, "level__number__exact": 2}
    )
    page = text(response)
    assert f'data-with-script="{HINT}">Use Move up and Move down to put the rows in order.' in (
        page
    )
    assert 'aria-label="Move up: Northshire health indicator 2.1"' in page
    assert 'aria-label="Move down: Northshire health indicator 2.3"' in page
    assert page.count('name="move"') == 6
    assert 'id="order-form"' in page
    assert "js/admin-order.js" in page and "dist/Sortable.min.js" in page


def test_the_buttons_name_a_long_indicator_cut_at_a_whole_word(first):
    one, _, _ = health_level_2()
    one.text = "A child whose attendance has dropped below ninety percent over two terms and " + (
        "whose teachers have raised concerns about tiredness"
    )
    one.save()
    page = text(
        first.get(
            changelist(Indicator), {"domain__id__exact": one.domain_id, "level__number__exact": 2}
        )
    )
    assert (
        'aria-label="Move up: A child whose attendance has dropped below ninety percent over '
        in (page)
    )
    assert 'over two terms and…">Move up</button>' in page


def test_a_list_mixing_lists_says_how_to_get_one_and_offers_no_dragging(first):
    draft = Authority.objects.get(slug=NORTHSHIRE)
    page = text(first.get(changelist(Indicator), {"level__number__exact": 2}))
    assert (
        "Indicators are put in order within one domain at one level. To put them in order, "
        "choose one level and one domain in the filter." in page
    )
    assert 'name="move"' not in page and "admin-order.js" not in page
    page = text(first.get(changelist(NextStep), {"level__authority__id__exact": draft.pk}))
    assert "choose one area and one level in the filter" in page
    assert 'name="move"' not in page


def test_a_part_of_a_list_links_to_the_whole_list(first):
    one, _, _ = health_level_2()
    page = text(
        first.get(
            changelist(Indicator),
            {"domain__id__exact": one.domain_id, "level__number__exact": 2, "q": "2.1"},
        )
    )
    assert "This list shows only part of Level 2, Child's Development / Health." in page
    assert "Open the whole list to put it in order" in page
    assert 'name="move"' not in page
    sorted_page = text(
        first.get(
            changelist(Indicator),
            {"domain__id__exact": one.domain_id, "level__number__exact": 2, "o": "-1"},
        )
    )
    assert "This list is sorted by a column." in sorted_page
    assert 'name="move"' not in sorted_page


@pytest.mark.parametrize("model", [Contact, GuidanceSection, Domain])
def test_an_areas_contacts_sections_and_domains_are_one_list_for_its_lead(first, model):
    page = text(first.get(changelist(model)))
    assert 'name="move"' in page
    assert "Move down: " in page


def test_a_level_of_next_steps_is_one_list(first):
    draft = Authority.objects.get(slug=NORTHSHIRE)
    page = text(
        first.get(
            changelist(NextStep),
            {"level__authority__id__exact": draft.pk, "level__number__exact": 1},
        )
    )
    assert 'name="move"' in page


def test_every_area_together_is_not_one_list_for_a_superuser():
    client = Client()
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    page = text(client.get(changelist(Contact)))
    assert "To put contacts in order, choose one area in the filter." in page
    assert 'name="move"' not in page


def test_a_domains_page_at_one_level_links_to_its_list_to_put_in_order(first):
    one, _, _ = health_level_2()
    page = text(
        first.get(reverse("admin:guidance_domain_change", args=[one.domain_id]), {"level": 2})
    )
    link = (
        f'{changelist(Indicator)}?domain__id__exact={one.domain_id}&level__number__exact=2">'
        "Put the level 2 indicators of Health in order</a>"
    )
    assert link in page
    page = text(first.get(reverse("admin:guidance_domain_change", args=[one.domain_id])))
    assert "in order</a>" not in page  # every level: not one list


def test_the_list_after_a_save_comes_back_without_the_saved_mark(first):
    one, _, _ = health_level_2()
    page = text(
        first.get(
            changelist(Indicator),
            {"domain__id__exact": one.domain_id, "level__number__exact": 2, "saved": one.pk},
        )
    )
    assert (
        f'name="next" value="{changelist(Indicator)}?domain__id__exact={one.domain_id}'
        '&level__number__exact=2">' in page
    )
