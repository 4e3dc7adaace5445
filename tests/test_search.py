"""Search (guidance/search.py): normalisation, synonyms, query syntax, the search page and the
API, on whichever database the run uses; the expected results are written out, so SQLite and
PostgreSQL runs assert the same sets. Most tests use the purpose-made documents
(tests/data/site/); the wording tests at the end load the real ones.
"""

import importlib
import re
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.apps import apps as django_apps
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance import search
from guidance.models import (
    Authority,
    Contact,
    GuidanceSection,
    Indicator,
    NextStep,
    SearchEntry,
)
from guidance.search import Results, parse, terms

from .helpers import SITE_DOCUMENTS, add_indicators, queries_before_and_after_more_data

pytestmark = pytest.mark.django_db


def found(q, **filters):
    """(kind, authority slug, title or text) of every entry the query matches."""
    results = Results(parse(q), SearchEntry.objects.filter(**filters))
    return {(r.kind, r.authority.slug, r.text or r.title) for r in results[0 : results.count()]}


def texts(q, **filters):
    return {text for _, _, text in found(q, **filters)}


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def result_count(page):
    return re.search(r'id="result-count" role="status">([^<]*)<', page).group(1)


NORTHSHIRE_DV = {
    "Northshire family domestic violence indicator 2.1",
    "Northshire family domestic violence indicator 3.1",
    "Northshire family domestic violence indicator 4.1",
}


# --- Normalisation and synonyms ------------------------------------------------------------------


def test_terms_fold_lower_join_apostrophes_stem_and_pad():
    assert terms("Child’s home") == " child home "
    assert terms("Parents, PARENTAL; parenting") == " parent parent parent "
    assert terms("Café naïve — self-harm!") == " cafe naiv self harm zsynselfharm "
    assert terms("") == " "
    assert terms("!!!") == " "
    # Synonym tokens go at the end, once per group, however often the text mentions it.
    assert terms("DV: domestic violence", "and domestic abuse") == (
        " dv domest violenc and domest abus zsyndv "
    )


def test_synonyms_file_is_reviewed_and_consistent():
    groups = search.read_synonyms()
    names = {group.name for group in groups}
    for wanted in ["dv", "cse", "cce", "fgm", "mash", "eha", "camhs", "neet", "cme", "ehe"]:
        assert wanted in names
    assert "selfharm" in names
    for group in groups:
        assert re.fullmatch(r"[a-z0-9]+", group.name)
        assert group.why.strip()
        assert len(group.phrases) >= 2
    phrases = [phrase for group in groups for phrase in group.phrases]
    assert len(phrases) == len(set(phrases))  # no phrase in two groups


