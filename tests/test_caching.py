"""Whole-page caching (guidance/caching.py): served from the cache with one query, never stale.

Every test starts and ends with an empty cache (local memory unless CACHE_URL says otherwise):
the test database rolls back between tests, so versions repeat and an entry from another test
could otherwise answer.
"""

import gzip
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from guidance.editions import publish
from guidance.models import Authority, Contact, GuidanceSection, Indicator, Level, NextStep

from .helpers import SITE_DOCUMENTS, load_site_documents
from .test_admin import indicator_form

BASE_DIR = Path(__file__).resolve().parent.parent

PAGES = [
    "/",
    "/search/?q=northshire",
    "/compare/?authority=northshire&authority=southvale",
    "/compare/next-steps/?authority=northshire&authority=southvale&level=2",
    "/northshire/",
    "/northshire/level/2/",
    "/northshire/indicators/?level=1&theme=health",
    "/northshire/table/",
    "/northshire/present/2/",
    "/northshire/guidance/significant-harm/",
]
API = [
    "/api/v1/authorities",
    "/api/v1/authorities/northshire",
    "/api/v1/indicators?authority=northshire&limit=5",
]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lead_client():
    """A second browser: a Northshire lead signed in to admin."""
    call_command(
        "create_lead", "Lead@Northshire.example", "--authority", "northshire", stdout=StringIO()
    )
    signed_in = Client()
    signed_in.force_login(User.objects.get(username="lead@northshire.example"))
    return signed_in


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, len(captured)


def text(response):
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES + API)
def test_a_repeat_request_is_served_from_the_cache_with_only_the_version_check(client, url):
    first, uncached = queries(client, url)
    second, cached = queries(client, url)
    assert first.status_code == second.status_code == 200
    assert uncached > 1
    assert cached == 1
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]


@pytest.mark.django_db
def test_not_found_is_cached_too_and_other_errors_are_not(client):
    assert queries(client, "/northshire/level/9/")[0].status_code == 404
    response, count = queries(client, "/northshire/level/9/")
    assert (response.status_code, count) == (404, 1)
    assert "public" in response["Cache-Control"]
    # An API parameter error (422) is answered afresh every time (a domain is checked against
    # the domains' names, read for it).
    queries(client, "/api/v1/indicators?domain=Atlantis")
    response, count = queries(client, "/api/v1/indicators?domain=Atlantis")
    assert response.status_code == 422
    assert count > 1
    assert "ETag" not in response


@pytest.mark.django_db
def test_a_slug_that_later_names_an_authority_is_not_stale(client, sample_text, write_fixture):
    assert client.get("/sample/").status_code == 404
    assert client.get("/api/v1/authorities/sample").status_code == 404
    call_command("load_thresholds", str(write_fixture(sample_text)), stdout=StringIO())
    assert client.get("/sample/").status_code == 200
    assert client.get("/api/v1/authorities/sample").status_code == 200


@pytest.mark.django_db
def test_orm_edits_show_on_the_next_page_and_api_answer(client):
    level = Level.objects.get(authority__slug="northshire", number=2)
    for url in ["/northshire/level/2/", "/api/v1/authorities/northshire", "/"]:
        client.get(url)

    level.name = "Renamed Early Help"
    level.save()
    assert "Renamed Early Help" in text(client.get("/northshire/level/2/"))
    assert "Renamed Early Help" in text(client.get("/api/v1/authorities/northshire"))

    step = NextStep.objects.filter(level=level).first()
    step.delete()
    assert step.text not in text(client.get("/northshire/level/2/"))

    # The many-to-many of contacts and levels, from either side.
    contact = Contact.objects.filter(authority__slug="northshire", levels=level).first()
    before = client.get("/api/v1/authorities/northshire").json()
    contact.levels.remove(level)
    after = client.get("/api/v1/authorities/northshire").json()
    assert after != before
    level.contacts.add(contact)
    assert client.get("/api/v1/authorities/northshire").json() == before

    section = GuidanceSection.objects.get(authority__slug="northshire", slug="glossary")
    client.get("/northshire/guidance/glossary/")
    section.body = "A freshly written glossary."
    section.save()
    assert "A freshly written glossary." in text(client.get("/northshire/guidance/glossary/"))

    # Pages about every authority see another authority's edit too.
    southvale = Authority.objects.get(slug="southvale")
    southvale.name = "South Vale"
    southvale.save()
    assert "South Vale" in text(client.get("/"))
    assert "South Vale" in text(client.get("/api/v1/authorities"))


