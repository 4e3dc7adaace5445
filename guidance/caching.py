"""Whole public pages and API answers, cached under the versions of what they show.

Every change to an authority or any of its rows bumps `Authority.version` in the same transaction
(guidance/models.py; the loader bumps once per document). A page about one authority is cached
under that authority's id and version, a page about the whole site under a key every change of
any authority moves (`site_version`); either costs one small query per request. The cache key and
the ETag also hold the address asked for (scheme, host, path and query string), so a change is
seen on the very next request, on every server, whatever the cache backend: nothing is ever
invalidated, an old entry is simply never asked for again and expires.

Only answers that are the same for everyone are cached: GET and HEAD from visitors without a
session cookie (a signed-in lead previewing sees the live page), status 200 or 404 (a 404 is
cached too: it is keyed by the same versions, so creating what was missing shows at once), and
nothing that set a cookie, used a CSRF token, read the session or varies on Cookie. Admin is never
wrapped. See README.md, "Caching".
"""

import hashlib
import logging
import time
from contextlib import contextmanager
from functools import wraps

import psycopg
from django.conf import settings
from django.core.cache import cache, caches
from django.core.handlers.exception import response_for_exception
from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.http import Http404, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

from .addresses import address
from .models import Authority
from .validators import has_control_characters

logger = logging.getLogger(__name__)

CACHED_STATUSES = {200, 404}
# As GZipMiddleware decides: shorter answers are not worth compressing.
GZIP_MIN_LENGTH = 200
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Entries are never stale (their keys name the versions), so this only bounds their memory.
ENTRY_TIMEOUT = 24 * 60 * 60


# The version checks run on every request, cached or not, so they skip the ORM's query building
# (a third of a cached answer's time): plain SQL over the same table. They are each request's
# first query, so they also stand in for Django's connection health check (settings
# CONN_HEALTH_CHECKS): a kept connection the database dropped (a restart, a failover) is replaced
# once, here, instead of costing a query on every request to find out.
def _one_row(sql, params=()):
    db = connections[DEFAULT_DB_ALIAS]  # looked up once: each use of `connection` looks it up
    sql = sql.format(table=db.ops.quote_name(Authority._meta.db_table))
    for attempt in (1, 2):
        try:
            if db.vendor == "postgresql":
                return _prepared_row(db, sql, params)
            with db.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()
        except (OperationalError, InterfaceError):
            if attempt == 2 or db.in_atomic_block:
                raise
            logger.warning("Database connection lost; opening a new one", exc_info=True)
            db.close()


def _prepared_row(db, sql, params):
    """The row, from a statement PostgreSQL parses and plans once per connection: planning was
    most of the database's work for this one. Prepared at its first use, not its fifth as
    psycopg prepares Django's queries (settings DATABASE_PREPARED_STATEMENTS): every request
    runs it. Errors and logging as Django's own cursor gives them (tests count this query).
    With prepared statements off, psycopg sends it plainly."""
    db.ensure_connection()
    start = time.monotonic()
    with db.wrap_database_errors:
        row = psycopg.Cursor(db.connection).execute(sql, params, prepare=True).fetchone()
    if db.queries_logged:
        db.queries_log.append(
            {"sql": f"{sql} -- {params!r}", "time": f"{time.monotonic() - start:.3f}"}
        )
    return row


def site_version(request, *args, **kwargs):
    """A key every change moves: the versions only grow, ids are never reused, so the number of
    authorities, the highest id and the sum of the versions together never come back to an
    earlier value unless nothing changed (a deletion lowers the count, a creation raises the
    highest id, an edit raises the sum)."""
    count, last, total = _one_row(
        "SELECT COUNT(id), MAX(id), SUM(version) FROM {table} WHERE draft_of_id IS NULL"
    )
    return f"site:{count}:{last}:{total}"


def authority_version(request, *args, slug, **kwargs):
    """The authority's id and version; a slug that names no authority yet is keyed as such."""
    if has_control_characters(slug):
        # No slug holds one (the view answers 404), and PostgreSQL refuses a NUL in a query.
        return "authority:invalid"
    row = _one_row("SELECT id, version FROM {table} WHERE slug = %s", [slug])
    return f"authority:{slug}:{row[0]}:{row[1]}" if row else f"authority:{slug}:none"


def _serves_everyone(request):
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _cacheable(request, response):
    session = getattr(request, "session", None)
    return (
        response.status_code in CACHED_STATUSES
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.accessed)
        and not any(word in response.get("Cache-Control", "") for word in ("private", "no-store"))
    )


