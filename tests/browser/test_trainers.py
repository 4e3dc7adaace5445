"""Trainers and comparison in real Chromium: the level table, presentation, print, compare.

On the purpose-made documents (tests/data/site/); where a behaviour needs more text than they
hold (slides split a domain, a chart prints over pages), the test adds indicators as long as
real ones."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from guidance.models import Indicator

from ..helpers import add_long_indicators

pytestmark = pytest.mark.browser

AUTHORITIES = ["northshire", "southvale", "westmere"]


def test_level_table_fits_a_1366_laptop_without_scrolling_the_page_sideways(site, page):
    add_long_indicators("southvale")
    page.set_viewport_size({"width": 1366, "height": 768})
    for slug in ("northshire", "southvale"):  # Westmere has no indicator table
        page.goto(f"{site}/{slug}/table/")
        expect(page.locator("thead th.level-table__level")).to_have_count(4)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, slug
    # The table holds every indicator of the authority, once.
    page.goto(f"{site}/northshire/table/")
    expect(page.locator(".level-table__screen li")).to_have_count(30)
    expect(page.locator(".level-table__screen th")).to_have_text(
        [
            "Child's Development / Health",
            "Child's Development / Education",
            "Parenting Capacity",
            "Family and Environment",
            "Risks Outside the Home",
        ]
    )
    page.goto(f"{site}/westmere/table/")
    expect(page.locator(".level-table")).to_have_count(0)
    expect(page.get_by_text("has no table of indicators in a form this site")).to_be_visible()


def test_presentation_moves_by_keyboard_and_every_slide_has_an_address(site, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{site}/northshire/present/3/")
    visible = page.locator(".slide:not([hidden]) h1")
    expect(visible).to_have_text("Child's Development / Education")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/northshire/present/4/$"))
    expect(visible).to_have_text("Parenting Capacity")
    expect(page).to_have_title(re.compile(r"^Northshire: slide 4 of 6"))
    page.keyboard.press("PageUp")  # a presenter clicker's "back"
    expect(page).to_have_url(re.compile(r"/northshire/present/3/$"))
    expect(visible).to_have_text("Child's Development / Education")
    page.keyboard.press("PageDown")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/northshire/present/3/$"))
    page.keyboard.press("End")
    expect(page).to_have_url(re.compile(r"/northshire/present/6/$"))
    expect(visible).to_have_text("Risks Outside the Home")
    page.keyboard.press("ArrowRight")  # no slide after the last
    expect(page).to_have_url(re.compile(r"/northshire/present/6/$"))
    page.keyboard.press("Home")
    expect(visible).to_have_text("Northshire: the four levels of need")
    expect(page).to_have_url(re.compile(r"/northshire/present/1/$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/northshire/present/6/$"))
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/northshire/table/$"))


def test_a_domain_too_long_for_one_slide_is_split_and_numbered(site, page):
    add_long_indicators("southvale", domains=1, per_cell=5)  # 5 x 220 characters a cell
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{site}/southvale/present/4/")
    visible = page.locator(".slide:not([hidden]) h1")
    expect(visible).to_have_text("Long domain 1 (1 of 3)")
    page.keyboard.press("ArrowRight")
    expect(visible).to_have_text("Long domain 1 (2 of 3)")
    expect(page).to_have_url(re.compile(r"/southvale/present/5/$"))
    expect(page.locator(".slide h1")).to_have_count(6)


def test_presentation_works_without_a_mouse_or_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/southvale/present/1/")
    page.get_by_role("link", name="Next").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/southvale/present/2/$"))
    expect(page.locator(".slide:not([hidden]) h1")).to_have_text("Health")
    expect(page.locator(".slide:not([hidden]) li")).to_have_text(
        [f"Southvale health indicator {n}.1" for n in (1, 2, 3, 4)]
    )
    context.close()


@pytest.mark.parametrize("slug", AUTHORITIES)
def test_no_slide_needs_scrolling_and_body_text_is_at_least_28px(site, page, slug):
    if slug == "southvale":
        add_long_indicators(slug)  # cells as full as real documents', split over slides
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{site}/{slug}/present/1/")
    count = page.locator(".slide").count()
    for number in range(1, count + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
        expect(page).to_have_url(re.compile(rf"/present/{number}/$"))
        expect(page.locator(".slide:not([hidden])")).to_have_attribute("data-number", str(number))
        assert page.evaluate("document.documentElement.scrollHeight") <= 1080, number
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('.slide:not([hidden]) .slide__cell')]
                 .some(cell => cell.scrollHeight > cell.clientHeight + 1)"""
        )
        assert not overflow, number
        sizes = page.evaluate(
            """() => [...document.querySelectorAll(
                 '.slide:not([hidden]) li, .slide:not([hidden]) .slide__text')]
                 .map(e => parseFloat(getComputedStyle(e).fontSize))"""
        )
        assert sizes and min(sizes) >= 28, number
    # Split slides lose nothing: every indicator is on exactly one slide.
    expected = sorted(
        Indicator.objects.filter(domain__authority__slug=slug).values_list("text", flat=True)
    )
    items = page.locator(".slide li")
    expect(items).to_have_count(len(expected))
    # (Less the strategy-discussion mark, read out as "(strategy discussion)".)
    texts = [t.replace("* (strategy discussion)", "").strip() for t in items.all_text_contents()]
    assert sorted(texts) == expected


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_printed_wall_chart(site, page, paper, tmp_path):
    authority = add_long_indicators("northshire", domains=4)  # a real document's length
    page.goto(f"{site}/northshire/table/")
    page.emulate_media(media="print")
    pdf = tmp_path / "chart.pdf"
    page.pdf(path=str(pdf), format=paper, landscape=True, print_background=True)
    reader = PdfReader(pdf)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) >= 2
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    printed = f"Printed {date.today():%-d %B %Y}"
    for text in pages:
        # The header repeats on every page; no navigation chrome or banner is printed.
        assert "Northshire · Northshire Levels of Need (Test edition, January 2026)" in text
        assert printed in text
        assert "Threshold guidance" not in text
        assert "Emergency 999" not in text  # the banner; the foot gives the route instead
        assert "In immediate danger call 999" in text
    everything = " ".join(pages)
    for indicator in Indicator.objects.filter(domain__authority=authority):
        assert indicator.text[:25] in everything, indicator.text
    # No row is split across pages: each row's first and last words are on one page.
    # (Compared without white space: the PDF's text breaks lines where the chart does.)
    squeezed = ["".join(text.split()) for text in pages]
    # A domain with more text than a printed cell holds goes on in a row of its own.
    expect(page.locator(".level-table__print th").filter(has_text="(continued)")).to_have_count(4)
    for row in page.locator(".level-table__print tr").all():
        # (The mark's words for screen readers, "(strategy discussion)", are not printed.)
        texts = row.locator("li").all_text_contents()
        cells = [t.replace("(strategy discussion)", "") for t in texts]
        head, tail = "".join(cells[0].split())[:20], "".join(cells[-1].split())[-20:]
        assert any(head in text and tail in text for text in squeezed), (head, tail)