def test_a_bad_synonyms_file_fails_loudly(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("groups:\n  - name: Bad Name\n    why: x\n    phrases: [a, b]\n")
    with pytest.raises(ValueError, match="a-z and 0-9"):
        search.read_synonyms(path)
    path.write_text(
        "groups:\n  - {name: a, why: x, phrases: [dv, x]}\n  - {name: b, why: y, phrases: [DV]}\n"
    )
    with pytest.raises(ValueError, match="in synonym groups"):
        search.read_synonyms(path)


@pytest.mark.parametrize(
    ("q", "tsquery"),
    [
        ("parents", "(('parent'))"),
        ("domestic abuse", "(('zsyndv') | ('domest' & 'abus'))"),
        ("DV", "(('zsyndv'))"),
        ('"domestic abuse"', "(('zsyndv'))"),
        ('"domestic abuse', "(('zsyndv'))"),  # a quote left open runs to the end
        ('"health indicator"', "(('health' <-> 'indic'))"),
        ("explo*", "(('explo':*))"),
        ("self-harm", "(('zsynselfharm'))"),
        ("4.1", "(('4' <-> '1'))"),
        ("a*", "(('a'))"),  # too short a prefix: the word itself
        ("child's & | ! : ( ) <-> 'x'", "(('child')) & (('x'))"),
        ("neglect neglect", "(('neglect'))"),
    ],
)
def test_queries_parse_to_safe_tsqueries(q, tsquery):
    assert parse(q).tsquery() == tsquery


@pytest.mark.parametrize("q", ["", "   ", "*", "**", '"', '""', "!!!", "& | ! <->", "' ’ “ ”"])
def test_queries_without_words_match_nothing(q):
    assert not parse(q)
    assert not SearchEntry.objects.matching(q).exists()


# --- What is found ------------------------------------------------------------------------------


def test_synonyms_find_the_other_wording():
    # Northshire says "domestic violence"; nobody there says "domestic abuse" or "DV".
    assert texts("domestic abuse", kind="indicator") == NORTHSHIRE_DV
    assert texts("DV", kind="indicator") == NORTHSHIRE_DV
    assert texts('"domestic abuse"', kind="indicator") == NORTHSHIRE_DV


def test_mash_finds_the_contact_and_the_glossary():
    assert found("MASH") == {
        ("contact", "southvale", "Southvale MASH"),
        ("section", "northshire", "MASH: Multi-Agency Safeguarding Hub."),
    }
    assert found("multi-agency safeguarding hub") == found("MASH")


def test_consent_finds_sections_and_next_steps():
    results = found("consent")
    assert ("section", "northshire", "Northshire consent guidance.") in results
    assert {kind for kind, _, _ in results} == {"section", "next_step"}
    assert len([r for r in results if r[0] == "next_step"]) == 8  # Northshire and Southvale


def test_words_all_appear_but_a_phrase_needs_them_together():
    assert texts("health 4.1", kind="indicator") == {
        "Northshire health indicator 4.1",
        "Southvale health indicator 4.1",
    }
    assert texts('"health 4.1"', kind="indicator") == set()
    assert texts('"indicator 4.1" health', kind="indicator") == {
        "Northshire health indicator 4.1",
        "Southvale health indicator 4.1",
    }


def test_prefix_and_stemming():
    exploitation = {
        "Northshire exploitation indicator 3.1",
        "Northshire exploitation indicator 4.1",
        "Northshire exploitation indicator 4.2",
    }
    assert texts("explo*") == exploitation
    assert texts("exploited") == exploitation  # the same stem
    assert texts("explo") == set()
    parenting = texts("parental", kind="indicator")
    assert len(parenting) == 9 and all("parenting indicator" in t for t in parenting)
    assert texts("parents", kind="indicator") == parenting


def test_ranking_puts_a_contact_named_with_the_words_first():
    results = Results(parse("front door"), SearchEntry.objects.all())
    ranked = [(r.kind, r.title) for r in results[0:20]]
    assert ranked[0] == ("contact", "Northshire Front Door")
    assert ("section", "Significant harm") in ranked[1:]  # "Call the Front Door." in its text


def test_contacts_rank_above_indicators_that_merely_contain_the_words():
    northshire = Authority.objects.get(slug="northshire")
    northshire.contacts.create(name="Domestic Abuse Team", phones=["01234 111222"])
    results = Results(parse("domestic abuse"), SearchEntry.objects.all())
    ranked = [(r.kind, r.title) for r in results[0:20]]
    assert ranked[0] == ("contact", "Domestic Abuse Team")
    assert [kind for kind, _ in ranked[1:]] == ["indicator"] * 3


# --- Keeping entries current --------------------------------------------------------------------


def test_every_row_has_one_entry_after_loading():
    assert (
        SearchEntry.objects.filter(kind="indicator").count()
        == Indicator.objects.published().count()
    )
    assert SearchEntry.objects.filter(kind="contact").count() == Contact.objects.published().count()
    assert (
        SearchEntry.objects.filter(kind="next_step").count() == NextStep.objects.published().count()
    )
    assert (
        SearchEntry.objects.filter(kind="section").count()
        == GuidanceSection.objects.published().count()
    )


def test_an_edit_shows_on_the_next_request_and_a_deletion_disappears(client):
    assert "0 results" in result_count(html(client, "/search/?q=hoarding"))
    indicator = Indicator.objects.published().get(text="Northshire health indicator 1.1")
    indicator.text = "Hoarding in the home"
    indicator.save()
    page = html(client, "/search/?q=hoarding")
    assert result_count(page) == "1 result for ‘hoarding’"
    assert "<mark>Hoarding</mark> in the home" in page
    assert "Northshire health indicator 1.1" not in html(client, "/search/?q=health+1.1")
    pk = indicator.pk
    indicator.delete()
    assert "0 results" in result_count(html(client, "/search/?q=hoarding"))
    assert not SearchEntry.objects.filter(indicator_id=pk).exists()


def test_new_contacts_sections_and_next_steps_are_found():
    northshire = Authority.objects.get(slug="northshire")
    contact = northshire.contacts.create(
        name="Youth Offending Service", covers="Harbour ward", phones=["01000 000000"]
    )
    northshire.sections.create(slug="private-fostering", title="Private fostering", body="Tell us")
    northshire.levels.get(number=2).next_steps.create(heading="Ring first", text="Ring the hub.")
    assert texts("harbour") == {"Harbour ward"}
    assert found("fostering") == {("section", "northshire", "Tell us")}
    assert found("ring") == {("next_step", "northshire", "Ring the hub.")}
    contact.delete()
    assert texts("harbour") == set()


def test_admin_edit_through_the_change_form_updates_search(admin_client):
    section = GuidanceSection.objects.published().get(authority__slug="northshire", slug="consent")
    section.body = "Gillick competence applies."
    section.save()  # what the admin change form does, signals and all
    assert found("gillick") == {("section", "northshire", "Gillick competence applies.")}


def test_loading_a_document_rebuilds_its_entries(tmp_path):
    text = (SITE_DOCUMENTS / "northshire.yaml").read_text()
    changed = text.replace("Northshire health indicator 1.2", "Northshire scurvy indicator 1.2")
    path = tmp_path / "northshire.yaml"
    path.write_text(changed)
    call_command("load_thresholds", str(path), stdout=StringIO())
    assert texts("scurvy") == {"Northshire scurvy indicator 1.2"}
    assert texts('"health indicator 1.2"') == set()


def test_rebuild_search_command_writes_every_entry_again():
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search", "southvale", stdout=out)
    assert "search entries written for 1 authorities" in out.getvalue()
    assert {e.authority.slug for e in SearchEntry.objects.select_related("authority")} == {
        "southvale"
    }
    call_command("rebuild_search", stdout=out)
    assert SearchEntry.objects.published().count() == (
        Indicator.objects.published().count()
        + Contact.objects.published().count()
        + NextStep.objects.published().count()
        + GuidanceSection.objects.published().count()
    )


# --- The search page ----------------------------------------------------------------------------


def test_search_page_counts_by_kind_and_links_each_result(client):
    page = html(client, "/search/?q=consent")
    assert result_count(page) == "9 results for ‘consent’"
    assert "Guidance sections 1</a>" in page and "Next steps 8</a>" in page
    assert "Contacts 0" in page and "Indicators 0" in page
    assert 'href="/northshire/guidance/consent/"' in page
    assert 'href="/northshire/level/1/#next-steps"' in page
    assert "<mark>Consent</mark> and information sharing" in page
    contacts = html(client, "/search/?q=front+door")
    assert 'href="/northshire/level/3/#contacts"' in contacts  # its lowest level
    assert 'href="tel:01234567890"' in contacts
    indicators = html(client, "/search/?q=fabricated")
    url = Indicator.objects.published().get(text__contains="fabricated").get_absolute_url()
    assert f'href="{url}"' in indicators
    assert '<span class="level-tag">Level 4</span></span> Northshire Specialist' in indicators
    assert "Put words in quotes to find them together" in indicators


def test_search_page_filters_by_area_and_kind(client):
    page = html(client, "/search/?q=consent&area=southvale")
    assert result_count(page) == "4 results for ‘consent’"
    assert "Northshire" not in page.split('id="result-count"')[1]
    page = html(client, "/search/?q=consent&kind=section")
    assert result_count(page) == "9 results for ‘consent’"
    assert '<strong aria-current="page">Guidance sections 1</strong>' in page
    assert 'href="?q=consent&amp;kind=next_step">Next steps 8</a>' in page
    assert "/#next-steps" not in page
    errors = html(client, "/search/?q=consent&area=atlantis")
    assert "Select a valid choice" in errors and 'id="result-count"' not in errors


def test_search_page_pages_twenty_at_a_time(client):
    southvale = Authority.objects.get(slug="southvale")
    add_indicators(southvale, 45)
    search.rebuild([southvale.pk])  # bulk writes send no signals, as in the loader
    page = html(client, "/search/?q=paging")
    assert result_count(page) == "45 results for ‘paging’"
    assert page.count('class="app-search-result"') == 20
    assert "Page 1 of 3" in page and 'rel="next"' in page
    last = html(client, "/search/?q=paging&page=3")
    assert last.count('class="app-search-result"') == 5 and 'start="41"' in last
    for bad, shown in [("junk", 1), ("0", 3), ("-1", 3), ("99", 3), ("1\x00", 1), ("9" * 5000, 1)]:
        url = "/search/?" + urlencode({"q": "paging", "page": bad})
        assert f"Page {shown} of 3" in html(client, url)


@pytest.mark.parametrize("area", ["atlantis", " northshire", "northshire\x00", "<b>x</b>"])
def test_search_page_refuses_an_area_that_is_not_one_of_the_choices(client, area):
    """The area is checked as a choice field checks its choices (exactly, no trimming)."""
    page = html(client, "/search/?" + urlencode({"q": "consent", "area": area}))
    assert "Select a valid choice." in page and "is not one of the available choices" in page
    assert 'id="result-count"' not in page
    assert "<b>x</b>" not in page
    api = client.get("/api/v1/search", {"q": "consent", "authority": area})
    assert api.status_code == 422
    assert api.json()["detail"] == "Invalid parameter: authority"


def _listed(page):
    """The addresses of the results on a search page, in order."""
    results = page.split('class="govuk-list app-search-results"')[1].split("</ol>")[0]
    return re.findall(r'<a class="govuk-link[^"]*" href="([^"]+)"', results)


def test_search_page_reads_its_counts_with_its_page_of_results(client):
    southvale = Authority.objects.get(slug="southvale")
    add_indicators(southvale, 45)
    search.rebuild([southvale.pk])
    with CaptureQueriesContext(connection) as queries:
        page = html(client, "/search/?q=paging")
    assert result_count(page) == "45 results for ‘paging’"
    # One query counts and ranks the page, one fetches what it shows (else a count first).
    searched = [q["sql"] for q in queries if "guidance_searchentry" in q["sql"]]
    assert len(searched) == 2, searched
    # Page for page the same results as counting, then ranking the page on its own (the API's
    # way), including the addresses the Paginator takes to another page.
    for asked, number in [("1", 1), ("2", 2), ("3", 3), ("junk", 1), ("0", 3), ("99", 3)]:
        url = "/search/?" + urlencode({"q": "paging", "page": asked})
        shown = html(client, url)
        assert f"Page {number} of 3" in shown
        results = Results(parse("paging"), SearchEntry.objects.all())
        start = (number - 1) * 20
        expected = [result.url for result in results[start : min(start + 20, 45)]]
        assert _listed(shown) == expected and expected
    nothing = html(client, "/search/?q=zebra+crossing&page=2")
    assert result_count(nothing) == "0 results for ‘zebra crossing’"


def test_search_page_without_results_says_what_to_try(client):
    page = html(client, "/search/?q=zebra+crossing")
    assert result_count(page) == "0 results for ‘zebra crossing’"
    assert "Nothing matches ‘zebra crossing’" in page
    assert "use fewer words" in page
    assert "Put words in quotes" in page


@pytest.mark.parametrize(
    "q",
    [
        "x" * 200,
        " ".join(["child"] * 20),
        '"domestic abuse',
        'abuse"',
        "***",
        "* *",
        "child & neglect | !x : (y) <-> z",
        "'; DROP TABLE guidance_searchentry; --",
        "a:* & b",
        "\\",
        "%_%",
        "’’",
        "ünïcödé ß",
        "9" * 150,
        "a." * 100,
        "-".join(["child"] * 33),
    ],
)
def test_hostile_queries_are_answered_sensibly(client, q):
    response = client.get("/search/?" + urlencode({"q": q}))
    assert response.status_code == 200
    api = client.get("/api/v1/search?" + urlencode({"q": q}))
    assert api.status_code in (200, 422)
    assert SearchEntry.objects.published().count() > 0  # nothing dropped


def test_punctuation_only_query_gets_a_clear_message(client):
    page = html(client, "/search/?q=%21%3F%2A")
    assert "Enter words to search for: letters or numbers, not only punctuation" in page
    assert 'id="result-count"' not in page


@pytest.mark.parametrize(
    "url", ["/search/?q=extra", "/search/?q=extra&kind=contact&area=northshire&page=2"]
)
def test_search_page_queries_are_fixed_whatever_the_data(client, url):
    northshire = Authority.objects.get(slug="northshire")
    small, large = queries_before_and_after_more_data(client, url, northshire)
    assert small == large


# --- The API ------------------------------------------------------------------------------------


def test_api_search_returns_ranked_mixed_results(client):
    body = client.get("/api/v1/search", {"q": "front door", "limit": 2}).json()
    assert body["count"] == 2 and body["limit"] == 2 and body["offset"] == 0
    assert body["results"][0] == {
        "kind": "contact",
        "authority": "northshire",
        "level": None,
        "title": "Northshire Front Door",
        "text": "",
        "url": "http://testserver/northshire/level/3/#contacts",
    }
    assert body["results"][1]["kind"] == "section"
    steps = client.get("/api/v1/search", {"q": "consent", "kind": "next_step"}).json()
    assert steps["count"] == 8 and {r["kind"] for r in steps["results"]} == {"next_step"}
    assert {r["level"] for r in steps["results"]} == {1, 2, 3, 4}
    southvale = client.get("/api/v1/search", {"q": "consent", "authority": "southvale"}).json()
    assert {r["authority"] for r in southvale["results"]} == {"southvale"}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "!!!"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": " ".join(["child"] * 21)}, "q"),
        ({"q": "child\x00"}, "q"),
        ({"q": "child", "authority": "atlantis"}, "authority"),
        ({"q": "child", "authority": "hull\x00"}, "authority"),
        ({"q": "child", "kind": "glossary"}, "kind"),
        ({"q": "child", "limit": 501}, "limit"),
    ],
)
def test_api_search_names_bad_parameters(client, params, parameter):
    response = client.get("/api/v1/search?" + urlencode(params))
    assert response.status_code == 422
    assert parameter in {e["parameter"] for e in response.json()["errors"]}