@pytest.mark.django_db
def test_site_pages_see_authorities_come_and_go(client, sample_text, write_fixture):
    assert "Sampleshire" not in text(client.get("/"))
    call_command("load_thresholds", str(write_fixture(sample_text)), stdout=StringIO())
    assert "Sampleshire" in text(client.get("/"))
    Authority.objects.get(slug="sample").delete()
    assert "Sampleshire" not in text(client.get("/"))


def published_counterpart(indicator):
    """The published indicator a draft indicator is a copy of (the same text in the same place)."""
    return Indicator.objects.published().get(
        domain__authority=indicator.domain.authority.draft_of,
        domain__name=indicator.domain.name,
        level__number=indicator.level.number,
        order=indicator.order,
        text=indicator.text,
    )


@pytest.mark.django_db
def test_an_edit_through_admin_shows_on_the_next_anonymous_request_once_published(
    client, lead_client
):
    # Leads edit the draft; its preview is the lead's alone and never cached.
    indicator = Indicator.objects.filter(domain__authority__slug="northshire--draft").first()
    preview_url = indicator.get_absolute_url()
    url = published_counterpart(indicator).get_absolute_url()
    assert preview_url.startswith("/northshire--draft/") and url.startswith("/northshire/")
    old = client.get(url)
    assert queries(client, url)[1] == 1  # cached
    api_url = "/api/v1/indicators?authority=northshire&limit=500"
    assert indicator.text in text(client.get(api_url))
    assert client.get(preview_url).status_code == 404  # nobody else's preview

    response = lead_client.post(
        f"/admin/guidance/indicator/{indicator.pk}/change/",
        indicator_form(indicator, text="Edited through admin"),
    )
    assert response.status_code == 302
    preview = lead_client.get(preview_url)
    assert "Edited through admin" in text(preview)
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert "ETag" not in preview
    assert client.get(preview_url).status_code == 404
    # Not public until published: the cached page is still the right answer.
    unchanged, count = queries(client, url)
    assert count == 1 and unchanged["ETag"] == old["ETag"]
    assert "Edited through admin" not in text(unchanged)
    assert "Edited through admin" not in text(client.get(api_url))

    publish(Authority.objects.published().get(slug="northshire"), "An indicator reworded.")
    new = client.get(url)
    assert "Edited through admin" in text(new)
    assert new["ETag"] != old["ETag"]
    assert "Edited through admin" in text(client.get(api_url))


@pytest.mark.django_db
def test_loading_a_changed_document_shows_on_the_next_request(client, write_fixture):
    original = (SITE_DOCUMENTS / "northshire.yaml").read_text()
    assert "Northshire level 1 summary." in text(client.get("/northshire/"))
    assert "Northshire level 1 summary." in text(client.get("/api/v1/authorities/northshire"))
    changed = original.replace("Northshire level 1 summary.", "Reloaded level 1 summary.")
    path = write_fixture(changed, "northshire.yaml")
    call_command("load_thresholds", str(path), stdout=StringIO())
    assert "Reloaded level 1 summary." in text(client.get("/northshire/"))
    assert "Reloaded level 1 summary." in text(client.get("/api/v1/authorities/northshire"))


@pytest.mark.django_db
def test_loading_an_unchanged_document_keeps_the_cache(client):
    client.get("/northshire/")
    load_site_documents()
    assert queries(client, "/northshire/")[1] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/northshire/level/2/", "/", "/api/v1/authorities/northshire"])
