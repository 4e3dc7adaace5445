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
