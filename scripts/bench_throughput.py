"""Requests per second of each page type under load: `make bench-throughput`.

Loads the real fixtures into a scratch PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/throughput_bench, created and dropped here), flushes the
Redis page cache (BENCH_CACHE_URL, default redis://127.0.0.1:6379/6), starts gunicorn (2 workers,
DEBUG off, plain HTTP) on a free loopback port with scripts.bench_settings (the site plus a bare
view, `bench/bare/`, that only answers "ok"), then drives each page of scripts/bench.py with wrk
(2 threads, 32 connections, 3 s, asking for gzip as browsers do; one unmeasured request first
warms the page cache), each right after a 3 s run of the bare view, and prints its requests/s,
latency, errors and its share of the bare view's requests/s in the run before it. Every page is
measured so in each of BENCH_ROUNDS rounds (default 3): a page's line is its median round by
share, and the last column lists every round's share. Traffic goes to 127.0.0.1 only; the
server is stopped and the database dropped whatever happens.
"""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench import page_types  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/throughput_bench"
)
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/6")
WORKERS = 2
THREADS, CONNECTIONS, DURATION = 2, 32, "3s"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
EXTRA_SEARCHES = {
    "search: parent": "/search/?q=parent",
    "search: domestic abuse": "/search/?q=domestic+abuse",
}
BARE = "/bench/bare/"

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "scripts.bench_settings",
    "DATABASE_URL": DATABASE_URL,
    "CACHE_URL": CACHE_URL,
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-key",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_MANIFEST": "false",
    "LOG_LEVEL": "ERROR",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(connection, drop_only=False):
    """(Re)create the scratch PostgreSQL database, or delete a scratch SQLite file."""
    name = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor != "postgresql":
        Path(name).unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:  # connected to the `postgres` database
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')


def load_fixtures(connection):
    from django.core.management import call_command

    recreate_database(connection)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_thresholds", stdout=StringIO())
    connection.close()


def flush_cache():
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()


def start_server(port, log, env=None):
    """gunicorn on the port with the benchmark's settings (or `env`), logging to `log`."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--chdir",
        str(ROOT),
        "--pythonpath",
        ".",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "thresholds_site.wsgi:application",
    ]
    # A session of its own, so stopping it stops its workers too.
    return subprocess.Popen(
        command,
        env={**os.environ, **(env or SERVER_ENV)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_server(process):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def wait_until_up(process, base, log_path, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{Path(log_path).read_text()}")
        try:
            if get(base + "/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in {seconds} s:\n{Path(log_path).read_text()}")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(url):
    """Requests/s, p50 and p99 latency in ms, non-2xx/3xx answers and socket errors."""
    out = subprocess.run(
        [
            "wrk",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            "-t",
            str(THREADS),
            "-c",
            str(CONNECTIONS),
            "-d",
            DURATION,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return (
        rps,
        p50,
        p99,
        int(non_2xx.group(1)) if non_2xx else 0,
        sum(map(int, socket_errors.groups())) if socket_errors else 0,
    )


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (make bench-throughput does so)")
    os.environ.update(SERVER_ENV)
    import django

    django.setup()
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; cache: {CACHE_URL}")
    servers = []  # the gunicorn started, stopped whatever happens
    try:
        with tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log") as log:
            try:
                measure_all(connection, log, servers)
            finally:
                for server in servers:
                    stop_server(server)
    finally:
        recreate_database(connection, drop_only=True)


def measure_all(connection, log, servers):
    load_fixtures(connection)
    pages = {**page_types(), **EXTRA_SEARCHES}
    connection.close()
    flush_cache()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    servers.append(start_server(port, log))
    wait_until_up(servers[0], base, log.name)
    print(
        f"gunicorn {WORKERS} workers on 127.0.0.1:{port}; wrk {THREADS} threads, "
        f"{CONNECTIONS} connections, {DURATION} per page after {DURATION} of the bare view, "
        f"{ROUNDS} rounds; cached (Redis), warmed first"
    )
    # The same page's requests/s moves by a third from one run to the next here, the machine's
    # speed drifting over tens of seconds: so each page is measured right after a run of the bare
    # view, its share taken of that run, and each page is measured so in every round; a page's
    # line is its median round.
    runs = {}  # name -> [(share, status, rps, p50, p99, non_2xx, errors)] per round
    bare_runs = []
    for _ in range(ROUNDS):
        for name, path in pages.items():
            bare = run_wrk(base + BARE)
            bare_runs.append(bare[0])
            status = get(base + path)  # warms the page cache
            measured = run_wrk(base + path)
            runs.setdefault(name, []).append((measured[0] / bare[0], status, *measured))
    print()
    print(
        f"{'page':24} {'status':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'non-2xx':>8} {'sock err':>8} {'vs bare':>7}  {'vs bare each round':>18}"
    )
    print(
        f"{'bare view':24} {200:6} {statistics.median(bare_runs):8.0f} (median of "
        f"{len(bare_runs)} runs, {min(bare_runs):.0f} to {max(bare_runs):.0f})"
    )
    for name, page_runs in runs.items():
        share, status, rps, p50, p99, _, _ = sorted(page_runs)[len(page_runs) // 2]
        non_2xx = sum(run[5] for run in page_runs)
        errors = sum(run[6] for run in page_runs)
        each = " ".join(f"{run[0]:.2f}" for run in page_runs)
        print(
            f"{name:24} {status:6} {rps:8.0f} {p50:7.2f} {p99:7.2f} "
            f"{non_2xx:8} {errors:8} {share:7.2f}  {each}"
        )
    print("(the 404 page's non-2xx answers are its expected 404s)")


if __name__ == "__main__":
    main()