def test_if_none_match_answers_304_until_an_edit(client, url):
    etag = client.get(url)["ETag"]
    response, count = queries(client, url, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, count) == (304, 1)
    assert response["ETag"] == etag
    assert "max-age=300" in response["Cache-Control"]
    # The weak form gzip gives the ETag matches too.
    assert client.get(url, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304

    level = Level.objects.get(authority__slug="northshire", number=2)
    level.summary = "Changed summary."
    level.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/northshire/level/2/", "/api/v1/authorities"])
def test_public_answers_are_public_and_gzipped(client, url):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    plain = client.get(url)
    assert gzip.decompress(response.content) == plain.content
    assert "Content-Encoding" not in plain


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/northshire/level/2/", "/api/v1/authorities"])
def test_a_cached_answer_is_compressed_once_not_on_every_request(client, url, monkeypatch):
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    calls = []
    monkeypatch.setattr(
        "django.middleware.gzip.compress_string", lambda *a, **k: calls.append(a) or b""
    )
    monkeypatch.setattr("guidance.caching.compress_string", lambda *a, **k: calls.append(a) or b"")
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert calls == []
    assert again["Content-Encoding"] == "gzip"
    assert again["Content-Length"] == str(len(again.content))
    assert again["ETag"] == first["ETag"]
    assert gzip.decompress(again.content) == gzip.decompress(first.content)
    plain = client.get(url, HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in plain
    assert plain.content == gzip.decompress(first.content)
    assert "Accept-Encoding" in plain["Vary"]


@pytest.mark.django_db
def test_cache_max_age_is_a_setting(client, settings):
    settings.CACHE_MAX_AGE = 60
    assert client.get("/northshire/")["Cache-Control"] == "public, max-age=60"


@pytest.mark.django_db
def test_admin_is_private_and_never_gzipped(client, lead_client):
    login = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert "csrftoken" in login.cookies
    assert "Content-Encoding" not in login
    assert "no-store" in login["Cache-Control"] and "private" in login["Cache-Control"]
    for url in ["/admin/", "/admin/guidance/indicator/"]:
        response = lead_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert "Content-Encoding" not in response
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_nothing_is_cached_for_a_signed_in_lead(client, lead_client):
    url = "/northshire/level/2/"
    first, uncached = queries(lead_client, url)
    second, again = queries(lead_client, url)
    assert again == uncached > 1
    assert "private" in second["Cache-Control"] and "public" not in second["Cache-Control"]
    assert "ETag" not in second
    # Nor did the lead's requests fill the cache for anyone else.
    assert queries(client, url)[1] == uncached + 1  # the page's queries and the version check
    assert queries(client, url)[1] == 1


@pytest.mark.django_db
def test_version_is_not_in_the_edit_history():
    fields = {f.name for f in Authority.history.model._meta.get_fields()}
    assert "version" not in fields
    assert "name" in fields


@pytest.mark.django_db
def test_a_stale_instance_saved_never_writes_an_old_version_back():
    stale = Authority.objects.get(slug="northshire")
    Level.objects.filter(authority=stale).first().save()
    current = Authority.objects.get(pk=stale.pk).version
    assert current > stale.version
    stale.save()  # bumps once more; never back to the stale number
    assert Authority.objects.get(pk=stale.pk).version == current + 1


# --- Two app servers, one Redis -----------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_or_skip():
    if connection.vendor != "postgresql":
        pytest.skip("two app servers need a shared database: run on PostgreSQL (DATABASE_URL)")
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    return client


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env():
    db = connection.settings_dict
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "two-servers-test-key-not-for-production",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_URL": REDIS_URL,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
    }


def _start_server(port):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "thresholds_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "30",
        ],
        cwd=BASE_DIR,
        env=_server_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_until_up(base, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise AssertionError(f"{base} did not come up in {seconds}s")


def _get(base, path, opener=None):
    open_url = (opener or urllib.request.build_opener()).open
    with open_url(f"{base}{path}", timeout=10) as response:
        return response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_sharing_redis_never_serve_a_stale_page(transactional_db):
    redis_client = _redis_or_skip()
    if not Authority.objects.filter(slug="northshire").exists():
        load_site_documents()
    redis_client.flushdb()
    ports = [_free_port(), _free_port()]
    servers = [_start_server(port) for port in ports]
    try:
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        for base, process in zip((a, b), servers, strict=True):
            _wait_until_up(base, process)
        path = "/northshire/level/2/"
        for base in (a, b):
            assert "Northshire Early Help" in _get(base, path)
        assert redis_client.dbsize() >= 1  # the shared cache is warm

        # An edit committed elsewhere (here, by the test process) shows on B's next request.
        level = Level.objects.get(authority__slug="northshire", number=2)
        level.name = "Edited Early Help"
        level.save()
        assert "Edited Early Help" in _get(b, path)
        assert "Edited Early Help" in _get(a, path)

        # An edit through server A's admin (of the draft) shows on server B's next request once
        # it is published.
        User.objects.create_superuser("two@example.org", "two@example.org", "Two-servers-pw-1")
        indicator = Indicator.objects.filter(domain__authority__slug="northshire--draft").first()
        url = published_counterpart(indicator).get_absolute_url()
        assert indicator.text in _get(b, url)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login_page = _get(a, "/admin/login/", opener)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "username": "two@example.org",
            "password": "Two-servers-pw-1",
            "next": "/admin/",
        }
        opener.open(f"{a}/admin/login/", urllib.parse.urlencode(form).encode(), timeout=10)
        change = f"/admin/guidance/indicator/{indicator.pk}/change/"
        page = _get(a, change, opener)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = indicator_form(indicator, text="Edited on server A")
        data["csrfmiddlewaretoken"] = token
        with opener.open(f"{a}{change}", urllib.parse.urlencode(data).encode(), timeout=10) as r:
            # Saved, and back to the list (filtered to where the row is).
            assert urllib.parse.urlsplit(r.url).path == "/admin/guidance/indicator/", r.url
        assert "Edited on server A" in _get(b, indicator.get_absolute_url(), opener)  # preview
        assert "Edited on server A" not in _get(b, url)
        publish(Authority.objects.published().get(slug="northshire"), "Edited on server A.")
        assert "Edited on server A" in _get(b, url)
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            process.stderr.close()
        redis_client.flushdb()


