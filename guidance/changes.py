"""What changed between two published editions of an authority's guidance.

Each edition stores the authority's full YAML export, so comparing editions needs no database:
this module reads two export texts and says, in a practitioner's words, which rows were added,
changed, removed or reordered. It never names YAML keys; pages show its places and summaries as
they are, and `word_diff` for the old and new text of a detail.
"""

import difflib
import re
from dataclasses import dataclass, field

import yaml
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

CUT = 80  # summaries quote at most this many characters of a text

AREA_FIELDS = {
    "slug": "Web address name",
    "name": "Name",
    "partnership": "Partnership",
    "document_title": "Document title",
    "edition": "Edition",
    "source_file": "Source file",
    "website": "Website",
    "caveat": "Caveat",
    "emergency_route": "Emergency route",
}
LEVEL_FIELDS = {"name": "Name", "summary": "Summary", "definition": "Definition"}
NEXT_STEP_FIELDS = {"heading": "Heading", "incomplete": "Incomplete note"}
DOMAIN_FIELDS = {"parent": "Parent domain", "theme": "Theme", "source": "Source"}
INDICATOR_FIELDS = {
    "strategy_discussion": "Strategy discussion",
    "source": "Source",
    "note": "Note",
    "incomplete": "Incomplete note",
}
CONTACT_FIELDS = {
    "name": "Name",
    "phones": "Phone",
    "emails": "Email",
    "url": "Web address",
    "hours": "Hours",
    "area": "Area covered",
    "levels": "Levels",
    "emergency": "Emergency route",
    "notes": "Notes",
}
SECTION_FIELDS = {"title": "Title", "kind": "Type", "body": "Text"}


@dataclass
class Detail:
    what: str  # the row or field in plain words: "Indicator", "Phone", "Next step 'Consent'"
    kind: str  # "added" | "changed" | "removed" | "moved"
    old: str = ""
    new: str = ""


@dataclass
class Change:
    place: str  # where, in the practitioner's words: "Level 3, Health", "Contact Police"
    summary: str  # "2 indicators added, 1 changed", "phone changed from A to B", "added"
    details: list[Detail] = field(default_factory=list)


def document_changes(old: str | None, new: str) -> list[Change]:
    """What changed from one edition's YAML to the next, in document order: area details, levels
    with their next steps, domains, indicators by level then domain, contacts, sections. A first
    edition (`old` None) has nothing to compare with. Order changes are reported only within a
    list of next steps or indicators, where the order is part of the guidance."""
    if old is None or old == new:
        return []
    a, b = _load(old), _load(new)
    changes = []
    details = _field_details(a.get("authority") or {}, b.get("authority") or {}, AREA_FIELDS)
    if details:
        changes.append(Change("Area details", _fields_summary(details), details))
    changes += _keyed(a, b, "levels", "number", _level_change)
    changes += _keyed(a, b, "domains", "name", _domain_change)
    changes += _indicator_changes(_rows(a, "domains"), _rows(b, "domains"))
    changes += _paired(a, b, "contacts", "name", _contact_change)
    changes += _keyed(a, b, "sections", "slug", _section_change)
    return changes


def count_rows(changes) -> dict:
    """How many details of each kind, for an edition's headline ("3 added, 1 removed")."""
    counts = {"added": 0, "changed": 0, "removed": 0, "moved": 0}
    for change in changes:
        for detail in change.details:
            counts[detail.kind] += 1
    return counts


