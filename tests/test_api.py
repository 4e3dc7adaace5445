"""The read-only open-data API under /api/v1/, on the purpose-made documents (tests/data/site/):
Northshire (rich, 30 indicators), Southvale (small, 7) and Westmere (no domains or indicators)."""

from datetime import datetime

import pytest

from guidance.models import Authority

from .helpers import queries_before_and_after_more_data

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    return response.status_code, response.json()


def texts(body):
    return [row["text"] for row in body["results"]]


def test_authorities_lists_every_authority_with_its_document(client):
    status, body = get(client, "/api/v1/authorities")
    assert status == 200
    assert [a["slug"] for a in body] == ["northshire", "southvale", "westmere"]
    published_at = body[0].pop("published_at")
    assert body[0] == {
        "slug": "northshire",
        "name": "Northshire",
        "partnership": "Northshire Safeguarding Children Partnership",
        "document_title": "Northshire Levels of Need",
        "edition": "Test edition, January 2026",
        "website": "https://northshire.example",
        "published_edition": 1,
    }
    northshire = Authority.objects.get(slug="northshire")
    # To the millisecond, as JSON carries it.
    assert (
        abs(datetime.fromisoformat(published_at) - northshire.published_at).total_seconds() < 0.001
    )
    assert body[1]["website"] == ""  # Southvale gives none


def test_authority_detail_has_levels_next_steps_contacts_domains_sections(client):
    status, body = get(client, "/api/v1/authorities/northshire")
    assert status == 200
    assert body["caveat"].startswith("The Northshire levels of need support professional")
    assert [(lvl["number"], lvl["name"]) for lvl in body["levels"]] == [
        (1, "Northshire Universal"),
        (2, "Northshire Early Help"),
        (3, "Northshire Targeted"),
        (4, "Northshire Specialist"),
    ]
    assert body["levels"][0]["definition"] == ""
    assert body["levels"][3]["definition"].startswith("Northshire level 4 definition:")
    assert body["levels"][1]["next_steps"] == [
        {
            "heading": "Referral route",
            "text": "Northshire level 2 referral route.",
            "incomplete": False,
        },
        {
            "heading": "Consent",
            "text": "Northshire level 2 consent.\n\n- Talk to the family first.",
            "incomplete": False,
        },
    ]
    assert [c["name"] for c in body["levels"][3]["contacts"]] == [
        "Northshire Front Door",
        "Northshire Out of Hours",
    ]
    assert [c["name"] for c in body["levels"][0]["contacts"]] == []
    assert [c["name"] for c in body["contacts"]] == [
        "Northshire Front Door",
        "Northshire Out of Hours",
        "Police",
        "Northshire Early Help Hub",
    ]
    assert body["contacts"][0] == {
        "name": "Northshire Front Door",
        "phones": ["01234 567890"],
        "emails": ["frontdoor@northshire.example"],
        "url": "https://northshire.example/front-door",
        "hours": "Office hours",
        "area": "",
        "emergency": True,
        "levels": [3, 4],
    }
    hub = body["contacts"][3]
    assert hub["phones"] == ["01234 222333", "07700 900123"]
    assert hub["area"] == "North and East wards"
    assert hub["emergency"] is False
    assert hub["levels"] == [2]
    police = body["contacts"][2]
    assert (police["phones"], police["emergency"], police["levels"]) == (["999"], True, [])
    assert body["domains"] == [
        {"name": "Child's Development", "parent": None, "theme": None},
        {"name": "Health", "parent": "Child's Development", "theme": "health"},
        {"name": "Education", "parent": "Child's Development", "theme": "learning"},
        {"name": "Parenting Capacity", "parent": None, "theme": "parenting"},
        {"name": "Family and Environment", "parent": None, "theme": "family"},
        {"name": "Risks Outside the Home", "parent": None, "theme": "outside-home"},
    ]
    assert [(s["slug"], s["kind"]) for s in body["sections"]] == [
        ("significant-harm", "significant-harm"),
        ("consent", "consent"),
        ("step-up-step-down", "step-up-step-down"),
        ("glossary", "glossary"),
    ]
    assert body["sections"][3]["body"] == "MASH: Multi-Agency Safeguarding Hub."


def test_authority_without_domains_has_empty_lists(client):
    status, body = get(client, "/api/v1/authorities/westmere")
    assert status == 200
    assert body["domains"] == []
    assert [step for level in body["levels"] for step in level["next_steps"]] == []
    assert body["contacts"][1]["phones"] == []
    assert body["contacts"][1]["emails"] == ["families@westmere.example"]
    _, indicators = get(client, "/api/v1/indicators", authority="westmere")
    assert (indicators["count"], indicators["results"]) == (0, [])


def test_unknown_authority_is_a_json_404(client):
    status, body = get(client, "/api/v1/authorities/atlantis")
    assert status == 404
    assert body == {"detail": "No authority 'atlantis'"}


