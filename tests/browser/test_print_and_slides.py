"""The printed pages, the projector and the level table on screen, in real Chromium.

Every printed page carries the emergency route (999, the area's significant-harm numbers, the
edition and the caveat), read from the PDF with poppler's pdftotext as a person would find it on
paper; slides fit a 1920x1080 screen with type as large as they leave room for; the level table
keeps its headings in view, splits rows only on paper and shows Dudley's strategy-discussion marks.
"""

import subprocess

import pytest
from playwright.sync_api import expect

from guidance.loader import load_documents, read_documents

from ..helpers import FIXTURES, add_long_indicators

pytestmark = pytest.mark.browser

# Northshire's route as its pages print it: 999, its front door's number, edition and caveat.
ROUTE = (
    "In immediate danger call 999",
    "Northshire Front Door 01234 567890",
    "Test edition, January 2026",
    "they are not a checklist",
)
DUDLEY_LEGEND = "* These themes indicate a strategy discussion will need to be held"


def pdf_pages(page, path, **options):
    """The text of each page of the page printed to PDF, white space squeezed."""
    page.pdf(path=str(path), print_background=True, **options)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]  # pdftotext ends every page with a form feed
    assert pages, path
    return [" ".join(p.split()) for p in pages]


def printed_page_paths(page, site):
    page.goto(f"{site}/northshire/level/4/")
    indicator = page.locator("a[href*='/indicators/'][href$='/']").filter(has_text="indicator")
    return {
        "authority": "/northshire/",
        "level 4": "/northshire/level/4/",
        "level 1": "/northshire/level/1/",
        "indicators": "/northshire/indicators/",
        "indicator": indicator.first.get_attribute("href"),
        "section": "/northshire/guidance/significant-harm/",
        "presentation": "/northshire/present/2/",
    }


def test_every_printed_page_carries_the_emergency_route(site, page, tmp_path):
    add_long_indicators("northshire", domains=4)  # pages as long as a real document's
    printed = {}
    for paper in ("A3", "A4", None):  # the wall chart: A3, A4 landscape, the browser's default
        page.goto(f"{site}/northshire/table/")
        options = {"format": paper, "landscape": True} if paper else {}
        printed[f"wall chart {paper or 'default'}"] = pdf_pages(
            page, tmp_path / f"chart-{paper}.pdf", **options
        )
    for name, path in printed_page_paths(page, site).items():
        page.goto(site + path)
        printed[name] = pdf_pages(page, tmp_path / f"{name}.pdf")
    assert len(printed["wall chart A4"]) >= 3
    for name, pages in printed.items():
        for number, text in enumerate(pages, start=1):
            for words in ROUTE:
                assert words in text, (name, number, words)
    # A page about no one area still says 999 and what the guide is.
    page.goto(f"{site}/compare/?authority=northshire&authority=southvale&theme=health")
    for text in pdf_pages(page, tmp_path / "compare.pdf"):
        assert "In immediate danger call 999" in text
        assert "it is not a checklist" in text


def test_the_printed_page_is_white_to_its_foot(site, page):
    # GOV.UK's template background is grey: it printed as an empty grey block after the footer.
    page.goto(f"{site}/northshire/")
    page.emulate_media(media="print")
    backgrounds = page.evaluate(
        """() => [document.documentElement, document.body].map(
             e => getComputedStyle(e).backgroundColor)"""
    )
    assert backgrounds == ["rgb(255, 255, 255)", "rgb(255, 255, 255)"]
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(page.locator(".print-route")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".print-route")).to_be_hidden()


def test_continued_rows_are_only_printed(site, page):
    add_long_indicators("northshire", domains=4)
    page.goto(f"{site}/northshire/table/")
    continued = page.locator("th:visible").filter(has_text="(continued)")
    expect(continued).to_have_count(0)
    expect(page.locator(".level-table__screen tr")).to_have_count(9)  # one row a domain
    page.emulate_media(media="print")
    expect(continued).to_have_count(4)


def test_level_table_headings_stay_in_view_below_the_banner(site, page):
    add_long_indicators("northshire", domains=4)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{site}/northshire/table/")
    page.evaluate("window.scrollTo(0, 3000)")
    page.wait_for_function("window.scrollY >= 2500")
    banner = page.locator(".emergency-banner").bounding_box()
    for heading in page.locator("thead th:visible").all():
        box = heading.bounding_box()
        assert abs(box["y"] - (banner["y"] + banner["height"])) <= 1, box
        # In view and on top: nothing of the table's body covers it.
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('thead') !== null", [x, y]
        )
        assert on_top


