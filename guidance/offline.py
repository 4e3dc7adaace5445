"""Offline use (README.md, "Offline"): the page listing what is saved on the device, the list of
what the service worker needs for every page (`assets`), and the list of an area's published
pages that "Save <area> for use offline" stores (`area_pages`).

The service worker itself is static/js/sw.js (served at /sw.js by thresholds_site/views.py); what
is saved lives only in the browser's Cache Storage, so the server never knows it: the pages here
are the same for everyone and JavaScript fills them in from the caches.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from .models import Indicator
from .tables import slides
from .views import _authority

# Everything a page loads: the styles, the scripts (and the module init.js imports), the icons.
ASSET_PATHS = [
    "dist/main.css",
    "dist/govuk-frontend.min.js",
    "js/body-class.js",
    "js/init.js",
    "js/offline.js",
    "js/filter.js",
    "js/presentation.js",
    "js/print.js",
    "js/notes.js",
    "favicon.ico",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/maskable-512.png",
]


def assets():
    """The static files' addresses as pages name them (hashed in production)."""
    return [static(path) for path in ASSET_PATHS]


def area_pages(authority):
    """Every address of an authority's published guidance, in reading order. `authority` comes
    from guidance.views._authority (levels read with it; `has_indicators` asked for here)."""
    slug = authority.slug
    pages = [authority.get_absolute_url()]
    pages += [
        reverse("guidance:level", args=[slug, level.number]) for level in authority.levels.all()
    ]
    if authority.has_indicators:
        pages.append(reverse("guidance:indicators", args=[slug]))
        ids = Indicator.objects.for_authorities([authority]).in_document_order()
        pages += [
            reverse("guidance:indicator", args=[slug, pk])
            for pk in ids.values_list("pk", flat=True)
        ]
    pages += [section.get_absolute_url() for section in authority.sections.all()]
    pages.append(reverse("guidance:changes", args=[slug]))
    if authority.has_indicators:
        pages.append(reverse("guidance:level_table", args=[slug]))
        pages += [slide.href for slide in slides(authority)]
    return pages


def offline_page(request):
    return render(request, "guidance/offline.html")


def shell(request):
    """What the service worker keeps on installing: the offline page and every page's assets."""
    return JsonResponse({"offline_page": reverse("guidance:offline"), "assets": assets()})


def area(request, slug):
    # Only what is published is saved for use offline, never a draft's preview.
    authority = _authority(request, slug, "sections", previews=False)
    return JsonResponse(
        {
            "slug": authority.slug,
            "name": authority.name,
            "document_title": authority.document_title,
            "edition": authority.edition,
            "version": authority.version,
            "published_edition": authority.published_edition,
            "changes": reverse("guidance:changes", args=[authority.slug]),
            "pages": area_pages(authority),
            # My notes: its copy without ids answers any notes address offline (sw.js).
            "notes": (
                reverse("guidance:notes", args=[authority.slug])
                if authority.has_indicators
                else None
            ),
            "assets": assets(),
        }
    )
