"""Site-wide answers for machines: load balancers, crawlers, browsers asking for an icon."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import FileResponse, HttpResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

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
