"""What keeps the pages about many areas fast at England's scale (issue 11): rows read as plain
values rather than model instances, rows read once, and long texts read only as far as shown.
Their speed is measured by `make bench-scale`; these tests hold the ways it is kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance import search
from guidance.models import Authority, Indicator
from guidance.search import Results, SearchEntry, highlight, parse
from guidance.tables import comparison

pytestmark = pytest.mark.django_db


def sql_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def test_the_comparison_lists_indicators_as_plain_rows_with_their_addresses():
    areas = Authority.objects.published().filter(slug__in=["northshire", "southvale"])
    cells = [
        indicator
        for row in comparison(areas, "health").rows
        for column in row["columns"]
        for indicator in column["indicators"]
    ]
    assert cells
    assert not any(isinstance(indicator, Indicator) for indicator in cells)
    by_url = {indicator.get_absolute_url(): indicator.text for indicator in cells}
    for indicator in Indicator.objects.published().filter(text__in=by_url.values()):
        assert by_url[indicator.get_absolute_url()] == indicator.text


def test_search_results_are_read_as_plain_values():
    results = Results(parse("consent"), SearchEntry.objects.all())
    page = results[0:20]
    assert page
    assert not any(isinstance(result.authority, Authority) for result in page)


def test_the_api_reads_an_areas_contacts_once_for_the_area_and_its_levels(client):
    sql = sql_of(client, "/api/v1/authorities/northshire")
    assert len([query for query in sql if 'FROM "guidance_contact"' in query]) == 1
    body = client.get("/api/v1/authorities/northshire").json()
    assert [c["name"] for c in body["levels"][3]["contacts"]] == [
        "Northshire Front Door",
        "Northshire Out of Hours",
    ]


def test_the_api_reads_the_domains_names_only_to_check_a_domain_asked_for(client):
    def names_read(url):
        return any(q.lstrip().startswith('SELECT "guidance_domain"') for q in sql_of(client, url))

    assert not names_read("/api/v1/indicators?level=4")
    assert names_read("/api/v1/indicators?domain=Health")


def test_a_long_text_is_read_only_as_far_as_the_part_shown(monkeypatch):
    read = []
    word_tokens = search._word_tokens
    monkeypatch.setattr(search, "_word_tokens", lambda word: read.append(word) or word_tokens(word))
    text = "Talk to the school first. " + "Then write it down. " * 5000
    shown = highlight(text, parse("school"), length=400)
    assert shown.startswith("Talk to the <mark>school</mark> first.")
    assert shown.endswith(" …")
    assert len(read) < 1000  # of 20,005 words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The first mark far into the text: read on until it is found.
        ("word " * 600 + "domestic abuse here", "… word <mark>domestic abuse</mark> here"),
        # No mark at all: the beginning, as before.
        ("word " * 600, "word " * 7 + "word …"),
        # A phrase whose words lie far apart (punctuation is not read as words), ending past the
        # part shown: not marked there.
        ("domestic " + "." * 900 + " abuse", "domestic …"),
    ],
)
def test_the_part_of_a_long_text_shown_is_marked_as_the_whole_text_is(text, expected):
    assert highlight(text, parse("domestic abuse"), length=40) == expected


def test_a_level_page_reads_the_areas_contacts_once_for_its_cards_and_the_banner(client):
    sql = sql_of(client, "/northshire/level/4/")
    assert len([query for query in sql if 'FROM "guidance_contact"' in query]) == 1
    page = client.get("/northshire/level/4/").content.decode()
    assert "Northshire Front Door" in page.split('id="main-content"')[0]  # the banner's


def test_an_area_page_reads_the_area_with_its_levels(client):
    sql = sql_of(client, "/northshire/guidance/significant-harm/")
    assert not any(q.lstrip().startswith('SELECT "guidance_authority"') for q in sql)
    assert len([q for q in sql if 'FROM "guidance_level"' in q]) == 1


def test_whether_an_area_has_indicators_is_asked_only_where_not_known(client):
    def asked(url):
        return any('SELECT 1 AS "a" FROM "guidance_indicator"' in q for q in sql_of(client, url))

    assert asked("/northshire/")  # the area page offers the indicators only if there are some
    assert not asked("/northshire/level/2/")  # the level's own indicators say so
    assert not asked("/northshire/table/")
    assert not asked("/northshire/guidance/significant-harm/")  # never asked
    assert asked("/westmere/level/2/")  # none at the level: asked, and none at all
    assert "has no table of indicators" in client.get("/westmere/level/2/").content.decode()


def test_contact_cards_are_plain_rows_with_their_levels():
    northshire = Authority.objects.get(slug="northshire")
    with CaptureQueriesContext(connection) as captured:
        cards = northshire.contacts.cards()
    assert len(captured) == 1
    contacts = list(northshire.contacts.order_by("order", "id").prefetch_related("levels"))
    assert [card["pk"] for card in cards] == [contact.pk for contact in contacts]
    for card, contact in zip(cards, contacts, strict=True):
        assert card["level_ids"] == {level.pk for level in contact.levels.all()}
        assert card["reachable"] == contact.reachable
        assert (card["name"], card["phones"], card["emergency"]) == (
            contact.name,
            contact.phones,
            contact.emergency,
        )


def test_the_api_counts_indicators_through_their_levels_only(client):
    count = [q for q in sql_of(client, "/api/v1/indicators?level=4") if "COUNT(*)" in q]
    assert len(count) == 1
    assert "guidance_domain" not in count[0]
    body = client.get("/api/v1/indicators?level=4&limit=500").json()
    assert (
        body["count"]
        == len(body["results"])
        == Indicator.objects.published().filter(level__number=4).count()
    )


def test_the_strategy_legend_is_read_only_where_an_indicator_is_marked(client):
    def reads_next_steps(url):
        return any('FROM "guidance_nextstep"' in q for q in sql_of(client, url))

    marked = Indicator.objects.filter(strategy_discussion=True)
    assert marked.filter(domain__authority__slug="northshire").exists()
    assert reads_next_steps("/northshire/table/")
    assert not marked.filter(domain__authority__slug="southvale").exists()
    assert not reads_next_steps("/southvale/table/")
