"""Practitioners' pages. Each page runs a fixed number of queries whatever the data size."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .filters import IndicatorFilter
from .forms import SearchForm
from .models import Authority, Contact, Indicator, Level

INDICATORS_PER_PAGE = 50


def _authority(slug, *related):
    """An authority with its levels and the emergency contacts every authority page shows."""
    return get_object_or_404(
        Authority.objects.prefetch_related(
            "levels",
            Prefetch(
                "contacts", Contact.objects.filter(emergency=True), to_attr="emergency_contacts"
            ),
            *related,
        ),
        slug=slug,
    )


def home(request):
    return render(
        request,
        "guidance/home.html",
        {"authorities": Authority.objects.all(), "search_form": SearchForm()},
    )


def authority_detail(request, slug):
    authority = _authority(slug, "sections")
    return render(request, "guidance/authority.html", {"authority": authority})


def level_detail(request, slug, number):
    authority = _authority(slug)
    level = get_object_or_404(
        Level.objects.prefetch_related(
            "next_steps",
            "contacts",
            Prefetch("indicators", Indicator.objects.with_context().in_document_order()),
        ),
        authority=authority,
        number=number,
    )
    levels = {lvl.number: lvl for lvl in authority.levels.all()}
    return render(
        request,
        "guidance/level.html",
        {
            "authority": authority,
            "level": level,
            "previous_level": levels.get(number - 1),
            "next_level": levels.get(number + 1),
        },
    )


def indicator_list(request, slug):
    authority = _authority(slug)
    indicators = Indicator.objects.filter(domain__authority=authority)
    filterset = IndicatorFilter(request.GET, queryset=indicators, authority=authority)
    results = filterset.qs.with_context().in_document_order() if filterset.is_valid() else []
    page = Paginator(results, INDICATORS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "guidance/indicators.html",
        {
            "authority": authority,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "words": request.GET.get("q", "").split(),
        },
    )


def indicator_detail(request, slug, pk):
    authority = _authority(slug)
    indicator = get_object_or_404(
        Indicator.objects.with_context(), domain__authority=authority, pk=pk
    )
    same_theme = []
    if indicator.domain.theme:
        same_theme = (
            Indicator.objects.filter(
                domain__authority=authority, domain__theme=indicator.domain.theme
            )
            .exclude(level=indicator.level)
            .with_context()
            .in_document_order()
        )
    return render(
        request,
        "guidance/indicator.html",
        {"authority": authority, "indicator": indicator, "same_theme": same_theme},
    )


def search(request):
    form = SearchForm(request.GET or None)
    words = form.words
    results = (
        Indicator.objects.matching(" ".join(words)).with_context().in_document_order()
        if words
        else Indicator.objects.none()
    )
    return render(
        request,
        "guidance/search.html",
        {"search_form": form, "words": words, "results": results, "searched": bool(words)},
    )


def section_detail(request, slug, section):
    authority = _authority(slug, "sections")
    section = next((s for s in authority.sections.all() if s.slug == section), None)
    if section is None:
        raise Http404("No such guidance section")
    return render(request, "guidance/section.html", {"authority": authority, "section": section})
