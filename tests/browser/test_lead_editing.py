"""A safeguarding lead signs in, edits an indicator and sees it on the public page."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from guidance.models import Authority, Indicator

pytestmark = pytest.mark.browser

PASSWORD = "Correct-horse-battery-9"


def test_lead_edits_an_indicator_and_the_public_page_shows_it(site, page):
    lead = User.objects.create_user("lead@hull.example", "lead@hull.example", PASSWORD)
    lead.is_staff = True
    lead.save()
    lead.authorities.add(Authority.objects.get(slug="hull"))
    indicator = Indicator.objects.filter(domain__authority__slug="hull").first()

    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("lead@hull.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Indicators")).to_be_visible()

    page.goto(f"{site}/admin/guidance/indicator/{indicator.pk}/change/")
    page.get_by_label("Text").fill("Edited by the Hull lead")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{site}{indicator.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edited by the Hull lead")

    # Another authority's indicator is forbidden to this lead.
    other = Indicator.objects.filter(domain__authority__slug="dudley").first()
    response = page.goto(f"{site}/admin/guidance/indicator/{other.pk}/change/")
    assert response.status == 403
    assert re.search(r"/admin/", page.url)
