"""Trainers and comparison in real Chromium: the level table, presentation, print, compare."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from guidance.models import Authority, Indicator

pytestmark = pytest.mark.browser

AUTHORITIES = ["stoke-on-trent", "newcastle", "dudley", "gloucestershire", "hull"]


def test_level_table_fits_a_1366_laptop_without_scrolling_the_page_sideways(site, page):
    page.set_viewport_size({"width": 1366, "height": 768})
    for slug in AUTHORITIES:
        page.goto(f"{site}/{slug}/table/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, slug
        headers = page.locator("thead th.level-table__level")
        expect(headers).to_have_count(4)
    # The table holds every indicator of the authority.
    page.goto(f"{site}/dudley/table/")
    expect(page.locator("tbody li")).to_have_count(184)


def test_presentation_moves_by_keyboard_and_every_slide_has_an_address(site, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{site}/hull/present/3/")
    visible = page.locator(".slide:not([hidden]) h1")
    expect(visible).to_contain_text("(")
    first = visible.inner_text()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/hull/present/4/$"))
    assert visible.inner_text() != first
    page.keyboard.press("PageUp")  # a presenter clicker's "back"
    expect(page).to_have_url(re.compile(r"/hull/present/3/$"))
    expect(visible).to_have_text(first)
    page.keyboard.press("PageDown")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/hull/present/3/$"))
    page.keyboard.press("Home")
    expect(visible).to_have_text("Hull: the four levels of need")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/hull/present/3/$"))
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/hull/table/$"))


def test_presentation_works_without_a_mouse_or_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/newcastle/present/1/")
    page.get_by_role("link", name="Next").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/newcastle/present/2/$"))
    expect(page.locator(".slide:not([hidden]) h1")).to_contain_text("Learning and Education")
    context.close()


@pytest.mark.parametrize("slug", AUTHORITIES)
def test_no_slide_needs_scrolling_and_body_text_is_at_least_28px(site, page, slug):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{site}/{slug}/present/1/")
    count = page.locator(".slide").count()
    texts = set()
    for number in range(1, count + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
        expect(page).to_have_url(re.compile(rf"/present/{number}/$"))
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
        texts.update(page.locator(".slide:not([hidden]) li").all_inner_texts())
    # Split slides lose nothing: every indicator is on some slide.
    expected = set(
        Indicator.objects.filter(domain__authority__slug=slug).values_list("text", flat=True)
    )
    assert {t.strip() for t in texts} == expected


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_printed_wall_chart(site, page, paper, tmp_path):
    authority = Authority.objects.get(slug="dudley")
    page.goto(f"{site}/dudley/table/")
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
        assert "Dudley" in text
        assert authority.edition in text
        assert printed in text
        assert "Threshold guidance" not in text  # no navigation chrome
        assert "In immediate danger" not in text
    everything = " ".join(pages)
    for indicator in Indicator.objects.filter(domain__authority=authority)[:184:23]:
        assert indicator.text[:25] in everything
    # No row is split across pages: each row's first and last words are on one page.
    # (Compared without white space: the PDF's text breaks lines where the chart does.)
    squeezed = ["".join(text.split()) for text in pages]
    for row in page.locator("tbody tr").all():
        cells = row.locator("li").all_inner_texts()
        if len(cells) < 2:
            continue
        head, tail = "".join(cells[0].split())[:20], "".join(cells[-1].split())[-20:]
        assert any(head in text and tail in text for text in squeezed), (head, tail)


def test_compare_two_to_five_areas_on_a_theme(site, page):
    page.goto(f"{site}/compare/")
    page.get_by_label("Dudley").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose between 2 and 5 areas")
    page.get_by_label("Hull").check()
    page.get_by_label("Newcastle").check()
    page.get_by_label("Theme").select_option(label="Health")
    page.get_by_role("button", name="Compare").click()
    assert "authority=dudley" in page.url and "theme=health" in page.url
    table = page.locator(".compare-table")
    expect(table.locator("thead th")).to_have_text(["Level", "Dudley", "Hull", "Newcastle"])
    expect(table).to_contain_text("Targeted early help support")  # Hull's local name
    expect(table).to_contain_text("Intensive")  # Dudley's
    link = table.get_by_role("link", name="I have access to health services")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I have access to health services")


def test_next_steps_side_by_side_for_a_level(site, page):
    page.goto(f"{site}/compare/next-steps/?authority=dudley&authority=gloucestershire&level=4")
    columns = page.locator(".side-by-side__column")
    expect(columns).to_have_count(2)
    expect(columns.nth(0)).to_contain_text("Referral route")
    expect(columns.nth(1)).to_contain_text("Which Plan should be used?")
    boxes = [columns.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["y"] == boxes[1]["y"]  # side by side


@pytest.mark.parametrize(
    "path",
    [
        "/stoke-on-trent/table/",
        "/dudley/present/5/",
        "/compare/?authority=hull&authority=dudley&theme=parenting",
        "/compare/?authority=hull",
        "/compare/next-steps/?authority=hull&authority=newcastle&level=3",
    ],
)
def test_trainer_pages_have_no_axe_violations(site, page, path):
    page.goto(site + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
