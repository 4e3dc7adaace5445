"""Site-wide answers for machines (load balancers, crawlers, browsers asking for an icon) and the
"Page not found" page."""

import functools

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import FileResponse, HttpResponse, HttpResponseNotFound, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from guidance.caching import ACCEPTS_GZIP

ROBOTS = """\
User-agent: *
Disallow: /admin/
Disallow: /api/v1/docs
Allow: /
"""


@require_safe
@never_cache
def healthz(request):
    """200 while the database answers, 503 when it does not: take this server out of rotation."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
@cache_control(max_age=24 * 60 * 60, public=True)
def robots_txt(request):
    return HttpResponse(ROBOTS, content_type="text/plain")


@require_safe
@cache_control(max_age=7 * 24 * 60 * 60, public=True)
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page says; scripts/make_favicon.py draws it.
    icon = settings.BASE_DIR / "static" / "favicon.ico"
    return FileResponse(icon.open("rb"), content_type="image/x-icon")


@require_safe
@cache_control(no_cache=True)
def service_worker(request):
    """static/js/sw.js at the site root, so that its scope is the whole site. `no-cache`: browsers
    check it for a new version on every visit (they do at least daily whatever the header)."""
    worker = settings.BASE_DIR / "static" / "js" / "sw.js"
    return FileResponse(worker.open("rb"), content_type="text/javascript")


# The header's background colour (govuk-frontend's surface background); the icons' too
# (scripts/make_app_icons.py).
THEME_COLOUR = "#f4f8fb"


@require_safe
@cache_control(max_age=24 * 60 * 60, public=True)
def manifest(request):
    """The web app manifest: installable, opening on the home page, without the browser's bar."""
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    return JsonResponse(
        {
            "name": "Threshold guidance",
            "short_name": "Thresholds",
            "description": "Children's safeguarding threshold guidance: levels of need, "
            "indicators, next steps and contacts.",
            "id": "/",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "lang": "en-GB",
            "theme_color": THEME_COLOUR,
            "background_color": THEME_COLOUR,
            "icons": icons,
        },
        content_type="application/manifest+json",
    )


@functools.cache
def _not_found_page():
    page = render_to_string("404.html").encode()
    return page, compress_string(page)


def page_not_found(request, exception):
    """The same page for every unknown address (it names none), so drawn and compressed once
    per process: a crawler or a scan of made-up addresses costs no rendering or compression.
    (It holds no secret, so one fixed compression leaks nothing: see SecretFreeGZipMiddleware.)"""
    page, compressed = _not_found_page()
    if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponseNotFound(page)
    else:
        response = HttpResponseNotFound(compressed)
        response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it as it is
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
