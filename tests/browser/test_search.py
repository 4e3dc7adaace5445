"""Search in real Chromium: a practitioner types an abbreviation, narrows by kind and area,
and reaches the contact's card; axe on the way. On the purpose-made documents."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_mash_to_the_contact_card_by_kind_and_area(site, page):
    page.goto(f"{site}/search/")
    page.get_by_label("Search the guidance of every area").fill("multi-agency safeguarding hub")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_have_text(
        "2 results for ‘multi-agency safeguarding hub’"
    )
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Contacts 1").click()
    expect(page.locator(".app-search-result")).to_have_count(1)
    page.get_by_label("Area", exact=True).select_option("Southvale")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"area=southvale"))
    page.get_by_role("link", name="Southvale MASH").click()
    expect(page).to_have_url(re.compile(r"/southvale/level/3/#contacts$"))
    expect(page.get_by_role("heading", name="Southvale MASH")).to_be_visible()
