"""Server time and size of each page type: `make bench` (after the fixtures are loaded).

Renders every page type many times through Django's test client (no network), and prints the
median and 95th-percentile time with the bytes of the HTML, raw and gzipped, then the bytes of
the CSS and JS every page loads, and the time to load all fixtures into an empty database.

`page_types()` and `measure()` are shared with scripts/make_scale_set.py (`make bench-scale`)
and scripts/bench_throughput.py (`make bench-throughput`).
"""

import gzip
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUNS = int(os.environ.get("BENCH_RUNS", "50"))


def bench_environment():
    """Production-like settings for an in-process benchmark (kept where already set)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thresholds_site.settings")
    # DEBUG off (templates cached, no debug pages), plain static storage.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # The test client speaks plain HTTP; redirecting every request to HTTPS would time the redirect.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")


def page_types(authority="dudley", other="hull", third="stoke-on-trent"):
    """Each page type and API endpoint, about `authority` (and `other`, `third` where a page
    shows or compares several). The defaults are real documents; the scale benchmark names
    copies (e.g. `dudley-copy-17`)."""
    from guidance.models import Indicator

    indicator = Indicator.objects.filter(domain__authority__slug=authority).first()
    a, b, c = authority, other, third
    return {
        "home": "/",
        "authority": f"/{c}/",
        "level (largest)": f"/{a}/level/4/",
        "indicators, filtered": f"/{a}/indicators/?level=3&level=4&domain=Education",
        "indicators, all": f"/{a}/indicators/",
        "indicator": indicator.get_absolute_url(),
        "search": "/search/?q=school",
        "guidance section": f"/{b}/guidance/significant-harm/",
        "level table": f"/{a}/table/",
        "presentation": f"/{a}/present/5/",
        "compare (first theme)": f"/compare/?authority={a}&authority={b}&authority={c}",
        "next steps compared": f"/compare/next-steps/?authority={a}&authority={b}&level=4",
        "404": "/no/such/page/",
        "api: authorities": "/api/v1/authorities",
        "api: authority": f"/api/v1/authorities/{a}",
        "api: indicators": "/api/v1/indicators?level=4&limit=100",
    }


def machine_speed():
    """Milliseconds of a fixed piece of pure Python (best of 5), to print beside a benchmark's
    figures: this kind of machine runs the same code up to about 1.7 times slower for minutes at
    a time, so figures are compared only between runs whose reference is alike."""
    best = None
    for _ in range(5):
        start = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        elapsed = (time.perf_counter() - start) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return best


def percentiles(times):
    """Median and 95th percentile of a list of times."""
    times = sorted(times)
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95


def measure(client, url, runs=None):
    """Median and p95 milliseconds of `runs` requests after one unmeasured request (which warms
    templates and, where a cache is on, the page cache), and the last body's raw and gzip bytes
    and status."""
    client.get(url)  # warm up
    times = []
    for _ in range(runs or RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    body = response.content
    median, p95 = percentiles(times)
    return median, p95, len(body), len(gzip.compress(body)), response.status_code


def main():
    bench_environment()
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    print(f"machine speed reference (scripts/bench.py machine_speed): {machine_speed():.0f} ms")
    print(f"{'page type':24} {'median ms':>10} {'p95 ms':>8} {'HTML B':>8} {'gzip B':>8}")
    for name, url in page_types().items():
        median, p95, size, zipped, _ = measure(client, url)
        print(f"{name:24} {median:10.1f} {p95:8.1f} {size:8} {zipped:8}")
    print()
    for asset in ("dist/main.css", "dist/govuk-frontend.min.js", "js/body-class.js", "js/init.js"):
        data = (ROOT / "static" / asset).read_bytes()
        print(f"{asset:30} {len(data):8} B raw {len(gzip.compress(data)):8} B gzip")
    print()
    old = setup_databases(verbosity=0, interactive=False)
    start = time.perf_counter()
    call_command("load_thresholds", stdout=StringIO())
    print(f"load all fixtures into an empty test database: {time.perf_counter() - start:.2f} s")
    teardown_databases(old, verbosity=0)
    print(f"machine speed reference, at the end: {machine_speed():.0f} ms")


if __name__ == "__main__":
    main()