def test_the_redis_backend_reuses_one_client_and_round_trips_entries():
    """CACHE_URL=redis://... gives Django's Redis cache with one redis-py client per pool
    (thresholds_site/redis_cache.py): building one per call was a third of a cached answer."""
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    except Exception as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    code = (
        "import django; django.setup()\n"
        "from django.core.cache import cache, caches\n"
        "backend = caches['default']._cache\n"
        "assert type(caches['default']).__module__ == 'thresholds_site.redis_cache'\n"
        "assert backend.get_client('a') is backend.get_client('b')\n"
        "from django.conf import settings\n"
        "assert settings.CACHES['near']['BACKEND'] == 'thresholds_site.near_cache.NearCache'\n"
        "cache.set('guidance-test-entry', (200, [('A', 'b')], b'x', None), 30)\n"
        "assert cache.get('guidance-test-entry') == (200, [('A', 'b')], b'x', None)\n"
        "cache.delete('guidance-test-entry')\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "CACHE_URL": REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "thresholds_site.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "ok", result.stderr[-2000:]


@pytest.mark.django_db
def test_a_process_keeps_recent_pages_near_in_front_of_the_shared_cache(client):
    two_layers = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"},
        "near": {"BACKEND": "thresholds_site.near_cache.NearCache"},
    }
    url = "/northshire/level/2/"
    with override_settings(CACHES=two_layers):
        from django.core.cache import caches

        shared, near = caches["default"], caches["near"]
        first, _ = queries(client, url)
        shared.clear()  # served from this process's memory: no shared cache needed
        again, count = queries(client, url)
        assert (again.content, count) == (first.content, 1)
        near.clear()
        queries(client, url)  # in neither layer: rendered, and kept in both
        assert len(near) == len(shared._cache) == 1
        near.clear()
        shared_only, count = queries(client, url)
        assert (shared_only.content, count) == (first.content, 1)
        assert len(near) == 1  # refilled from the shared cache
        # Never stale: an edit moves the key in both layers.
        level = Level.objects.get(authority__slug="northshire", number=2)
        level.name = "Edited in one process"
        level.save()
        assert "Edited in one process" in text(client.get(url))
        shared.clear()
        near.clear()


