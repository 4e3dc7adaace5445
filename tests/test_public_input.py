"""Whatever anyone puts in an address, the site answers with a page or a message, never a 500.

Query strings are built with urlencode and passed in the path, so the bytes reach the view as sent
(the test client would refuse some of them if given a dict).
"""

import re
from urllib.parse import urlencode

import pytest

from guidance.models import Authority, Contact

from .helpers import add_indicators

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"  # one more than the largest 64-bit integer
THOUSAND_WORDS = " ".join(["child"] * 1000)
TWENTY_ONE_WORDS = " ".join(["child"] * 21)
TWENTY_WORDS = " ".join(["child"] * 20)


def get(client, path, params=()):
    query = urlencode(params, doseq=True)
    response = client.get(f"{path}?{query}" if query else path)
    assert response.status_code < 500, path
    return response


def api_error(client, params):
    """The parameters the indicators endpoint names as invalid, and its message."""
    response = get(client, "/api/v1/indicators", params)
    assert response.status_code == 422, params
    body = response.json()
    return {e["parameter"] for e in body["errors"]}, body["detail"]


def summary(page):
    """The GOV.UK error summary of a page, which must be there, and whose links must land."""
    assert 'class="govuk-error-summary"' in page
    start = page.index('class="govuk-error-summary"')
    errors = page[start : page.index("</ul>", start)]
    for target in re.findall(r'href="#([^"]+)"', errors):
        assert f'id="{target}"' in page
    return errors


# --- The API's indicators endpoint ------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"offset": HUGE}, "offset", "less than or equal to 1000000"),
        ({"offset": 1_000_001}, "offset", "less than or equal to 1000000"),
        ({"offset": "\x00"}, "offset", "valid integer"),
        ({"limit": HUGE}, "limit", "less than or equal to 500"),
        ({"limit": "5\x00"}, "limit", "valid integer"),
        ({"q": THOUSAND_WORDS}, "q", "at most 200 characters"),
        ({"q": TWENTY_ONE_WORDS}, "q", "at most 20 words"),
        ({"q": "neglect\x00"}, "q", "control characters"),
        ({"q": "neglect\x1b"}, "q", "control characters"),
        ({"authority": "northshire\x00"}, "authority", "Null characters are not allowed"),
        ({"authority": "northshire\x01"}, "authority", "Select a valid choice"),
        ({"level": HUGE}, "level", "Select a valid choice"),
        ({"level": "2\x00"}, "level", "valid integer"),
        ({"domain": "Health\x00"}, "domain", "Select a valid choice"),
        ({"theme": "health\x00"}, "theme", "Select a valid choice"),
    ],
)
def test_api_bad_parameter_is_a_422_naming_it(client, params, parameter, message):
    names, detail = api_error(client, params)
    assert names == {parameter}
    assert detail == f"Invalid parameter: {parameter}"
    response = get(client, "/api/v1/indicators", params).json()
    assert message in response["errors"][0]["message"]


def test_api_bounds_are_inclusive(client):
    assert get(client, "/api/v1/indicators", {"offset": 1_000_000}).json()["results"] == []
    assert get(client, "/api/v1/indicators", {"q": TWENTY_WORDS, "limit": 500}).status_code == 200


def test_api_q_words_still_match(client):
    params = {"authority": "northshire", "q": "  fabricated  ILLNESS "}
    body = get(client, "/api/v1/indicators", params).json()
    assert [r["text"] for r in body["results"]] == ["Northshire fabricated illness indicator 4.2"]


def test_api_describes_its_bounds_in_the_schema(client):
    schema = get(client, "/api/v1/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/indicators"]["get"]["parameters"]}
    assert params["offset"]["schema"]["maximum"] == 1_000_000
    assert params["q"]["schema"]["anyOf"][0]["maxLength"] == 200
    assert "20 words" in params["q"]["description"]


@pytest.mark.parametrize("slug", ["northshire%00", "northshire%01", "northshire%7F", "%00"])
def test_api_authority_with_control_characters_is_a_404(client, slug):
    response = get(client, f"/api/v1/authorities/{slug}")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No authority")


def test_api_shows_only_safe_web_addresses(client):
    # Edited in the database directly, past the loader's and admin's checks.
    Authority.objects.filter(slug="northshire").update(website="javascript:alert(1)")
    Contact.objects.filter(authority__slug="northshire").update(
        url="javascript:alert(document.cookie)"
    )
    Authority.objects.filter(slug="southvale").update(website="https://southvale.example/")
    listed = {a["slug"]: a for a in get(client, "/api/v1/authorities").json()}
    assert listed["northshire"]["website"] == ""
    assert listed["southvale"]["website"] == "https://southvale.example/"
    detail = get(client, "/api/v1/authorities/northshire").json()
    assert detail["website"] == ""
    assert [c["url"] for c in detail["contacts"]] == ["", "", "", ""]
    level_urls = [c["url"] for level in detail["levels"] for c in level["contacts"]]
    assert level_urls and set(level_urls) == {""}


