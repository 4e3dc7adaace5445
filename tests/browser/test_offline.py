"""Issue 14 in real Chromium: installable (the manifest), "Save <area> for use offline", every page
type of a saved area served offline with the notice and the emergency number, the offline page
for a page never saved, Remove, and a saved copy renewed after the area changes.

On the purpose-made documents (tests/data/site/): Northshire, Southvale and Westmere."""

import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from guidance.editions import publish
from guidance.models import Authority, Contact, Indicator

pytestmark = pytest.mark.browser

PASSWORD = "Correct-horse-battery-9"

OFFLINE_NOTICE = re.compile(r"Saved \d{1,2} \w+ \d{4}, edition 1; you are offline")


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def wait_for_service_worker(page, seconds=20):
    """`navigator.serviceWorker.ready` never settles if the worker fails to install, and
    Playwright's evaluate has no timeout of its own: race it against a clock."""
    page.evaluate(
        "seconds => Promise.race([navigator.serviceWorker.ready.then(() => true),"
        " new Promise((_, fail) => setTimeout(() => fail(new Error("
        "`the service worker was not ready after ${seconds} s`)), seconds * 1000))])",
        seconds,
    )


def cache_names(page):
    return page.evaluate("caches.keys()")


def save_area(page, site, slug="northshire", name="Northshire"):
    page.goto(f"{site}/{slug}/")
    wait_for_service_worker(page)
    box = page.locator("[data-offline-save]")
    expect(box).to_be_visible()
    box.get_by_role("button", name=f"Save {name} for use offline").click()
    expect(box.locator("[data-offline-progress]")).to_contain_text(
        re.compile(rf"Saved {name}: \d+ pages, \d+ KB"), timeout=30_000
    )
    expect(box.locator("[data-offline-state]")).to_contain_text("Saved on this device")


def area_pages(page, site, slug="northshire"):
    return page.evaluate(f"fetch('{site}/{slug}/offline.json').then(r => r.json())")["pages"]


