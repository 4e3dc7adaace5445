"""The read-only open-data API under /api/v1/."""

import pytest
from django.core.management import call_command

from .conftest import queries_before_and_after_more_data

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    return response.status_code, response.json()


def test_authorities_lists_every_authority_with_its_document(client, sample):
    status, body = get(client, "/api/v1/authorities")
    assert status == 200
    sample_row = next(a for a in body if a["slug"] == "sample")
    assert sample_row == {
        "slug": "sample",
        "name": "Sampleshire",
        "partnership": "Sampleshire Safeguarding Children Partnership",
        "document_title": "Sample Levels of Need",
        "edition": "May 2020",
        "website": "",
    }


def test_authority_detail_has_levels_next_steps_contacts_domains_sections(client, sample):
    status, body = get(client, "/api/v1/authorities/sample")
    assert status == 200
    assert [(lvl["number"], lvl["name"]) for lvl in body["levels"]] == [
        (1, "Universal"),
        (2, "Early Help"),
        (3, "Targeted"),
        (4, "Specialist"),
    ]
    assert body["levels"][1]["next_steps"] == [
        {
            "heading": "Referral route",
            "text": "Talk to the family.\n\n- Complete an early help assessment.",
        }
    ]
    assert [c["name"] for c in body["levels"][3]["contacts"]] == ["Front Door"]
    front_door = body["contacts"][0]
    assert front_door["phones"] == ["01234 567890"]
    assert front_door["emails"] == ["frontdoor@example.org"]
    assert front_door["emergency"] is True
    assert front_door["hours"] == "Office hours"
    assert {"name": "Health", "parent": "Child's Development", "theme": "health"} in body["domains"]
    assert body["sections"][0]["slug"] == "significant-harm"


def test_unknown_authority_is_a_json_404(client, db):
    status, body = get(client, "/api/v1/authorities/atlantis")
    assert status == 404
    assert body == {"detail": "No authority 'atlantis'"}


def test_indicators_filter_by_authority_level_and_words(client, sample):
    status, body = get(client, "/api/v1/indicators", authority="sample", level=4)
    assert status == 200
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["text"] == "Fabricated or induced illness: medical evidence"
    assert row["authority"] == "sample"
    assert row["level"] == 4
    assert row["level_name"] == "Specialist"
    assert row["domain"] == "Health"
    assert row["domain_path"] == "Child's Development / Health"
    assert row["theme"] == "health"
    assert row["strategy_discussion"] is True
    assert row["source"] == "Development table"
    assert row["url"].endswith(f"/sample/indicators/{row['id']}/")


def test_indicators_level_and_theme_may_repeat(client, sample):
    _, both = get(client, "/api/v1/indicators", authority="sample", level=[1, 2])
    assert both["count"] == 3
    _, themes = get(client, "/api/v1/indicators", authority="sample", theme=["health", "learning"])
    assert themes["count"] == 4
    _, one = get(client, "/api/v1/indicators", authority="sample", theme="learning")
    assert one["count"] == 2


def test_indicators_q_matches_all_words_ignoring_case(client, sample):
    _, body = get(client, "/api/v1/indicators", authority="sample", q="NON attendance")
    assert [r["text"] for r in body["results"]] == ["Occasional non attendance at school;"]
    _, none = get(client, "/api/v1/indicators", authority="sample", q="attendance fabricated")
    assert none["count"] == 0


def test_indicators_domain_matches_a_domain_or_its_grouping(client, sample):
    _, body = get(client, "/api/v1/indicators", authority="sample", domain="Child's Development")
    assert body["count"] == 2
    _, body = get(client, "/api/v1/indicators", authority="sample", domain="Education")
    assert body["count"] == 2


def test_indicators_are_paged_with_limit_and_offset(client, sample):
    _, first = get(client, "/api/v1/indicators", authority="sample", limit=3)
    _, rest = get(client, "/api/v1/indicators", authority="sample", limit=3, offset=3)
    assert first["count"] == rest["count"] == 4
    assert len(first["results"]) == 3
    assert len(rest["results"]) == 1
    ids = [r["id"] for r in first["results"] + rest["results"]]
    assert len(set(ids)) == 4


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"level": 7}, "level"),
        ({"level": "two"}, "level"),
        ({"theme": "maths"}, "theme"),
        ({"authority": "atlantis"}, "authority"),
        ({"limit": 0}, "limit"),
        ({"limit": 100000}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_parameters_give_422_naming_the_parameter(client, sample, params, parameter):
    status, body = get(client, "/api/v1/indicators", **params)
    assert status == 422
    assert parameter in body["detail"]
    assert body["errors"][0]["parameter"] == parameter


def test_openapi_schema_describes_the_endpoints(client, db):
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
        "/api/v1/authorities/sample",
        "/api/v1/indicators?authority=sample&level=1&level=4&theme=health&q=extra&limit=200",
    ],
)
def test_each_endpoint_answers_in_a_fixed_number_of_queries(client, sample, url):
    small, large = queries_before_and_after_more_data(client, url, sample)
    assert large == small
    assert small <= 10


def test_api_serves_the_real_fixtures(client, db):
    call_command("load_thresholds", verbosity=0)
    _, body = get(client, "/api/v1/authorities")
    assert {a["slug"] for a in body} >= {"dudley", "gloucestershire", "newcastle"}