def test_api_indicators_q_uses_the_search_engine(client):
    body = client.get("/api/v1/indicators", {"q": "DV", "authority": "northshire"}).json()
    assert {r["text"] for r in body["results"]} == NORTHSHIRE_DV
    body = client.get("/api/v1/indicators", {"q": "parents", "level": 4}).json()
    assert {r["text"] for r in body["results"]} == {
        "Northshire parenting indicator 4.1",
        "Northshire parenting indicator 4.2",
    }


def test_indicators_page_q_uses_the_search_engine(client):
    page = html(client, "/northshire/indicators/?q=domestic+abuse")
    assert 'id="result-count" role="status">3 indicators</p>' in page
    for indicator in Indicator.objects.published().filter(text__in=NORTHSHIRE_DV):
        assert f'href="{indicator.get_absolute_url()}"' in page


@pytest.mark.parametrize("url", ["/api/v1/search?q=extra", "/api/v1/search?q=extra&kind=contact"])
def test_api_search_queries_are_fixed_whatever_the_data(client, url):
    northshire = Authority.objects.get(slug="northshire")
    small, large = queries_before_and_after_more_data(client, url, northshire)
    assert small == large


# --- The real documents -------------------------------------------------------------------------
# Last in the module: the real documents stay loaded from the first test that asks for them.

