"""Issue 12 in real Chromium: the compact emergency banner, level pages and the indicators filter
on phones (320 and 375 px), GOV.UK radios, error summaries, the header's current section, an
area without indicators, compare lined up, and text the document cuts off.

On the purpose-made documents (tests/data/site/): Northshire, Southvale and Westmere."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from guidance.models import Authority, Domain, Indicator, NextStep

from ..helpers import add_long_indicators

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
SMALL_PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def lines_of(locator):
    """How many lines the element's text takes (a split phone number takes two)."""
    return locator.evaluate("e => e.getClientRects().length")


# --- The emergency banner -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL_PHONE, PHONE])
def test_banner_is_one_compact_strip_with_the_rest_one_tap_away(site, page, size):
    page.set_viewport_size(size)
    page.goto(f"{site}/northshire/level/4/")
    banner = page.locator(".emergency-banner")
    assert banner.bounding_box()["height"] <= 96
    expect(banner.get_by_role("link", name="999", exact=True)).to_be_visible()
    expect(banner.get_by_role("link", name="01234 567890")).to_be_visible()
    # The out-of-hours number and the hours are one tap away.
    out_of_hours = banner.get_by_role("link", name="01234 999000")
    expect(out_of_hours).to_be_hidden()
    banner.locator("summary").click()
    expect(out_of_hours).to_be_visible()
    expect(banner).to_contain_text("(Out of office hours)")
    for number in banner.locator(".phone-number").all():
        if number.is_visible():
            assert lines_of(number) == 1, number.text_content()
    assert_no_axe_violations(page)


def test_banner_shows_every_route_on_one_line_on_a_desktop(site, page):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site}/northshire/")
    banner = page.locator(".emergency-banner")
    for number in ("999", "01234 567890", "01234 999000"):
        expect(banner.get_by_role("link", name=number, exact=True)).to_be_visible()
    expect(banner.locator("summary")).to_be_hidden()
    assert banner.bounding_box()["height"] <= 96


def test_banner_of_an_area_without_a_number_gives_the_documents_words(site, page):
    westmere = Authority.objects.get(slug="westmere")
    westmere.contacts.filter(emergency=True).update(emergency=False)
    westmere.emergency_route = "contact Westmere Children's Services (see Local Contacts)"
    westmere.save()
    page.set_viewport_size(SMALL_PHONE)
    page.goto(f"{site}/westmere/")
    banner = page.locator(".emergency-banner")
    assert banner.bounding_box()["height"] <= 96
    words = banner.locator("li", has_text="contact Westmere Children's Services (see Local")
    expect(words).to_be_hidden()
    banner.get_by_text("Significant harm: whom to contact").click()
    expect(words).to_be_visible()
    page.set_viewport_size(DESKTOP)
    expect(banner.locator(".emergency-banner__wide")).to_contain_text(
        "Significant harm, in Westmere's document: “contact Westmere Children's Services"
    )
    expect(banner.locator(".emergency-banner__wide")).to_be_visible()


# --- Level pages on a phone ---------------------------------------------------------------------


def test_level_page_lists_its_parts_on_the_first_screen_contacts_first(site, page):
    add_long_indicators("northshire")  # a level page as long as a real document's
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/northshire/level/4/")
    contents = page.get_by_role("navigation", name="On this page")
    expect(contents).to_be_in_viewport()
    links = contents.get_by_role("link")
    expect(links.first).to_have_text(re.compile(r"^Contacts \(\d+\)$"))
    links.first.click()
    expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_in_viewport()
    # The contacts come before the rest of the page.
    contacts_y = page.locator("#contacts").bounding_box()["y"]
    assert contacts_y < page.locator("#next-steps").bounding_box()["y"]