def test_compare_two_to_five_areas_on_a_theme(site, page):
    page.goto(f"{site}/compare/")
    page.get_by_label("Northshire").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose between 2 and 5 areas")
    page.get_by_label("Southvale").check()
    page.get_by_label("Westmere").check()
    page.get_by_label("Theme").select_option(label="Health")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(
        re.compile(r"authority=northshire&authority=southvale&authority=westmere&theme=health")
    )
    table = page.locator(".compare-table")
    expect(table.locator("thead th")).to_have_text(["Level", "Northshire", "Southvale", "Westmere"])
    level_2 = table.locator("tbody tr").nth(1)
    expect(level_2.locator("td")).to_have_text(
        [
            re.compile(r"Northshire Early Help\s+Northshire health indicator 2\.1"),
            re.compile(r"Southvale Early Help\s+Southvale health indicator 2\.1"),
            re.compile(r"Westmere Early Help\s+No indicators for this theme\."),
        ]
    )
    link = table.get_by_role("link", name="Southvale health indicator 2.1")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Southvale health indicator 2.1")


def test_next_steps_side_by_side_for_a_level(site, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{site}/compare/next-steps/?authority=northshire&authority=westmere&level=4")
    # A column per area (its heading cell), the areas' next steps and contacts in table rows.
    columns = page.locator(".side-by-side__column")
    expect(columns).to_have_count(2)
    expect(columns.nth(1)).to_contain_text("The document gives no next steps for this level.")
    rows = page.locator(".next-steps-table tbody tr:not(:has(th))")
    expect(rows.first.locator("td").nth(0)).to_contain_text("Northshire level 4 referral route.")
    expect(rows.last.locator("td").nth(0)).to_contain_text("Northshire Out of Hours")
    expect(rows.last.locator("td").nth(1)).to_contain_text("Westmere Children's Services")
    left, right = (columns.nth(i).bounding_box() for i in range(2))
    # Side by side: the second column starts level with the first, to its right.
    assert abs(left["y"] - right["y"]) < 2
    assert right["x"] >= left["x"] + left["width"] - 1


@pytest.mark.parametrize(
    "path",
    [
        "/northshire/table/",
        "/northshire/present/5/",
        "/compare/?authority=northshire&authority=southvale&theme=parenting",
        "/compare/?authority=northshire",
        "/compare/next-steps/?authority=northshire&authority=southvale&level=3",
    ],
)
def test_trainer_pages_have_no_axe_violations(site, page, path):
    page.goto(site + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