def test_level_table_lines_up_with_the_header(site, page):
    for width in (1280, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{site}/northshire/table/")
        table = page.locator(".level-table").bounding_box()["x"]
        for edge in (
            ".govuk-service-navigation__service-name",
            ".emergency-banner p",
            ".govuk-breadcrumbs",
            ".govuk-footer .govuk-width-container",
        ):
            assert abs(page.locator(edge).first.bounding_box()["x"] - table) <= 1, (width, edge)


def test_an_empty_column_says_none_at_this_level(site, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{site}/northshire/present/5/")  # Family and Environment: nothing at level 1
    slide = page.locator(".slide:not([hidden])")
    expect(slide.locator("h1")).to_have_text("Family and Environment")
    expect(slide.locator(".slide__cell.level-1")).to_contain_text("None at this level")
    for number in (2, 3, 4):
        expect(slide.locator(f".slide__cell.level-{number} .slide__none")).to_have_count(0)
        expect(slide.locator(f".slide__cell.level-{number} li")).not_to_have_count(0)


def _slide_fits():
    return """() => {
        const page = document.documentElement;
        const slide = document.querySelector('.slide:not([hidden])');
        const boxes = [...slide.querySelectorAll('.slide__cell')];
        return page.scrollHeight <= innerHeight && page.scrollWidth <= innerWidth
            && boxes.every(b => b.scrollHeight <= b.clientHeight + 1)
            && [...slide.querySelectorAll('*')].every(e => {
                 const r = e.getBoundingClientRect();
                 return r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1;
               });
    }"""


def test_dudley_slides_pack_each_domain_and_scale_the_type(site, page):
    load_documents(read_documents([FIXTURES / "dudley.yaml"]))
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{site}/dudley/present/1/")
    titles = page.locator(".slide h1").all_text_contents()
    # One slide a domain where it fits, as few as fit where it does not: 19 slides before, with
    # Education alone on 4.
    assert len(titles) <= 14, titles
    assert len([t for t in titles if t.startswith("Education")]) <= 3, titles
    sizes = []
    for number in range(1, len(titles) + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
        expect(page.locator(".slide:not([hidden])")).to_have_attribute("data-number", str(number))
        assert page.evaluate(_slide_fits()), titles[number - 1]
        sizes.append(
            page.evaluate(
                """() => parseFloat(getComputedStyle(
                     document.querySelector('.slide:not([hidden]) .slide__cell')).fontSize)"""
            )
        )
    # Never under 28px, and larger where the text leaves room (the four levels' summaries).
    assert min(sizes) >= 28, sizes
    assert sizes[0] > 28 and sum(size > 28 for size in sizes) >= len(sizes) // 2, sizes
    # Dudley's 17 strategy-discussion marks, with the document's legend on their slides.
    expect(page.locator(".slide .strategy-mark")).to_have_count(17)
    marked = page.locator(".slide:has(.strategy-mark)")
    for slide in marked.all():
        expect(slide.locator(".slide__legend")).to_have_text(DUDLEY_LEGEND)


def test_slides_fit_a_smaller_screen_too(site, page):
    # A 720p projector: the type is smaller in proportion, and still nothing is cut off.
    add_long_indicators("southvale")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{site}/southvale/present/1/")
    count = page.locator(".slide").count()
    for number in range(1, count + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
        expect(page.locator(".slide:not([hidden])")).to_have_attribute("data-number", str(number))
        assert page.evaluate(_slide_fits()), number


def test_dudley_level_table_marks_strategy_discussions_on_screen_and_paper(site, page, tmp_path):
    load_documents(read_documents([FIXTURES / "dudley.yaml"]))
    page.goto(f"{site}/dudley/table/")
    expect(page.locator(".strategy-mark:visible")).to_have_count(17)
    expect(page.locator(".level-table__legend")).to_have_text(DUDLEY_LEGEND)
    # Read out as what the mark stands for.
    read_out = page.locator(".level-table__screen li").filter(has_text="(strategy discussion)")
    expect(read_out).to_have_count(17)
    pages = pdf_pages(page, tmp_path / "dudley.pdf", format="A3", landscape=True)
    for text in pages:
        assert DUDLEY_LEGEND in text
        assert "0300 555 0050" in text and "999" in text
    assert sum(text.count("*") for text in pages) >= 17 + len(pages)
