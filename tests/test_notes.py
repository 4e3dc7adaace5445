"""My notes (issue 15), through the test client: the notes page groups the noted indicators by
level and domain with each level's guidance, next steps and contacts; ids of other areas or none
are left out with a message; changes and removals since the notes' edition are shown; the query
count does not grow with the ids or the data; the pages that list indicators send ids to it
through the address alone.

On the purpose-made documents (tests/data/site/): Northshire, Southvale and Westmere."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance.editions import publish
from guidance.models import Authority, Indicator

from .helpers import queries_before_and_after_more_data

pytestmark = pytest.mark.django_db


def indicator(text, slug="northshire"):
    return Indicator.objects.get(domain__authority__slug=slug, text=text)


def notes_url(*indicators, slug="northshire", edition=None):
    query = [f"i={getattr(i, 'pk', i)}" for i in indicators]
    if edition is not None:
        query.append(f"e={edition}")
    return f"/{slug}/notes/?{'&'.join(query)}"


def page_text(response):
    """The page's visible words: tags dropped, entities read, white space squeezed."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def sections(response):
    """{level number: the text of its section} in page order."""
    body = response.content.decode()
    parts = re.split(r'(?=<section class="app-notes-level)', body)[1:]
    found = {}
    for part in parts:
        number = int(re.search(r'data-note-level="(\d)"', part).group(1))
        hidden = re.match(r"<section[^>]* hidden>", part) is not None
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part.split("</section>")[0])).split())
        found[number] = (text, hidden)
    return found


def test_notes_are_grouped_by_level_and_domain_with_each_levels_next_steps_and_contacts(client):
    noted = [
        indicator("Northshire health indicator 4.1"),
        indicator("Northshire health indicator 2.1"),
        indicator("Northshire education indicator 2.1"),
        indicator("Northshire health indicator 2.3"),
    ]
    response = client.get(notes_url(*noted, edition=1))
    assert response.status_code == 200
    text = page_text(response)
    found = sections(response)
    assert list(found) == [2, 4]  # only the levels the notes appear at, in order
    level2, level4 = found[2][0], found[4][0]
    # In the document's order and words, under their domains.
    assert re.search(
        r"Child's Development / Health Northshire health indicator 2\.1 .*"
        r"Northshire health indicator 2\.3 .*Child's Development / Education "
        r"Northshire education indicator 2\.1",
        level2,
    )
    assert "Northshire health indicator 4.1" in level4
    assert "Northshire health indicator 4.1" not in level2
    # Each level's own guidance, next steps and contacts, and no other level's.
    assert "Northshire level 2 summary." in level2
    assert "Northshire level 2 referral route." in level2 and "level 4 referral" not in level2
    assert "Northshire level 4 definition" in level4
    assert "Northshire level 4 referral route." in level4 and "level 2 referral" not in level4
    assert "Northshire Front Door" in level4 and "Northshire Front Door" not in level2
    assert "Northshire Early Help Hub" in level2
    assert "level 3 referral route" not in text
    # Which levels the notes appear at, the caveat above, and never a level for the child.
    assert (
        "The indicators you noted appear in the guidance at level 2 (Northshire Early Help) "
        "and level 4 (Northshire Specialist)."
    ) in text
    caveat = Authority.objects.get(slug="northshire").caveat
    assert text.index(caveat) < text.index("Northshire health indicator 2.1")
    assert "Do not add names. Nothing you choose is stored on our server." in text
    assert "edition 1" in text
    for word in ("score", "the child is at level", "points"):
        assert word not in text.lower()


def test_the_page_holds_no_count_of_indicators_per_level(client):
    noted = [indicator(f"Northshire health indicator 2.{n}") for n in (1, 2, 3)]
    text = page_text(client.get(notes_url(*noted))).split("Print or share")[0]
    assert "Northshire health indicator 2.3" in text
    assert not re.search(r"\b3\b", text.replace("indicator 2.3", ""))


