"""Practitioners' pages. Each page runs a fixed number of queries whatever the data size."""

from functools import wraps

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control

from . import editions
from .addresses import address
from .filters import IndicatorFilter
from .forms import CompareForm, NextStepsCompareForm, SearchForm, SearchPageForm
from .models import Authority, GuidanceSection, Indicator, Level, SearchKind
from .rules import can_preview
from .search import RESULTS_PER_PAGE, Results, SearchEntry, parse
from .tables import (
    comparison,
    level_table,
    listed_indicators,
    next_steps_comparison,
    slides,
    split_rows,
    strategy_legend,
)

INDICATORS_PER_PAGE = 50


def _authority(request, slug, *related, previews=True):
    """An authority with its levels in order, and any `related` rows prefetched. The emergency
    contacts every authority page shows, and whether the document has indicators, are read when
    a page first asks (`Authority.emergency_contacts`, `.has_indicators`): an annotation costs
    more to build than the small query, and some pages never ask.

    A draft's pages (its slug ends "--draft") are a preview for the people who edit or publish
    it, and nobody else: to everyone else, and wherever `previews` is off, the address does not
    exist. A preview is never stored by a cache or the browser (`previewing`)."""
    # The area with its levels in one query, read from the levels' side: every area has its
    # four (the loader and admin keep them), so only a half-made area is read on its own.
    levels = list(
        Level.objects.select_related("authority").filter(authority__slug=slug).order_by("number")
    )
    if levels:
        authority = levels[0].authority
        _keep_levels(authority, levels)
    else:
        authority = get_object_or_404(Authority.objects.with_levels(), slug=slug)
    if related:
        prefetch_related_objects([authority], *related)
    if authority.is_draft:
        if not (previews and can_preview(request.user, authority)):
            raise Http404("No such area")
        request.previewing = True
    return authority


def _keep_levels(authority, levels):
    """Has `authority.levels.all()` answer these levels, read already, as it would after
    `prefetch_related("levels")` (each level knowing its authority, for its address): pages,
    forms and tables ask for them there."""
    for level in levels:
        level.authority = authority
    kept = authority.levels.all()
    kept._result_cache, kept._prefetch_done = levels, True
    authority._prefetched_objects_cache = {"levels": kept}


def _sections():
    # An area's guidance sections in its order, without the join to the authorities that
    # GuidanceSection's default ordering (by area name) brings.
    return Prefetch("sections", GuidanceSection.objects.in_list_order())


def previewing(view):
    """Marks a draft's preview as private to its reader: no cache, no search engine."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if getattr(request, "previewing", False):
            patch_cache_control(response, private=True, no_store=True)
            response.headers["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def home(request):
    # ~150 areas: only the columns the list shows, and no reversal per address.
    authorities = list(
        Authority.objects.published().values(
            "name", "slug", "partnership", "document_title", "edition"
        )
    )
    for authority in authorities:
        authority["url"] = address("guidance:authority", authority["slug"])
    return render(
        request,
        "guidance/home.html",
        {"authorities": authorities, "search_form": SearchForm()},
    )


def authority_detail(request, slug):
    authority = _authority(request, slug, _sections())
    return render(request, "guidance/authority.html", {"authority": authority})


def level_detail(request, slug, number):
    authority = _authority(request, slug)
    # The authority's levels are already fetched (and know their authority, for their address).
    levels = {lvl.number: lvl for lvl in authority.levels.all()}
    level = levels.get(number)
    if level is None:
        raise Http404("No such level")
    # One level's rows, each in one plain query ordered as the document is: the models' default
    # orderings would join the levels and the authorities to sort many areas' rows.
    next_steps = level.next_steps.in_list_order().values("pk", "heading", "text", "incomplete")
    # The level's contacts and the area's emergency ones (the banner's) in one query.
    cards = authority.contacts.cards()
    authority.emergency_contacts = [card for card in cards if card["emergency"]]
    contacts = level.contact_cards(cards)
    indicators = listed_indicators(level.indicators.order_by("domain__order", "order"), authority)
    if indicators:
        authority.has_indicators = True  # known without asking
    return render(
        request,
        "guidance/level.html",
        {
            "authority": authority,
            "level": level,
            "next_steps": list(next_steps),
            "indicators": indicators,
            "contacts": contacts,
            "previous_level": levels.get(number - 1),
            "next_level": levels.get(number + 1),
        },
    )


def indicator_list(request, slug):
    authority = _authority(request, slug)
    indicators = Indicator.objects.for_authorities([authority])
    filterset = IndicatorFilter(request.GET, queryset=indicators, authority=authority)
    results, query = Indicator.objects.none(), None
    if filterset.is_valid():
        results = filterset.qs.in_area_order()
        # Marked as the search page marks them: stems and synonyms too, not only the letters typed.
        query = parse(filterset.form.cleaned_data["q"]) or None
    page = Paginator(results, INDICATORS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = listed_indicators(page.object_list, authority)
    if page.paginator.count:
        authority.has_indicators = True  # known without asking
    return render(
        request,
        "guidance/indicators.html",
        {
            "authority": authority,
            "filter": filterset,
            "chosen": filterset.chosen(),
            "page": page,
            "query": query,
        },
    )


def indicator_detail(request, slug, pk):
    authority = _authority(request, slug)
    indicator = (
        Indicator.objects.select_related("domain__parent")
        .filter(domain__authority=authority, pk=pk)
        .order_by()  # one row: no need of the default ordering's joins
        .first()
    )
    if indicator is None:
        return _removed_indicator(request, authority, pk)
    # Its area and level are the page's own, read already (the level knows its area, for its
    # address): not read again with it.
    indicator.domain.authority = authority
    indicator.level = next(lvl for lvl in authority.levels.all() if lvl.pk == indicator.level_id)
    same_theme = listed_indicators(
        Indicator.objects.same_theme_at_other_levels(indicator).in_area_order(), authority
    )
    return render(
        request,
        "guidance/indicator.html",
        {"authority": authority, "indicator": indicator, "same_theme": same_theme},
    )


def _removed_indicator(request, authority, pk):
    """An indicator's address outlives it: it says which edition removed it (410 Gone)."""
    removed = None if authority.is_draft else editions.removed_indicator(authority, pk)
    if removed is None:
        raise Http404("No such indicator")
    number, level = removed
    context = {"authority": authority, "edition_number": number, "removed_level": level}
    return render(request, "guidance/indicator_removed.html", context, status=410)