@pytest.mark.parametrize("url", ["dummycache://", "locmemcache://"])
def test_no_near_layer_without_a_shared_cache(url):
    """A dummy cache (used to time pages uncached) must cache nothing, and local memory needs no
    second layer of local memory."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n"
            "from django.conf import settings\n"
            "print(sorted(settings.CACHES))\n",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "CACHE_URL": url, "DJANGO_SETTINGS_MODULE": "thresholds_site.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "['default']", result.stderr[-2000:]


@pytest.mark.django_db
def test_a_cached_page_costs_one_query_with_no_health_check_before_it(client):
    """Django's connection health check would be a query of its own before every request's
    first (settings CONN_HEALTH_CHECKS, off): a cached page is the version check alone."""
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is False
    client.get("/northshire/level/2/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/northshire/level/2/").status_code == 200
    assert len(queries) == 1


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_dropped_is_replaced_by_the_version_check(transactional_db):
    """A database restart or failover drops kept connections: the next page opens a new one
    instead of failing (guidance/caching.py `_one_row`)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a server that can drop a connection: PostgreSQL")
    import psycopg

    if not Authority.objects.filter(slug="northshire").exists():
        load_site_documents()
    client = Client()
    assert client.get("/northshire/").status_code == 200
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname="postgres"
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    response = client.get("/northshire/")
    assert response.status_code == 200
    assert connection.connection.info.backend_pid != pid


@pytest.mark.django_db
def test_the_version_check_is_planned_once_per_connection_on_postgresql(client):
    """Planning was most of the database's work for the one query of a cached page: the
    version check is a prepared statement, planned once per connection."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements: PostgreSQL")
    for _ in range(3):
        assert client.get("/northshire/level/2/").status_code == 200
        assert client.get("/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("WHERE slug = $1" in statement for statement in prepared), prepared
    assert any("SUM(version)" in statement for statement in prepared), prepared


@pytest.mark.django_db
def test_queries_are_planned_once_per_connection_on_postgresql():
    """Planning was a third to a half of the database's work for an uncached page at 155 areas:
    values are bound by the server, so a query's text is the same whatever they are, and psycopg
    prepares it after its fifth use on the connection."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements: PostgreSQL")
    for slug in ("northshire", "southvale", "northshire", "southvale", "northshire", "x"):
        list(Level.objects.filter(authority__slug=slug).values_list("number", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(
        '"guidance_level"' in statement and '"guidance_authority"."slug" = $1' in statement
        for statement in prepared
    ), prepared


@pytest.mark.parametrize(
    "setting, options",
    [
        ("true", {"prepare_threshold": 5, "server_side_binding": True}),
        ("false", {}),
    ],
)
def test_prepared_statements_can_be_turned_off_for_connection_poolers(setting, options):
    """Behind PgBouncer older than 1.21 (transaction mode) nothing may be prepared: Django's
    default, values bound by the client."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n"
            "from django.conf import settings\n"
            "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))\n",
        ],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
            "DATABASE_PREPARED_STATEMENTS": setting,
            "DJANGO_SETTINGS_MODULE": "thresholds_site.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == str(sorted(options.items())), result.stderr[-2000:]


def test_the_near_cache_keeps_entries_as_given_and_forgets_the_least_recently_used():
    """The near layer hands back the very entry it was given (no pickling on every hit, as
    Django's local-memory cache does) and holds at most MAX_ENTRIES, dropping the page asked
    for least recently."""
    from thresholds_site.near_cache import NearCache

    near = NearCache("", {"OPTIONS": {"MAX_ENTRIES": 2}})
    entry = (200, (("Content-Type", "text/html"),), b"page", None)
    near.set("a", entry)
    near.set("b", (200, (), b"b", None))
    assert near.get("a") is entry
    near.set("c", (200, (), b"c", None))  # "b" was used least recently
    assert (near.get("b"), near.get("a") is entry, near.get("c")[2]) == (None, True, b"c")
    assert near.add("a", None) is False and near.add("d", entry) is True
    assert len(near) == 2
    assert near.delete("d") is True and near.has_key("d") is False
    near.clear()
    assert near.get("a", "missing") == "missing"