def test_indicators_filter_by_authority_level_and_words(client):
    status, body = get(client, "/api/v1/indicators", authority="northshire", level=4)
    assert status == 200
    assert body["count"] == 8
    status, body = get(
        client, "/api/v1/indicators", authority="northshire", level=4, q="fabricated"
    )
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["text"] == "Northshire fabricated illness indicator 4.2"
    assert row["authority"] == "northshire"
    assert row["level"] == 4
    assert row["level_name"] == "Northshire Specialist"
    assert row["domain"] == "Health"
    assert row["domain_path"] == "Child's Development / Health"
    assert row["theme"] == "health"
    assert row["strategy_discussion"] is True
    assert row["incomplete"] is False
    # Where the document puts it and the transcription notes are for editors, not published.
    assert "source" not in row and "note" not in row
    assert row["url"] == f"http://testserver/northshire/indicators/{row['id']}/"


def test_indicators_of_every_authority_without_a_filter(client):
    _, body = get(client, "/api/v1/indicators", limit=500)
    assert body["count"] == 37  # Northshire 30, Southvale 7, Westmere none
    assert {r["authority"] for r in body["results"]} == {"northshire", "southvale"}
    _, plain = get(client, "/api/v1/indicators", authority="northshire", q="education 1.1")
    assert plain["results"][0]["strategy_discussion"] is False


def test_indicators_level_and_theme_may_repeat(client):
    _, both = get(client, "/api/v1/indicators", authority="northshire", level=[1, 2])
    assert both["count"] == 13  # 5 at level 1, 8 at level 2
    assert {r["level"] for r in both["results"]} == {1, 2}
    _, themes = get(
        client, "/api/v1/indicators", authority="northshire", theme=["health", "learning"]
    )
    assert themes["count"] == 15
    _, one = get(client, "/api/v1/indicators", authority="northshire", theme="learning")
    assert one["count"] == 6
    assert {r["domain"] for r in one["results"]} == {"Education"}


def test_indicators_q_matches_all_words_ignoring_case(client):
    _, body = get(client, "/api/v1/indicators", authority="northshire", q="EDUCATION indicator 3.1")
    assert texts(body) == ["Northshire education indicator 3.1"]
    _, none = get(client, "/api/v1/indicators", authority="northshire", q="education fabricated")
    assert none["count"] == 0


def test_indicators_domain_matches_a_domain_or_its_grouping(client):
    _, body = get(
        client, "/api/v1/indicators", authority="northshire", domain="Child's Development"
    )
    assert body["count"] == 15
    assert {r["domain"] for r in body["results"]} == {"Health", "Education"}
    _, body = get(client, "/api/v1/indicators", authority="northshire", domain="Education")
    assert body["count"] == 6


def test_indicators_are_in_document_order(client):
    _, body = get(client, "/api/v1/indicators", authority="southvale")
    assert texts(body) == [
        "Southvale health indicator 1.1",
        "Southvale health indicator 2.1",
        "Southvale learning indicator 2.1",
        "Southvale learning indicator 2.2",
        "Southvale health indicator 3.1",
        "Southvale health indicator 4.1",
        "Southvale learning indicator 4.1",
    ]


def test_indicators_are_paged_with_limit_and_offset(client):
    _, first = get(client, "/api/v1/indicators", authority="northshire", limit=20)
    _, rest = get(client, "/api/v1/indicators", authority="northshire", limit=20, offset=20)
    assert first["count"] == rest["count"] == 30
    assert (first["limit"], first["offset"], rest["offset"]) == (20, 0, 20)
    assert len(first["results"]) == 20
    assert len(rest["results"]) == 10
    ids = [r["id"] for r in first["results"] + rest["results"]]
    assert len(set(ids)) == 30
    _, default = get(client, "/api/v1/indicators")
    assert default["limit"] == 50


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"level": 7}, "level"),
        ({"level": "two"}, "level"),
        ({"theme": "maths"}, "theme"),
        ({"authority": "atlantis"}, "authority"),
        ({"domain": "Nowhere"}, "domain"),
        ({"limit": 0}, "limit"),
        ({"limit": 100000}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_parameters_give_422_naming_the_parameter(client, params, parameter):
    status, body = get(client, "/api/v1/indicators", **params)
    assert status == 422
    assert body["detail"] == f"Invalid parameter: {parameter}"
    assert [e["parameter"] for e in body["errors"]] == [parameter]


def test_openapi_schema_describes_the_endpoints(client):
    status, schema = get(client, "/api/v1/openapi.json")
    assert status == 200
    assert set(schema["paths"]) >= {
        "/api/v1/authorities",
        "/api/v1/authorities/{slug}",
        "/api/v1/indicators",
    }
    params = {p["name"] for p in schema["paths"]["/api/v1/indicators"]["get"]["parameters"]}
    assert params >= {"authority", "level", "domain", "theme", "q", "limit", "offset"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/authorities",
        "/api/v1/authorities/northshire",
        "/api/v1/indicators?authority=northshire&level=1&level=4&theme=health&q=extra&limit=200",
    ],
)
def test_each_endpoint_answers_in_a_fixed_number_of_queries(client, url):
    northshire = Authority.objects.get(slug="northshire")
    small, large = queries_before_and_after_more_data(client, url, northshire)
    assert large == small
    assert small <= 10
