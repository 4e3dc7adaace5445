"""Practitioners' journeys in real Chromium: keyboard, phone width, no JavaScript, axe.

On the purpose-made documents (tests/data/site/): Northshire, Southvale and Westmere."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from guidance.models import Indicator

from ..helpers import add_long_indicators

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "/",
    "/northshire/",
    "/northshire/level/4/",
    "/northshire/indicators/?level=3&level=4&domain=Education",
    "/search/?q=health+indicator+4.1",
    "/search/?q=zebra+crossing",
    "/northshire/guidance/significant-harm/",
    "/westmere/level/2/",
    "/no/such/page/",
]


def test_home_to_authority_to_level_to_a_contacts_phone_link(site, page):
    page.goto(site)
    page.get_by_role("link", name="Northshire", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northshire: levels of need")
    page.get_by_role("link", name="Level 3 Northshire Targeted").click()
    expect(page).to_have_url(re.compile(r"/northshire/level/3/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Level 3 Northshire Targeted")
    card = page.locator(".contact-card").filter(
        has=page.get_by_role("heading", name="Northshire Front Door", exact=True)
    )
    expect(card.get_by_role("link", name="01234 567890")).to_have_attribute(
        "href", "tel:01234567890"
    )
    expect(card.get_by_role("link", name="frontdoor@northshire.example")).to_have_attribute(
        "href", "mailto:frontdoor@northshire.example"
    )


def filter_northshire_education_at_levels_3_and_4(page, site):
    page.goto(f"{site}/northshire/indicators/")
    expect(page.locator("#result-count")).to_have_text("30 indicators")
    if not page.locator("#filter").evaluate("details => details.open"):
        page.get_by_text("Filter indicators").click()  # folded away without JavaScript
    page.get_by_label("Level 3").check()
    page.get_by_label("Level 4").check()
    page.get_by_label("Domain").select_option("Education")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"level=3&level=4&domain=Education"))
    expect(page.locator("#result-count")).to_have_text("3 indicators")
    expect(page.locator(".indicator-list li")).to_have_text(
        [
            "Northshire education indicator 3.1",
            "Northshire education indicator 3.2",
            "Northshire education indicator 4.1",
        ]
    )
    expect(page.get_by_label("Level 3")).to_be_checked()
    expect(page.get_by_label("Level 2")).not_to_be_checked()
    expect(page.get_by_label("Domain")).to_have_value("Education")


def test_filtering_by_two_levels_and_a_domain(site, page):
    filter_northshire_education_at_levels_3_and_4(page, site)


def test_the_filter_form_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    filter_northshire_education_at_levels_3_and_4(page, site)
    context.close()


def test_search_highlights_the_words(site, page):
    page.goto(site)
    page.get_by_label("Search the guidance of every area").fill("health indicator 4.1")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=health\+indicator\+4\.1$"))
    expect(page.locator("#result-count")).to_have_text("2 results for ‘health indicator 4.1’")
    expect(page.locator(".app-search-result a")).to_have_text(
        ["Northshire health indicator 4.1", "Southvale health indicator 4.1"]
    )
    expect(page.locator("main mark")).to_have_text(["health", "indicator", "4.1"] * 2)


def test_every_indicator_has_a_permanent_address_linking_the_same_theme(site, page):
    indicator = Indicator.objects.published().get(
        domain__authority__slug="northshire", text="Northshire fabricated illness indicator 4.2"
    )
    page.goto(f"{site}{indicator.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(indicator.text)
    expect(page.get_by_text("Strategy discussion", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=3)).to_have_text(
        [
            "Level 1 Northshire Universal",
            "Level 2 Northshire Early Help",
            "Level 3 Northshire Targeted",
        ]
    )
    page.get_by_role("link", name="Northshire health indicator 3.2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northshire health indicator 3.2")


def test_keyboard_reaches_the_emergency_banner_from_anywhere(site, page):
    add_long_indicators("northshire")  # a level page as long as a real document's
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{site}/northshire/level/4/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("href", "tel:999")
    page.keyboard.press("End")
    page.wait_for_function("() => window.scrollY > 500")
    # Still on screen after scrolling to the foot of the page: stuck to the top.
    banner = page.locator(".emergency-banner")
    expect(banner).to_be_in_viewport()
    expect(page.get_by_role("heading", level=1)).not_to_be_in_viewport()
    box = banner.bounding_box()
    assert -1 <= box["y"] <= 1
    assert box["height"] < 720 / 3  # a strip, not the page
    expect(banner.get_by_role("link", name="01234 567890")).to_be_visible()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_page_type_has_no_axe_violations_and_fits_320px(site, page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site + path)
    expect(page.locator("h1")).to_have_count(1)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.locator("main")).to_have_count(1)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