def _public(response, etag):
    response.headers["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.CACHE_MAX_AGE)
    return response


def _layers():
    """The caches a page is kept in, nearest first: this process's memory, where settings put
    one in front of a shared cache (CACHES["near"]), then the shared one."""
    near = caches["near"] if "near" in settings.CACHES else None
    return (near, cache) if near is not None else (cache,)


def _cache_get(key):
    layers = _layers()
    for depth, layer in enumerate(layers):
        try:
            entry = layer.get(key)
        except Exception:  # A cache that is down makes pages slower, never broken.
            logger.warning("Page cache unavailable for reading", exc_info=True)
            continue
        if entry is not None:
            for nearer in layers[:depth]:
                nearer.set(key, entry, ENTRY_TIMEOUT)
            return entry
    return None


def _cache_set(key, value):
    for layer in _layers():
        try:
            layer.set(key, value, ENTRY_TIMEOUT)
        except Exception:
            logger.warning("Page cache unavailable for writing", exc_info=True)


def _compressed(content):
    """The gzip form, made once per entry rather than on every hit (these answers hold no secret,
    so one fixed compression leaks nothing; see SecretFreeGZipMiddleware)."""
    if len(content) < GZIP_MIN_LENGTH:
        return None
    compressed = compress_string(content)
    return compressed if len(compressed) < len(content) else None


def _entry(response):
    """What the cache keeps of an answer: its status, its headers as every hit sends them, its
    content and, where worth it, its gzip form (so a hit sets a few headers, no more)."""
    compressed = _compressed(response.content)
    patch_cache_control(response, public=True, max_age=settings.CACHE_MAX_AGE)
    if compressed is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    headers = tuple(response.headers.items())
    return response.status_code, headers, response.content, compressed


def _from_entry(request, entry, etag):
    status, headers, content, compressed = entry
    gzipped = compressed is not None and ACCEPTS_GZIP.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    )
    response = HttpResponse(compressed if gzipped else content, status=status, headers=headers)
    if gzipped:
        # What GZipMiddleware would have done, which now leaves this answer alone.
        response.headers["Content-Length"] = str(len(compressed))
        response.headers["Content-Encoding"] = "gzip"
        etag = f"W/{etag}"
    response.headers["ETag"] = etag
    return response


@contextmanager
def one_snapshot():
    """Every query of a page reads the database as it was at the page's first query, so a page
    drawn while an edition is being published shows the old edition or the new one, whole
    (guidance/editions.py). PostgreSQL gives each statement its own snapshot unless asked for
    REPEATABLE READ; SQLite reads a transaction from one snapshot anyway. Only pages drawn
    afresh pay for it (two more statements); a cached page is one query."""
    if connection.in_atomic_block:  # already one transaction (a test, ATOMIC_REQUESTS)
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def cached(version_of):
    """A view decorator: the whole answer cached under `version_of(request, *args, **kwargs)`
    and the address, with an ETag from the same key and `Cache-Control: public`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _serves_everyone(request):
                with one_snapshot():
                    response = view(request, *args, **kwargs)
                if request.method in ("GET", "HEAD"):
                    # Signed in (or about to be): the live page, kept by no one.
                    patch_cache_control(response, private=True, no_cache=True)
                return response
            version = version_of(request, *args, **kwargs)
            digest = hashlib.sha256(
                # The date too: the level table prints today's date on the wall chart.
                f"{version}\n{timezone.localdate()}\n{request.build_absolute_uri()}".encode()
            ).hexdigest()
            etag = f'"{digest[:40]}"'
            conditional = get_conditional_response(request, etag=etag)
            if conditional is not None:
                return _public(conditional, etag) if conditional.status_code == 304 else conditional
            # "page3": entries hold the gzip form and the headers every hit sends; entries of
            # older shapes are never read.
            key = f"guidance:page3:{digest}"
            entry = _cache_get(key)
            if entry is not None:
                return _from_entry(request, entry, etag)
            try:
                with one_snapshot():
                    response = view(request, *args, **kwargs)
            except Http404 as exc:
                # Rendered here (as Django would, a layer up) so that a 404 is cached too.
                response = response_for_exception(request, exc)
            if not _cacheable(request, response):
                return response
            entry = _entry(response)
            _cache_set(key, entry)
            # Answered from the entry as a hit would be: its gzip form is made already.
            return _from_entry(request, entry, etag)

        return wrapper

    return decorator


site_wide = cached(site_version)
per_authority = cached(authority_version)


class SecretFreeGZipMiddleware(GZipMiddleware):
    """Django's gzip, only for answers holding no secret: compressing a secret next to text an
    attacker chooses (a search word) leaks the secret through the size (BREACH). So not admin,
    not an answer that sets a cookie (a CSRF or session cookie), not a page that used a CSRF token.
    Public pages and the API hold none (their forms are GET forms)."""

    def process_response(self, request, response):
        if (
            request.path.startswith(address("admin:index"))
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            return response
        return super().process_response(request, response)
