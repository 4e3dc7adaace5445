"""Practitioners' pages. Each page runs a fixed number of queries whatever the data size."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .filters import IndicatorFilter
from .forms import CompareForm, NextStepsCompareForm, SearchForm
from .models import Authority, Contact, Indicator
from .tables import comparison, level_table, listed_indicators, next_steps_comparison, slides

INDICATORS_PER_PAGE = 50


def _authority(slug, *related):
    """An authority with its levels and the emergency contacts every authority page shows."""
    return get_object_or_404(
        Authority.objects.prefetch_related(
            "levels",
            Prefetch("contacts", Contact.objects.emergency(), to_attr="emergency_contacts"),
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
    # The authority's levels are already fetched (and know their authority, for their address).
    levels = {lvl.number: lvl for lvl in authority.levels.all()}
    level = levels.get(number)
    if level is None:
        raise Http404("No such level")
    prefetch_related_objects([level], "next_steps", "contacts")
    indicators = listed_indicators(
        Indicator.objects.filter(level=level).in_document_order(), authority
    )
    return render(
        request,
        "guidance/level.html",
        {
            "authority": authority,
            "level": level,
            "indicators": indicators,
            "previous_level": levels.get(number - 1),
            "next_level": levels.get(number + 1),
        },
    )


def indicator_list(request, slug):
    authority = _authority(slug)
    indicators = Indicator.objects.for_authorities([authority])
    filterset = IndicatorFilter(request.GET, queryset=indicators, authority=authority)
    results, words = Indicator.objects.none(), []
    if filterset.is_valid():
        results = filterset.qs.in_document_order()
        words = filterset.form.cleaned_data["q"].split()
    page = Paginator(results, INDICATORS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = listed_indicators(page.object_list, authority)
    return render(
        request,
        "guidance/indicators.html",
        {"authority": authority, "filter": filterset, "page": page, "words": words},
    )


def indicator_detail(request, slug, pk):
    authority = _authority(slug)
    indicator = get_object_or_404(
        Indicator.objects.with_context(), domain__authority=authority, pk=pk
    )
    same_theme = (
        Indicator.objects.same_theme_at_other_levels(indicator).with_context().in_document_order()
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


# --- Trainers: the level table, presentation mode and the printed wall chart --------------------

# Characters of indicator text a projected cell holds at 28px on a 1920x1080 screen, and a
# printed cell before its row is split (rows never break across printed pages).
SLIDE_CELL_BUDGET = 560
PRINT_CELL_BUDGET = 900


def level_table_view(request, slug):
    authority = _authority(slug)
    return render(
        request,
        "guidance/level_table.html",
        {
            "authority": authority,
            "rows": level_table(authority, cell_budget=PRINT_CELL_BUDGET),
            "printed": timezone.localdate(),
        },
    )


def presentation(request, slug, number=1):
    """The whole deck, showing slide `number`; JavaScript then moves between slides in place
    (so full screen survives), and every slide keeps its own address."""
    authority = _authority(slug)
    deck = slides(authority, cell_budget=SLIDE_CELL_BUDGET)
    if not 1 <= number <= len(deck):
        raise Http404("No such slide")
    return render(
        request,
        "guidance/presentation.html",
        {"authority": authority, "slides": deck, "number": number, "count": len(deck)},
    )


# --- Comparison across authorities --------------------------------------------------------------


def compare(request):
    form = CompareForm(request.GET or None)
    table = None
    if form.is_valid():
        table = comparison(form.cleaned_data["authority"], form.cleaned_data["theme"])
    return render(request, "guidance/compare.html", {"form": form, "comparison": table})


def compare_next_steps(request):
    form = NextStepsCompareForm(request.GET or None)
    columns = []
    if form.is_valid():
        columns = next_steps_comparison(form.cleaned_data["authority"], form.cleaned_data["level"])
    return render(request, "guidance/compare_next_steps.html", {"form": form, "columns": columns})