def test_indicator_domains_fold_away_and_open_by_anchor_and_on_paper(site, page):
    page.set_viewport_size(PHONE)
    education = Domain.objects.published().get(authority__slug="northshire", name="Education")
    page.goto(f"{site}/northshire/level/3/")
    indicator = page.get_by_role("link", name="Northshire education indicator 3.1")
    expect(indicator).to_be_hidden()  # collapsed
    page.get_by_role("button", name="Child's Development / Education").click()
    expect(indicator).to_be_visible()
    # Reached by a link to the domain's list: open.
    page.goto(f"{site}/northshire/level/3/#domain-{education.pk}")
    expect(page.locator(f"#domain-{education.pk}")).to_be_visible()
    # On paper every domain is open.
    page.goto(f"{site}/northshire/level/3/")
    page.emulate_media(media="print")
    for item in page.locator(".indicator-list li").all():
        expect(item).to_be_visible()
    page.emulate_media(media="screen")
    assert_no_axe_violations(page)


def test_level_page_without_javascript_shows_every_domain(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/northshire/level/3/")
    expect(page.get_by_role("link", name="Northshire education indicator 3.1")).to_be_visible()
    context.close()


# --- The indicators page on a phone -------------------------------------------------------------


def test_indicators_page_shows_results_first_and_the_chosen_filters_as_tags(site, page):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/northshire/indicators/?level=3&level=4&domain=Education")
    expect(page.locator("#result-count")).to_have_text("3 indicators")
    expect(page.locator("#result-count")).to_be_in_viewport()
    expect(page.locator(".indicator-list li").first).to_be_in_viewport()
    summary = page.get_by_text("Filter indicators (3 chosen)")
    expect(summary).to_be_in_viewport()
    expect(page.get_by_label("Domain")).to_be_hidden()  # collapsed on a phone
    tags = page.locator(".app-filter-tag")
    expect(tags).to_have_text(
        [
            re.compile(r"Level 3: Northshire Targeted"),
            re.compile(r"Level 4: Northshire Specialist"),
            re.compile(r"Domain: Education"),
        ]
    )
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("Remove filter Domain: Education")).click()
    expect(page).to_have_url(re.compile(r"\?level=3&level=4$"))
    expect(page.get_by_text("Filter indicators (2 chosen)")).to_be_visible()
    summary = page.get_by_text("Filter indicators (2 chosen)")
    summary.click()
    expect(page.get_by_label("Level 3: Northshire Targeted")).to_be_checked()
    page.get_by_label("Level 1: Northshire Universal").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"level=1&level=3&level=4"))


def test_indicators_filter_is_open_beside_the_results_on_a_desktop(site, page):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site}/northshire/indicators/")
    expect(page.get_by_label("Domain")).to_be_visible()
    expect(page.get_by_text("The document’s own headings for its indicators.")).to_be_visible()
    filter_box = page.locator("#filter").bounding_box()
    count = page.locator("#result-count").bounding_box()
    assert count["x"] > filter_box["x"] + filter_box["width"] - 1  # side by side


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/northshire/indicators/?level=9", "Level 1: Northshire Universal"),
        ("/compare/next-steps/?authority=northshire&authority=southvale&level=9", "Level 1"),
        ("/compare/?authority=northshire&authority=southvale&theme=nothing", "Theme"),
    ],
)
def test_a_bad_value_shows_the_error_summary_linking_to_the_field(site, page, path, field):
    page.set_viewport_size(PHONE)
    page.goto(site + path)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    summary.get_by_role("link").first.click()
    expect(page.get_by_label(field, exact=True)).to_be_focused()
    assert_no_axe_violations(page)


# --- GOV.UK radios, the header, compare ---------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL_PHONE, DESKTOP])
def test_next_steps_level_radios_are_govuk_radios(site, page, size):
    page.set_viewport_size(size)
    page.goto(f"{site}/compare/next-steps/")
    expect(page.locator(".govuk-radios.govuk-radios--inline")).to_have_count(1)
    radio = page.get_by_label("Level 3", exact=True)
    label = page.locator("label", has_text="Level 3")
    box, label_box = radio.bounding_box(), label.bounding_box()
    # GOV.UK's 40px radio (its input is the 44px target), with the label beside it.
    assert 40 <= box["width"] <= 44 and 40 <= box["height"] <= 44, box
    assert label_box["x"] >= box["x"] + box["width"] - 4
    assert abs((label_box["y"] + label_box["height"] / 2) - (box["y"] + box["height"] / 2)) < 8
    radio.check()
    expect(radio).to_be_checked()