@pytest.mark.parametrize(
    "extra",
    [
        "i=999999",  # no such indicator
        "i=abc",  # not an id
        "i=-4",
        "i=1%00",
        "i=" + "9" * 40,
    ],
)
def test_an_unknown_id_is_left_out_with_a_short_message(client, extra):
    kept = indicator("Northshire health indicator 1.1")
    response = client.get(f"/northshire/notes/?i={kept.pk}&{extra}")
    assert response.status_code == 200
    text = page_text(response)
    assert "1 indicator in this address is not in Northshire’s guidance, so it is left out." in text
    assert "Northshire health indicator 1.1" in text


def test_another_areas_and_a_drafts_ids_are_left_out(client):
    southvale = Indicator.objects.published().filter(domain__authority__slug="southvale").first()
    draft = Indicator.objects.get(
        domain__authority__slug="northshire--draft", text="Northshire health indicator 1.2"
    )
    kept = indicator("Northshire health indicator 1.1")
    response = client.get(notes_url(kept, southvale, draft))
    assert response.status_code == 200
    text = page_text(response)
    assert "2 indicators in this address are not in Northshire’s guidance" in text
    assert southvale.text not in text
    assert "Northshire health indicator 1.2" not in text.split("Choose indicators")[0]
    # The share address keeps only this area's.
    assert f"?i={kept.pk}&amp;e=1" in response.content.decode()


def test_an_address_of_nothing_but_unknown_ids_is_a_page_not_an_error(client):
    for query in ("i=", "i=0", "e=7", "e=x&i=1x", "i=1&i=1&i=1"):
        response = client.get(f"/northshire/notes/?{query}")
        assert response.status_code == 200, query
    assert client.get("/nowhere/notes/?i=1").status_code == 404


def test_an_unpublished_edition_in_the_address_is_said_and_ignored(client):
    kept = indicator("Northshire health indicator 1.1")
    text = page_text(client.get(notes_url(kept, edition=9)))
    assert "The edition in this address is not one Northshire has published" in text


def change_and_remove_in_a_new_edition():
    northshire = Authority.objects.get(slug="northshire")
    draft = northshire.draft
    changed = Indicator.objects.get(domain__authority=draft, text="Northshire health indicator 2.1")
    changed.text = "Northshire health indicator 2.1, reworded"
    changed.save()
    Indicator.objects.get(domain__authority=draft, text="Northshire health indicator 2.2").delete()
    publish(northshire, "One reworded, one removed.")
    northshire.refresh_from_db()
    assert northshire.published_edition == 2
    return northshire


def test_an_indicator_changed_or_removed_since_the_notes_edition_is_shown_as_such(client):
    changed = indicator("Northshire health indicator 2.1")
    removed = indicator("Northshire health indicator 2.2")
    same = indicator("Northshire health indicator 2.3")
    change_and_remove_in_a_new_edition()
    assert Indicator.objects.get(pk=changed.pk).text == "Northshire health indicator 2.1, reworded"
    assert not Indicator.objects.filter(pk=removed.pk).exists()

    response = client.get(notes_url(changed, removed, same, edition=1))
    assert response.status_code == 200
    text = page_text(response)
    level2 = sections(response)[2][0]
    assert re.search(
        r"Northshire health indicator 2\.1, reworded Changed in edition 2 "
        r"Edition 1 said: “Northshire health indicator 2\.1”",
        level2,
    )
    assert "Northshire health indicator 2.3 Remove" in level2  # unchanged: no mark
    assert level2.count("Changed in edition") == 1
    gone = text.split("No longer in the guidance")[1]
    assert (
        "“Northshire health indicator 2.2” was at level 2 (Northshire Early Help). "
        "Removed in edition 2"
    ) in gone
    assert "not in Northshire’s guidance" not in text  # a removed id is not "unknown"

    # Notes made under edition 2 see nothing changed; the removed one is still said.
    text = page_text(client.get(notes_url(changed, removed, same, edition=2)))
    assert "Changed in edition" not in text
    assert "Removed in edition 2" in text


def test_the_query_count_does_not_grow_with_the_ids_or_the_data(client):
    northshire = Authority.objects.get(slug="northshire")
    ids = list(Indicator.objects.for_authorities([northshire]).values_list("pk", flat=True))

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = count(notes_url(ids[0], edition=1))
    many = count(notes_url(*ids, 999999, edition=1))
    assert one == many
    small, large = queries_before_and_after_more_data(
        client, notes_url(*ids[:5], edition=1), northshire
    )
    assert small == large


