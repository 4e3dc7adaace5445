"""The Content-Security-Policy in a real browser: pages run their own scripts and break no rule."""

import pytest

from ..test_deploy import PAGES

pytestmark = pytest.mark.browser


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
    # The scripts ran: GOV.UK Frontend's classes, and Swagger UI drew the API.
    page.goto(f"{site}/hull/")
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    page.goto(f"{site}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=10_000)