def test_the_header_marks_the_current_section(site, page):
    page.set_viewport_size(DESKTOP)
    navigation = page.get_by_role("navigation", name="Menu")
    page.goto(f"{site}/northshire/level/2/")
    expect(navigation.locator("[aria-current]")).to_have_text("Areas")
    page.goto(f"{site}/compare/")
    expect(navigation.locator('[aria-current="page"]')).to_have_text("Compare areas")
    page.goto(f"{site}/search/")
    expect(navigation.locator('[aria-current="page"]')).to_have_text("Search")


def test_compare_draws_one_theme_and_next_steps_line_up_by_heading(site, page):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site}/compare/")
    expect(page.get_by_label("Theme")).to_have_value("health")
    page.get_by_label("Northshire").check()
    page.get_by_label("Southvale").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".compare-table caption")).to_have_text("Health: level by level")
    page.goto(f"{site}/compare/next-steps/?authority=northshire&authority=southvale&level=3")
    for heading in ("Referral route", "Consent"):
        row = page.locator("tbody", has=page.locator("th", has_text=heading))
        north = row.get_by_text(f"Northshire level 3 {heading.lower()}.")
        south = row.get_by_text(f"Southvale level 3 {heading.lower()}.")
        # The same heading's texts side by side, level with each other.
        assert abs(north.bounding_box()["y"] - south.bounding_box()["y"]) < 2
        assert south.bounding_box()["x"] > north.bounding_box()["x"]
    # Every area gets an equal share of the width (the first was once 6em wide).
    widths = [
        box["width"]
        for box in page.locator(".next-steps-table thead th").evaluate_all(
            "cells => cells.map(cell => cell.getBoundingClientRect().toJSON())"
        )
    ]
    assert len(widths) == 2 and abs(widths[0] - widths[1]) < 2, widths
    assert_no_axe_violations(page)


# --- An area without indicators; incomplete text ------------------------------------------------


@pytest.mark.parametrize("size", [PHONE, DESKTOP])
def test_an_area_without_indicators_says_so_and_points_to_what_it_has(site, page, size):
    page.set_viewport_size(size)
    page.goto(f"{site}/westmere/")
    notice = page.locator("#no-indicators")
    expect(notice).to_contain_text("has no table of indicators")
    for name in ("Filter and search", "wall chart", "Present"):
        expect(page.get_by_role("link", name=re.compile(name))).to_have_count(0)
    notice.get_by_role("link", name="Level 2: Westmere Early Help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Level 2 Westmere Early Help")
    page.goto(f"{site}/westmere/indicators/")
    expect(page.locator("#no-indicators")).to_be_visible()
    expect(page.get_by_text("No indicators match")).to_have_count(0)
    expect(page.get_by_text("Theme", exact=True)).to_have_count(0)
    assert_no_axe_violations(page)


def test_incomplete_text_is_marked_where_it_is_shown(site, page):
    indicator = Indicator.objects.published().get(text="Northshire education indicator 3.2")
    indicator.incomplete = "the bullet breaks off"
    indicator.save()
    step = NextStep.objects.published().get(
        level__authority__slug="northshire", level__number=3, order=0
    )
    step.incomplete = "the sentence breaks off"
    step.save()
    page.set_viewport_size(SMALL_PHONE)
    page.goto(f"{site}/northshire/level/3/")
    page.get_by_role("button", name="Show all sections").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the mark wraps
    item = page.locator("li", has_text="Northshire education indicator 3.2")
    expect(item).to_have_text(
        "Northshire education indicator 3.2 (incomplete in the published document)"
    )
    expect(page.locator("p.incomplete-mark")).to_have_text("(incomplete in the published document)")
    assert_no_axe_violations(page)