def test_the_query_count_with_removed_ids_is_fixed_too(client):
    ids = [indicator(f"Northshire health indicator 2.{n}").pk for n in (1, 2, 3)]
    change_and_remove_in_a_new_edition()
    with CaptureQueriesContext(connection) as one:
        client.get(notes_url(ids[0], edition=1))
    with CaptureQueriesContext(connection) as three:
        client.get(notes_url(*ids, edition=1))
    assert len(one) == len(three)


def test_the_notes_page_tells_nobody_else_the_address_and_is_not_indexed(client):
    response = client.get(notes_url(indicator("Northshire health indicator 1.1")))
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="referrer" content="no-referrer">' in response.content.decode()
    # Cached as any public area page: it is the same for everyone asking for this address.
    assert "public" in response["Cache-Control"]
    # No form on it sends anything but ids and the edition, and nothing is posted.
    body = response.content.decode()
    assert 'method="post"' not in body.lower()
    assert "<textarea" not in body
    names = set(re.findall(r'<input[^>]* name="([^"]+)"', body))
    assert names <= {"i", "e"}, names


def test_a_draft_notes_page_is_a_private_preview(client):
    assert client.get("/northshire--draft/notes/").status_code == 404


def test_the_page_without_ids_holds_every_indicator_hidden_for_use_offline(client):
    response = client.get("/northshire/notes/")
    assert response.status_code == 200
    body = response.content.decode()
    count = Indicator.objects.for_authorities(Authority.objects.filter(slug="northshire")).count()
    assert body.count("data-note-item=") == count
    assert all(hidden for _, hidden in sections(response).values())
    assert len(sections(response)) == 4
    assert "data-notes-all" in body
    assert "You have not noted any indicators for Northshire." in page_text(response)
    # "Save Northshire for use offline" keeps it, and the script that fills it in.
    area = client.get("/northshire/offline.json").json()
    assert area["notes"] == "/northshire/notes/"
    assert any(url.endswith("js/notes.js") for url in area["assets"])
    assert client.get("/westmere/offline.json").json()["notes"] is None


def test_an_area_without_indicators_says_there_is_nothing_to_note(client):
    response = client.get("/westmere/notes/")
    assert response.status_code == 200
    assert "has no table of indicators" in page_text(response)


NOTES_FORM = re.compile(r'<form method="get" action="/northshire/notes/"[^>]*data-notes-form')


@pytest.mark.parametrize(
    "url",
    ["/northshire/level/2/", "/northshire/indicators/?level=2", "/northshire/indicators/"],
)
def test_lists_of_indicators_tick_boxes_send_ids_to_the_notes_page(client, url):
    body = client.get(url).content.decode()
    assert NOTES_FORM.search(body)
    health = indicator("Northshire health indicator 2.1")
    assert (
        f'<input class="govuk-checkboxes__input" id="note-{health.pk}" name="i" type="checkbox" '
        f'value="{health.pk}" data-note="{health.pk}" '
        f'aria-labelledby="note-add-label note-{health.pk}-text">'
    ) in body
    assert f'id="note-{health.pk}-text" href="/northshire/indicators/{health.pk}/"' in body
    assert '<span id="note-add-label" hidden>Add to my notes:</span>' in body
    assert '<input type="hidden" name="e" value="1">' in body


def test_an_indicator_page_and_search_results_add_through_the_address(client):
    health = indicator("Northshire health indicator 4.1")
    for url in (f"/northshire/indicators/{health.pk}/", "/search/?q=health+indicator+4.1"):
        body = client.get(url).content.decode()
        assert NOTES_FORM.search(body), url
        assert f'<button type="submit" name="i" value="{health.pk}"' in body, url
    # Southvale's result adds to Southvale's notes.
    southvale = indicator("Southvale health indicator 4.1", slug="southvale")
    body = client.get("/search/?q=health+indicator+4.1").content.decode()
    form = body[: body.index(f'name="i" value="{southvale.pk}"')].rsplit("<form", 1)[1]
    assert 'action="/southvale/notes/"' in form
    # What the button sends, the notes page shows.
    text = page_text(client.get(notes_url(health, edition=1)))
    assert "Northshire health indicator 4.1" in text
