"""Facing the internet: HTTPS, HSTS, the content security policy, sessions, login throttling
behind proxies, and what load balancers, crawlers and browsers ask for."""

import gzip
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management.utils import get_random_secret_key
from django.db import OperationalError, connections
from django.test import override_settings
from django.urls import reverse

from .helpers import PAGE_OF_EACH_KIND

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_favicon  # noqa: E402

PAGES = PAGE_OF_EACH_KIND
PASSWORD = "A-long-pass-phrase-9"


def production_env(**overrides):
    """The environment of a live site: DEBUG off, a real key, a host; nothing from the tests."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "AXES_", "SESSION_", "TRUSTED_"))
        and k
        not in (
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "STATIC_MANIFEST",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "thresholds_site.settings",
        "SECRET_KEY": get_random_secret_key(),
        "ALLOWED_HOSTS": "thresholds.example.org",
        **overrides,
    }


def run(args, **env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=production_env(**env), capture_output=True, text=True
    )


def settings_under(names, **env):
    """The values the settings module gives `names` in a fresh process with this environment."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# HTTPS


def test_check_deploy_finds_no_issues_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_https_is_switched_off():
    result = run(
        ["manage.py", "check", "--deploy"], SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0"
    )
    assert "security.W004" in result.stderr + result.stdout  # no HSTS
    assert "security.W008" in result.stderr + result.stdout  # no redirect


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="thresholds.example.org")
plain = client.get("/robots.txt")
proxied = client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location")],
    "proxied": [proxied.status_code, proxied.headers.get("Strict-Transport-Security")],
    "csp": proxied.headers.get("Content-Security-Policy"),
    "healthz": client.get("/healthz").status_code,
}))
"""


def test_production_redirects_to_https_sends_hsts_and_trusts_the_configured_proxy_header(
    tmp_path,
):
    result = run(
        ["-c", PROBE],
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        # Any database that answers will do for /healthz.
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://thresholds.example.org/robots.txt"]
    assert seen["proxied"] == [200, "max-age=31536000; includeSubDomains"]
    assert "default-src 'self'" in seen["csp"]
    assert seen["healthz"] == 200  # load balancers probe over plain HTTP


def test_https_and_hsts_are_switchable_by_environment():
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_AGE",
    ]
    assert settings_under(names) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
    }
    assert settings_under(
        names,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="true",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        SESSION_COOKIE_AGE="3600",
    ) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_AGE": 3600,
    }


def test_production_cookies_are_secure_and_switchable():
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY"]
    assert settings_under(names) == dict.fromkeys(names, True)
    assert settings_under(names, SECURE_COOKIES="false") == {
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SESSION_COOKIE_HTTPONLY": True,
    }


def test_local_development_neither_redirects_nor_sends_hsts():
    names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"]
    assert settings_under(names, DEBUG="true") == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
    }


@pytest.mark.django_db
def test_a_page_over_https_carries_hsts_and_the_content_security_policy(client):
    response = client.get("/northshire/", secure=True)
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


# Content security policy


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.styled, self.handlers = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if "style" in attrs or tag == "style":
            self.styled.append(tag)
        self.handlers += [name for name in attrs if name.startswith("on")]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_a_policy_its_own_markup_keeps(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    tags = Tags()
    tags.feed(response.content.decode())
    # Every script is a file of the site's own, or data the policy does not run.
    for script in tags.scripts:
        src, kind = script.get("src", ""), script.get("type")
        assert src.startswith("/static/") or kind == "application/json", script
    assert tags.styled == [] and tags.handlers == []


def test_the_policy_allows_only_the_sites_own_files(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["default-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_api_docs_use_the_sites_own_copy_of_swagger_ui(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/ninja/swagger-ui-init.js" in page
    assert not re.search(r"https?://", page)  # no CDN
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


@pytest.mark.django_db
def test_the_page_script_sets_the_javascript_classes_before_anything_else(client):
    page = client.get("/").content.decode()
    body = page.index("<body")
    first_script = page.index("<script", body)
    assert page[first_script:].startswith('<script src="/static/js/body-class.js">')
    assert "<a " not in page[body:first_script]  # nothing visible is drawn before it runs
    assert '<script type="module" src="/static/js/init.js">' in page


# Sessions and sign-in


@pytest.fixture
def lead(db):
    return User.objects.create_user("lee@example.org", "lee@example.org", PASSWORD, is_staff=True)


def sign_in(client, password, username="lee@example.org", **meta):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, **meta)


def test_an_admin_session_lasts_a_working_day(client, lead):
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60


def test_the_fifth_failed_sign_in_locks_the_account_even_to_the_right_password(client, lead):
    statuses = [sign_in(client, "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_a_client_cannot_dodge_the_lockout_by_sending_x_forwarded_for(client, lead):
    for n in range(5):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"81.2.69.{n}")
    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="81.2.69.99").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_a_client_cannot_lock_out_someone_elses_address_by_sending_x_forwarded_for(client, lead):
    for _ in range(5):
        sign_in(client, "wrong", REMOTE_ADDR="81.2.69.66", HTTP_X_FORWARDED_FOR="81.2.69.7")
    assert sign_in(client, PASSWORD, REMOTE_ADDR="81.2.69.7").status_code == 302


def test_changing_the_case_of_the_username_does_not_dodge_the_lockout(client, lead):
    for username in ["Lee@example.org", "LEE@example.org", "lee@Example.org", "lEe@example.org"]:
        sign_in(client, "wrong", username=username)
    assert sign_in(client, "wrong", username="lee@EXAMPLE.org").status_code == 429
    assert sign_in(client, PASSWORD).status_code == 429


@pytest.fixture(scope="module")
def one_proxy():
    """The login-throttling settings of a site behind one load balancer: TRUSTED_PROXY_COUNT=1."""
    return settings_under(
        ["AXES_IPWARE_META_PRECEDENCE_ORDER", "AXES_IPWARE_PROXY_COUNT", "IPWARE_STRICT"],
        TRUSTED_PROXY_COUNT="1",
    )


def test_behind_one_proxy_the_address_it_forwards_is_counted(client, lead, one_proxy):
    balancer = {"REMOTE_ADDR": "10.0.0.1"}
    with override_settings(**one_proxy):
        for n in range(5):
            # The client prepends its own X-Forwarded-For; the load balancer appends the truth.
            sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 81.2.69.7", **balancer)
        assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["81.2.69.7"]
        locked = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="81.2.69.7", **balancer)
        assert locked.status_code == 429
        # Someone else behind the same load balancer still signs in.
        other = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="81.2.69.8", **balancer)
        assert other.status_code == 302


def test_sign_in_takes_the_email_in_any_case(client, lead):
    assert sign_in(client, PASSWORD, username="Lee@Example.ORG").status_code == 302


# Load balancers, crawlers, browsers


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch.object(
        type(connections["default"]), "cursor", side_effect=OperationalError("down")
    ):
        assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_is_exempt_from_the_https_redirect(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_robots_txt_lets_crawlers_read_the_guidance_but_not_admin_or_api_docs(client):
    response = client.get("/robots.txt")
    assert response.headers["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert {"Disallow: /admin/", "Disallow: /api/v1/docs", "Allow: /"} <= set(lines)


@pytest.mark.django_db
def test_favicon_is_the_sites_own_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = b"".join(response.streaming_content)
    # The committed file is what scripts/make_favicon.py draws.
    assert icon == make_favicon.ico() == (ROOT / "static" / "favicon.ico").read_bytes()
    assert client.get("/").content.decode().count('rel="icon" href="/static/favicon.ico"') == 1


@pytest.mark.django_db
def test_the_page_not_found_is_drawn_once_whatever_the_address(client):
    first = client.get("/no/such/page/")
    again = client.get("/nor/this/one/")
    assert first.status_code == again.status_code == 404
    assert "Page not found" in again.content.decode()
    assert again.content == first.content
    assert not again.templates  # the page drawn before, not drawn again
    zipped = client.get("/nor/this/either/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == first.content


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="scripts.bench_urls")
def test_the_throughput_benchmark_measures_the_sites_own_page_not_found(client):
    # Django takes handler404 from ROOT_URLCONF: without it the benchmark's server would time
    # Django's default handler, which draws the page on every request.
    client.get("/no/such/page/")
    assert client.get("/nor/this/one/").status_code == 404
    assert not client.get("/nor/this/either/").templates
    assert client.get("/bench/bare/").content == b"ok"