def word_diff(old: str, new: str) -> SafeString:
    """The new text marked up word by word, so a reader sees a one-word edit in a long paragraph
    without comparing two paragraphs by eye. All text is escaped: documents are not trusted HTML."""
    a, b = (re.findall(r"\s+|\S+", text or "") for text in (old, new))
    # Spaces only extend a match of words: matching on a lone space shreds a sentence.
    matcher = difflib.SequenceMatcher(str.isspace, a, b, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(b[j1:j2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return mark_safe("".join(parts))  # every part was escaped above


# --- Parts of the document ----------------------------------------------------------------------


def _keyed(a, b, part, key, compare):
    """Changes to the rows of one part (levels, domains, sections), matched by key, in document
    order. Rows only in one edition are added or removed; a repeated key pairs first with first,
    second with second."""
    old, new = _rows(a, part), _rows(b, part)
    old_keys, new_keys = _numbered(old, key), _numbered(new, key)
    old_by, new_by = dict(zip(old_keys, old, strict=True)), dict(zip(new_keys, new, strict=True))
    changes = [compare(old_by.get(k), new_by.get(k)) for k in _merged(old_keys, new_keys)]
    return [c for c in changes if c]


def _paired(a, b, part, key, compare):
    """Changes to the rows of one part paired as the loader pairs them (guidance/loader.py
    `_matched`): by key where it is unchanged, then the rest by position and likeness, so a
    renamed contact reads as its name changed (the loader keeps its row), not as one contact
    removed and another added."""
    old, new = _rows(a, part), _rows(b, part)
    pairs, _moved = pair_rows(
        [str(row.get(key)) for row in old], [str(row.get(key)) for row in new]
    )
    changes = [
        compare(None if i is None else old[i], None if j is None else new[j]) for i, j in pairs
    ]
    return [c for c in changes if c]


def _row_change(place, noun, name, fields, a, b):
    if a is None or b is None:
        kind = "added" if a is None else "removed"
        return Change(place, kind, [_added_removed(noun, kind, a, b, name)])
    details = _field_details(a, b, fields)
    return Change(place, _fields_summary(details), details) if details else None


def _level_change(a, b):
    place = f"Level {(b or a).get('number')} ({(b or a).get('name', '')})"
    change = _row_change(place, "Level", "name", LEVEL_FIELDS, a, b)
    if a is None or b is None:
        return change
    steps, counts = _list_details(
        _rows(a, "next_steps"),
        _rows(b, "next_steps"),
        NEXT_STEP_FIELDS,
        lambda row: f"Next step '{row.get('heading', '')}'",
        lambda row: f"next step '{row.get('heading', '')}'",
    )
    if not steps:
        return change
    if change is None:
        return Change(place, _count_summary("next step", counts), steps)
    change.summary += f"; {_count_summary('next step', counts)}"
    change.details += steps
    return change


def _domain_change(a, b):
    """A domain itself; renaming one removes it and adds another."""
    return _row_change(f"Domain {_domain_name(b or a)}", "Domain", "name", DOMAIN_FIELDS, a, b)


def _contact_change(a, b):
    place = f"Contact {(b or a).get('name', '')}"
    return _row_change(place, "Contact", "name", CONTACT_FIELDS, a, b)


def _section_change(a, b):
    place = f"Guidance: {(b or a).get('title', '')}"
    return _row_change(place, "Guidance", "title", SECTION_FIELDS, a, b)


def _indicator_changes(old, new):
    """One change for each (level, domain) group of indicators that changed, by level first: a
    practitioner reads the guidance one level at a time."""
    old_by, new_by = {d.get("name"): d for d in old}, {d.get("name"): d for d in new}
    names = _merged([d.get("name") for d in old], [d.get("name") for d in new])
    old_ind = {n: _indicators(d) for n, d in old_by.items()}
    new_ind = {n: _indicators(d) for n, d in new_by.items()}
    numbers = {k for group in [*old_ind.values(), *new_ind.values()] for k in group}
    changes = []
    for number in sorted(numbers):
        for name in names:
            details, counts = _list_details(
                old_ind.get(name, {}).get(number, []),
                new_ind.get(name, {}).get(number, []),
                INDICATOR_FIELDS,
                lambda row: "Indicator",
                lambda row: f"indicator '{_cut(row.get('text', ''), 60)}'",
            )
            if details:
                place = f"Level {number}, {_domain_name(new_by.get(name) or old_by[name])}"
                changes.append(Change(place, _count_summary("indicator", counts), details))
    return changes


def _numbered(rows, key):
    """Each row's key with its occurrence (1 for the first row of that key, 2 for the second)."""
    seen, keys = {}, []
    for row in rows:
        seen[row.get(key)] = seen.get(row.get(key), 0) + 1
        keys.append((row.get(key), seen[row.get(key)]))
    return keys


def _merged(old_keys, new_keys):
    """Every key of both editions once, in the new order, with dropped keys where they stood."""
    kept, keys = set(new_keys), []
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        keys += [k for k in old_keys[i1:i2] if k not in kept] + new_keys[j1:j2]
    return keys


# --- Lists of rows: next steps and indicators ---------------------------------------------------


def _list_details(old, new, fields, what, title):
    """Details for an ordered list of rows, and how many rows were added, changed and removed.
    Rows with the same text are the same row wherever they moved to, so inserting one row never
    makes the rows after it look changed; the rest are paired by position and likeness, so an
    edited row is one change rather than a removal and an addition."""
    pairs, moved = pair_rows([r.get("text", "") for r in old], [r.get("text", "") for r in new])
    details, counts = [], {"added": 0, "changed": 0, "removed": 0, "moved": 0}
    for i, j in pairs:
        a, b = old[i] if i is not None else None, new[j] if j is not None else None
        if a is None or b is None:
            kind = "added" if a is None else "removed"
            details.append(_added_removed(what(b or a), kind, a, b, "text"))
            counts[kind] += 1
            continue
        row = []
        if a.get("text", "") != b.get("text", ""):
            row.append(Detail(what(b), "changed", a.get("text", ""), b.get("text", "")))
        row += _field_details(a, b, fields, f" of {title(b)}")
        details += row
        counts["changed"] += bool(row)
    if moved:
        texts = "; ".join(_cut(new[j].get("text", ""), 40) for j in moved)
        details.append(Detail("Order", "moved", "", texts))
        counts["moved"] = 1
    return details, counts


def pair_rows(old, new):
    """Pairs (old index or None, new index or None) in document order, and the new indexes of
    identical rows whose place among the others changed."""
    spare = {}
    for j, text in enumerate(new):
        spare.setdefault(text, []).append(j)
    same = {i: spare[text].pop(0) for i, text in enumerate(old) if spare.get(text)}
    same_new = {j: i for i, j in same.items()}
    pairs = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left = [i for i in range(i1, i2) if i not in same]
        right = [j for j in range(j1, j2) if j not in same_new]
        linked = dict((j, i) for i, j in _align(left, right, old, new))
        pairs += [(i, None) for i in left if i not in linked.values()]
        pairs += [(same_new.get(j, linked.get(j)), j) for j in range(j1, j2)]
    return pairs, _out_of_order([j for _i, j in sorted(same.items())])


def _align(left, right, old, new):
    """Pair leftover old and new rows keeping their order: as many pairs as possible, then the
    most alike texts. Large blocks (a rewritten table) are paired in order, to stay quick."""
    if len(left) * len(right) > 400:
        return list(zip(left, right, strict=False))
    best = [[(0, 0.0, ())] * (len(right) + 1) for _ in range(len(left) + 1)]
    for a in range(len(left) - 1, -1, -1):
        for b in range(len(right) - 1, -1, -1):
            n, score, links = best[a + 1][b + 1]
            ratio = difflib.SequenceMatcher(None, old[left[a]], new[right[b]]).ratio()
            take = (n + 1, score + ratio, ((left[a], right[b]), *links))
            best[a][b] = max(take, best[a + 1][b], best[a][b + 1], key=lambda t: t[:2])
    return best[0][0][2]


def _out_of_order(positions):
    """The positions outside the longest increasing run: the rows that really moved."""
    if not positions:
        return []
    run = [[p] for p in positions]
    for k, p in enumerate(positions):
        for q in range(k):
            if positions[q] < p and len(run[q]) + 1 > len(run[k]):
                run[k] = [*run[q], p]
    longest = set(max(run, key=len))
    return [p for p in sorted(positions) if p not in longest]


# --- Words --------------------------------------------------------------------------------------


def _load(text):
    data = yaml.load(text or "", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data if isinstance(data, dict) else {}


def _rows(data, key):
    return [_as_row(row) for row in data.get(key) or []]


def _as_row(row):
    """An indicator written as its text alone is the same as a mapping with only its text."""
    return row if isinstance(row, dict) else {"text": str(row)}


def _indicators(domain):
    by_level = domain.get("indicators") or {}
    return {int(k): [_as_row(r) for r in rows or []] for k, rows in by_level.items()}


def _domain_name(domain):
    parent, name = domain.get("parent"), domain.get("name", "")
    return f"{parent} / {name}" if parent else name


def _show(key, value):
    """A value as a reader sees it on the site."""
    if key == "levels":
        numbers = [str(n) for n in value or []]
        return f"Level{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}" if numbers else ""
    if key in ("theme", "kind") and value:
        from .models import SectionKind, Theme  # here: the module itself needs no app registry

        choices = Theme if key == "theme" else SectionKind
        return str(dict(choices.choices).get(value, value))
    if key in ("strategy_discussion", "emergency"):
        return "yes" if value else "no"  # left out of the export when false
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _field_details(a, b, fields, suffix=""):
    details = []
    for key, word in fields.items():
        old, new = _show(key, a.get(key)), _show(key, b.get(key))
        if old != new:
            if key in ("phones", "emails") and ", " in old + new:
                word += "s"  # "phone" for one number, "phones" for a list
            kind = "added" if not old else "removed" if not new else "changed"
            details.append(Detail(word + suffix, kind, old, new))
    return details


def _added_removed(what, kind, a, b, key):
    return Detail(what, kind, _show(key, (a or {}).get(key)), _show(key, (b or {}).get(key)))


def _fields_summary(details):
    if len(details) > 1:
        return f"{_and([d.what.lower() for d in details])} changed"
    d = details[0]
    word = d.what[0].lower() + d.what[1:]
    if d.kind == "added":
        return f"{word} added: {_cut(d.new)}"
    if d.kind == "removed":
        return f"{word} removed"
    old, new = _cut(d.old), _cut(d.new)
    return f"{word} changed" if old == new else f"{word} changed from {old} to {new}"


def _count_summary(noun, counts):
    parts = []
    for kind in ("added", "changed", "removed"):
        if n := counts[kind]:
            parts.append(f"{n} {kind}" if parts else f"{n} {noun}{'' if n == 1 else 's'} {kind}")
    if counts["moved"]:
        parts.append("order changed")
    return ", ".join(parts)


def _and(words):
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _cut(text, limit=CUT):
    """Text for a one-line summary: on one line, cut at a whole word."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return head + "…"
