"""Issue 16: a lead starts from their area's home, corrects a typo in an indicator, sees the
change in its history word by word, and undoes it; the draft page offers Edit links."""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from guidance.models import Indicator

pytestmark = pytest.mark.browser

PASSWORD = "Correct-horse-battery-9"


def sign_in_as_lead(page, site):
    call_command(
        "create_lead", "lead@northshire.example", "--authority", "northshire", stdout=StringIO()
    )
    user = User.objects.get(username="lead@northshire.example")
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{site}/admin/")
    page.get_by_label("Email").fill("lead@northshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def axe_violations(page):
    """What axe finds on the page, by rule (for the pages a lead uses)."""
    results = Axe().run(page)
    return {v["id"]: [n["target"] for n in v["nodes"]] for v in results.response["violations"]}


def test_home_edit_history_undo(site, page):
    sign_in_as_lead(page, site)
    expect(page.get_by_role("heading", name="Your area: Northshire")).to_be_visible()
    expect(page.get_by_role("link", name="Changes waiting to be published (0)")).to_be_visible()
    expect(page.get_by_role("link", name="Add", exact=True)).to_have_count(0)
    seen = {"home": axe_violations(page)}

    # Start from the home: the level 1 indicators, then one of them.
    page.get_by_role("link", name="Level 1 Northshire Universal").click()
    page.get_by_role("link", name="Northshire health indicator 1.1", exact=True).click()
    text = page.get_by_label("Text")
    expect(text).to_have_value("Northshire health indicator 1.1")
    text.fill("Northshire health indicator 1.1, corected")
    page.get_by_role("button", name="Save", exact=True).click()

    # Back in the list where the row is, the row marked, the message in whole words.
    expect(page.locator(".messagelist")).to_contain_text("was saved in the draft")
    expect(page.locator(".messagelist")).to_contain_text("in Level 1,")
    expect(page.locator("tr:has(.saved-row)")).to_contain_text("just saved")
    page.get_by_role("link", name="Northshire health indicator 1.1, corected").click()

    # Its history, word by word, then undo.
    expect(page.get_by_label("Text")).to_have_value("Northshire health indicator 1.1, corected")
    seen["change form"] = axe_violations(page)
    page.get_by_role("link", name="History").click()
    expect(page.locator(".history-entry").first).to_be_visible()
    seen["history"] = axe_violations(page)
    first = page.locator(".history-entry").first
    expect(first.get_by_role("heading")).to_have_text("Edited")
    expect(first).to_contain_text("By lead@northshire.example, today at")
    expect(first.locator("del")).to_have_text("1.1")  # word by word: the words around stay
    expect(first.locator("ins")).to_have_text("1.1, corected")
    first.get_by_role("button", name="Undo this change").click()
    expect(page.locator(".messagelist")).to_contain_text("Undone: the indicator")
    expect(page.locator(".history-entry").first.get_by_role("heading")).to_contain_text(
        "Reverted to the version of"
    )
    indicator = Indicator.objects.get(
        domain__authority__slug="northshire--draft", text="Northshire health indicator 1.1"
    )

    # The home counts nothing waiting again; the draft page has Edit links, the public none.
    page.goto(f"{site}/admin/")
    expect(page.get_by_role("link", name="Changes waiting to be published (0)")).to_be_visible()
    page.get_by_role("link", name="Draft preview").click()
    expect(page.get_by_role("region", name="Draft preview")).to_be_visible()
    page.goto(f"{site}/northshire--draft/indicators/{indicator.pk}/")
    page.get_by_role("link", name="Edit this indicator").click()
    expect(page.get_by_label("Text")).to_have_value("Northshire health indicator 1.1")
    page.goto(f"{site}/northshire/level/1/")
    expect(page.get_by_role("link", name="Edit", exact=False)).to_have_count(0)
    assert {name: found for name, found in seen.items() if found} == {}
