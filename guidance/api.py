"""Read-only open-data API under /api/v1/, described by its OpenAPI schema.

Each endpoint returns model rows; the schemas below say what of a row is published and how
(`resolve_*` for values that are not a plain attribute, `Field(alias=...)` for one further along).
"""

from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import BaseModel

from .addresses import address
from .caching import per_authority, site_wide
from .filters import IndicatorFilter
from .forms import MAX_WORDS, MAX_WORDS_LENGTH, SearchPageForm
from .models import Authority, Domain, GuidanceSection, Indicator, Level, LevelNumber, NextStep
from .search import Results, SearchEntry, SearchKind, parse
from .validators import has_control_characters, web_href

api = NinjaAPI(
    title="Threshold guidance open data",
    version="1",
    description="Children's safeguarding threshold guidance of local partnerships in England.",
    urls_namespace="api",
)

# Far beyond every indicator of every area in England, and well inside the databases' integers.
MAX_OFFSET = 1_000_000
LEVEL_RANGE = f"{min(LevelNumber)}-{max(LevelNumber)}"


def _web_address(value):
    """The address as stored if it is a safe web address, else "": the loader and admin check
    addresses on the way in, but a row can still be edited in the database directly."""
    return value if web_href(value) else ""


class Message(Schema):
    detail: str


class ParameterError(Schema):
    parameter: str
    message: str


class ValidationMessage(Schema):
    detail: str
    errors: list[ParameterError]


class AuthorityOut(Schema):
    slug: str
    name: str
    partnership: str
    document_title: str
    edition: str
    website: str
    # This site's editions (the document's own is `edition`): the number now published and when.
    published_edition: int | None
    published_at: datetime | None

    @staticmethod
    def resolve_website(authority):
        return _web_address(authority.website)


class NextStepOut(Schema):
    heading: str
    text: str
    # True where the published document's text is cut off: the text is as printed, not completed.
    incomplete: bool

    @staticmethod
    def resolve_incomplete(step):
        return bool(step.incomplete)


class ContactOut(Schema):
    # From plain rows (`ContactQuerySet.cards`, with `levels` added: see get_authority).
    name: str
    phones: list[str]
    emails: list[str]
    url: str
    hours: str
    area: str
    emergency: bool
    levels: list[int]

    @staticmethod
    def resolve_url(contact):
        return _web_address(contact["url"])

    @staticmethod
    def resolve_area(contact):
        return contact["covers"]


class LevelOut(Schema):
    number: int
    name: str
    summary: str
    definition: str
    next_steps: list[NextStepOut]
    contacts: list[ContactOut]

    @staticmethod
    def resolve_contacts(level):
        return level.listed_contacts  # see get_authority


class DomainOut(Schema):
    name: str
    parent: str | None
    theme: str | None

    @staticmethod
    def resolve_parent(domain):
        return domain.parent.name if domain.parent else None

    @staticmethod
    def resolve_theme(domain):
        return domain.theme or None


class SectionOut(Schema):
    slug: str
    kind: str
    title: str
    body: str


class AuthorityDetailOut(AuthorityOut):
    caveat: str
    emergency_route: str
    levels: list[LevelOut]
    contacts: list[ContactOut]
    domains: list[DomainOut]

    @staticmethod
    def resolve_contacts(authority):
        return authority.listed_contacts  # see get_authority

    sections: list[SectionOut]


class IndicatorOut(BaseModel):
    # Filled from plain values by IndicatorRows: no model instances, resolvers or aliases. So a
    # plain pydantic model: a ninja Schema reads each field of each row through its resolver
    # machinery (DjangoGetter), a fifth of the answer's time for 100 rows.
    id: int
    authority: str
    level: int
    level_name: str
    domain: str
    domain_path: str
    theme: str
    text: str
    strategy_discussion: bool
    incomplete: bool
    url: str


class IndicatorRows:
    """Indicators (a queryset, in the order to answer) a page at a time for IndicatorPagination,
    as IndicatorOut's values. Read as model instances (five a row: with their level, domains
    and authority) and given out through resolvers, a page of 100 took 5 ms more; these are
    plain values, each address from one reversal (`address`)."""

    COLUMNS = (
        "pk",
        "domain__authority__slug",
        "level__number",
        "level__name",
        "domain__name",
        "domain__parent__name",
        "domain__theme",
        "text",
        "strategy_discussion",
        "incomplete",
    )

    def __init__(self, indicators, request):
        self.indicators, self.request = indicators, request

    def count(self):
        # Published through the levels' authority, which is the domains' (an indicator's level
        # and domain are one area's: Indicator.clean, the loader), so that PostgreSQL counts
        # from the levels asked for, by their index, joining neither the domains nor the areas
        # of every indicator of every area and draft (at 155 areas: 3 ms, not 11).
        return self.indicators.filter(level__authority__draft_of__isnull=True).count()

    def __getitem__(self, page):
        # Published through the domains' authority (`published()`): PostgreSQL then reads the
        # page in order from the areas' names, rather than sorting every match.
        rows = self.indicators.published().values_list(*self.COLUMNS)[page]
        return [self._out(row) for row in rows]

    def _out(self, row):
        pk, slug, number, level_name, domain, parent, theme, text, strategy, incomplete = row
        return {
            "id": pk,
            "authority": slug,
            "level": number,
            "level_name": level_name,
            "domain": domain,
            # As Domain.path gives it.
            "domain_path": f"{parent} / {domain}" if parent is not None else domain,
            "theme": theme,
            "text": text,
            "strategy_discussion": strategy,
            "incomplete": bool(incomplete),
            "url": self.request.build_absolute_uri(address("guidance:indicator", slug, pk)),
        }


