"""Server time and size of each page type: `make bench` (after the fixtures are loaded).

Renders every page type many times through Django's test client (no network), and prints the
median and 95th-percentile time with the bytes of the HTML, raw and gzipped, then the bytes of
the CSS and JS every page loads, and the time to load all fixtures into an empty database.
"""

import gzip
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thresholds_site.settings")
# Production-like: DEBUG off (templates cached, no debug pages), plain static storage.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")
# The test client speaks plain HTTP; redirecting every request to HTTPS would time the redirect.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from guidance.models import Indicator  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))


def page_types():
    indicator = Indicator.objects.filter(domain__authority__slug="dudley").first()
    return {
        "home": "/",
        "authority": "/stoke-on-trent/",
        "level (largest)": "/dudley/level/4/",
        "indicators, filtered": "/dudley/indicators/?level=3&level=4&domain=Education",
        "indicators, all": "/dudley/indicators/",
        "indicator": indicator.get_absolute_url(),
        "search": "/search/?q=school",
        "guidance section": "/hull/guidance/significant-harm/",
        "level table": "/dudley/table/",
        "presentation": "/dudley/present/5/",
        "compare, all themes": "/compare/?authority=dudley&authority=hull&authority=stoke-on-trent",
        "next steps compared": "/compare/next-steps/?authority=dudley&authority=hull&level=4",
        "404": "/no/such/page/",
        "api: authorities": "/api/v1/authorities",
        "api: authority": "/api/v1/authorities/dudley",
        "api: indicators": "/api/v1/indicators?level=4&limit=100",
    }


def measure(client, url):
    client.get(url)  # warm up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    body = response.content
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, len(body), len(gzip.compress(body))


def main():
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    print(f"{'page type':24} {'median ms':>10} {'p95 ms':>8} {'HTML B':>8} {'gzip B':>8}")
    for name, url in page_types().items():
        median, p95, size, zipped = measure(client, url)
        print(f"{name:24} {median:10.1f} {p95:8.1f} {size:8} {zipped:8}")
    print()
    for asset in ("dist/main.css", "dist/govuk-frontend.min.js", "js/body-class.js", "js/init.js"):
        data = (ROOT / "static" / asset).read_bytes()
        print(f"{asset:30} {len(data):8} B raw {len(gzip.compress(data)):8} B gzip")
    print()
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False)
    start = time.perf_counter()
    call_command("load_thresholds", stdout=StringIO())
    print(f"load all fixtures into an empty test database: {time.perf_counter() - start:.2f} s")
    teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
