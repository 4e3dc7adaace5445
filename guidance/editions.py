"""Published editions: leads edit a draft, a second person publishes it.

Each area is two authorities (guidance/models.py): the published one, which the public pages, the
API, search, the printed chart and the slides show, and its draft, which leads edit in the admin
and by YAML import. Publishing exports the draft as a document (the format of `export_thresholds`)
and loads it into the published authority with the loader, in one transaction: rows are matched
by text first (guidance/loader.py `_matched`), so an unchanged indicator keeps its address, every
changed row gets a history record whose reason names the edition, and the authority's version
moves once, so every cached page changes with it. A page is read in one snapshot
(guidance/caching.py), so it shows the old edition or the new one, never a mix.

Each publication is an `Edition` holding that document, so any edition can be downloaded,
compared with another (guidance/changes.py) or restored into the draft.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from .loader import (
    DocumentError,
    copy_authority,
    export_authority,
    export_document,
    load_documents,
    read_document,
)
from .models import (
    DRAFT_SUFFIX,
    Authority,
    Contact,
    Domain,
    Edition,
    GuidanceSection,
    Indicator,
    Level,
    NextStep,
    authority_id_of,
    records_for_authorities,
)
from .rules import can_publish

GUIDANCE_MODELS = (Authority, Level, NextStep, Domain, Indicator, Contact, GuidanceSection)
# Who changed a draft when no person did (a command run by an administrator).
NO_USER = "an administrator"
FIRST_SUMMARY = "First published on this site."


class PublishingRefused(Exception):
    """Publishing (or restoring) was refused; the message says why, in a lead's words."""


def _document(authority, text, what):
    """The document read back from an export: the loader's every check applies, so a draft that
    the admin let through but the loader would refuse (say, a domain with indicators and no
    theme) is caught here, before anything is written."""
    return read_document(Path(f"{authority.public_slug} ({what})"), text)


def problems(authority, text=None):
    """What stops the draft of `authority` from being published (its document, if read already),
    in the loader's words with the line of the draft's document; empty when it can be."""
    try:
        _document(authority, text or draft_document(authority), "draft")
    except DocumentError as error:
        return error.messages
    return []


def _load_into(authority, text, reason, what):
    """Load a document (read from `text`) into `authority`."""
    document = _document(authority, text, what)
    return load_documents([document], reason=reason, into={document.slug: authority})[0]


def start(authority, document=None, new=False):
    """Give a published authority that has no editions its edition 1 (the document as it is
    now; `document`, if given, is the one it was just loaded from, in this transaction) and its
    draft (loaded from its newest edition, or copied from its rows when they were just loaded).
    `new` says the authority was created in this transaction, so has neither yet: no need to
    ask. Returns the edition, or None if it had one already."""
    latest = None if new else authority.editions.first()
    if latest:
        text = latest.document
    elif document is not None:
        text = export_document(document)  # export_authority's bytes, without reading them back
    else:
        text = export_authority(authority)
    if new or not Authority.objects.filter(draft_of=authority).exists():
        draft = Authority(draft_of=authority, slug=authority.slug + DRAFT_SUFFIX)
        if latest or document is None:
            _load_into(draft, text, "Draft started", "draft")
        else:
            # Just loaded from `document`, the published rows are what loading it into the draft
            # would write: the database copies them, in a third of the time.
            with transaction.atomic():
                copy_authority(authority, draft, "Draft started")
    if latest:
        return None
    return _record_edition(authority, text, FIRST_SUMMARY, prepared_by="", approved_by="", number=1)


def _record_edition(authority, text, summary, prepared_by, approved_by, number=None):
    """The authority's next edition (`number`, when the caller knows it already)."""
    if number is None:
        latest = authority.editions.first()
        number = latest.number + 1 if latest else 1
    now = timezone.now()
    edition = Edition.objects.create(
        authority=authority,
        number=number,
        published_at=now,
        summary=summary,
        prepared_by=prepared_by,
        approved_by=approved_by,
        document=text,
    )
    # The edition line on every page changes with it: a new version for the cached pages.
    Authority.objects.filter(pk=authority.pk).update(
        published_edition=number, published_at=now, version=models.F("version") + 1
    )
    return edition


def draft_document(authority):
    """The draft of a published authority, as the document it would publish."""
    return export_authority(authority.draft)


def pending(authority):
    """(the published edition's document, the draft's document): equal when nothing waits."""
    latest = authority.editions.first()
    return (latest.document if latest else ""), draft_document(authority)


def preparers(authority):
    """Who changed the draft since the last publication: user ids, None for a command."""
    latest = authority.editions.first()
    users = set()
    for model in GUIDANCE_MODELS:
        records = records_for_authorities(model.history.all(), [authority.draft.pk])
        if latest is not None:
            records = records.filter(history_date__gt=latest.published_at)
        users |= set(records.values_list("history_user_id", flat=True).distinct())
    return users


def _names(user_ids):
    users = get_user_model().objects.filter(pk__in=[pk for pk in user_ids if pk is not None])
    names = sorted(user.get_username() for user in users)
    if None in user_ids:
        names.append(NO_USER)
    return ", ".join(names)


def preparer_names(authority):
    return _names(preparers(authority))


