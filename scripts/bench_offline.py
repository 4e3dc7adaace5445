"""What saving an area for use offline costs: `make bench-offline`.

Loads the real fixtures into a scratch SQLite database, starts gunicorn (DEBUG off, plain HTTP,
local-memory page cache) on a free loopback port, then in Chromium (/usr/bin/chromium) presses
"Save <area> for use offline" on Stoke-on-Trent and on Dudley, each in a fresh browser profile,
and prints the pages and bytes the service worker stored (its own count, X-Body-Bytes) and the
seconds from the press to "Saved". The server is stopped and the database deleted whatever
happens.
"""

import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_throughput import (  # noqa: E402
    free_port,
    start_server,
    stop_server,
    wait_until_up,
)

AREAS = {"stoke-on-trent": "Stoke-on-Trent", "dudley": "Dudley"}
RUNS = int(os.environ.get("BENCH_OFFLINE_RUNS", "3"))


def save_area(browser, base, slug, name):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/{slug}/")
    # Raced against a clock: `ready` never settles if the worker fails to install.
    page.evaluate(
        "Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise((_, fail) =>"
        " setTimeout(() => fail(new Error('the service worker was not ready after 30 s')),"
        " 30000))])"
    )
    button = page.get_by_role("button", name=f"Save {name} for use offline")
    start = time.perf_counter()
    button.click()
    progress = page.locator("[data-offline-progress]")
    progress.filter(has_text=re.compile(rf"Saved {re.escape(name)}:")).wait_for(timeout=120_000)
    seconds = time.perf_counter() - start
    record = page.evaluate(
        f"caches.keys().then(names => names.find(n => n.startsWith('area:{slug}:')))"
        f".then(name => caches.open(name)).then(c => c.match('/{slug}/offline.json'))"
        ".then(r => r.json())"
    )
    context.close()
    return record["pages"], record["bytes"], seconds


def main():
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as directory:
        database = Path(directory) / "offline-bench.sqlite3"
        env = {
            "DATABASE_URL": f"sqlite:///{database}",
            "CACHE_URL": "locmemcache://",
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-key",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            "LOG_LEVEL": "ERROR",
        }
        os.environ.update(env)
        import subprocess

        for command in (["migrate", "--no-input", "-v0"], ["load_thresholds"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, check=True, capture_output=True
            )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = Path(directory) / "gunicorn.log"
        with open(log_path, "w") as log:
            server = start_server(port, log, env)
            try:
                wait_until_up(server, base, log_path)
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path="/usr/bin/chromium", args=["--no-sandbox"]
                    )
                    print(f"gunicorn on {base}; Chromium; {RUNS} saves per area, new profile each")
                    print(f"{'area':16} {'pages':>6} {'bytes':>10} {'seconds (each save)':>24}")
                    for slug, name in AREAS.items():
                        results = [save_area(browser, base, slug, name) for _ in range(RUNS)]
                        pages, size = results[-1][0], results[-1][1]
                        times = ", ".join(f"{seconds:.1f}" for _, _, seconds in results)
                        print(f"{name:16} {pages:6} {size:10,} {times:>24}")
                    browser.close()
            finally:
                stop_server(server)


if __name__ == "__main__":
    main()
