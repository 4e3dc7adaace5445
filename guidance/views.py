from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Authority, Indicator, Level


def home(request):
    return render(request, "guidance/home.html", {"authorities": Authority.objects.all()})


def authority_detail(request, slug):
    authority = get_object_or_404(
        Authority.objects.prefetch_related("levels", "sections"), slug=slug
    )
    return render(request, "guidance/authority.html", {"authority": authority})


def level_detail(request, slug, number):
    level = get_object_or_404(
        Level.objects.select_related("authority").prefetch_related(
            "next_steps",
            "contacts",
            Prefetch("indicators", Indicator.objects.with_context().in_document_order()),
        ),
        authority__slug=slug,
        number=number,
    )
    return render(request, "guidance/level.html", {"authority": level.authority, "level": level})


def indicator_detail(request, slug, pk):
    indicator = get_object_or_404(
        Indicator.objects.with_context(), domain__authority__slug=slug, pk=pk
    )
    return render(
        request,
        "guidance/indicator.html",
        {"authority": indicator.domain.authority, "indicator": indicator},
    )


def section_detail(request, slug, section):
    authority = get_object_or_404(Authority, slug=slug)
    section = get_object_or_404(authority.sections, slug=section)
    return render(request, "guidance/section.html", {"authority": authority, "section": section})
