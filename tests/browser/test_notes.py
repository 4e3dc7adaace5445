"""My notes (issue 15) in real Chromium: indicators added from search results, a level page, the
indicators page and an indicator's page, shown on the notes page by level with that level's next
steps and contacts; nothing but ids and the edition ever reaches the server; the add controls
work without JavaScript; axe; the printed A4 page with the emergency route and the edition; the
notes of a saved area offline.

On the purpose-made documents (tests/data/site/): Northshire, Southvale and Westmere."""

import re
import subprocess
from urllib.parse import parse_qsl, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from guidance.models import Indicator

from .test_offline import save_area

pytestmark = pytest.mark.browser

ROUTE = (
    "In immediate danger call 999",
    "Northshire Front Door 01234 567890",
    "Test edition, January 2026",
    "they are not a checklist",
)


def pk(text, slug="northshire"):
    return Indicator.objects.get(domain__authority__slug=slug, text=text).pk


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


class Requests:
    """Every request the browser makes, with its headers and body."""

    def __init__(self, context):
        self.seen = []
        context.on("request", lambda request: self.seen.append(request))

    def check_only_ids_reach_the_server(self, ids):
        ids = {str(i) for i in ids}
        notes_pages = 0
        for request in self.seen:
            url = urlsplit(request.url)
            query = parse_qsl(url.query, keep_blank_values=True)
            assert request.method == "GET", request.url
            assert not request.post_data, request.url
            if re.fullmatch(r"/[a-z-]+/notes/", url.path) and query:
                notes_pages += 1
                assert {name for name, _ in query} <= {"i", "e"}, request.url
            else:
                # No other address carries a noted id, neither as `i` nor anywhere else.
                assert not [v for name, v in query if name == "i"], request.url
            referer = request.all_headers().get("referer", "")
            assert "/notes/?" not in referer, (request.url, referer)
            cookies = request.all_headers().get("cookie", "")
            assert not any(i in cookies for i in ids), cookies
        assert notes_pages, "the notes page was never asked for"


def add_from_search(page, site, words, area):
    page.goto(f"{site}/search/?q={words.replace(' ', '+')}")
    form = page.locator(f"form[action='/{area}/notes/']").first
    button = form.get_by_role("button", name="Add to my notes")
    button.click()
    expect(form.get_by_role("button", name="Remove from my notes")).to_be_visible()
    return form


