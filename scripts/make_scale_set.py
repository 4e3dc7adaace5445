"""England-sized data: the five real documents, each copied 30 times under a new slug and name.

    python scripts/make_scale_set.py DIR            # write the 150 copies into DIR
    python scripts/make_scale_set.py --time         # time loading the 155 files, a reload, pages
    python scripts/make_scale_set.py --time --load-only --loads 3   # three first loads, a reload

A copy of `fixtures/dudley.yaml` number 7 is `dudley-copy-7.yaml`, slug `dudley-copy-7`, name
`Dudley copy 7`; everything else is the real document's. `--time` loads into a scratch database
(`DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/scale_bench), created and dropped
here, and prints the seconds of the first load of all 155 files and of a reload of the same files.
It then prints the median and p95 server time (Django's test client, in process, DEBUG off) of
each page type and API endpoint of scripts/bench.py, about copies (`dudley-copy-17`, ...), and of
two more searches: first uncached (dummy cache), then cached (local memory; one unmeasured
request warms each page). BENCH_SCALE_RUNS (default 30) requests are measured per page.
"""

import argparse
import cProfile
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
COPIES = 30
# The copies the timed pages are about (copy 17 of dudley, hull and stoke-on-trent).
SCALE_AUTHORITIES = ("dudley-copy-17", "hull-copy-17", "stoke-on-trent-copy-17")
EXTRA_SEARCHES = {
    "search: parent": "/search/?q=parent",
    "search: domestic abuse": "/search/?q=domestic+abuse",
}
SCRATCH_URL = "postgres://postgres@127.0.0.1:5432/scale_bench"


def copy_text(text, n):
    """The document with its authority's slug and name (the first two lines under
    `authority:`) given copy number n."""
    lines = text.split("\n")
    for i, line in enumerate(lines[:5]):
        for key, suffix in (("slug", f"-copy-{n}"), ("name", f" copy {n}")):
            prefix = f"  {key}: "
            if line.startswith(prefix):
                lines[i] = f"{line}{suffix}"
    return "\n".join(lines)