# Queries whose matches PostgreSQL's full-text search and the substring tests must agree on.
AGREEING_QUERIES = [
    "domestic abuse",
    "DV",
    "CSE",
    "MASH",
    "consent",
    "early help",
    '"early help"',
    "parent",
    "parent*",
    "neglect",
    "hygiene",
    '"child protection" plan',
    "self-harm",
    "NEET",
    "CME",
    "EHE",
    "child's",
    "4.1",
    "expl* sexual",
    '"team around the family"',
    "missing from education",
    '"not in education"',
    "self-ha*",
    '"child in need" "multi-agency safeguarding hub"',
]


@pytest.mark.usefixtures("real_documents")
@pytest.mark.parametrize("q", AGREEING_QUERIES)
def test_full_text_search_substrings_and_python_find_the_same_rows(q):
    query = parse(q)
    by_engine = set(SearchEntry.objects.matching(query).values_list("pk", flat=True))
    by_substring = set(SearchEntry.objects.filter(query.q("terms")).values_list("pk", flat=True))
    assert by_engine == by_substring
    assert by_engine, q
    # And the same test in Python, as a draft's preview finds its rows (search.matching_rows).
    by_python = {
        pk for pk, terms in SearchEntry.objects.values_list("pk", "terms") if query.found_in(terms)
    }
    assert by_python == by_engine
    if connection.vendor == "postgresql" and query.has_phrases:
        # Phrases are matched as words by the index, then together by the padded column:
        # the same rows as PostgreSQL's own phrase operator (<->) finds.
        phrase = SearchQuery(query.tsquery(), search_type="raw", config="simple")
        by_operator = set(
            SearchEntry.objects.alias(vector=SearchVector("terms", config="simple"))
            .filter(vector=phrase)
            .values_list("pk", flat=True)
        )
        assert by_operator == by_engine


