"""The Content-Security-Policy in a real browser: pages run their own scripts and break no rule."""

import re

import pytest
from playwright.sync_api import expect

from ..helpers import PAGE_OF_EACH_KIND

pytestmark = pytest.mark.browser

PAGES = PAGE_OF_EACH_KIND


def test_pages_break_no_rule_of_the_content_security_policy(site, page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for url in PAGES:
        errors.clear()
        page.goto(f"{site}{url}")
        page.wait_for_load_state("networkidle")
        # The missing page's own status is reported as an error; nothing else may be.
        assert [e for e in errors if "status of 404" not in e] == [], url
    # The scripts ran: GOV.UK Frontend's classes, the print button, and Swagger UI drew the API.
    page.goto(f"{site}/northshire/")
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    page.goto(f"{site}/northshire/table/")
    expect(page.get_by_role("button", name="Print as a wall chart")).to_be_visible()
    page.goto(f"{site}/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=10_000)
    expect(page.locator(".opblock")).to_have_count(4)