def write_scale_set(directory, copies=COPIES):
    """Write the copies into directory; return the paths of the copies and the real files."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for source in sorted(FIXTURES.glob("*.yaml")):
        text = source.read_text(encoding="utf-8")
        for n in range(1, copies + 1):
            path = directory / f"{source.stem}-copy-{n}.yaml"
            path.write_text(copy_text(text, n), encoding="utf-8")
            paths.append(path)
    return sorted(FIXTURES.glob("*.yaml")) + paths


def setup_django(database_url=None):
    """Django against the scratch database (created empty; dropped by drop_database)."""
    os.environ["DATABASE_URL"] = database_url or os.environ.get("DATABASE_URL") or SCRATCH_URL
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("CACHE_URL", "dummycache://")
    sys.path.insert(0, str(ROOT))
    from scripts.bench import bench_environment

    bench_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        _recreate(connection)
    else:
        # SQLite: a fresh file next to the set is the scratch database.
        name = connection.settings_dict["NAME"]
        connection.close()
        Path(name).unlink(missing_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    return connection


def _recreate(connection):
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:  # connected to the `postgres` database
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')


def drop_database(connection):
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def timed_load(paths, profile=None):
    """Seconds to load the files with load_thresholds, and the created, updated and removed
    counts it reports; with `profile` (a file name), a cProfile of the load is written there."""
    from django.core.management import call_command

    out = StringIO()
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    call_command("load_thresholds", *map(str, paths), stdout=out)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    if profiler:
        profiler.dump_stats(profile)
    totals = [0, 0, 0]
    for line in out.getvalue().splitlines():
        if ": " in line and " created, " in line:
            counts = line.rsplit(": ", 1)[1].split(", ")
            for i, part in enumerate(counts):
                totals[i] += int(part.split()[0])
    return seconds, totals


def time_pages(runs):
    """Print median and p95 ms of every page type about the copies, uncached then cached."""
    from django.conf import settings
    from django.test import Client, override_settings

    from guidance.models import Authority
    from scripts.bench import measure, page_types

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    pages = {**page_types(*SCALE_AUTHORITIES), **EXTRA_SEARCHES}
    # override_settings(CACHES=...) makes Django drop its cache connections (setting_changed).
    modes = {
        "uncached": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
        "cached": {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "scale-bench",
            }
        },
    }
    results = {}
    for mode, caches in modes.items():
        with override_settings(CACHES=caches):
            client = Client()
            for name, url in pages.items():
                results.setdefault(name, {})[mode] = measure(client, url, runs)
    print()
    print(f"server time, ms, {runs} requests per page (in process, DEBUG off), about")
    count = Authority.objects.published().count()
    print(f"{', '.join(SCALE_AUTHORITIES)} among {count} authorities")
    header = f"{'page type':24} {'status':>6} {'HTML B':>8}"
    header += f" {'uncached p50':>12} {'p95':>7} {'cached p50':>10} {'p95':>7}"
    print(header)
    for name, by_mode in results.items():
        u50, u95, size, _, status = by_mode["uncached"]
        c50, c95, _, _, _ = by_mode["cached"]
        print(f"{name:24} {status:6} {size:8} {u50:12.1f} {u95:7.1f} {c50:10.2f} {c95:7.2f}")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("directory", nargs="?", help="only write the copies into DIRECTORY")
    parser.add_argument(
        "--time", action="store_true", help="time loading the 155 files, a reload, then pages"
    )
    parser.add_argument(
        "--load-only", action="store_true", help="with --time: time the loads, not the pages"
    )
    parser.add_argument(
        "--loads",
        type=int,
        default=1,
        metavar="N",
        help="with --time: N first loads, each into a freshly created database (default 1)",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="with --time: write a cProfile of the (last) first load to FILE",
    )
    args = parser.parse_args(argv)
    if not args.directory and not args.time:
        parser.error("give a DIRECTORY to write the copies into, or --time")
    return args


def main(argv):
    args = parse_args(argv)
    if args.directory:
        paths = write_scale_set(args.directory)
        count = len(paths) - len(list(FIXTURES.glob("*.yaml")))
        print(f"{count} copies written to {args.directory}")
        return
    with tempfile.TemporaryDirectory() as directory:
        paths = write_scale_set(directory)
        connection = setup_django()
        from scripts.bench import machine_speed

        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        print(f"machine speed reference (scripts/bench.py machine_speed): {machine_speed():.0f} ms")
        try:
            for run in range(args.loads):
                if run:
                    connection = setup_django()  # an empty database again
                profile = args.profile if run == args.loads - 1 else None
                seconds, (created, updated, removed) = timed_load(paths, profile)
                print(
                    f"first load of {len(paths)} files: {seconds:.2f} s "
                    f"({created} created, {updated} updated, {removed} removed)"
                )
            seconds, (created, updated, removed) = timed_load(paths)
            print(
                f"reload (no changes) of {len(paths)} files: {seconds:.2f} s "
                f"({created} created, {updated} updated, {removed} removed)"
            )
            if not args.load_only:
                if connection.vendor == "postgresql":
                    # What autovacuum does within a minute of a load this size: the planner's
                    # statistics (straight after it, PostgreSQL plans for empty tables), and the
                    # search index's pending entries merged into it (else every search reads
                    # the 9,000 of them one by one: about 5 ms a search page).
                    with connection.cursor() as cursor:
                        cursor.execute("VACUUM ANALYZE")
                time_pages(int(os.environ.get("BENCH_SCALE_RUNS", "30")))
            print(f"machine speed reference, at the end: {machine_speed():.0f} ms")
        finally:
            drop_database(connection)


if __name__ == "__main__":
    main(sys.argv[1:])