EDITIONS_PER_PAGE = 10


def changes(request, slug):
    """The area's editions, newest first, each with its summary and its changes in plain words
    against the edition before it."""
    authority = _authority(request, slug, previews=False)
    page = Paginator(authority.editions.all(), EDITIONS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = editions.with_changes(authority, page.object_list)
    return render(request, "guidance/changes.html", {"authority": authority, "page": page})


def edition_document(request, slug, number):
    """An edition's whole document, as export_thresholds writes it."""
    authority = _authority(request, slug, previews=False)
    edition = get_object_or_404(authority.editions, number=number)
    response = HttpResponse(edition.document, content_type="application/yaml; charset=utf-8")
    name = f"{authority.slug}-edition-{edition.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def search(request):
    """Indicators, contacts, next steps and guidance sections of every area (or one), ranked,
    counted by kind and paged (guidance/search.py)."""
    data = request.GET.copy()
    if data.get("kind", "") not in ("", *SearchKind.values):
        # Kinds come from the page's own links; the form has no field to point an error at.
        del data["kind"]
    form = SearchPageForm(data or None)
    context = {"search_form": form, "searched": False}
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        entries = SearchEntry.objects.all()  # a draft has none (search.update_entry)
        if data["area"]:
            entries = entries.filter(authority_id=form.authorities[data["area"]])
        asked = request.GET.get("page")
        results = Results(parse(data["q"]), entries, kind=data["kind"], page=asked)
        context.update(
            searched=True,
            q=data["q"],
            area=data["area"],
            results=results,
            page=Paginator(results, RESULTS_PER_PAGE).get_page(asked),
        )
    return render(request, "guidance/search.html", context)


def section_detail(request, slug, section):
    authority = _authority(request, slug)
    section = authority.sections.filter(slug=section).order_by().first()
    if section is None:
        raise Http404("No such guidance section")
    return render(request, "guidance/section.html", {"authority": authority, "section": section})


# --- Trainers: the level table, presentation mode and the printed wall chart --------------------

# Characters of indicator text a printed cell holds before its row is split (rows never break
# across printed pages). How much a projected cell holds: tables.SLIDE_CELL_LINES.
PRINT_CELL_BUDGET = 900


def level_table_view(request, slug):
    """The table whole on screen; printed, a domain too long for a page goes on in rows of its
    own marked "(continued)" (the page holds both; the print styles show the second)."""
    authority = _authority(request, slug)
    rows = level_table(authority)
    authority.has_indicators = bool(rows)  # the table holds every indicator of the area
    return render(
        request,
        "guidance/level_table.html",
        {
            "authority": authority,
            "rows": rows,
            "print_rows": split_rows(rows, PRINT_CELL_BUDGET),
            "legend": strategy_legend(authority, rows),
            "printed": timezone.localdate(),
        },
    )


def presentation(request, slug, number=1):
    """The whole deck, showing slide `number`; JavaScript then moves between slides in place
    (so full screen survives), and every slide keeps its own address."""
    authority = _authority(request, slug)
    deck = slides(authority)
    authority.has_indicators = len(deck) > 1  # a slide for each row of the table, after the first
    if not 1 <= number <= len(deck):
        raise Http404("No such slide")
    rows = [slide.row for slide in deck if slide.row]
    return render(
        request,
        "guidance/presentation.html",
        {
            "authority": authority,
            "slides": deck,
            "number": number,
            "count": len(deck),
            "legend": strategy_legend(authority, rows),
        },
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
    table = None
    if form.is_valid():
        table = next_steps_comparison(form.cleaned_data["authority"], form.cleaned_data["level"])
    return render(request, "guidance/compare_next_steps.html", {"form": form, "comparison": table})
