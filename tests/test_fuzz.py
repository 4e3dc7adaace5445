"""Whatever a visitor puts in an address, no page or endpoint answers with a server error.

Hypothesis sends arbitrary text, control characters, huge integers and real values, repeated, to
every parameter. Query strings are built with urlencode so the bytes reach the view as sent.
"""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

# Not timed: a slow example is not a failure. No example database: nothing written to the tree.
fuzz = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# The API answers in milliseconds, so it gets more examples than the pages.
fuzz_more = settings(fuzz, max_examples=150)

REAL = [
    "northshire",
    "southvale",
    "westmere",
    "1",
    "4",
    "health",
    "Education",
    "Child's Development",
    "indicator 3.1",
    "contact",
    "next_step",
    '"front door" explo* <-> & | !',
]
# Values that broke, or could break, a database or a conversion: past 64 bits, past the digits
# Python turns into an integer, and more words than SQLite takes conditions.
EDGES = ["", "-1", str(2**63), str(2**64), "9" * 5000, "1e400", " ".join(["child"] * 1000)]
controls = st.text(st.characters(max_codepoint=0x1F) | st.just("\x7f"), min_size=1, max_size=3)
values = st.one_of(
    st.sampled_from(EDGES),
    st.tuples(st.sampled_from(REAL), controls).map("".join),
    st.sampled_from(REAL),
    st.integers().map(str),
    st.text(),
)


def query(parameter, names):
    """A query string with the parameter, and maybe others, each maybe repeated."""
    pairs = st.lists(st.tuples(st.sampled_from(names), values), max_size=4)
    return st.tuples(values, pairs).map(lambda v: urlencode([(parameter, v[0]), *v[1]]))


PAGES = {
    "/search/": ["q", "area", "kind", "page"],
    "/northshire/indicators/": ["q", "level", "domain", "theme", "page"],
    "/compare/": ["authority", "theme"],
    "/compare/next-steps/": ["authority", "level"],
}
API_PARAMETERS = ["authority", "level", "domain", "theme", "q", "limit", "offset"]
SEARCH_PARAMETERS = ["q", "authority", "kind", "limit", "offset"]


@pytest.mark.parametrize(
    ("path", "parameter"), [(path, name) for path, names in PAGES.items() for name in names]
)
@fuzz
@given(data=st.data())
def test_pages_answer_any_query_string(client, path, parameter, data):
    url = f"{path}?{data.draw(query(parameter, PAGES[path]), label='query')}"
    assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("parameter", API_PARAMETERS)
@fuzz_more
@given(data=st.data())
def test_indicators_endpoint_answers_any_query_string(client, parameter, data):
    url = f"/api/v1/indicators?{data.draw(query(parameter, API_PARAMETERS), label='query')}"
    response = client.get(url)
    assert response.status_code in (200, 422), url
    if response.status_code == 422:
        assert response.json()["errors"]


@pytest.mark.parametrize("parameter", SEARCH_PARAMETERS)
@fuzz_more
@given(data=st.data())
def test_search_endpoint_answers_any_query_string(client, parameter, data):
    url = f"/api/v1/search?{data.draw(query(parameter, SEARCH_PARAMETERS), label='query')}"
    response = client.get(url)
    assert response.status_code in (200, 422), url
    if response.status_code == 422:
        assert response.json()["errors"]


@fuzz_more
@given(slug=values)
def test_authority_endpoint_answers_any_slug(client, slug):
    response = client.get(f"/api/v1/authorities/{quote(slug, safe='')}")
    assert response.status_code < 500, slug


@fuzz
@given(slug=values, number=st.integers(min_value=0))
def test_authority_pages_answer_any_slug_and_number(client, slug, number):
    for path in (f"{quote(slug, safe='')}/present/{number}", f"northshire/level/{number}"):
        assert client.get(f"/{path}/").status_code in (200, 404), path
