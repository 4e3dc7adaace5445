"""A lead changes a phone number in the draft, sees it only in the draft preview; an approver
publishes it; practitioners find it on the page, the Changes page and the feed (issue 13's
walkthrough, as the README tells it)."""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from guidance.models import Authority, Contact, Indicator

pytestmark = pytest.mark.browser

PASSWORD = "Correct-horse-battery-9"


def person(email, *flags):
    call_command("create_lead", email, "--authority", "northshire", *flags, stdout=StringIO())
    user = User.objects.get(username=email)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, site, email):
    page.goto(f"{site}/admin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Contacts")).to_be_visible()


def test_a_lead_changes_a_number_and_an_approver_publishes_it(site, browser):
    person("lead@northshire.example")
    person("approver@northshire.example", "--approver")
    draft = Authority.objects.get(slug="northshire--draft")
    contact = Contact.objects.get(authority=draft, name="Northshire Front Door")
    old_number = contact.phones[0]

    lead = browser.new_context().new_page()
    sign_in(lead, site, "lead@northshire.example")
    lead.goto(f"{site}/admin/guidance/contact/{contact.pk}/change/")
    lead.get_by_label("Phones").fill("01234 999999")
    lead.get_by_role("button", name="Save", exact=True).click()
    expect(lead.locator(".messagelist")).to_contain_text("was saved in the draft")

    # Only the draft preview shows it, to the lead.
    public = browser.new_context().new_page()
    public.goto(f"{site}/northshire/level/4/")
    expect(public.locator("main")).to_contain_text(old_number)
    expect(public.locator("main")).not_to_contain_text("01234 999999")
    lead.goto(f"{site}/northshire--draft/level/4/")
    expect(lead.get_by_role("region", name="Draft preview")).to_be_visible()
    expect(lead.locator("main")).to_contain_text("01234 999999")
    assert public.goto(f"{site}/northshire--draft/level/4/").status == 404

    # The lead cannot publish; the approver sees the change and publishes it.
    lead.goto(f"{site}/admin/guidance/authority/{draft.pk}/publish/")
    expect(lead.locator("#approver-needed")).to_be_visible()
    approver = browser.new_context().new_page()
    sign_in(approver, site, "approver@northshire.example")
    approver.goto(f"{site}/admin/guidance/authority/{draft.pk}/change/")
    approver.get_by_role("link", name="Changes waiting to be published").click()
    expect(approver.locator("#changes")).to_contain_text(
        f"Contact Northshire Front Door: phone changed from {old_number} to 01234 999999"
    )
    expect(approver.locator("#changes ins")).to_have_text("999999")
    approver.get_by_label("What changed, for practitioners").fill("Front Door number changed.")
    approver.get_by_role("button", name="Publish edition 2").click()
    expect(approver.locator(".messagelist")).to_contain_text("Published edition 2 of Northshire")

    # Practitioners see it at once, with the edition and what changed. (A browser that showed
    # the page in the last few minutes may keep it that long: Cache-Control, README "Caching".)
    public = browser.new_context().new_page()
    public.goto(f"{site}/northshire/level/4/")
    expect(public.locator("main")).to_contain_text("01234 999999")
    expect(public.locator("#edition-line")).to_contain_text("edition 2")
    public.get_by_role("link", name="What changed").click()
    expect(public.locator("#edition-2")).to_contain_text("Front Door number changed.")
    expect(public.locator("#edition-2")).to_contain_text(
        f"Contact Northshire Front Door: phone changed from {old_number} to 01234 999999"
    )
    feed = public.request.get(f"{site}/northshire/changes/feed/")
    assert "Northshire: edition 2" in feed.text() and "01234 999999" in feed.text()


def test_a_lead_cannot_open_another_areas_rows(site, page):
    person("lead@northshire.example")
    sign_in(page, site, "lead@northshire.example")
    other = Indicator.objects.get(
        domain__authority__slug="southvale--draft", text="Southvale health indicator 2.1"
    )
    response = page.goto(f"{site}/admin/guidance/indicator/{other.pk}/change/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("403 Forbidden")
    expect(page.get_by_label("Text")).to_have_count(0)
    other.refresh_from_db()
    assert other.text == "Southvale health indicator 2.1"


@pytest.mark.parametrize(
    "path", ["/northshire/changes/", "/northshire--draft/level/4/", "/northshire--draft/"]
)
def test_the_changes_page_and_the_draft_preview_are_accessible_on_a_phone(site, browser, path):
    person("lead@northshire.example")
    page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, site, "lead@northshire.example")
    page.goto(f"{site}{path}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width} px wide"
