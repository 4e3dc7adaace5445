"""Practitioners' journeys in real Chromium: keyboard, phone width, no JavaScript, axe."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from guidance.models import Indicator

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "/",
    "/stoke-on-trent/",
    "/stoke-on-trent/level/4/",
    "/dudley/indicators/?level=3&level=4&domain=Education",
    "/search/?q=missing+school",
    "/search/?q=zebra+crossing",
    "/hull/guidance/significant-harm/",
    "/gloucestershire/level/2/",
    "/no/such/page/",
]


def test_home_to_authority_to_level_to_a_contacts_phone_link(site, page):
    page.goto(site)
    page.get_by_role("link", name="Stoke-on-Trent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stoke-on-Trent: levels of need")
    page.get_by_role("link", name="Level 3 Early Help").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Early Help")
    card = page.locator(".contact-card").filter(
        has=page.get_by_role("heading", name="Advice and Access Team", exact=True)
    )
    expect(card.get_by_role("link", name="01782 232200")).to_have_attribute(
        "href", "tel:01782232200"
    )
    expect(card.get_by_role("link", name="CW@stoke.gov.uk")).to_have_attribute(
        "href", "mailto:CW@stoke.gov.uk"
    )


def filter_dudley_education_at_levels_3_and_4(page, site):
    page.goto(f"{site}/dudley/indicators/")
    page.get_by_label("Level 3").check()
    page.get_by_label("Level 4").check()
    page.get_by_label("Domain").select_option("Education")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_have_text("20 indicators")
    assert re.search(r"level=3&level=4&domain=Education", page.url)
    expect(page.get_by_label("Level 3")).to_be_checked()
    expect(page.get_by_text("I am being encouraged to use substances")).to_have_count(0)


def test_filtering_by_two_levels_and_a_domain(site, page):
    filter_dudley_education_at_levels_3_and_4(page, site)


def test_the_filter_form_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    filter_dudley_education_at_levels_3_and_4(page, site)
    context.close()


def test_search_highlights_the_words(site, page):
    page.goto(site)
    page.get_by_label("Search the guidance of every area").fill("missing school")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_have_text("2 indicators found")
    marks = page.locator("main mark")
    expect(marks).to_have_count(4)
    assert {m.lower() for m in marks.all_inner_texts()} == {"missing", "school"}


def test_every_indicator_has_a_permanent_address_linking_the_same_theme(site, page):
    indicator = Indicator.objects.get(
        domain__authority__slug="hull", text__startswith="physically well"
    )
    page.goto(f"{site}{indicator.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(indicator.text)
    expect(
        page.get_by_role("heading", name=re.compile("Level 4 Specialist support"))
    ).to_be_visible()


def test_keyboard_reaches_the_emergency_banner_from_anywhere(site, page):
    page.goto(f"{site}/dudley/level/4/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("href", "tel:999")
    page.keyboard.press("End")
    page.wait_for_function("() => window.scrollY > 500")
    box = page.locator(".emergency-banner").bounding_box()
    assert box["y"] == 0  # still on screen after scrolling to the foot of the page


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_page_type_has_no_axe_violations_and_fits_320px(site, page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
