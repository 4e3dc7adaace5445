"""A safeguarding lead signs in, edits an indicator and sees it on the public page."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from guidance.models import Authority, Indicator

pytestmark = pytest.mark.browser

PASSWORD = "Correct-horse-battery-9"


def test_lead_edits_an_indicator_and_the_public_page_shows_it(site, page):
    lead = User.objects.create_user("lead@northshire.example", "lead@northshire.example", PASSWORD)
    lead.is_staff = True
    lead.save()
    lead.authorities.add(Authority.objects.get(slug="northshire"))
    indicator = Indicator.objects.get(text="Northshire health indicator 2.1")

    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("lead@northshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Indicators")).to_be_visible()

    page.goto(f"{site}/admin/guidance/indicator/{indicator.pk}/change/")
    expect(page.get_by_label("Text")).to_have_value("Northshire health indicator 2.1")
    page.get_by_label("Text").fill("Edited by the Northshire lead")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{site}{indicator.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edited by the Northshire lead")
    page.goto(f"{site}/northshire/level/2/")
    expect(page.locator("main")).to_contain_text("Edited by the Northshire lead")
    expect(page.locator("main")).not_to_contain_text("Northshire health indicator 2.1")

    # Another authority's indicator is forbidden to this lead: no form, and nothing changes.
    other = Indicator.objects.get(text="Southvale health indicator 2.1")
    response = page.goto(f"{site}/admin/guidance/indicator/{other.pk}/change/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("403 Forbidden")
    expect(page.get_by_label("Text")).to_have_count(0)
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    other.refresh_from_db()
    assert other.text == "Southvale health indicator 2.1"
