"""What practitioners see and what is only for editors (issue 12): transcription notes never on a
public page or in the API, no card for a contact with no way to reach it, an area without
indicators said plainly, text the published document cuts off marked as incomplete, and the
document's own words on whom to contact where it prints no number.

On the purpose-made documents (Northshire, Southvale, Westmere) and, where the point is a real
document's, on the real transcriptions (Newcastle, Gloucestershire, Dudley)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance.models import Authority, Contact, Indicator, NextStep

pytestmark = pytest.mark.django_db

INCOMPLETE = "(incomplete in the published document)"
EDITORS_ONLY = [
    "Ask for the duty worker.",  # a contact's notes
    "If a child is in immediate danger.",  # the Police contact's notes
    "Marked with an asterisk.",  # an indicator's note
    "Development table",  # a domain's source
]


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def northshire_pages():
    indicator = Indicator.objects.published().get(
        text="Northshire fabricated illness indicator 4.2"
    )
    return [
        "/northshire/",
        *(f"/northshire/level/{n}/" for n in range(1, 5)),
        "/northshire/indicators/",
        indicator.get_absolute_url(),
        "/northshire/table/",
        "/northshire/present/1/",
        "/compare/?authority=northshire&authority=southvale&theme=health",
        *(
            f"/compare/next-steps/?authority=northshire&authority=southvale&level={n}"
            for n in (2, 4)
        ),
    ]


def test_transcription_notes_are_on_no_public_page_and_not_in_the_api(client):
    pages = {url: html(client, url) for url in northshire_pages()}
    pages["api"] = html(client, "/api/v1/authorities/northshire")
    pages["api indicators"] = html(client, "/api/v1/indicators?authority=northshire&limit=500")
    for url, page in pages.items():
        for note in EDITORS_ONLY:
            assert note not in page, (url, note)
    assert '"notes"' not in pages["api"]
    assert '"source"' not in pages["api indicators"]
    assert '"note"' not in pages["api indicators"]


def test_a_contact_with_no_way_to_reach_it_is_no_card(client):
    northshire = Authority.objects.get(slug="northshire")
    portal = Contact.objects.create(
        authority=northshire,
        name="Northshire Early Help portal",
        notes="No web address is printed in the document.",
    )
    portal.levels.set(northshire.levels.filter(number=2))
    level = html(client, "/northshire/level/2/")
    assert "Northshire Early Help portal" not in level
    assert "Northshire Early Help Hub</h3>" in level  # the reachable one still is
    assert "Contacts (1)" in level
    compared = html(client, "/compare/next-steps/?authority=northshire&authority=southvale&level=2")
    assert "Northshire Early Help portal" not in compared
    # Nor does search offer it: the result would lead to no card.
    assert ">1 result for" in html(client, "/search/?q=northshire+early+help")
    portal.url = "https://example.org/portal"
    portal.save()
    assert ">2 results for" in html(client, "/search/?q=northshire+early+help")
    # Only a page's cards are left out: the open data still lists the contact, without notes.
    body = client.get("/api/v1/authorities/northshire").json()
    (listed,) = [c for c in body["contacts"] if c["name"] == "Northshire Early Help portal"]
    assert "notes" not in listed


def test_dudleys_early_help_portal_is_no_card_and_its_notes_are_not_shown(client, real_documents):
    page = html(client, "/dudley/level/2/")
    assert "Early Help portal</h3>" not in page
    assert 'href="#contacts"' not in page  # its only contact at this level: no Contacts section
    assert "Early Help portal</h3>" not in html(client, "/dudley/level/3/")
    assert "Early Help portal" not in html(client, "/search/?q=portal&area=dudley&kind=contact")
    assert "Children&#x27;s Front Door</h3>" in html(client, "/dudley/level/3/")
    assert "no web address is printed" not in page
    gloucestershire = html(client, "/gloucestershire/level/1/")
    assert "Listed twice (source lines" not in gloucestershire
    assert "Early Help Advice, Guidance and Support Team (Cheltenham)</h3>" in gloucestershire


def between(page, start, end):
    first = page.index(start) if start in page else 0
    return page[first : page.index(end, first)] if end in page[first:] else page[first:]


# --- An area without indicators -----------------------------------------------------------------

NO_TABLE = "has no table of indicators in a form this site can show"


@pytest.mark.parametrize("slug", ["westmere", "gloucestershire"])
def test_an_area_without_indicators_offers_no_empty_page_and_says_so(client, slug, request):
    if slug == "gloucestershire":
        request.getfixturevalue("real_documents")
    authority = html(client, f"/{slug}/")
    assert NO_TABLE in authority
    for address in (f"/{slug}/indicators/", f"/{slug}/table/", f"/{slug}/present/1/"):
        assert f'href="{address}"' not in authority
    # It points to what the document does have: the four levels (and its guidance).
    for number in range(1, 5):
        assert f'href="/{slug}/level/{number}/"' in authority
    assert f'href="/{slug}/guidance/significant-harm/"' in authority
    for address in (f"/{slug}/indicators/", f"/{slug}/table/"):
        page = html(client, address)
        assert NO_TABLE in page, address
        assert "No indicators match" not in page
        assert "clear a filter" not in page
        assert ">Theme<" not in page and "Theme</legend>" not in page
        assert f'href="/{slug}/"' in page  # the guidance, on the area's page
    assert NO_TABLE in html(client, f"/{slug}/present/1/")
    # An area with indicators still offers them.
    assert 'href="/northshire/indicators/"' in html(client, "/northshire/")


def test_the_no_indicators_check_costs_no_query(client):
    with CaptureQueriesContext(connection) as with_indicators:
        html(client, "/northshire/")
    with CaptureQueriesContext(connection) as without:
        html(client, "/westmere/")
    assert len(without) == len(with_indicators)


# --- Text the published document cuts off -------------------------------------------------------


def test_incomplete_text_is_marked_on_the_pages_and_in_the_api(client):
    indicator = Indicator.objects.published().get(text="Northshire education indicator 3.2")
    indicator.incomplete = "the bullet breaks off after '3.2'"
    indicator.save()
    step = NextStep.objects.published().get(
        level__authority__slug="northshire", level__number=3, order=0
    )
    step.incomplete = "a passage is missing"
    step.save()
    level = html(client, "/northshire/level/3/")
    assert (
        f'Northshire education indicator 3.2</a> <span class="incomplete-mark">{INCOMPLETE}</span>'
    ) in level
    assert level.count(INCOMPLETE) == 2  # the indicator and the next step
    assert INCOMPLETE in html(client, indicator.get_absolute_url())
    assert INCOMPLETE in html(client, "/northshire/indicators/?level=3")
    assert INCOMPLETE in html(
        client, "/compare/?authority=northshire&authority=southvale&theme=learning"
    )
    assert INCOMPLETE in html(
        client, "/compare/next-steps/?authority=northshire&authority=southvale&level=3"
    )
    # The wall chart and the slides too (Northshire's education slide holds level 3).
    assert INCOMPLETE in html(client, "/northshire/table/")
    slides = [html(client, f"/northshire/present/{n}/") for n in (1, 2, 3, 4)]
    assert any(f'indicator 3.2 <span class="incomplete-mark">{INCOMPLETE}' in s for s in slides)
    # What is cut is for editors; the flag is published.
    assert "breaks off after" not in level
    rows = client.get("/api/v1/indicators?authority=northshire&level=3&limit=50").json()["results"]
    assert {r["text"] for r in rows if r["incomplete"]} == {"Northshire education indicator 3.2"}
    body = client.get("/api/v1/authorities/northshire").json()
    assert [s["incomplete"] for s in body["levels"][2]["next_steps"]] == [True, False]


NEWCASTLE_FRAGMENTS = [
    "Missing from Education:",
    "Children involved in anti-social behaviour and crime, including",
    "Mental health issues requiring",
    "networks exist",
    "Early signs of abuse or neglect; identified in children through",
]


def test_newcastles_fragments_are_flagged_as_printed_never_completed(client, real_documents):
    flagged = Indicator.objects.filter(domain__authority__slug="newcastle").exclude(incomplete="")
    assert sorted(flagged.values_list("text", flat=True)) == sorted(NEWCASTLE_FRAGMENTS)
    steps = NextStep.objects.filter(level__authority__slug="newcastle").exclude(incomplete="")
    assert sorted(step.level.number for step in steps) == [3, 4]
    assert steps.get(level__number=4).text.endswith("legal proceedings being")
    level_3 = html(client, "/newcastle/level/3/")
    assert f'Mental health issues requiring</a> <span class="incomplete-mark">{INCOMPLETE}' in (
        level_3
    )
    assert level_3.count(INCOMPLETE) == 2  # the bullet and the Action and Assessment step
    assert "networks exist</a> <span" in html(client, "/newcastle/level/1/")


def test_newcastles_banner_gives_the_documents_words_on_whom_to_contact(client, real_documents):
    page = html(client, "/newcastle/level/4/")
    banner = between(page, 'class="emergency-banner"', 'class="app-header"')
    words = (
        "contact the Police 999 or Children&#x27;s Social Care, Initial Response Service "
        "(see Local Contacts, Children&#x27;s Social Care Referral and Assessment Team)"
    )
    assert words in banner
    assert "Significant harm: whom to contact" in banner
    assert (
        client.get("/api/v1/authorities/newcastle")
        .json()["emergency_route"]
        .startswith("contact the Police 999")
    )
    # An area that prints its number shows the number, not words of its own.
    dudley = between(html(client, "/dudley/"), 'class="emergency-banner"', 'class="app-header"')
    assert "Children&#x27;s Front Door" in dudley
    assert "whom to contact" not in dudley


# --- Forms and navigation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("/northshire/indicators/?level=9", "#id_level_1"),
        ("/northshire/indicators/?theme=nothing", "#id_theme_1"),
        ("/northshire/indicators/?domain=Nowhere", "#id_domain"),
        ("/compare/?authority=northshire&authority=southvale&theme=nothing", "#id_theme"),
        ("/compare/next-steps/?authority=northshire&authority=southvale&level=9", "#id_level_1"),
        ("/compare/?authority=northshire", "#id_authority_1"),
    ],
)
def test_every_form_with_a_bad_value_has_the_govuk_error_summary(client, url, link):
    page = html(client, url)
    summary = between(page, 'class="govuk-error-summary"', "</ul>")
    assert f'<a href="{link}">' in summary
    assert "<title>Error: " in page
    assert f'id="{link[1:]}"' in page  # the link lands on the field


def test_the_indicators_filter_says_what_domain_and_theme_are(client):
    page = html(client, "/northshire/indicators/")
    assert 'id="id_domain_hint" class="govuk-hint">The document’s own headings' in page
    assert 'id="id_theme_hint" class="govuk-hint">A grouping every area shares' in page
    assert 'aria-describedby="id_domain_hint"' in page
    for number, name in enumerate(
        ["Northshire Universal", "Northshire Early Help", "Northshire Targeted"], start=1
    ):
        assert f">Level {number}: {name}</label>" in page


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/", ('href="/" aria-current="page"')),
        ("/northshire/level/2/", 'href="/" aria-current="true"'),
        ("/search/", 'href="/search/" aria-current="page"'),
        ("/compare/", 'href="/compare/" aria-current="page"'),
        ("/compare/next-steps/", 'href="/compare/" aria-current="true"'),
    ],
)
def test_the_header_marks_the_current_section(client, url, current):
    page = html(client, url)
    nav = between(page, 'class="govuk-service-navigation__list"', "</ul>")
    assert current in nav
    assert nav.count("aria-current") == 1
    assert nav.count("govuk-service-navigation__item--active") == 1


def test_compare_starts_with_the_first_theme_not_every_theme(client):
    page = html(client, "/compare/?authority=northshire&authority=southvale")
    assert "Health: level by level</caption>" in page
    assert "All themes" not in page
    assert "Northshire parenting indicator" not in page


def test_next_steps_compared_line_up_the_same_headings(client):
    page = html(client, "/compare/next-steps/?authority=northshire&authority=southvale&level=3")
    body = page[page.index("</thead>") :]
    # One row per shared heading, the heading once across both columns, each area's text in it.
    assert body.count('scope="colgroup" colspan="2"') == 3  # Referral route, Consent, Contacts
    referral = between(body, ">Referral route</th>", "</tbody>")
    assert referral.index("Northshire level 3 referral route.") < referral.index(
        "Southvale level 3 referral route."
    )
    consent = between(body, ">Consent</th>", "</tbody>")
    assert "Northshire level 3 consent." in consent
    assert "Southvale level 3 consent." in consent
    assert body.index(">Referral route</th>") < body.index(">Consent</th>")


# --- The fixture format -------------------------------------------------------------------------


def test_incomplete_and_emergency_route_load_and_export_as_written(sample_text, write_fixture):
    from io import StringIO

    from django.core.management import call_command

    # Each key where the export writes it: after the last authority key, after a next step's
    # text and after an indicator's note.
    text = (
        sample_text.replace(
            "  edition: May 2020\n",
            "  edition: May 2020\n  emergency_route: contact the Sample Front Door\n",
        )
        .replace(
            "      - Complete an early help assessment.\n",
            "      - Complete an early help assessment.\n    incomplete: the sentence breaks off\n",
            1,
        )
        .replace(
            "      note: Marked with an asterisk.\n",
            "      note: Marked with an asterisk.\n      incomplete: the bullet breaks off\n",
        )
    )
    assert text.count("incomplete:") == 2
    path = write_fixture(text)
    call_command("load_thresholds", str(path), stdout=StringIO())
    authority = Authority.objects.get(slug="sample")
    assert authority.emergency_route == "contact the Sample Front Door"
    step = NextStep.objects.published().get(level__authority=authority, incomplete__gt="")
    assert (step.level.number, step.heading) == (2, "Referral route")
    indicator = Indicator.objects.published().get(domain__authority=authority, incomplete__gt="")
    assert indicator.text.startswith("Fabricated or induced illness")
    out = StringIO()
    call_command("export_thresholds", "sample", stdout=out)
    assert out.getvalue() == text


def test_next_steps_line_up_by_heading_whatever_the_case_and_end_punctuation():
    from types import SimpleNamespace

    from guidance.tables import _aligned_rows

    def steps(*headings):
        return [SimpleNamespace(heading=h, text=f"{h} text") for h in headings]

    first = steps("Referral route", "Assessments", "Consent", "Useful links")
    second = steps("What to do", "consent:", "Who to contact")
    third = steps("Referral Route")
    rows = _aligned_rows([first, second, third])
    # Shared: "Referral route" (first, third) and "Consent" (first, second); each document's
    # other steps in one row between them, in its own order.
    assert [row.heading for row in rows] == [None, "Referral route", None, "Consent", None]
    before, referral, between, consent, after = rows
    assert [[s.heading for s in cell] for cell in before.cells] == [[], ["What to do"], []]
    assert [[s.heading for s in cell] for cell in referral.cells] == [
        ["Referral route"],
        [],
        ["Referral Route"],  # the document's own words, shown under the shared row
    ]
    assert [[s.heading for s in cell] for cell in between.cells] == [["Assessments"], [], []]
    assert [[s.heading for s in cell] for cell in consent.cells] == [["Consent"], ["consent:"], []]
    assert [[s.heading for s in cell] for cell in after.cells] == [
        ["Useful links"],
        ["Who to contact"],
        [],
    ]
    # Nothing shared: a single row, each area's steps in document order.
    (only,) = _aligned_rows([steps("A", "B"), steps("C")])
    assert only.heading is None
    assert [[s.heading for s in cell] for cell in only.cells] == [["A", "B"], ["C"]]


@pytest.mark.parametrize("unknown", [("nowhere", "elsewhere"), ("elsewhere", "nowhere")])
def test_compare_with_several_unknown_areas_names_the_first_as_asked(client, unknown):
    # Django's multiple choice field checks a set, so which one it named changed from run to run.
    first, second = unknown
    page = html(client, f"/compare/?authority=northshire&authority={first}&authority={second}")
    summary = between(page, 'class="govuk-error-summary"', "</ul>")
    assert f"{first} is not one of the available choices" in summary
    assert second not in summary