@pytest.mark.usefixtures("real_documents")
def test_real_wording_domestic_abuse_dv_cse():
    stoke = texts("domestic abuse", kind="indicator", authority__slug="stoke-on-trent")
    assert any("domestic violence" in text for text in stoke)
    assert not any("domestic abuse" in text.lower() for text in stoke)
    dv = texts("DV", kind="indicator")
    assert any("domestic violence" in text for text in dv)
    assert any("domestic abuse" in text for text in dv)
    assert "Involved in, or at risk of, child sexual exploitation" in texts("CSE")


@pytest.mark.usefixtures("real_documents")
def test_the_indicators_page_finds_and_marks_what_search_finds(client):
    page = client.get("/stoke-on-trent/indicators/?q=domestic+abuse").content.decode()
    assert "<mark>domestic violence</mark>" in page
    listed = page.count('class="govuk-link govuk-link--text-colour"')
    assert listed == len(
        texts("domestic abuse", kind="indicator", authority__slug="stoke-on-trent")
    )


@pytest.mark.usefixtures("real_documents")
def test_real_wording_mash_consent_early_help():
    assert ("contact", "gloucestershire", "Multi-Agency Safeguarding Hub (MASH)") in {
        (kind, slug, title)
        for kind, slug, title in {
            (r.kind, r.authority.slug, r.title)
            for r in Results(parse("MASH"), SearchEntry.objects.all())[0:100]
        }
    }
    sections = found("consent", kind="section")
    assert {slug for _, slug, _ in sections} >= {
        "dudley",
        "gloucestershire",
        "hull",
        "stoke-on-trent",
    }
    assert len(found("early help", kind="next_step")) >= 20