class PageParameters(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class IndicatorPagination(LimitOffsetPagination):
    """ninja's limit and offset, with this API's bounds, answering with both as asked."""

    Input = PageParameters
    items_attribute = "results"

    class Output(Schema):
        count: int
        limit: int
        offset: int
        results: list[Any]

    def paginate_queryset(self, queryset, pagination, request, **params):
        start, end = pagination.offset, pagination.offset + pagination.limit
        return {
            "count": queryset.count(),
            "limit": pagination.limit,
            "offset": pagination.offset,
            "results": queryset[start:end],
        }


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    errors = [
        {
            "parameter": ".".join(str(part) for part in error["loc"][1:2]) or "request",
            "message": error["msg"],
        }
        for error in exc.errors
    ]
    names = ", ".join(sorted({e["parameter"] for e in errors}))
    return api.create_response(
        request, {"detail": f"Invalid parameter: {names}", "errors": errors}, status=422
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


# Answers are cached whole under the versions they show (guidance/caching.py).
@api.get("/authorities", response=list[AuthorityOut], summary="List the authorities")
@decorate_view(site_wide)
def list_authorities(request):
    return Authority.objects.published()


@api.get(
    "/authorities/{slug}",
    response={200: AuthorityDetailOut, 404: Message},
    summary="One authority with its levels, contacts, domains and guidance sections",
)
@decorate_view(per_authority)
def get_authority(request, slug: str):
    if has_control_characters(slug):
        # No slug holds one, and PostgreSQL refuses a NUL in a query.
        raise Http404(f"No authority '{slug}'")
    # Each kind of row in one query, in the document's order (by `order` within the area: the
    # models' default orderings join the authorities to sort many areas' rows by name).
    authority = (
        Authority.objects.published()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch("levels", Level.objects.order_by("number")),
            Prefetch("levels__next_steps", NextStep.objects.in_list_order()),
            Prefetch("domains", Domain.objects.select_related("parent").in_list_order()),
            Prefetch("sections", GuidanceSection.objects.in_list_order()),
        )
        .first()
    )
    if authority is None:
        raise Http404(f"No authority '{slug}'")
    # The contacts as plain rows with their levels' ids, in one query; a level's contacts are
    # those that name it, in the same order.
    contacts = authority.contacts.cards()
    numbers = {level.pk: level.number for level in authority.levels.all()}
    for contact in contacts:
        contact["levels"] = sorted(numbers[pk] for pk in contact["level_ids"])
    for level in authority.levels.all():
        level.listed_contacts = [c for c in contacts if level.pk in c["level_ids"]]
    authority.listed_contacts = contacts
    return authority


@api.get(
    "/indicators",
    response={200: list[IndicatorOut], 422: ValidationMessage},
    summary="Indicators, filtered by authority, level, domain, theme and words",
)
@decorate_view(site_wide)
@paginate(IndicatorPagination)
def list_indicators(
    request,
    authority: str | None = Query(None, description="Authority slug, e.g. hull"),
    level: list[int] = Query(None, description=f"Level number {LEVEL_RANGE}; may repeat"),
    domain: str | None = Query(None, description="Domain name, or a grouping of domains"),
    theme: list[str] = Query(None, description="Theme; may repeat"),
    q: str | None = Query(
        None,
        max_length=MAX_WORDS_LENGTH,
        description=f"Words to search the text for, as in /search; at most {MAX_WORDS} words",
    ),
):
    # Published rows only: IndicatorRows says how each of its queries keeps to them.
    filterset = IndicatorFilter(request.GET, queryset=Indicator.objects.all())
    if not filterset.is_valid():
        # Answered like ninja's own checks of the parameters, by invalid_parameters.
        raise ValidationError(
            [
                {"loc": ("query", name), "msg": " ".join(messages)}
                for name, messages in filterset.errors.items()
            ]
        )
    return IndicatorRows(filterset.qs.in_document_order(), request)


class SearchResultOut(Schema):
    kind: SearchKind
    authority: str
    level: int | None
    title: str
    text: str
    url: str

    @staticmethod
    def resolve_authority(result):
        return result.authority.slug

    @staticmethod
    def resolve_level(result):
        return result.level.number if result.level else None

    @staticmethod
    def resolve_url(result, context):
        return context["request"].build_absolute_uri(result.url)


SEARCH_DESCRIPTION = (
    f"Words, at most {MAX_WORDS}: every word must appear (stemmed: 'parents' finds 'parental'); "
    '"quoted words" must appear together; a word ending in * finds the words starting with it; '
    "the field's abbreviations and synonyms count (DV finds domestic abuse and violence)"
)


@api.get(
    "/search",
    response={200: list[SearchResultOut], 422: ValidationMessage},
    summary="Search indicators, contacts, next steps and guidance sections, best first",
)
@decorate_view(site_wide)
@paginate(IndicatorPagination)
def search(
    request,
    q: str = Query(..., max_length=MAX_WORDS_LENGTH, description=SEARCH_DESCRIPTION),
    authority: str | None = Query(None, description="Authority slug, e.g. hull"),
    kind: str | None = Query(None, description="contact, section, next_step or indicator"),
):
    form = SearchPageForm({"q": q, "area": authority or "", "kind": kind or ""})
    errors = dict(form.errors) if not form.is_valid() else {}
    if not errors and not q.strip():
        errors["q"] = ["Enter words to search for"]
    if errors:
        names = {"area": "authority"}
        raise ValidationError(
            [
                {"loc": ("query", names.get(name, name)), "msg": " ".join(messages)}
                for name, messages in errors.items()
            ]
        )
    entries = SearchEntry.objects.all()  # a draft has none (search.update_entry)
    if form.cleaned_data["area"]:
        entries = entries.filter(authority_id=form.authorities[form.cleaned_data["area"]])
    return Results(parse(q), entries, kind=form.cleaned_data["kind"])
