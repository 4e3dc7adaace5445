"""Issue 16, "Order that makes sense", in Chromium: a lead drags an indicator into place with the
mouse, or moves it with the keyboard alone, or without JavaScript, and the draft preview shows the
new order."""

import re

import pytest
from playwright.sync_api import expect

from guidance.models import Domain

from .test_admin_home import axe_violations, sign_in_as_lead

pytestmark = pytest.mark.browser

WHERE = "in Level 2, Child's Development / Health."


def health_level_2_list(site):
    domain = Domain.objects.get(authority__slug="northshire--draft", name="Health")
    return f"{site}/admin/guidance/indicator/?domain__id__exact={domain.pk}&level__number__exact=2"


def listed(page):
    """The indicators of the list, in the order shown ("2.1", "2.2", ...)."""
    names = page.locator("#result_list tbody tr th a").all_inner_texts()
    return [name.rsplit(" ", 1)[-1] for name in names]


def in_preview(page, site):
    """The Health indicators at level 2 in the draft preview, in the order shown."""
    page.goto(f"{site}/northshire--draft/level/2/")
    words = page.locator("main").text_content()  # folded accordion sections included
    found = re.findall(r"Northshire health indicator (2\.\d)", words)
    return list(dict.fromkeys(found))


def test_a_lead_drags_an_indicator_into_place_with_the_mouse(site, page):
    refused = []  # what the content security policy blocks (no inline script or style)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    sign_in_as_lead(page, site)
    page.goto(health_level_2_list(site))
    expect(
        page.get_by_text("Drag a row to put it in order, or use Move up and Move down.")
    ).to_be_visible()
    assert listed(page) == ["2.1", "2.2", "2.3"]
    assert axe_violations(page) == {}

    # Press on the first row's handle, move below the last row in steps, let go: 3 mouse actions.
    handle = page.locator("tr", has_text="indicator 2.1").locator(".order-handle")
    expect(handle).to_be_visible()
    box = handle.bounding_box()
    last = page.locator("tr", has_text="indicator 2.3").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 5, last["y"] + last["height"] * 0.9, steps=20)
    expect(
        page.locator("#result_list tbody tr.sortable-chosen:not(.sortable-fallback)")
    ).to_have_count(1)  # SortableJS
    page.mouse.up()

    expect(page.get_by_role("status")).to_have_text(
        f"Moved: The indicator “Northshire health indicator 2.1” is now 3rd of 3 {WHERE}"
    )
    assert listed(page) == ["2.2", "2.3", "2.1"]
    page.reload()
    assert listed(page) == ["2.2", "2.3", "2.1"]
    assert in_preview(page, site) == ["2.2", "2.3", "2.1"]
    assert refused == []


def test_a_lead_moves_an_indicator_with_the_keyboard_only(site, page):
    sign_in_as_lead(page, site)
    page.goto(health_level_2_list(site))
    target = "Move down: Northshire health indicator 2.1"
    presses = 0
    while page.evaluate("document.activeElement.getAttribute('aria-label')") != target:
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 60, "Move down: … is not reached with Tab"
    print(f"Tab pressed {presses} times to reach {target!r}")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text(
        f"Moved down: The indicator “Northshire health indicator 2.1” is now 2nd of 3 {WHERE}"
    )
    button = page.get_by_role("button", name=target)
    expect(button).to_be_focused()  # the moved row's button keeps the focus
    assert listed(page) == ["2.2", "2.1", "2.3"]
    page.keyboard.press("Enter")  # and again, from where it is
    expect(page.get_by_role("status")).to_contain_text("is now 3rd of 3")
    expect(button).to_be_focused()
    assert listed(page) == ["2.2", "2.3", "2.1"]
    assert axe_violations(page) == {}
    page.reload()
    assert listed(page) == ["2.2", "2.3", "2.1"]
    assert in_preview(page, site) == ["2.2", "2.3", "2.1"]


def test_move_up_and_move_down_work_without_javascript(site, browser):
    page = browser.new_context(java_script_enabled=False).new_page()
    sign_in_as_lead(page, site)
    page.goto(health_level_2_list(site))
    expect(page.get_by_text("Use Move up and Move down to put the rows in order.")).to_be_visible()
    expect(page.locator(".order-handle").first).to_be_hidden()  # no dragging without a script
    page.get_by_role("button", name="Move up: Northshire health indicator 2.3").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Moved up: The indicator “Northshire health indicator 2.3” is now 2nd of 3 {WHERE}"
    )
    assert listed(page) == ["2.1", "2.3", "2.2"]
    assert re.search(r"#order-\d+$", page.url)  # back at the moved row
    # (axe needs JavaScript: the other tests check the same page with it.)
    assert in_preview(page, site) == ["2.1", "2.3", "2.2"]