def publish(authority, summary, approver=None):
    """Publish the draft of `authority` (the published one) as its next edition.

    `approver` is the person publishing; None is an administrator's command, which the four-eyes
    rule does not hold back. Refused, changing nothing, when the summary is empty, the draft
    holds no change, the person is not an approver, or every change is the approver's own (unless
    the area is marked as having a single lead).
    """
    summary = " ".join(summary.split())
    if not summary:
        raise PublishingRefused("Say in a sentence what changed: practitioners read it.")
    with transaction.atomic():
        # One publication of an area at a time; pages keep reading the old edition meanwhile.
        authority = Authority.objects.select_for_update().get(pk=authority.pk)
        draft = authority.draft
        old, new = pending(authority)
        if old == new:
            raise PublishingRefused(f"The draft of {authority} has no changes to publish.")
        trouble = problems(authority, new)
        if trouble:
            raise PublishingRefused(
                "The draft cannot be published until this is put right: " + "; ".join(trouble)
            )
        prepared = preparers(authority)
        if approver is not None:
            if not can_publish(approver, authority):
                raise PublishingRefused(f"You are not an approver for {authority}.")
            if not draft.single_lead and not prepared - {approver.pk}:
                raise PublishingRefused(
                    "Every change in this draft is your own: another approver must publish it, "
                    "so that a second person has checked it."
                )
        edition = _record_edition(
            authority,
            new,
            summary,
            prepared_by=_names(prepared),
            approved_by=approver.get_username() if approver is not None else NO_USER,
        )
        _load_into(authority, new, f"Edition {edition.number}", f"edition {edition.number}")
    return edition


def discard_draft(authority):
    """Put the draft back as the published edition has it."""
    latest = authority.editions.first()
    with transaction.atomic():
        return _load_into(authority.draft, latest.document, "Draft discarded", "draft")


def restore(edition):
    """Put an edition's document into the draft, to publish again (or edit first)."""
    reason = f"Edition {edition.number} restored into the draft"
    with transaction.atomic():
        return _load_into(edition.authority.draft, edition.document, reason, "draft")


def removed_indicator(authority, pk):
    """(edition number, level) for an indicator of the published authority that a publication
    removed, or None."""
    record = Indicator.history.filter(id=pk, history_type="-").order_by("-history_id").first()
    if record is None or authority_id_of(record.instance) != authority.pk:
        return None
    edition = (
        authority.editions.filter(published_at__lte=record.history_date).order_by("-number").first()
    )
    level = Level.objects.filter(pk=record.level_id).first()
    return (edition.number if edition else None), level


def with_changes(authority, page):
    """The editions of a page of them, each with `changes` against the edition before it (the
    one before the page's last is read too)."""
    from .changes import document_changes

    page = list(page)
    if not page:
        return page
    before = authority.editions.filter(number=page[-1].number - 1).first()
    older = [*page[1:], before]
    for edition, previous in zip(page, older, strict=True):
        edition.changes = document_changes(
            previous.document if previous else None, edition.document
        )
    return page


def _same(document, other):
    """Whether two documents hold the same guidance, however their files are laid out."""
    fields = ("authority", "levels", "domains", "contacts", "sections")
    return all(getattr(document, name) == getattr(other, name) for name in fields)


def load_as_editions(documents, reason="load_thresholds", loaded=None):
    """What `load_thresholds` does: each document becomes the next published edition of its
    authority (edition 1 of a new one, with its draft started from it).

    An authority whose draft holds changes not yet published is refused, before anything is
    written, so that loading a file never throws a lead's work away unseen.
    """
    from .loader import check_documents

    check_documents(documents)
    by_slug = {document.slug: document for document in documents}
    errors = []
    waiting = Authority.objects.published().filter(slug__in=by_slug, draft__isnull=False)
    for authority in waiting:
        old, new = pending(authority)
        if old != new and not _same(
            by_slug[authority.slug], _document(authority, old, "published")
        ):
            errors.append(
                f"{authority.slug}: its draft has changes not yet published; publish or discard "
                "them first (manage.py publish, or the admin)"
            )
    if errors:
        raise DocumentError(errors)
    reports = []
    for document in documents:
        with transaction.atomic():
            report = load_documents([document], reason=reason, checked=True)[0]
            authority = Authority.objects.get(pk=report.authority_id)
            if report.new:
                start(authority, document, new=True)
            elif not authority.editions.exists() or not hasattr(authority, "draft"):
                start(authority, document)
            elif report.created or report.updated or report.removed:
                text = export_authority(authority)
                # The draft first: its records then come before the edition, so they are not
                # counted as changes waiting for the next one (see `preparers`).
                _load_into(authority.draft, text, reason, "draft")
                _record_edition(
                    authority,
                    text,
                    f"Loaded from {Path(str(document.path)).name}.",
                    prepared_by=NO_USER,
                    approved_by=NO_USER,
                )
        reports.append(report)
        if loaded is not None:
            loaded(report)
    return reports


def start_all(using="default"):
    """Start editions for every published authority that has none or no draft yet."""
    waiting = (
        Authority.objects.using(using)
        .published()
        .filter(models.Q(draft__isnull=True) | models.Q(editions__isnull=True))
    )
    for authority in waiting.distinct():
        with transaction.atomic(using=using):
            start(authority)
