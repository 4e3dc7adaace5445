"""Issue 14 on the server: the service worker and the web app manifest at the site root, the
offline page, and the list of an area's pages that "Save <area> for use offline" stores.
The browser side is tests/browser/test_offline.py."""

import json
import struct
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.templatetags.static import static
from django.urls import reverse

from guidance.models import Authority, Indicator

from .helpers import load_site_documents, queries_before_and_after_more_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).parent.parent

PAGE_KINDS = [
    "/",
    "/search/?q=parent",
    "/offline/",
    "/northshire/",
    "/northshire/level/2/",
    "/northshire/indicators/",
    "/northshire/table/",
    "/northshire/present/1/",
    "/compare/",
]


def test_service_worker_is_served_from_the_root_as_javascript_revalidated_every_time(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert "no-cache" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == (ROOT / "static" / "js" / "sw.js").read_bytes()
    # Served from the root, its scope is the whole site without Service-Worker-Allowed.
    assert "Service-Worker-Allowed" not in response


def test_policy_allows_the_sites_own_worker_and_manifest_only(client):
    policy = client.get("/northshire/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert "unsafe-inline" not in policy


def test_manifest_is_valid_and_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "public" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert manifest["name"] == "Threshold guidance"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == manifest["background_color"] == "#f4f8fb"
    icons = {(icon["sizes"], icon.get("purpose", "any")): icon for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _), icon in icons.items():
        assert icon["type"] == "image/png"
        served = client.get(icon["src"])
        assert served.status_code == 200
        assert served["Content-Type"] == "image/png"
        body = b"".join(served.streaming_content)
        assert body.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", body[16:24])
        assert f"{width}x{height}" == sizes


@pytest.mark.parametrize("url", PAGE_KINDS)
def test_every_page_links_the_manifest_theme_colour_and_touch_icon(client, url):
    html = client.get(url).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#f4f8fb">' in html
    assert f'<link rel="apple-touch-icon" href="{static("icons/icon-192.png")}">' in html
    assert f'src="{static("js/offline.js")}"' in html


def test_offline_page_is_a_public_page(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert b"Saved for use offline" in response.content


def test_shell_lists_the_offline_page_and_the_assets_that_exist(client):
    shell = client.get("/offline/assets.json").json()
    assert shell["offline_page"] == "/offline/"
    assert static("dist/main.css") in shell["assets"]
    for url in shell["assets"]:
        assert client.get(url).status_code == 200, url


def expected_pages(slug):
    authority = Authority.objects.get(slug=slug)
    pages = [f"/{slug}/"] + [f"/{slug}/level/{n}/" for n in range(1, 5)]
    indicators = Indicator.objects.filter(domain__authority=authority)
    if indicators.exists():
        pages.append(f"/{slug}/indicators/")
        pages += [f"/{slug}/indicators/{pk}/" for pk in indicators.values_list("pk", flat=True)]
        pages.append(f"/{slug}/table/")
    pages += [
        f"/{slug}/guidance/{section}/"
        for section in authority.sections.values_list("slug", flat=True)
    ]
    pages.append(f"/{slug}/changes/")
    return pages


def test_area_list_holds_exactly_the_areas_published_pages(client):
    northshire = Authority.objects.get(slug="northshire")
    response = client.get("/northshire/offline.json")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert response.has_header("ETag")
    area = response.json()
    assert area["slug"] == "northshire"
    assert area["name"] == northshire.name
    assert area["edition"] == northshire.edition
    assert area["version"] == northshire.version
    assert area["published_edition"] == northshire.published_edition == 1
    assert area["changes"] == "/northshire/changes/"
    pages = area["pages"]
    assert len(pages) == len(set(pages))
    slides = [page for page in pages if "/present/" in page]
    assert slides and slides[0] == "/northshire/present/1/"
    assert slides == [f"/northshire/present/{n}/" for n in range(1, len(slides) + 1)]
    assert sorted(set(pages) - set(slides)) == sorted(expected_pages("northshire"))
    # Nothing of another area; every page is there to be saved.
    for page in pages:
        assert page.startswith("/northshire/")
        assert client.get(page).status_code == 200, page
    # One past the last slide is no page.
    assert client.get(f"/northshire/present/{len(slides) + 1}/").status_code == 404
    assert static("dist/main.css") in area["assets"]


def test_area_without_indicators_lists_no_indicators_table_or_slides(client):
    westmere = Authority.objects.get(slug="westmere")
    assert not Indicator.objects.filter(domain__authority=westmere).exists()
    pages = client.get("/westmere/offline.json").json()["pages"]
    assert sorted(pages) == sorted(expected_pages("westmere"))


def test_area_list_follows_a_change_at_once(client):
    before = client.get("/northshire/offline.json").json()["version"]
    level = Authority.objects.get(slug="northshire").levels.get(number=2)
    level.name = "Early help (renamed)"
    level.save()
    assert client.get("/northshire/offline.json").json()["version"] > before


def test_area_list_uses_a_fixed_number_of_queries(client):
    northshire = Authority.objects.get(slug="northshire")
    small, large = queries_before_and_after_more_data(
        client, "/northshire/offline.json", northshire
    )
    assert small == large


def test_unknown_area_list_is_404(client):
    assert client.get("/nowhere/offline.json").status_code == 404
    assert reverse("guidance:offline") == "/offline/"


@pytest.mark.django_db(transaction=True)
def test_a_threaded_server_draws_many_pages_of_an_area_at_once(live_server):
    """What "Save <area> for use offline" asks of the server: many pages drawn at the same time,
    each in its own snapshot (guidance/caching.py `one_snapshot`), none failing."""
    load_site_documents()
    pages = json.loads(urlopen(f"{live_server.url}/northshire/offline.json").read())["pages"]
    assert len(pages) > 40

    def status(path):
        with urlopen(f"{live_server.url}{path}") as response:
            return path, response.status

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(pool.map(status, pages))
    assert set(answers.values()) == {200}, answers