def test_notes_from_four_page_types_grouped_by_level_with_next_steps_and_contacts(
    site, page, context
):
    requests = Requests(context)
    # 1. A search result.
    form = add_from_search(page, site, "health indicator 4.1", "northshire")
    expect(form.locator("[data-notes-status]")).to_contain_text("1 indicator in your Northshire")
    # 2. A level page: open the domain, tick an indicator.
    page.goto(f"{site}/northshire/level/2/")
    page.get_by_role("button", name="Child's Development / Health").click()
    box = page.get_by_role("checkbox", name="Add to my notes: Northshire health indicator 2.1")
    box.check()
    expect(page.locator("[data-notes-status]")).to_contain_text("2 indicators in your Northshire")
    # 3. The indicators page.
    page.goto(f"{site}/northshire/indicators/?level=2&domain=Education")
    page.get_by_role("checkbox", name="Northshire education indicator 2.1").check()
    # 4. An indicator's own page.
    page.goto(f"{site}/northshire/indicators/{pk('Northshire education indicator 3.1')}/")
    page.get_by_role("button", name="Add to my notes").click()
    expect(page.get_by_role("button", name="Remove from my notes")).to_be_visible()
    page.get_by_role("link", name="View my Northshire notes").click()

    expect(page).to_have_url(re.compile(r"/northshire/notes/\?(i=\d+&){4}e=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My notes")
    expect(page.locator("main").get_by_role("heading", level=2)).to_have_text(
        [
            "Level 2 Northshire Early Help",
            "Level 3 Northshire Targeted",
            "Level 4 Northshire Specialist",
            "Print or share",
        ]
    )
    expect(page.locator("#notes-levels")).to_have_text(
        "The indicators you noted appear in the guidance at level 2 (Northshire Early Help), "
        "level 3 (Northshire Targeted) and level 4 (Northshire Specialist)."
    )
    level = {n: page.locator(f"[data-note-level='{n}']") for n in (2, 3, 4)}
    expect(level[2].locator("[data-note-item]")).to_have_text(
        [
            re.compile(r"^Northshire health indicator 2\.1"),
            re.compile(r"^Northshire education indicator 2\.1"),
        ]
    )
    expect(level[2].get_by_role("heading", level=4)).to_contain_text(
        ["Child's Development / Health", "Child's Development / Education", "Referral route"]
    )
    expect(level[2]).to_contain_text("Northshire level 2 referral route.")
    expect(level[2]).to_contain_text("Northshire Early Help Hub")
    expect(level[2]).not_to_contain_text("Northshire Front Door")
    expect(level[3]).to_contain_text("Northshire education indicator 3.1")
    expect(level[3]).to_contain_text("Northshire level 3 referral route.")
    expect(level[4]).to_contain_text("Northshire health indicator 4.1")
    expect(level[4]).to_contain_text("Northshire level 4 referral route.")
    expect(level[4].locator(".contact-card")).to_contain_text(["Northshire Front Door"])
    expect(page.locator("main")).not_to_contain_text("level 1 referral route")
    expect(page.locator("main")).to_contain_text(
        "Do not add names. Nothing you choose is stored on our server."
    )
    assert_no_axe_violations(page)

    # Remove one: out of the address and of this browser's notes.
    level[3].get_by_role("link", name=re.compile("Remove")).click()
    expect(page).to_have_url(re.compile(r"/northshire/notes/\?(i=\d+&){3}e=1$"))
    expect(page.locator("[data-note-level='3']")).to_have_count(0)
    page.goto(f"{site}/northshire/indicators/{pk('Northshire education indicator 3.1')}/")
    expect(page.get_by_role("button", name="Add to my notes")).to_be_visible()

    requests.check_only_ids_reach_the_server(
        [pk("Northshire health indicator 4.1"), pk("Northshire health indicator 2.1")]
    )


def test_notes_of_two_areas_are_kept_apart(site, page):
    add_from_search(page, site, "health indicator 4.1", "northshire")
    add_from_search(page, site, "health indicator 4.1", "southvale")
    page.goto(f"{site}/southvale/notes/")  # the address without ids: the browser's notes
    expect(page).to_have_url(re.compile(r"/southvale/notes/\?i=\d+&e=1$"))
    expect(page.locator("[data-note-item]:visible")).to_have_text(
        [re.compile("^Southvale health indicator 4.1")]
    )
    page.goto(f"{site}/northshire/notes/")
    expect(page.locator("[data-note-item]:visible")).to_have_text(
        [re.compile("^Northshire health indicator 4.1")]
    )
    # Kept only if asked: sessionStorage until "Keep my notes" is ticked.
    assert page.evaluate("localStorage.length") == 0
    page.get_by_label("Keep my Northshire notes in this browser after I close it").check()
    assert page.evaluate("Object.keys(localStorage)") == ["threshold-notes:northshire"]
    page.get_by_role("button", name="Clear my Northshire notes").click()
    expect(page).to_have_url(re.compile(r"/northshire/notes/$"))
    expect(page.locator("[data-notes-empty]")).to_be_visible()
    assert page.evaluate("localStorage.length") == 0


def test_a_shared_address_does_not_overwrite_the_browsers_own_notes_unasked(site, page):
    add_from_search(page, site, "health indicator 4.1", "northshire")
    other = pk("Northshire health indicator 1.1")
    page.goto(f"{site}/northshire/notes/?i={other}&e=1")
    expect(page.locator("[data-notes-differ]")).to_contain_text("This browser keeps other")
    page.get_by_role("button", name="Keep these as my notes").click()
    page.goto(f"{site}/northshire/notes/")
    expect(page).to_have_url(re.compile(rf"/northshire/notes/\?i={other}&e=1$"))


def test_without_javascript_the_add_controls_work_through_the_address(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    health = pk("Northshire health indicator 2.1")
    page.goto(f"{site}/northshire/indicators/{health}/")
    page.get_by_role("button", name="Add to my notes").click()
    expect(page).to_have_url(f"{site}/northshire/notes/?e=1&i={health}")
    expect(page.locator("[data-note-level='2']")).to_contain_text("Northshire health indicator 2.1")
    # A level page: tick two and send them.
    page.goto(f"{site}/northshire/level/3/")
    page.get_by_role("checkbox", name="Northshire education indicator 3.1").check()
    page.get_by_role("checkbox", name="Northshire health indicator 3.2").check()
    page.get_by_role("button", name="Add ticked indicators to my notes").click()
    expect(page).to_have_url(re.compile(r"/northshire/notes/\?e=1&i=\d+&i=\d+$"))
    expect(page.locator("[data-note-level='3'] [data-note-item]")).to_have_count(2)
    # The chooser on the notes page adds more; "Remove" takes one out.
    page.get_by_text("Choose indicators to note").click()
    page.get_by_label("Northshire health indicator 4.1").check()
    page.get_by_role("button", name="Show these in my notes").click()
    expect(page.locator("[data-note-item]")).to_have_count(3)
    page.locator("[data-note-level='4']").get_by_role("link", name=re.compile("Remove")).click()
    expect(page.locator("[data-note-item]")).to_have_count(2)
    # Search results add to their own area's notes.
    page.goto(f"{site}/search/?q=health+indicator+4.1")
    page.locator("form[action='/southvale/notes/']").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/southvale/notes/\?e=1&i=\d+$"))
    expect(page.locator("main")).to_contain_text("Southvale health indicator 4.1")
    context.close()


@pytest.mark.parametrize(
    "path",
    ["/northshire/notes/", "/northshire/notes/?i=999999&e=9", "/northshire/level/2/", "/search/"],
)
def test_notes_pages_and_controls_have_no_axe_violations_and_fit_320px(site, page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    if path == "/search/":
        path = "/search/?q=health+indicator+4.1"
    page.goto(site + path)
    if "999999" in path:
        expect(page.locator("#notes-ignored")).to_contain_text(
            "1 indicator in this address is not in Northshire’s guidance, so it is left out."
        )
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def pdf(page, path):
    page.pdf(path=str(path), print_background=True, prefer_css_page_size=True)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(p.split()) for p in text.split("\f")[:-1]]


def test_printed_notes_fit_a4_portrait_with_the_emergency_route_and_edition(site, page, tmp_path):
    noted = [
        pk(text)
        for text in (
            "Northshire health indicator 2.1",
            "Northshire health indicator 3.1",
            "Northshire health indicator 4.1",
            "Northshire education indicator 4.1",
        )
    ]
    page.goto(f"{site}/northshire/notes/?{'&'.join(f'i={n}' for n in noted)}&e=1")
    pages = pdf(page, tmp_path / "notes.pdf")
    for number, text in enumerate(pages, start=1):
        for words in ROUTE:
            assert words in text, (number, words)
    whole = " ".join(pages)
    assert "edition 1" in whole
    assert "Northshire level 4 referral route." in whole
    assert "Add to my notes" not in whole and "Choose indicators" not in whole
    assert "Remove" not in whole
    for sheet in PdfReader(tmp_path / "notes.pdf").pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    # The wall chart keeps its own landscape pages (the A4 portrait page is the notes' only).
    page.goto(f"{site}/northshire/table/")
    page.pdf(path=str(tmp_path / "chart.pdf"), prefer_css_page_size=True)
    sheet = PdfReader(tmp_path / "chart.pdf").pages[0]
    assert float(sheet.mediabox.width) > float(sheet.mediabox.height)


def test_notes_of_a_saved_area_work_offline(site, page, context):
    save_area(page, site)
    noted = [pk("Northshire health indicator 2.1"), pk("Northshire education indicator 4.1")]
    context.set_offline(True)
    page.goto(f"{site}/northshire/notes/?i={noted[0]}&i={noted[1]}&i=999999&e=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("My notes")
    expect(page.locator("[data-notes-offline]")).to_contain_text(
        "Shown from the copy of Northshire saved on this device."
    )
    expect(page.locator("[data-notes-offline]")).to_contain_text("1 indicator in this address")
    expect(page.locator("[data-note-item]:visible")).to_have_text(
        [
            re.compile("^Northshire health indicator 2.1"),
            re.compile("^Northshire education indicator 4.1"),
        ]
    )
    expect(page.locator("section[data-note-level]:visible")).to_have_count(2)
    expect(page.locator("[data-note-level='4']")).to_contain_text(
        "Northshire level 4 referral route."
    )
    expect(page.locator("[data-note-level='4']")).to_contain_text("01234 567890")
    expect(page.locator("#notes-levels")).to_have_text(
        "The indicators you noted appear in the guidance at level 2 (Northshire Early Help) "
        "and level 4 (Northshire Specialist)."
    )
    expect(page.locator("[data-notes-empty]")).to_be_hidden()
    # Removing one offline: the saved copy answers the new address too.
    page.locator("[data-note-level='2']").get_by_role("link", name=re.compile("Remove")).click()
    expect(page.locator("[data-note-item]:visible")).to_have_count(1)
    context.set_offline(False)
    # Notes with ids are never kept among the visited pages.
    kept = page.evaluate("caches.open('pages').then(c => c.keys()).then(k => k.map(r => r.url))")
    assert not [url for url in kept if "/notes/?" in url], kept
