"""Read-only open-data API under /api/v1/, described by its OpenAPI schema."""

from django.db.models import Prefetch
from django.http import Http404
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError

from .filters import IndicatorFilter
from .forms import MAX_WORDS, MAX_WORDS_LENGTH
from .models import Authority, Contact, Domain, Indicator, Level
from .validators import has_control_characters, web_href

api = NinjaAPI(
    title="Threshold guidance open data",
    version="1",
    description="Children's safeguarding threshold guidance of local partnerships in England.",
    urls_namespace="api",
)

# Far beyond every indicator of every area in England, and well inside the databases' integers.
MAX_OFFSET = 1_000_000


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


class NextStepOut(Schema):
    heading: str
    text: str


class ContactOut(Schema):
    name: str
    phones: list[str]
    emails: list[str]
    url: str
    hours: str
    area: str
    notes: str
    emergency: bool
    levels: list[int]


class LevelOut(Schema):
    number: int
    name: str
    summary: str
    definition: str
    next_steps: list[NextStepOut]
    contacts: list[ContactOut]


class DomainOut(Schema):
    name: str
    parent: str | None
    theme: str | None


class SectionOut(Schema):
    slug: str
    kind: str
    title: str
    body: str


class AuthorityDetailOut(AuthorityOut):
    caveat: str
    levels: list[LevelOut]
    contacts: list[ContactOut]
    domains: list[DomainOut]
    sections: list[SectionOut]


class IndicatorOut(Schema):
    id: int
    authority: str
    level: int
    level_name: str
    domain: str
    domain_path: str
    theme: str
    text: str
    strategy_discussion: bool
    source: str
    url: str


class IndicatorPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[IndicatorOut]


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    errors = [
        {
            "parameter": ".".join(str(part) for part in error["loc"][1:2]) or "request",
            "message": error["msg"],
        }
        for error in exc.errors
    ]
    return _invalid(request, errors)


def _invalid(request, errors):
    names = ", ".join(sorted({e["parameter"] for e in errors}))
    return api.create_response(
        request, {"detail": f"Invalid parameter: {names}", "errors": errors}, status=422
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


def _web_address(value):
    """The address as stored if it is a safe web address, else "": the loader and admin check
    addresses on the way in, but a row can still be edited in the database directly."""
    return value if web_href(value) else ""


def _authority(authority):
    return {
        **{field: getattr(authority, field) for field in AuthorityOut.model_fields},
        "website": _web_address(authority.website),
    }


def _contact(contact):
    return {
        "name": contact.name,
        "phones": contact.phones,
        "emails": contact.emails,
        "url": _web_address(contact.url),
        "hours": contact.hours,
        "area": contact.covers,
        "notes": contact.notes,
        "emergency": contact.emergency,
        "levels": [level.number for level in contact.levels.all()],
    }


@api.get("/authorities", response=list[AuthorityOut], summary="List the authorities")
def list_authorities(request):
    return [_authority(authority) for authority in Authority.objects.all()]


@api.get(
    "/authorities/{slug}",
    response={200: AuthorityDetailOut, 404: Message},
    summary="One authority with its levels, contacts, domains and guidance sections",
)
def get_authority(request, slug: str):
    if has_control_characters(slug):
        # No slug holds one, and PostgreSQL refuses a NUL in a query.
        raise Http404(f"No authority '{slug}'")
    contacts = Contact.objects.prefetch_related("levels")
    authority = (
        Authority.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "levels",
                Level.objects.prefetch_related("next_steps", Prefetch("contacts", contacts)),
            ),
            Prefetch("contacts", contacts),
            Prefetch("domains", Domain.objects.select_related("parent")),
            "sections",
        )
        .first()
    )
    if authority is None:
        raise Http404(f"No authority '{slug}'")
    return {
        **_authority(authority),
        "caveat": authority.caveat,
        "levels": [
            {
                "number": level.number,
                "name": level.name,
                "summary": level.summary,
                "definition": level.definition,
                "next_steps": list(level.next_steps.all()),
                "contacts": [_contact(c) for c in level.contacts.all()],
            }
            for level in authority.levels.all()
        ],
        "contacts": [_contact(c) for c in authority.contacts.all()],
        "domains": [
            {
                "name": d.name,
                "parent": d.parent.name if d.parent else None,
                "theme": d.theme or None,
            }
            for d in authority.domains.all()
        ],
        "sections": list(authority.sections.all()),
    }


@api.get(
    "/indicators",
    response={200: IndicatorPage, 422: ValidationMessage},
    summary="Indicators, filtered by authority, level, domain, theme and words",
)
def list_indicators(
    request,
    authority: str | None = Query(None, description="Authority slug, e.g. hull"),
    level: list[int] = Query(None, description="Level number 1-4; may repeat"),
    domain: str | None = Query(None, description="Domain name, or a grouping of domains"),
    theme: list[str] = Query(None, description="Theme; may repeat"),
    q: str | None = Query(
        None,
        max_length=MAX_WORDS_LENGTH,
        description=f"Words that must all appear in the text; at most {MAX_WORDS} words",
    ),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    filterset = IndicatorFilter(request.GET, queryset=Indicator.objects.all())
    if not filterset.is_valid():
        errors = [
            {"parameter": name, "message": " ".join(messages)}
            for name, messages in filterset.errors.items()
        ]
        return _invalid(request, errors)
    indicators = filterset.qs.with_context().in_document_order()
    page = indicators[offset : offset + limit]
    return {
        "count": indicators.count(),
        "limit": limit,
        "offset": offset,
        "results": [
            {
                "id": i.pk,
                "authority": i.domain.authority.slug,
                "level": i.level.number,
                "level_name": i.level.name,
                "domain": i.domain.name,
                "domain_path": i.domain.path,
                "theme": i.domain.theme,
                "text": i.text,
                "strategy_discussion": i.strategy_discussion,
                "source": i.document_source,
                "url": request.build_absolute_uri(i.get_absolute_url()),
            }
            for i in page
        ],
    }