def areas_where_found_as_written(typed, written):
    """The areas where what a practitioner types finds a text that writes it otherwise."""
    return {
        slug
        for _, slug, text in found(typed)
        if re.search(rf"\b{re.escape(written)}\b", text, re.IGNORECASE)
    }


@pytest.mark.usefixtures("real_documents")
@pytest.mark.parametrize(
    ("typed", "written", "areas"),
    [
        ("s47", "section 47", {"dudley", "stoke-on-trent"}),
        ("section 47", "s.47", {"newcastle"}),
        ("s17", "section 17", {"dudley", "gloucestershire"}),
        ("section 17", "s17", {"hull"}),
        ("section 17", "s.17", {"newcastle"}),
        ("antisocial", "anti-social", {"dudley", "hull", "newcastle", "stoke-on-trent"}),
        ("behavior", "behaviour", {"dudley", "hull", "newcastle", "stoke-on-trent"}),
        ("judgment", "judgement", {"dudley", "hull", "stoke-on-trent"}),
        ("judgement", "judgment", {"dudley", "newcastle"}),
        ("honor", "honour", {"dudley", "stoke-on-trent"}),
        ("honour", "honor", {"hull"}),
        ("radicalization", "radicalisation", {"dudley", "hull", "stoke-on-trent"}),
    ],
)
def test_real_wording_sections_antisocial_and_spellings(typed, written, areas):
    assert areas_where_found_as_written(typed, written) == areas
    assert found(typed) == found(written)


