"""My notes (issue 15): the indicators a practitioner noted for a threshold conversation, on one
page per area, in the document's words, with each level's definition, next steps and contacts.

Notes live only in the address (`?i=<id>&i=<id>…&e=<edition>`) and, where JavaScript runs, in the
browser's own storage (static/js/notes.js): the server keeps nothing and the page is the same for
everyone who asks for the same address (cached as any area page is). The page never says which
level a child is at and counts nothing: it says at which levels the noted indicators appear.

`e` is the edition the notes were made under: an indicator changed or removed by a later edition
is shown as such. Ids this area never had (another area's, or made up) are left out with a short
message; the page answers 200 whatever the address holds.

The address without ids (`/<slug>/notes/`) holds every indicator and level of the area, hidden:
it is the copy "Save <area> for use offline" keeps (offline.json's `notes`), which the service
worker answers any `/<slug>/notes/?…` with when offline and notes.js shows the noted ones of.
"""

import re

from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from .models import Indicator
from .tables import listed_indicators
from .views import _authority

# More ids than this in one address are left out (a conversation needs a handful).
MAX_NOTES = 100
EDITION_REASON = re.compile(r"^Edition (\d+)$")


def _ids(values):
    """The ids asked for, in order, each once; and how many values were not usable ids."""
    ids, bad = [], 0
    for value in values:
        value = value.strip()
        if value.isascii() and value.isdigit() and 0 < len(value) <= 12:
            pk = int(value)
            if pk not in ids:
                ids.append(pk)
        else:
            bad += 1
    return ids[:MAX_NOTES], bad + max(0, len(ids) - MAX_NOTES)


def _edition(value, published):
    """The edition the notes were made under: a number this area has published, or None."""
    if value is None or not published:
        return None, False
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 6 and 1 <= int(value) <= published:
        return int(value), False
    return None, True


class _EditionOf:
    """The edition a history record of a published row belongs to: named by its reason when a
    publication wrote it ("Edition N"); else (a `load_thresholds` run, which records the edition
    just after loading) the first edition published at or after it."""

    def __init__(self, editions):
        self.editions = sorted(editions)  # (number, published_at)

    def __call__(self, record):
        match = EDITION_REASON.match(record["history_change_reason"] or "")
        if match:
            return int(match.group(1))
        for number, published_at in self.editions:
            if published_at >= record["history_date"]:
                return number
        return self.editions[-1][0] if self.editions else None


class Noted:
    """A noted indicator as the page shows it: the light row of guidance.tables, and what
    changed since the notes' edition."""

    def __init__(self, indicator, changed_in=None, was=None, added_in=None):
        self.indicator = indicator
        self.changed_in, self.was, self.added_in = changed_in, was, added_in

    def __getattr__(self, name):
        return getattr(self.indicator, name)


def _history(ids):
    """Every history record of these indicators, oldest first, as dicts (one query)."""
    return list(
        Indicator.history.filter(id__in=ids)
        .order_by("id", "history_id")
        .values(
            "id",
            "text",
            "level_id",
            "domain_id",
            "history_type",
            "history_date",
            "history_change_reason",
        )
    )


def _changes(records, edition_of, since):
    """(changed_in, the text as it was, added_in) for one indicator's records after edition
    `since`: the latest edition that changed its words, level or domain."""
    changed_in = was = added_in = None
    for previous, record in zip([None, *records], records, strict=False):
        number = edition_of(record)
        if number is None or number <= since:
            continue
        if record["history_type"] == "+":
            added_in = number
        elif record["history_type"] == "~" and previous is not None:
            fields = ("text", "level_id", "domain_id")
            if any(previous[f] != record[f] for f in fields):
                if changed_in is None:
                    was = previous
                changed_in = number
    return changed_in, was, added_in


def notes_page(request, slug):
    authority = _authority(request, slug)
    levels = {level.number: level for level in authority.levels.all()}
    level_by_id = {level.pk: level for level in levels.values()}
    asked, bad = _ids(request.GET.getlist("i"))
    published = None if authority.is_draft else authority.published_edition
    since, bad_edition = _edition(request.GET.get("e"), published)

    area = Indicator.objects.for_authorities([authority]).in_document_order()
    found = listed_indicators(area.filter(pk__in=asked), authority) if asked else []
    found_ids = {i.pk for i in found}
    noted, removed, unknown = [], [], 0
    if asked:
        records = _history(asked)
        edition_of = _EditionOf(authority.editions.values_list("number", "published_at"))
        by_id = {}
        for record in records:
            by_id.setdefault(record["id"], []).append(record)
        for indicator in found:
            changes = (None, None, None)
            if since is not None:
                changes = _changes(by_id.get(indicator.pk, []), edition_of, since)
            changed_in, was, added_in = changes
            if was is not None:
                was = {
                    "text": was["text"] if was["text"] != indicator.text else None,
                    "level": level_by_id.get(was["level_id"]),
                }
            noted.append(Noted(indicator, changed_in, was, added_in))
        for pk in asked:
            if pk in found_ids:
                continue
            last = (by_id.get(pk) or [None])[-1]
            # Only this area's: a removed indicator's level is still the area's (levels stay).
            if last and last["history_type"] == "-" and last["level_id"] in level_by_id:
                removed.append(
                    {
                        "pk": pk,
                        "text": last["text"],
                        "level": level_by_id[last["level_id"]],
                        "edition": edition_of(last),
                    }
                )
            else:
                unknown += 1

    # Every level's guidance: the page shows those the notes appear at (all, hidden, without ids).
    all_levels = list(levels.values())
    prefetch_related_objects(all_levels, "next_steps", "contacts")
    shown_levels = sorted({i.level.number for i in noted})
    everything = not asked and authority.has_indicators
    listed = noted if not everything else [Noted(i) for i in listed_indicators(area, authority)]
    sections = []
    for level in all_levels:
        items = [n for n in listed if n.level.number == level.number]
        if items or everything:
            sections.append({"level": level, "items": items, "hidden": everything})
    kept = [n.pk for n in noted] + [r["pk"] for r in removed]
    notes_url = reverse("guidance:notes", args=[authority.slug])
    edition = since or published

    def address(ids):
        query = [("i", pk) for pk in ids] + ([("e", edition)] if edition else [])
        return f"{notes_url}?{urlencode(query)}" if ids else notes_url

    for item in noted:
        item.remove_url = address([pk for pk in kept if pk != item.pk])
    for item in removed:
        item["remove_url"] = address([pk for pk in kept if pk != item["pk"]])
    builder = (
        listed_indicators(area, authority) if not everything else [n.indicator for n in listed]
    )
    response = render(
        request,
        "guidance/notes.html",
        {
            "authority": authority,
            "sections": sections,
            "shown_levels": [levels[n] for n in shown_levels],
            "removed": removed,
            "ignored": unknown + bad,
            "bad_edition": bad_edition,
            "since": since,
            "edition": edition,
            "everything": everything,
            "kept_ids": ",".join(map(str, kept)),
            "share_url": request.build_absolute_uri(address(kept)),
            "notes_url": notes_url,
            "builder": builder,
            "noted_ids": {n.pk for n in noted},
        },
    )
    # The address holds the notes: never pass it on to another page or site.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
