"""Whatever anyone puts in an address, the site answers with a page or a message, never a 500.

Query strings are built with urlencode and passed in the path, so the bytes reach the view as sent
(the test client would refuse some of them if given a dict).
"""

import re
from urllib.parse import urlencode

import pytest

from guidance.models import Authority, Contact

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
        ({"authority": "hull\x00"}, "authority", "Null characters are not allowed"),
        ({"authority": "hull\x01"}, "authority", "Select a valid choice"),
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
    body = get(client, "/api/v1/indicators", {"authority": "hull", "q": "  missing  school "})
    assert body.json()["count"] >= 1


def test_api_describes_its_bounds_in_the_schema(client):
    schema = get(client, "/api/v1/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/indicators"]["get"]["parameters"]}
    assert params["offset"]["schema"]["maximum"] == 1_000_000
    assert params["q"]["schema"]["anyOf"][0]["maxLength"] == 200
    assert "20 words" in params["q"]["description"]


@pytest.mark.parametrize("slug", ["hull%00", "hull%01", "hull%7F", "%00"])
def test_api_authority_with_control_characters_is_a_404(client, slug):
    response = get(client, f"/api/v1/authorities/{slug}")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No authority")


def test_api_shows_only_safe_web_addresses(client, sample):
    sample.website = "javascript:alert(1)"
    sample.save()
    Contact.objects.filter(authority=sample).update(url="javascript:alert(document.cookie)")
    Authority.objects.filter(slug="hull").update(website="https://www.hullscp.co.uk/")
    listed = {a["slug"]: a for a in get(client, "/api/v1/authorities").json()}
    assert listed["sample"]["website"] == ""
    assert listed["hull"]["website"] == "https://www.hullscp.co.uk/"
    detail = get(client, "/api/v1/authorities/sample").json()
    assert detail["website"] == ""
    assert {c["url"] for c in detail["contacts"]} == {""}
    assert {c["url"] for level in detail["levels"] for c in level["contacts"]} <= {""}


def test_api_keeps_a_plain_web_address_as_printed(client, sample):
    Contact.objects.filter(authority=sample).update(url="www.sendiassglos.org.uk")
    detail = get(client, "/api/v1/authorities/sample").json()
    assert {c["url"] for c in detail["contacts"]} == {"www.sendiassglos.org.uk"}


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
    response = get(client, "/dudley/indicators/", params)
    assert response.status_code == 200
    page = response.content.decode()
    errors = summary(page)
    assert f'href="#id_{field}"' in errors
    assert message in errors
    assert errors.count("<li>") == 1
    assert "0 indicators" in page


def test_indicators_page_highlights_only_words_it_searched(client):
    page = get(client, "/dudley/indicators/", {"q": "school"}).content.decode()
    assert "<mark>" in page
    page = get(client, "/dudley/indicators/", {"q": "school\x01"}).content.decode()
    assert "<mark>" not in page


@pytest.mark.parametrize(
    ("page", "shown"),
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
def test_indicators_page_number_out_of_range_or_junk_still_shows_a_page(client, page, shown):
    response = get(client, "/dudley/indicators/", {"page": page})
    assert response.status_code == 200
    assert shown in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"authority": ["hull\x00", "dudley"]}, "authority_1", "Null characters are not allowed"),
        ({"authority": ["hull\x01", "dudley"]}, "authority_1", "Select a valid choice"),
        ({"authority": ["hull", "dudley"], "theme": "health\x00"}, "theme", "Select a valid"),
        ({"authority": ["hull", "dudley"], "theme": HUGE}, "theme", "Select a valid choice"),
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
        ({"authority": ["hull\x00", "dudley"], "level": 2}, "authority_1", "Null characters"),
        ({"authority": ["hull", "dudley"], "level": HUGE}, "level_1", "Select a valid choice"),
        ({"authority": ["hull", "dudley"], "level": "2\x00"}, "level_1", "Select a valid"),
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
        f"/hull/present/{HUGE}/",
        f"/hull/present/{'9' * 5000}/",
        f"/hull/level/{HUGE}/",
        f"/hull/indicators/{HUGE}/",
        "/hull%00/present/2/",
        "/hull%00/",
        "/hull%01/indicators/",
        "/hull/guidance/significant-harm%00/",
        "/hull/present/2%00/",
    ],
    ids=lambda path: path[:40],
)
def test_unknown_addresses_with_huge_numbers_or_control_characters_are_404(client, path):
    assert get(client, path).status_code == 404