@pytest.mark.usefixtures("real_documents")
@pytest.mark.parametrize(
    ("typed", "written", "areas"),
    [
        ("TAC", "team around the child", {"gloucestershire"}),
        ("SEN", "special educational needs", {"dudley", "gloucestershire", "newcastle"}),
        ("UASC", "unaccompanied asylum", {"dudley", "newcastle", "stoke-on-trent"}),
        ("LAC", "looked after", {"dudley", "newcastle"}),
        ("YOT", "youth justice", {"hull", "newcastle"}),
        ("FII", "fabricated or induced illness", {"dudley", "hull", "newcastle"}),
        ("DSL", "designated safeguarding lead", {"dudley", "gloucestershire"}),
        ("NAI", "non-accidental injury", {"dudley"}),
        ("failure to thrive", "faltering growth", {"stoke-on-trent"}),
        ("immunization", "immunisations", {"dudley", "hull", "newcastle", "stoke-on-trent"}),
        ("vaccinations", "immunisations", {"dudley", "hull", "newcastle", "stoke-on-trent"}),
    ],
)
def test_real_wording_abbreviations_find_the_words_spelt_out(typed, written, areas):
    assert areas_where_found_as_written(typed, written) == areas


@pytest.mark.usefixtures("real_documents")
def test_the_migration_writes_the_new_groups_into_entries_made_before_them():
    migration = importlib.import_module("guidance.migrations.0012_search_new_synonyms")
    behaviour = SearchEntry.objects.filter(terms__contains=" zsynbehaviour ")
    assert behaviour.exists()
    for entry in behaviour:  # as written before the group was in guidance/synonyms.yaml
        entry.terms = entry.terms.replace(" zsynbehaviour ", " ")
        entry.save()
    assert not found("behavior")
    migration.rebuild_entries(django_apps, None)
    assert found("behavior") == found("behaviour") != set()


@pytest.mark.usefixtures("real_documents")
def test_postgresql_uses_the_gin_index():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = SearchEntry.objects.matching("parent").values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_terms" in plan


def test_an_unknown_kind_in_the_address_searches_every_kind(client):
    page = client.get("/search/?q=northshire&kind=nonsense").content.decode()
    assert "govuk-error-summary" not in page
    assert page.count('app-search-result"') == client.get(
        "/search/?q=northshire"
    ).content.decode().count('app-search-result"')
    assert client.get("/api/v1/search?q=northshire&kind=nonsense").status_code == 422


# Words cut short with *, where the stemmer cuts the whole word shorter than the part typed
# ("vulnerable" -> "vulner", "education" -> "educ", "parenting" -> "parent", "setting" -> "set")
# or changes the letters typed ("psychology" -> "psycholog", but "psy" -> "psi").
CUT_WORDS = [
    *("vulnerab", "vulnerabi", "educat", "parentin", "communicat", "adolescen", "exploitat"),
    *("attendan", "committ", "sett", "psy", "disabi"),
]


@pytest.mark.usefixtures("real_documents")
@pytest.mark.parametrize("cut", CUT_WORDS)
def test_a_word_cut_short_finds_every_indicator_with_a_word_starting_so(cut):
    def words(text):
        return re.findall(r"[a-z0-9]+", re.sub(r"['’]", "", text.lower()))

    texts = dict(Indicator.objects.published().values_list("pk", "text"))
    started = {w for text in texts.values() for w in words(text) if w.startswith(cut)}
    expected = {pk for pk, text in texts.items() if started & set(words(text))}
    # Search is by stems, as for whole words: other forms of those words are found too
    # ("parents" with "parenting").
    forms = {search.tokens(word)[0] for word in started}
    alike = {pk for pk, text in texts.items() if forms & set(search.tokens(text))}
    found_ = SearchEntry.objects.filter(kind="indicator").matching(f"{cut}*")
    assert expected, cut  # the documents use such words
    assert expected <= set(found_.values_list("indicator_id", flat=True)) <= alike


@pytest.mark.usefixtures("real_documents")
def test_the_search_page_marks_the_words_a_cut_word_found(client):
    page = html(client, "/search/?q=vulnerab*")
    assert result_count(page) != "0 results for ‘vulnerab*’"
    assert "<mark>vulnerable</mark>" in page and "<mark>vulnerability</mark>" in page