def test_manifest_is_valid_and_linked(site, page):
    page.goto(f"{site}/northshire/level/2/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    manifest = json.loads(page.request.get(f"{site}{href}").text())
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    theme = page.locator('meta[name="theme-color"]').get_attribute("content")
    assert theme == manifest["theme_color"]
    for icon in manifest["icons"]:
        response = page.request.get(f"{site}{icon['src']}")
        assert response.ok and response.headers["content-type"] == "image/png"
    # The browser's own reading: the manifest parses, with no errors, under the site's policy.
    session = page.context.new_cdp_session(page)
    app = session.send("Page.getAppManifest")
    assert app["errors"] == [], app["errors"]
    assert json.loads(app["data"])["name"] == "Threshold guidance"
    # Chromium's installability criteria: nothing missing but a profile that is not incognito
    # (Playwright's contexts are).
    wait_for_service_worker(page)
    page.reload()
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == []


def test_saved_area_is_served_offline_with_the_notice_and_emergency_number(site, page, context):
    northshire = Authority.objects.get(slug="northshire")
    indicator = Indicator.objects.filter(domain__authority=northshire).first()
    section = northshire.sections.first()
    save_area(page, site)
    pages = area_pages(page, site)
    assert f"/northshire/indicators/{indicator.pk}/" in pages
    assert [name for name in cache_names(page) if name.startswith("area:northshire:")]

    context.set_offline(True)
    for path in [
        "/northshire/",
        "/northshire/level/3/",
        "/northshire/indicators/",
        f"/northshire/indicators/{indicator.pk}/",
        section.get_absolute_url(),
        "/northshire/table/",
        "/northshire/present/2/",
    ]:
        page.goto(f"{site}{path}")
        expect(page.locator("[data-offline-notice]")).to_have_text(OFFLINE_NOTICE)
        # Every page holds the emergency route (the banner; on a slide, the printed route).
        text = page.locator("body").text_content()
        assert "999" in text and "01234 567890" in text, path
        assert "Saved for use offline" not in page.title(), path
    # The banner itself, with the area's significant-harm number, on a level page.
    page.goto(f"{site}/northshire/level/4/")
    banner = page.locator(".emergency-banner")
    expect(banner.get_by_role("link", name="999", exact=True)).to_be_visible()
    expect(banner.get_by_role("link", name="01234 567890")).to_be_visible()

    # A page never visited nor saved: the offline page, listing what is saved.
    page.goto(f"{site}/southvale/level/2/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved for use offline")
    expect(page.locator("[data-offline-notice]")).to_have_text("You are offline.")
    expect(page.locator("[data-offline-areas]")).to_contain_text("Northshire")
    expect(page.locator("[data-offline-areas]")).to_contain_text("Test edition, January 2026")
    assert_no_axe_violations(page)


def test_remove_frees_the_saved_copy(site, page):
    save_area(page, site)
    page.get_by_role("button", name="Remove the saved copy").click()
    expect(page.locator("[data-offline-state]")).to_have_text("Not saved on this device.")
    assert not [name for name in cache_names(page) if name.startswith("area:")]
    expect(page.get_by_role("button", name="Save Northshire for use offline")).to_be_visible()


def test_visited_pages_are_kept_and_others_offline_are_the_offline_page(site, page, context):
    page.goto(f"{site}/southvale/")
    wait_for_service_worker(page)
    # Now controlled: the next visit is kept on the way.
    page.goto(f"{site}/southvale/level/1/")
    page.wait_for_function(
        "caches.open('pages').then(c => c.keys())"
        ".then(k => k.some(r => r.url.endsWith('/southvale/level/1/')))"
    )
    context.set_offline(True)
    page.goto(f"{site}/southvale/level/1/")
    expect(page.locator("[data-offline-notice]")).to_contain_text("you are offline")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Saved for use offline")
    page.goto(f"{site}/southvale/level/3/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved for use offline")
    expect(page.locator("[data-offline-none]")).to_be_visible()


def test_a_changed_area_is_saved_again_on_the_next_online_visit(site, page, context):
    save_area(page, site)
    before = [name for name in cache_names(page) if name.startswith("area:northshire:")]
    # A lead renames a level in the draft; it is published as edition 2.
    level = Authority.objects.get(slug="northshire--draft").levels.get(number=2)
    level.name = "Renamed early help"
    level.save()
    publish(Authority.objects.get(slug="northshire"), "Level 2 renamed.")

    page.goto(f"{site}/northshire/level/1/")
    notice = page.locator("[data-offline-notice]")
    expect(notice).to_have_text(
        "Updated the saved copy of Northshire to edition 2. See what changed", timeout=30_000
    )
    expect(notice.get_by_role("link", name="See what changed")).to_have_attribute(
        "href", "/northshire/changes/"
    )
    after = [name for name in cache_names(page) if name.startswith("area:northshire:")]
    assert len(after) == 1 and after != before

    context.set_offline(True)
    page.goto(f"{site}/northshire/level/2/")
    expect(page.locator("[data-offline-notice]")).to_have_text(
        re.compile(OFFLINE_NOTICE.pattern.replace("edition 1", "edition 2"))
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Renamed early help")
    page.goto(f"{site}/northshire/table/")
    expect(page.locator("main")).to_contain_text("Renamed early help")
    page.goto(f"{site}/northshire/changes/")  # saved too, so the notice's link works offline
    expect(page.locator("main")).to_contain_text("Level 2 renamed.")


def test_offline_page_is_accessible_and_lists_nothing_before_a_save(site, page):
    page.goto(f"{site}/offline/")
    expect(page.locator("[data-offline-none]")).to_be_visible()
    assert_no_axe_violations(page)


def test_without_javascript_there_is_no_save_button(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/northshire/")
    expect(page.locator("[data-offline-save]")).to_be_hidden()
    expect(page.locator("[data-offline-notice]")).to_be_hidden()
    context.close()


def test_admin_api_and_a_signed_in_users_pages_are_never_kept(site, page):
    user = User.objects.create_user("lead@northshire.example", "lead@northshire.example", PASSWORD)
    user.is_staff = True
    user.save()
    page.goto(f"{site}/southvale/")
    wait_for_service_worker(page)
    page.goto(f"{site}/api/v1/authorities")
    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("lead@northshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # Signed in, the public pages are private: shown, never kept.
    page.goto(f"{site}/southvale/level/2/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Southvale")
    kept = page.evaluate(
        "caches.open('pages').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"
    )
    assert kept == [], kept


def test_the_admins_files_never_come_from_the_service_worker(site, page):
    # A kept copy answers first: after a release, the admin would run the old scripts once.
    call_command("create_lead", "lead@northshire.example", "--authority", "northshire")
    lead = User.objects.get(username="lead@northshire.example")
    lead.set_password(PASSWORD)
    lead.save()
    page.goto(f"{site}/northshire/")
    wait_for_service_worker(page)
    page.goto(f"{site}/admin/")
    page.get_by_label("Email").fill("lead@northshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Contacts")).to_be_visible()
    contact = Contact.objects.filter(authority__slug="northshire--draft").first()
    answers = []
    page.on("response", lambda answer: answers.append(answer))
    for _ in range(2):  # the second time, anything kept on the first would be answered from it
        page.goto(f"{site}/admin/guidance/contact/{contact.pk}/change/")
        expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
    assert [a.url for a in answers if a.status >= 400] == []
    assert [a.url for a in answers if a.from_service_worker] == []
    assert any(a.url.endswith("/static/admin/css/widgets.css") for a in answers)


def test_visited_pages_are_kept_up_to_a_bound_oldest_dropped_first(site, page):
    """The device keeps the 60 most recent pages visited (sw.js MAX_PAGES), not every page ever
    seen: the first of 62 visits is dropped, the last kept."""
    page.goto(f"{site}/northshire/")
    wait_for_service_worker(page)
    page.reload()  # controlled by the worker from here on
    addresses = [
        address
        for slug in ("northshire", "southvale", "westmere")
        for address in area_pages(page, site, slug)
    ]
    addresses = [address for address in addresses if "/present/" not in address][:62]
    assert len(addresses) == 62
    for address in addresses:
        page.goto(f"{site}{address}")
    kept = "caches.open('pages').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"
    page.wait_for_function(f"{kept}.then(p => p.includes('{addresses[-1]}'))")
    pages = page.evaluate(kept)
    assert len(pages) == 60
    assert addresses[0] not in pages and addresses[1] not in pages
    assert addresses[-1] in pages and addresses[2] in pages


def test_on_a_slow_connection_a_kept_page_is_shown_at_once_and_says_so(site, page, monkeypatch):
    """The edge of the signal: a page visited before answers from the device once the network
    has taken 3 s (sw.js SLOW_MS), saying so; a quick network always gives the newest page."""
    import threading
    import time

    from guidance import caching

    page.goto(f"{site}/northshire/")
    wait_for_service_worker(page)
    page.reload()
    page.goto(f"{site}/northshire/level/2/")  # kept on the way
    page.wait_for_function(
        "caches.open('pages').then(c => c.keys())"
        ".then(k => k.some(r => r.url.endsWith('/northshire/level/2/')))"
    )
    slow = threading.Event()
    original = caching._cache_get

    def slow_cache_get(key):  # the live server runs in this process: every page waits 5 s
        if slow.is_set():
            time.sleep(5)
        return original(key)

    monkeypatch.setattr(caching, "_cache_get", slow_cache_get)
    # Not the browser's HTTP cache (Cache-Control lets it keep the page 5 minutes): the network.
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    slow.set()
    start = time.monotonic()
    page.goto(f"{site}/northshire/level/2/")
    notice = page.locator("[data-offline-notice]")
    expect(notice).to_contain_text("The connection is slow, so this is the copy on this device.")
    assert time.monotonic() - start < 5  # did not wait for the slow answer
    expect(notice).to_contain_text("edition 1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northshire Early Help")
    # The slow answer still arrives, and is kept for next time.
    shown = page.evaluate("new Date().toISOString()")
    page.wait_for_function(
        "shown => caches.open('pages').then(c => c.match(location.href))"
        ".then(r => r && r.headers.get('X-Saved-At') > shown)",
        arg=shown,
        timeout=15_000,
    )
    slow.clear()
    page.goto(f"{site}/northshire/level/2/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northshire Early Help")
    expect(notice).to_be_hidden()


def test_a_page_that_fails_once_while_saving_is_tried_again(site, page, monkeypatch):
    """A poor connection drops a request now and then: saving tries a page again before it
    gives up (sw.js fetchForSaving)."""
    import itertools

    from guidance import caching

    original, calls, failed = caching._cache_get, itertools.count(1), []

    def fail_the_fifth_page(key):
        if next(calls) == 5:
            failed.append(key)
            raise RuntimeError("the connection dropped")
        return original(key)

    monkeypatch.setattr(caching, "_cache_get", fail_the_fifth_page)
    save_area(page, site)
    assert failed, "no page failed"
    record = page.evaluate(
        "caches.keys().then(n => n.find(x => x.startsWith('area:northshire:')))"
        ".then(n => caches.open(n)).then(c => c.match('/northshire/offline.json'))"
        ".then(r => r.json())"
    )
    assert record["pages"] == len(area_pages(page, site))