def test_api_keeps_a_plain_web_address_as_printed(client):
    detail = get(client, "/api/v1/authorities/northshire").json()
    urls = {c["name"]: c["url"] for c in detail["contacts"]}
    assert urls["Northshire Early Help Hub"] == "www.northshire-earlyhelp.example"
    assert urls["Northshire Front Door"] == "https://northshire.example/front-door"
    assert urls["Police"] == ""


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "message"),
    [
        (THOUSAND_WORDS, "Enter at most 20 words"),
        (TWENTY_ONE_WORDS, "Enter at most 20 words"),
        ("neglect" * 30, "Ensure this value has at most 200 characters (it has 210)"),
        ("neglect\x00", "Remove the control characters"),
        ("neglect\x07", "Remove the control characters"),
    ],
    ids=["1000 words", "21 words", "210 characters", "NUL", "bell"],
)
def test_search_with_bad_words_shows_the_error_summary(client, q, message):
    response = get(client, "/search/", {"q": q})
    assert response.status_code == 200
    errors = summary(response.content.decode())
    assert 'href="#id_q"' in errors
    assert message in errors
    assert errors.count("<li>") == 1
    assert 'id="result-count"' not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": THOUSAND_WORDS}, "q", "Enter at most 20 words"),
        ({"q": TWENTY_ONE_WORDS}, "q", "Enter at most 20 words"),
        ({"q": "neglect\x00"}, "q", "Remove the control characters"),
        ({"q": "neglect\x7f"}, "q", "Remove the control characters"),
        ({"level": HUGE}, "level_1", "Select a valid choice"),
        ({"level": "2\x00"}, "level_1", "Select a valid choice"),
        ({"domain": "Education\x00"}, "domain", "Select a valid choice"),
        ({"theme": "health\x00"}, "theme_1", "Select a valid choice"),
    ],
)
def test_indicators_page_with_bad_filters_shows_the_error_summary(client, params, field, message):
    response = get(client, "/northshire/indicators/", params)
    assert response.status_code == 200
    page = response.content.decode()
    errors = summary(page)
    assert f'href="#id_{field}"' in errors
    assert message in errors
    assert errors.count("<li>") == 1
    assert 'id="result-count" role="status">0 indicators</p>' in page


def test_indicators_page_highlights_only_words_it_searched(client):
    page = get(client, "/northshire/indicators/", {"q": "exploitation"}).content.decode()
    assert page.count("<mark>exploitation</mark>") == 3
    page = get(client, "/northshire/indicators/", {"q": "exploitation\x01"}).content.decode()
    assert "<mark>" not in page
    assert "Northshire exploitation indicator 3.1" not in page


@pytest.mark.parametrize(
    # Not "page": that is pytest-playwright's fixture, and sharing its name moves these tests
    # (and those after them) behind the browser tests, which empty the database.
    ("page_number", "shown"),
    [
        ("junk", "Page 1 of 4"),
        ("1\x00", "Page 1 of 4"),
        ("", "Page 1 of 4"),
        ("-1", "Page 4 of 4"),
        ("0", "Page 4 of 4"),
        (HUGE, "Page 4 of 4"),
        ("9" * 5000, "Page 1 of 4"),  # beyond the digits Python turns into an integer
        ("2.5", "Page 1 of 4"),
        ("1e400", "Page 1 of 4"),
    ],
    ids=["junk", "NUL", "empty", "negative", "zero", "huge", "5000 digits", "fraction", "1e400"],
)
def test_indicators_page_number_out_of_range_or_junk_still_shows_a_page(client, page_number, shown):
    add_indicators(Authority.objects.get(slug="northshire"), 130)  # 160 in all: 4 pages
    response = get(client, "/northshire/indicators/", {"page": page_number})
    assert response.status_code == 200
    assert shown in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"authority": ["northshire\x00", "southvale"]},
            "authority_1",
            "Null characters are not allowed",
        ),
        ({"authority": ["northshire\x01", "southvale"]}, "authority_1", "Select a valid choice"),
        (
            {"authority": ["northshire", "southvale"], "theme": "health\x00"},
            "theme",
            "Select a valid",
        ),
        (
            {"authority": ["northshire", "southvale"], "theme": HUGE},
            "theme",
            "Select a valid choice",
        ),
    ],
)
def test_compare_with_bad_input_shows_the_error_summary(client, params, field, message):
    response = get(client, "/compare/", params)
    assert response.status_code == 200
    errors = summary(response.content.decode())
    assert f'href="#id_{field}"' in errors
    assert message in errors


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"authority": ["northshire\x00", "southvale"], "level": 2},
            "authority_1",
            "Null characters",
        ),
        (
            {"authority": ["northshire", "southvale"], "level": HUGE},
            "level_1",
            "Select a valid choice",
        ),
        ({"authority": ["northshire", "southvale"], "level": "2\x00"}, "level_1", "Select a valid"),
    ],
)
def test_compare_next_steps_with_bad_input_shows_the_error_summary(client, params, field, message):
    response = get(client, "/compare/next-steps/", params)
    assert response.status_code == 200
    errors = summary(response.content.decode())
    assert f'href="#id_{field}"' in errors
    assert message in errors


@pytest.mark.parametrize(
    "path",
    [
        f"/northshire/present/{HUGE}/",
        f"/northshire/present/{'9' * 5000}/",
        f"/northshire/level/{HUGE}/",
        f"/northshire/indicators/{HUGE}/",
        "/northshire%00/present/2/",
        "/northshire%00/",
        "/northshire%01/indicators/",
        "/northshire/guidance/significant-harm%00/",
        "/northshire/present/2%00/",
    ],
    ids=lambda path: path[:40],
)
def test_unknown_addresses_with_huge_numbers_or_control_characters_are_404(client, path):
    assert get(client, path).status_code == 404
