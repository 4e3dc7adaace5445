"""Read, validate, load and export threshold documents (one YAML file per authority, in fixtures/).

Used by the load_thresholds and export_thresholds commands and by the admin's import and
download. The schema is documented in fixtures/README.md and written down here once, as one table
of keys per model (AUTHORITY, LEVEL, NEXT_STEP, DOMAIN, INDICATOR, CONTACT, SECTION): each YAML
key with its model field, whether it is required, its kind and its extra check. Reading builds a
row's values by walking its table, loading saves the table's columns, and export writes the keys
in the table's order.

Validation walks the YAML node tree rather than the loaded data so that every message can name
the line it is about. Nothing is written until every file is valid, so bad input leaves the
database exactly as it was; each document is then written in a transaction of its own, in bulk
(the queries do not grow with its rows), with a history record for every row created, changed
or removed. Loading keeps primary keys:
an authority's rows are matched by slug (the authority and its sections), number (levels) and
name (domains), and by position (next steps within a level, indicators within a domain and
level, contacts).

Files come from leads through the admin import too, so they are treated as hostile: the format
never needs YAML anchors, aliases or merge keys (a few hundred bytes of nested aliases expand to
gigabytes), so they are refused while parsing, as are files over MAX_DOCUMENT_BYTES, nesting
deeper than the schema and lists longer than any document needs. Messages name the place and
never echo more than a short excerpt of the input.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Prefetch
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import validators
from .changes import pair_rows
from .models import (
    SLUG_MAX_LENGTH,
    Authority,
    Contact,
    Domain,
    GuidanceSection,
    Indicator,
    Level,
    LevelNumber,
    NextStep,
    SectionKind,
    Theme,
    bump_versions,
)

LEVEL_NUMBERS = tuple(LevelNumber.values)
LEVEL_RANGE = f"{min(LEVEL_NUMBERS)}-{max(LEVEL_NUMBERS)}"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The largest real document is about 60 KB; these limits leave room for growth and refuse abuse.
MAX_DOCUMENT_BYTES = 1024 * 1024
# The schema nests six deep (top > domains > domain > indicators > level > indicator).
MAX_DEPTH = 8
MAX_ITEMS = {
    "domains": 500,
    "indicators": 5000,
    "contacts": 500,
    "sections": 200,
    "next_steps": 50,
    "phones": 10,
    "emails": 10,
}
MAX_MESSAGES = 50
EXCERPT = 60

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
TYPE_NAMES = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a decimal number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:null": "nothing (null)",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:map": "a mapping",
    "tag:yaml.org,2002:seq": "a list",
}


class DocumentError(Exception):
    """One or more problems in threshold documents; each message names file, place and line."""

    def __init__(self, messages):
        messages = list(messages)
        if len(messages) > MAX_MESSAGES:
            more = len(messages) - MAX_MESSAGES
            messages = [*messages[:MAX_MESSAGES], f"... and {more} more problem(s)"]
        self.messages = messages
        super().__init__("\n".join(self.messages))


def excerpt(value):
    """A short, single-line quotation of input for a message."""
    value = " ".join(str(value).split())
    return value if len(value) <= EXCERPT else value[: EXCERPT - 1] + "…"


class _Refused(Exception):
    def __init__(self, mark, message):
        self.mark = mark
        super().__init__(message)


# libyaml where installed: the pure-Python parser takes about ten seconds over a megabyte.
_BOOLEANS = yaml.constructor.SafeConstructor.bool_values
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)


class _ComposingLoader(yaml.composer.Composer, _YAML_LOADER):
    """libyaml's parser with PyYAML's composer, which looks at each event before it builds a node
    from it: an anchor or alias, or nesting deeper than the schema, is refused there, in the one
    pass over the text (libyaml's own composer recurses without a limit and resolves aliases)."""

    def __init__(self, text):
        _YAML_LOADER.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor:
            raise _Refused(
                event.start_mark,
                "YAML anchors and aliases (& and *) are not allowed: write each value out",
            )
        if not isinstance(event, _OPENS):
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(
                event.start_mark, f"nested more than {MAX_DEPTH} deep; the schema is not"
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _compose(text):
    """The node tree, parsed once; anchors, aliases and deep nesting are refused before anything
    is built from them (composing is recursive)."""
    loader = _ComposingLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


# --- The schema: one table of keys per model ----------------------------------------------------

# An extra check takes a value as read and answers with what is wrong with it, or None.
Check = Callable[[str], "str | None"]


def _passes(validate, what) -> Check:
    def check(value):
        try:
            validate(value)
        except ValidationError:
            return f"'{excerpt(value)}' is not {what}"
        return None

    return check


def _one_of(name, choices) -> Check:
    def check(value):
        if value not in choices.values:
            return f"unknown {name} '{excerpt(value)}' (known: {', '.join(choices.values)})"
        return None

    return check


def _slug(value):
    return None if SLUG_RE.match(value) else "use lower-case letters, digits and hyphens only"


WEB_ADDRESS = _passes(validators.validate_web_address, "a web address (http:// or https://)")
EMAIL = _passes(validators.validate_email, "an email address")
PHONE = _passes(
    validators.validate_phone, "a phone number (digits, spaces, brackets, hyphens, a leading +)"
)
SLUG = _slug
# The site's own addresses at the top level: an authority with one of these slugs could never be
# reached (/search/ is the search page, /offline/ the offline page, ...).
RESERVED_AUTHORITY_SLUGS = frozenset(
    {"admin", "api", "assets", "changes", "compare", "offline", "search", "static"}
)


def _authority_slug(value):
    if len(value) > SLUG_MAX_LENGTH:
        return f"use at most {SLUG_MAX_LENGTH} characters"
    if value in RESERVED_AUTHORITY_SLUGS:
        return f"'{value}' is one of the site's own addresses (/{value}/): choose another slug"
    return _slug(value)


AUTHORITY_SLUG = _authority_slug
THEME = _one_of("theme", Theme)
SECTION_KIND = _one_of("kind", SectionKind)


class Kind:
    """How a key's value is written in a document: how it is read (naming each problem) and
    exported, and whether it is a column of the row (the load sets relations itself)."""

    column = True

    def read(self, r, node, place, key, table):
        raise NotImplementedError

    def check(self, r, node, place, key, value):
        """The key's extra check of the value read, unless it is empty."""
        if key.check and value:
            r.check(node, place, value, key.check)

    def export(self, obj, key):
        return getattr(obj, key.field)

    def exported(self, value):
        """What `export` writes for a row holding `value`, the value as read from a document."""
        return value


class _Text(Kind):
    """Text, trimmed; no longer than the model field allows (a choice is checked as a choice)."""

    def read(self, r, node, place, key, table):
        value = r.text(node, place, required=key.required)
        limit = table.max_length(key)
        if limit and len(value) > limit:
            r.error(node, place, f"is {len(value)} characters long; at most {limit}")
        return value


class _Texts(Kind):
    """A list of short texts (at most MAX_ITEMS of them), each passing the key's check."""

    def read(self, r, node, place, key, table):
        values = []
        for i, item in enumerate(r.sequence(node, place, key.name)):
            item_place = f"{place}[{i}]"
            if not isinstance(item, yaml.ScalarNode) or item.tag != STR_TAG:
                r.expected_text(item, item_place)
            elif not item.value.strip():
                r.error(item, item_place, "must not be empty")
            else:
                value = r.clean_text(item, item_place, item.value)
                if key.check:
                    r.check(item, item_place, value, key.check)
                values.append(value)
        return values

    def check(self, r, node, place, key, value):
        pass  # each item is checked as it is read

    def export(self, obj, key):
        return list(getattr(obj, key.field))

    def exported(self, value):
        return list(value)


class _Boolean(Kind):
    def read(self, r, node, place, key, table):
        return r.boolean(node, place)


class _LevelNumber(Kind):
    """One level number (a level's own)."""

    def read(self, r, node, place, key, table):
        return None if node is None else r.level_number(node, place)


class _LevelNumbers(Kind):
    """The numbers of the levels a row is linked to, each once, in order."""

    column = False

    def read(self, r, node, place, key, table):
        numbers = []
        for j, item in enumerate(r.sequence(node, place, key.name)):
            number = r.level_number(item, f"{place}[{j}]")
            if number is not None and number not in numbers:
                numbers.append(number)
        return sorted(numbers)

    def export(self, obj, key):
        return sorted(level.number for level in getattr(obj, key.field).all())

    def exported(self, value):
        return sorted(value)


class _DomainName(Kind):
    """The name of another domain of the document (a domain's parent)."""

    column = False

    def read(self, r, node, place, key, table):
        return r.text(node, place)

    def export(self, obj, key):
        related = getattr(obj, key.field)
        return related.name if related else ""


class _Rows(Kind):
    """A list of rows of another table, in order (a level's next steps)."""

    column = False

    def __init__(self, table):
        self.table = table

    def read(self, r, node, place, key, table):
        rows = []
        for j, item in enumerate(r.sequence(node, place, key.name)):
            where = f"{place}[{j}]"
            nodes = r.mapping(item, where, self.table.required)
            if nodes is not None:
                rows.append(r.read(nodes, self.table, where))
        return rows

    def export(self, obj, key):
        return [self.table.export(row) for row in getattr(obj, key.field).all()]

    def exported(self, value):
        return [self.table.export_read(row) for row in value]


class _IndicatorsByLevel(Kind):
    """A domain's indicators: level number -> a list, each indicator a mapping of its table's
    keys or, when it has only its text, the text alone."""

    column = False

    def __init__(self, table):
        self.table = table

    def read(self, r, node, place, key, table):
        if node is None or node.tag == NULL_TAG:
            return {}
        if not isinstance(node, yaml.MappingNode):
            r.error(
                node,
                place,
                f"expected level numbers {LEVEL_RANGE} as keys, found {r.type_name(node)}",
            )
            return {}
        by_level = {}
        for key_node, list_node in node.value:
            number = r.level_number(key_node, f"{place} (level key '{_key_text(key_node)}')")
            if number is None:
                continue
            level_place = f"{place}.{number}"
            if number in by_level:
                r.error(key_node, level_place, f"level {number} appears twice")
                continue
            if not isinstance(list_node, yaml.SequenceNode):
                r.error(
                    list_node,
                    level_place,
                    f"expected a list of indicators, found {r.type_name(list_node)}",
                )
                continue
            rows = [
                self._read_row(r, item, f"{level_place}[{k}]")
                for k, item in enumerate(list_node.value)
            ]
            by_level[number] = [row for row in rows if row is not None]
        return dict(sorted(by_level.items()))

    def _read_row(self, r, item, where):
        if isinstance(item, yaml.ScalarNode) and item.tag == STR_TAG:
            if not item.value.strip():
                r.error(item, where, "indicator text must not be empty")
                return None
            # The text alone: every other key at its default.
            first = self.table.keys[0].name
            return {**r.read({}, self.table, where), first: r.clean_text(item, where, item.value)}
        if isinstance(item, yaml.ScalarNode):
            if item.tag == NULL_TAG:
                r.error(item, where, "indicator text must not be empty")
            else:
                r.error(item, where, f"expected indicator text, found {r.type_name(item)}")
            return None
        nodes = r.mapping(item, where, self.table.required)
        return None if nodes is None else r.read(nodes, self.table, where)

    def export(self, obj, key):
        rows = getattr(obj, key.field).all()
        return self._by_level((row.level.number, self.table.export(row)) for row in rows)

    def exported(self, value):
        # A level listed with no indicators has no rows to export: it is left out.
        rows = ((n, self.table.export_read(row)) for n in sorted(value) for row in value[n])
        return self._by_level(rows)

    def _by_level(self, rows):
        """level number -> its rows ((number, exported row) in order), each row that holds only
        its text written as the text alone."""
        first = self.table.keys[0].name
        by_level = {}
        for number, data in rows:
            by_level.setdefault(number, []).append(data if len(data) > 1 else data[first])
        return by_level


TEXT = _Text()
TEXTS = _Texts()
BOOLEAN = _Boolean()
LEVEL_NUMBER = _LevelNumber()
LINKED_LEVELS = _LevelNumbers()
DOMAIN_NAME = _DomainName()


@dataclass(frozen=True)
class Key:
    """One key of a document's mapping."""

    name: str
    kind: Kind = TEXT
    required: bool = False
    check: Check | None = None
    field: str = ""  # the model field, where it is not named like the key

    def __post_init__(self):
        if not self.field:
            object.__setattr__(self, "field", self.name)


@dataclass(frozen=True)
class Table:
    """The keys of one model's mapping, in the order the export writes them."""

    model: type[models.Model]
    keys: tuple[Key, ...]

    @property
    def required(self):
        return {key.name: key.required for key in self.keys}

    def max_length(self, key):
        return _max_length(self.model, key.field)

    def columns(self, data, **more):
        """The model field values of a row as read (relations are the load's to set)."""
        return {key.field: data[key.name] for key in self.keys if key.kind.column} | more

    def export(self, obj):
        """The row as a mapping, leaving out optional keys at their defaults (shorter to read)."""
        return self._shortened({key.name: key.kind.export(obj, key) for key in self.keys})

    def export_read(self, values):
        """What `export` writes for a row saved with these values, as read from a document."""
        return self._shortened({key.name: key.kind.exported(values[key.name]) for key in self.keys})

    def _shortened(self, row):
        required = self.required
        return {k: v for k, v in row.items() if required[k] or v not in ("", [], {}, False, None)}


@functools.cache
def _max_length(model, name):
    field = model._meta.get_field(name)
    return None if field.choices else field.max_length


AUTHORITY = Table(
    Authority,
    (
        Key("slug", required=True, check=AUTHORITY_SLUG),
        Key("name", required=True),
        Key("partnership", required=True),
        Key("document_title", required=True),
        Key("edition", required=True),
        Key("source_file"),
        Key("website", check=WEB_ADDRESS),
        Key("caveat"),
        Key("emergency_route"),
    ),
)
NEXT_STEP = Table(
    NextStep,
    (Key("heading", required=True), Key("text", required=True), Key("incomplete")),
)
LEVEL = Table(
    Level,
    (
        Key("number", LEVEL_NUMBER, required=True),
        Key("name", required=True),
        Key("summary", required=True),
        Key("definition"),
        Key("next_steps", _Rows(NEXT_STEP)),
    ),
)
INDICATOR = Table(
    Indicator,
    (
        Key("text", required=True),
        Key("strategy_discussion", BOOLEAN),
        Key("source"),
        Key("note"),
        Key("incomplete"),
    ),
)
DOMAIN = Table(
    Domain,
    (
        Key("name", required=True),
        Key("parent", DOMAIN_NAME),
        Key("theme", check=THEME),
        Key("source"),
        Key("indicators", _IndicatorsByLevel(INDICATOR)),
    ),
)
CONTACT = Table(
    Contact,
    (
        Key("name", required=True),
        Key("phones", TEXTS, check=PHONE),
        Key("emails", TEXTS, check=EMAIL),
        Key("url", check=WEB_ADDRESS),
        Key("hours"),
        Key("area", field="covers"),
        Key("levels", LINKED_LEVELS),
        Key("emergency", BOOLEAN),
        Key("notes"),
    ),
)
SECTION = Table(
    GuidanceSection,
    (
        Key("slug", required=True, check=SLUG),
        Key("kind", required=True, check=SECTION_KIND),
        Key("title", required=True),
        Key("body", required=True),
    ),
)
TOP_KEYS = {
    "authority": True,
    "levels": True,
    "domains": False,
    "contacts": False,
    "sections": False,
}


# --- Validation ---------------------------------------------------------------------------------


@dataclass
class ThresholdDocument:
    """A validated document: each row a mapping of its table's keys to the values read."""

    path: str
    authority: dict
    levels: list[dict]
    domains: list[dict]
    contacts: list[dict]
    sections: list[dict]

    @property
    def slug(self):
        return self.authority["slug"]


class _Reader:
    """Turns YAML nodes into plain values, collecting one message per problem.

    A place is where a message says the problem is: "contacts[0] 'Team'.phones[1]".
    """

    def __init__(self, path):
        self.path = path
        self.errors = []

    def error(self, node, place, message):
        line = f", line {node.start_mark.line + 1}" if node is not None else ""
        self.errors.append(f"{self.path}{line}: {place}: {message}")

    def type_name(self, node):
        return TYPE_NAMES.get(node.tag, f"the tag {excerpt(node.tag)}")

    def expected_text(self, node, place):
        self.error(
            node,
            place,
            f"expected text, found {self.type_name(node)} (put it in quotes if it is text)",
        )

    def read(self, nodes, table, where, keys=None, values=None):
        """The values of a row's keys (all of the table's, or these), each read by its kind and
        then given the key's check."""
        values = {} if values is None else values
        for key in table.keys if keys is None else keys:
            node, place = nodes.get(key.name), f"{where}.{key.name}"
            values[key.name] = key.kind.read(self, node, place, key, table)
            key.kind.check(self, node, place, key, values[key.name])
        return values

    def read_name(self, nodes, table, where, label):
        """A row's first key, which names it: its values so far and the row's place from then on,
        e.g. "contacts[0] 'Front Door'", where the key's own check is reported too."""
        key = table.keys[0]
        node = nodes.get(key.name)
        value = key.kind.read(self, node, f"{where}.{key.name}", key, table)
        if value:
            where = f"{where} {label(value)}"
        key.kind.check(self, node, f"{where}.{key.name}", key, value)
        return {key.name: value}, where

    def mapping(self, node, where, keys):
        """A mapping with only the given keys ({key: required}); returns {key: node} or None."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, where, f"expected a mapping of keys, found {self.type_name(node)}")
            return None
        found = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, where, f"a key must be text, found {self.type_name(key_node)}")
                continue
            key = key_node.value
            if key not in keys:
                allowed = ", ".join(keys)
                self.error(key_node, where, f"unknown key '{excerpt(key)}' (allowed: {allowed})")
                continue
            if key in found:
                self.error(key_node, where, f"key '{key}' appears twice")
                continue
            found[key] = value_node
        for key, required in keys.items():
            if required and key not in found:
                self.error(node, where, f"missing required key '{key}'")
        return found

    def sequence(self, node, place, name):
        """The items of a list (none if the list is longer than MAX_ITEMS allows `name`)."""
        if node is None or node.tag == NULL_TAG:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, place, f"expected a list, found {self.type_name(node)}")
            return []
        if name in MAX_ITEMS and len(node.value) > MAX_ITEMS[name]:
            self.error(node, place, f"{len(node.value)} {name}; at most {MAX_ITEMS[name]}")
            return []
        return node.value

    def clean_text(self, node, place, value):
        """Text as stored: trimmed, and refused if it hides control characters."""
        value = value.strip()
        if validators.has_control_characters(value):
            self.error(node, place, "contains control characters; remove them")
        return value

    def text(self, node, place, required=False):
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG:
            if node.tag == NULL_TAG and not required:
                return ""
            self.expected_text(node, place)
            return ""
        value = self.clean_text(node, place, node.value)
        if required and not value:
            self.error(node, place, "must not be empty")
        return value

    def check(self, node, place, value, check):
        message = check(value)
        if message:
            self.error(node, place, message)

    def boolean(self, node, place):
        if node is None:
            return False
        if node.tag != "tag:yaml.org,2002:bool":
            self.error(node, place, f"expected true or false, found {self.type_name(node)}")
            return False
        # As yaml.safe_load(node.value) would read the plain value (true, yes, on...), quickly.
        return _BOOLEANS.get(node.value.lower()) is True

    def integer(self, node, place):
        if node.tag != "tag:yaml.org,2002:int":
            self.error(node, place, f"expected a whole number, found {self.type_name(node)}")
            return None
        try:
            return int(node.value)
        except ValueError:  # hexadecimal, sexagesimal and other YAML 1.1 spellings
            self.error(
                node, place, f"write the number in plain digits, not '{excerpt(node.value)}'"
            )
            return None

    def level_number(self, node, place):
        number = self.integer(node, place)
        if number is not None and number not in LEVEL_NUMBERS:
            self.error(node, place, f"level {number} is outside {LEVEL_RANGE}")
            return None
        return number

    def rows(self, top, name, table):
        """(place, node, {key: node}) for each mapping in a top-level list."""
        for i, node in enumerate(self.sequence(top.get(name), f"top level.{name}", name)):
            nodes = self.mapping(node, f"{name}[{i}]", table.required)
            if nodes is not None:
                yield f"{name}[{i}]", node, nodes


def _key_text(node):
    return excerpt(node.value) if isinstance(node, yaml.ScalarNode) else "…"


def read_document(path: Path, text: str | None = None) -> ThresholdDocument:
    """Parse and validate one document; raise DocumentError naming every problem."""
    path = Path(path)
    shown = str(path)
    too_big = (
        f"{shown}: the file is larger than {MAX_DOCUMENT_BYTES // 1024} KB; "
        "a threshold document needs far less"
    )
    if text is None:
        try:
            if path.stat().st_size > MAX_DOCUMENT_BYTES:
                raise DocumentError([too_big])
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DocumentError([f"{shown}: cannot read the file: {excerpt(exc)}"]) from exc
    if len(text.encode("utf-8", errors="replace")) > MAX_DOCUMENT_BYTES:
        raise DocumentError([too_big])
    try:
        root = _compose(text)
    except _Refused as exc:
        raise DocumentError([f"{shown}, line {exc.mark.line + 1}: {exc}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise DocumentError(
            [f"{shown}{line}: the file is not valid YAML: {excerpt(problem)}"]
        ) from None
    if root is None:
        raise DocumentError([f"{shown}: the file is empty"])

    r = _Reader(shown)
    top = r.mapping(root, "top level", TOP_KEYS)
    if top is None:
        raise DocumentError(r.errors)

    authority = _read_authority(r, top)
    levels = _read_levels(r, top)
    domains = _read_domains(r, top)
    contacts = _read_contacts(r, top)
    sections = _read_sections(r, top)
    if r.errors:
        raise DocumentError(r.errors)
    return ThresholdDocument(shown, authority, levels, domains, contacts, sections)


def _quoted(name):
    return f"'{excerpt(name)}'"


def _read_authority(r, top):
    node = top.get("authority")
    if node is None:
        return {}
    nodes = r.mapping(node, "authority", AUTHORITY.required) or {}
    return r.read(nodes, AUTHORITY, "authority")


def _read_levels(r, top):
    levels, seen = [], set()
    for where, _node, nodes in r.rows(top, "levels", LEVEL):
        level, named = r.read_name(nodes, LEVEL, where, lambda number: f"(level {number})")
        number = level["number"]
        if number in seen:
            r.error(nodes["number"], f"{where}.number", f"level {number} appears twice")
        elif number is not None:
            seen.add(number)
        levels.append(r.read(nodes, LEVEL, named, LEVEL.keys[1:], level))
    missing = [str(n) for n in LEVEL_NUMBERS if n not in seen]
    if missing and "levels" in top:
        r.error(
            top["levels"],
            "levels",
            f"every authority needs levels {LEVEL_RANGE}; missing {', '.join(missing)}",
        )
    return levels


def _read_domains(r, top):
    domains, names, read = [], {}, {}
    for unnamed, node, nodes in r.rows(top, "domains", DOMAIN):
        domain, where = r.read_name(nodes, DOMAIN, unnamed, _quoted)
        name = domain["name"]
        if name:
            if name in names:
                r.error(nodes["name"], where, f"duplicate domain (also {names[name]})")
            names[name] = unnamed
        r.read(nodes, DOMAIN, where, DOMAIN.keys[1:], domain)
        if domain["parent"]:
            parent = read.get(domain["parent"])
            if domain["parent"] == name:
                r.error(nodes["parent"], f"{where}.parent", "a domain cannot be its own parent")
            elif parent is None:
                r.error(
                    nodes["parent"],
                    f"{where}.parent",
                    f"no domain '{excerpt(domain['parent'])}' is listed before this one",
                )
            elif parent["parent"]:
                # Pages, filters and the models know one level of grouping, no more.
                r.error(
                    nodes["parent"],
                    f"{where}.parent",
                    f"domains group one deep; '{excerpt(parent['name'])}' is itself in a group",
                )
        read.setdefault(name, domain)
        if domain["indicators"] and not domain["theme"]:
            r.error(node, where, "a domain with indicators needs a theme")
        domains.append(domain)
    count = sum(len(items) for d in domains for items in d["indicators"].values())
    if count > MAX_ITEMS["indicators"]:
        r.error(top["domains"], "domains", f"{count} indicators; at most {MAX_ITEMS['indicators']}")
    return domains


def _read_contacts(r, top):
    contacts = []
    for where, _node, nodes in r.rows(top, "contacts", CONTACT):
        contact, where = r.read_name(nodes, CONTACT, where, _quoted)
        contacts.append(r.read(nodes, CONTACT, where, CONTACT.keys[1:], contact))
    return contacts


def _read_sections(r, top):
    sections, slugs = [], set()
    for where, _node, nodes in r.rows(top, "sections", SECTION):
        section, where = r.read_name(nodes, SECTION, where, _quoted)
        slug = section["slug"]
        if slug in slugs:
            r.error(nodes["slug"], f"{where}.slug", f"section '{excerpt(slug)}' appears twice")
        slugs.add(slug)
        sections.append(r.read(nodes, SECTION, where, SECTION.keys[1:], section))
    return sections


def read_documents(paths) -> list[ThresholdDocument]:
    """Read and validate every file; report every problem in every file at once."""
    documents, errors, slugs = [], [], {}
    for path in paths:
        try:
            document = read_document(path)
        except DocumentError as exc:
            errors.extend(exc.messages)
            continue
        if document.slug in slugs:
            also = slugs[document.slug]
            errors.append(f"{document.path}: authority.slug: '{document.slug}' is also in {also}")
        slugs[document.slug] = document.path
        documents.append(document)
    if errors:
        raise DocumentError(errors)
    return documents


def check_documents(documents):
    """What only the database can tell: an authority's name is unique, so a file may not take
    another authority's name (its slug says which authority it is; a draft carries the name of
    the authority it drafts)."""
    errors, names = [], {}
    wanted = [document.authority["name"] for document in documents]
    taken = {
        a.name: a
        for a in Authority.objects.published().filter(name__in=wanted).only("name", "slug")
    }
    for document in documents:
        name = document.authority["name"]
        other = taken.get(name)
        if other is not None and other.slug == document.slug:
            other = None
        if other is None and name in names:
            other = names[name]
        if other is not None:
            errors.append(
                f"{document.path}: authority.name: '{excerpt(name)}' is the name of another "
                f"authority ({other.slug}); each authority needs a name of its own"
            )
        names[name] = Authority(slug=document.slug)
    if errors:
        raise DocumentError(errors)


def document_paths(directory) -> list[Path]:
    return sorted(Path(directory).glob("*.yaml"))


# --- Loading ------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    slug: str
    created: int = 0
    updated: int = 0
    removed: int = 0
    authority_id: int | None = None
    new: bool = False  # the authority was created by this load

    def __str__(self):
        return (
            f"{self.slug}: {self.created} created, {self.updated} updated, {self.removed} removed"
        )


class _Sync:
    """Brings rows in line with wanted values, keeping the primary keys of the rows it matches.

    Rows to create or change are collected per model and written in bulk by `flush` (a few
    queries per model, however many rows), each with its history record, as save() would write
    it: the same change reason, and the user of the request when there is one (admin import).
    Removals are rare and go one row at a time, so that Django's cascade and simple_history's
    delete signal record every row removed with it.
    """

    def __init__(self, report, reason):
        self.report = report
        self.reason = reason
        self.creates = {}  # model -> [rows]
        self.updates = {}  # model -> ([rows], {changed field names})
        self.created = {}  # model name -> [rows] written by `flush`, with their keys

    def save(self, obj, values):
        new = obj.pk is None
        changed = set(values) if new else set()
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed.add(name)
        if new:
            self.report.created += 1
            self.creates.setdefault(type(obj), []).append(obj)
        elif changed:
            self.report.updated += 1
            rows, fields = self.updates.setdefault(type(obj), ([], set()))
            rows.append(obj)
            fields |= changed
        return obj

    def flush(self, model, history=True):
        """Write the model's collected rows (with their history records, unless the caller
        writes those); new rows get their keys. Returns the rows created and the rows changed."""
        created = self.creates.pop(model, [])
        changed, fields = self.updates.pop(model, ([], set()))
        self.created.setdefault(model.__name__, []).extend(created)
        if history and not connection.features.can_return_rows_from_bulk_insert:
            # New rows come back without their keys: simple_history finds them again.
            if created:
                bulk_create_with_history(created, model, default_change_reason=self.reason)
            if changed:
                bulk_update_with_history(
                    changed, model, sorted(fields), default_change_reason=self.reason
                )
            return created, changed
        if created:
            _insert(model, created)
        if changed:
            model.objects.bulk_update(changed, sorted(fields))
        if history:
            _record_history(model, created, "+", self.reason)
            _record_history(model, changed, "~", self.reason)
        return created, changed

    def remove(self, rows):
        for obj in rows:
            obj._change_reason = self.reason
            obj.delete()
            self.report.removed += 1


def _insert(model, rows):
    """Insert new rows and give them their keys, as bulk_create does. On PostgreSQL with the
    statement bulk_create sends there (each column's values as an array, INSERT ... SELECT FROM
    UNNEST ... RETURNING the keys in order), built once per model and given the values as they
    are: the loader's are plain text, numbers and true/false already, JSON lists are adapted by
    their field, and a row's related rows had their keys before it was made (the loader writes
    them first), so its foreign key columns are set. Django's preparation of each value cost a
    first load of the 155-file scale set about 1.7 s of CPU in 13 (make bench-scale)."""
    statement = _insert_statement(model) if connection.vendor == "postgresql" else None
    if statement is None:
        model.objects.bulk_create(rows)
        return
    fields = _inserted_fields(model)
    values = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for row in rows]
        if isinstance(field, models.JSONField)
        else [getattr(row, field.attname) for row in rows]
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        keys = cursor.fetchall()
    for row, (pk,) in zip(rows, keys, strict=True):
        row.pk = pk
        row._state.adding = False
        row._state.db = connection.alias


def _inserted_fields(model):
    return [field for field in model._meta.concrete_fields if not field.primary_key]


@functools.cache
def _insert_statement(model):
    """`_insert`'s statement for the model, or None where a field changes its value on save
    (auto_now and the like): bulk_create then, which asks each field."""
    fields = _inserted_fields(model)
    if any(type(field).pre_save is not models.Field.pre_save for field in fields):
        return None
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # The types without their lengths (varchar, not varchar(200)), as bulk_create casts them.
    arrays = ", ".join(f"(%s)::{field.db_type(connection).split('(')[0]}[]" for field in fields)
    return (
        f"INSERT INTO {_quoted_table(model)} ({columns}) SELECT * FROM UNNEST({arrays}) "
        f"RETURNING {_quoted_pk(model)}"
    )


def _history_on():
    """Whether simple_history records changes (its SIMPLE_HISTORY_ENABLED setting, on unless
    switched off): the loader's own history writes follow it as simple_history's do."""
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


# Rows whose history records one statement writes (SQLite allows 32,766 parameters, once 999).
HISTORY_BATCH = 900


@functools.cache
def _history_model(model):
    # `Model.history` builds a new manager class at each use (simple_history's descriptor).
    return model.history.model


def _record_history(model, rows, kind, reason):
    """Write each row's history record as the row now is in the database, as simple_history's
    bulk_history_create would write it (every tracked column, the history type, the change reason
    and the user of the request, if any), with INSERT ... SELECT: the database copies the rows, so
    no record is built or sent from Python (that was half the time of loading a document)."""
    keys = [row.pk for row in rows]
    if keys and connection.vendor == "postgresql":
        # The keys as one array: one statement of the same text for any number of rows, which
        # PostgreSQL then plans once per connection (prepared; see settings.py), not each time.
        condition = f"{_quoted_pk(model)} = ANY(%s)"
        _record_history_where(model, condition, [keys], kind, reason, rows[0])
        return
    for start in range(0, len(keys), HISTORY_BATCH):
        batch = keys[start : start + HISTORY_BATCH]
        condition = f"{_quoted_pk(model)} IN ({', '.join(['%s'] * len(batch))})"
        _record_history_where(model, condition, batch, kind, reason, rows[0])


def _record_history_where(model, condition, params, kind, reason, example=None):
    """`_record_history` for the rows meeting an SQL condition (with its params), in the order of
    their keys; the user is the one simple_history would give `example` (the request's, if any).
    The SQL is written here rather than by a queryset: building and compiling one for each table
    of each document took as long as running it."""
    if not _history_on():
        return
    history = _history_model(model)
    user = history.get_default_history_user(model() if example is None else example)
    when = history._meta.get_field("history_date").get_db_prep_value(timezone.now(), connection)
    insert, select = _history_columns(model)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {insert} SELECT {select}, %s, %s, %s, %s "
            f"FROM {_quoted_table(model)} WHERE {condition} ORDER BY {_quoted_pk(model)}",
            [when, reason, kind, user.pk if user is not None else None, *params],
        )


@functools.cache
def _history_columns(model):
    """("history table (its columns)", "the model's columns they copy") for INSERT ... SELECT."""
    history = _history_model(model)
    quote = connection.ops.quote_name
    names = [field.attname for field in history.tracked_fields]
    extra = ("history_date", "history_change_reason", "history_type", "history_user")
    columns = ", ".join(quote(history._meta.get_field(name).column) for name in (*names, *extra))
    copied = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    return f"{quote(history._meta.db_table)} ({columns})", copied


def _quoted_table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _quoted_pk(model):
    return connection.ops.quote_name(model._meta.pk.column)


def _of_authority(model, authority_id):
    """(SQL condition, params): the model's rows belonging to the authority, following its
    `authority_path` (a next step's level's authority...)."""
    *via, last = model.authority_path.split("__")
    if not via:
        field = model._meta.pk if last == "pk" else model._meta.get_field(last)
        return f"{connection.ops.quote_name(field.column)} = %s", [authority_id]
    field = model._meta.get_field(via[0])
    related = field.related_model
    condition, params = _of_authority(related, authority_id)
    return (
        f"{connection.ops.quote_name(field.column)} IN "
        f"(SELECT {_quoted_pk(related)} FROM {_quoted_table(related)} WHERE {condition})",
        params,
    )


def load_documents(
    documents, reason="load_thresholds", loaded=None, into=None, checked=False
) -> list[LoadReport]:
    """Write validated documents to the database, one transaction per document.

    Every document is validated (and checked against the database) before anything is written,
    so a bad file among good ones writes nothing at all. A document is then written whole or not
    at all: should writing one fail (the database refusing it, a crash), the documents before it
    stay loaded and the rest are not attempted. `loaded`, if given, is called with each
    document's report once its transaction has committed (or, inside an outer transaction, once
    its savepoint is released). `into` names, by slug, an authority to load a document into
    other than the published authority of its slug (a draft; see guidance/editions.py).
    `checked` says the caller has passed these documents (or more) to `check_documents` already.
    """
    into = into or {}
    if not checked:
        check_documents(documents)
    reports = []
    for document in documents:
        with transaction.atomic():
            target = into.get(document.slug)
            report = _load_document(document, reason, target)
            if report.created or report.updated or report.removed:
                # Bulk writes send no signals: pages cached under the old version go stale.
                bump_versions([report.authority_id])
                # Nor do they write the rows' search entries: written again for the authority
                # (those of a new one by _load_document, from the rows it created).
                from .search import rebuild as rebuild_search  # search's forms import the loader

                if not report.new and (target is None or not target.is_draft):
                    rebuild_search([report.authority_id])  # a draft has no search entries
        reports.append(report)
        if loaded is not None:
            loaded(report)
    return reports


def _text(item):
    return item["text"]


def _matched(rows, wanted, row_text, wanted_text):
    """Pairs existing rows with the wanted ones (in the document's order), so that a row keeps
    its primary key, its history and its address: rows whose text is exactly as wanted first
    (an inserted, removed or moved line leaves the others alone), then the rest by position and
    likeness (an edited line stays the same row), exactly as the Changes page and the import
    preview pair them (guidance/changes.py `pair_rows`): what they say changed is the row that
    changes. Returns the row or None (to create) for each wanted item, and the rows left over
    (to remove)."""
    pairs, _moved = pair_rows([row_text(row) for row in rows], [wanted_text(w) for w in wanted])
    matched = [None] * len(wanted)
    for i, j in pairs:
        if i is not None and j is not None:
            matched[j] = rows[i]
    used = {id(row) for row in matched if row is not None}
    return matched, [row for row in rows if id(row) not in used]


def _load_document(document: ThresholdDocument, reason, authority=None) -> LoadReport:
    """Each table's columns are saved as read; the relations (a level's next steps, a domain's
    parent and indicators, a contact's levels) are matched and set here. Rows are read a table
    at a time and written in bulk, so the queries do not grow with the rows (contacts whose
    levels change cost a few each, for their history).

    The document goes into `authority` if given (a draft, or a published authority being
    published), else into the published authority of its slug, created if new."""
    report = LoadReport(document.slug)
    sync = _Sync(report, reason)

    if authority is None:
        authority = Authority.objects.published().filter(slug=document.slug).first() or Authority()
    new = authority.pk is None

    def rows_now(rows):
        """The authority's rows of a table (a queryset): none yet if it is new, without asking."""
        return [] if new else rows

    values = AUTHORITY.columns(document.authority)
    if authority.is_draft:
        values["slug"] = authority.slug  # the draft keeps its own address
    sync.save(authority, values)
    sync.flush(Authority)
    report.authority_id = authority.pk
    report.new = new

    levels = {level.number: level for level in rows_now(authority.levels.all())}
    for data in document.levels:
        level = levels.get(data["number"]) or Level(authority=authority)
        levels[data["number"]] = sync.save(level, LEVEL.columns(data))
    sync.flush(Level)

    steps = {}
    next_steps = NextStep.objects.filter(level__authority=authority).in_list_order()
    for step in rows_now(next_steps):
        steps.setdefault(step.level_id, []).append(step)
    for data in document.levels:
        level = levels[data["number"]]
        matched, unmatched = _matched(
            steps.get(level.pk, []),
            data["next_steps"],
            lambda row: row.text,
            _text,
        )
        for order, (row, step) in enumerate(zip(matched, data["next_steps"], strict=True)):
            sync.save(row or NextStep(level=level), NEXT_STEP.columns(step, order=order))
        sync.remove(unmatched)
    sync.flush(NextStep)

    domains = {domain.name: domain for domain in rows_now(authority.domains.all())}
    wanted_names = {data["name"] for data in document.domains}
    # Remove first so that a renamed domain frees its name before the new one is saved.
    sync.remove(d for name, d in list(domains.items()) if name not in wanted_names)
    for order, data in enumerate(document.domains):
        domain = domains.get(data["name"]) or Domain(authority=authority)
        parent = domains[data["parent"]] if data["parent"] else None
        if parent is not None and parent.pk is None:
            sync.flush(Domain)  # the new parent first, for its key; keys stay in document order
        domains[data["name"]] = sync.save(
            domain, DOMAIN.columns(data, parent_id=parent and parent.pk, order=order)
        )
    sync.flush(Domain)

    existing = {}
    indicators = Indicator.objects.filter(domain__authority=authority).in_list_order()
    for indicator in rows_now(indicators):
        existing.setdefault((indicator.domain_id, indicator.level_id), []).append(indicator)
    for data in document.domains:
        domain = domains[data["name"]]
        for number, items in data["indicators"].items():
            rows = existing.pop((domain.pk, levels[number].pk), [])
            matched, unmatched = _matched(rows, items, lambda row: row.text, _text)
            for order, (row, item) in enumerate(zip(matched, items, strict=True)):
                row = row or Indicator(domain=domain, level=levels[number])
                sync.save(row, INDICATOR.columns(item, order=order))
            sync.remove(unmatched)
    sync.remove(row for rows in existing.values() for row in rows)
    sync.flush(Indicator)

    matched, unmatched = _matched(
        list(rows_now(authority.contacts.in_list_order())),
        document.contacts,
        lambda row: row.name,
        lambda data: data["name"],
    )
    rows = []
    for order, (contact, data) in enumerate(zip(matched, document.contacts, strict=True)):
        contact = contact or Contact(authority=authority)
        rows.append(sync.save(contact, CONTACT.columns(data, order=order)))
    created, changed = sync.flush(Contact, history=False)
    _link_contact_levels(rows, document.contacts, levels, created, changed, sync)
    sync.remove(unmatched)

    sections = {section.slug: section for section in rows_now(authority.sections.all())}
    for order, data in enumerate(document.sections):
        section = sections.pop(data["slug"], None) or GuidanceSection(authority=authority)
        sync.save(section, SECTION.columns(data, order=order))
    sync.flush(GuidanceSection)
    sync.remove(sections.values())
    if new and not authority.is_draft:
        # Bulk writes send no signals, so search entries are written here: for a new authority
        # from its rows just created, which are all it has (load_documents rebuilds the rest).
        from .search import write_new_authority  # search's forms import the loader

        write_new_authority(authority.pk, sync.created)
    return report


def _link_contact_levels(rows, wanted_rows, levels, created, changed, sync):
    """Set the contacts' levels and write the contacts' history, in bulk.

    A contact's history record carries its levels (simple_history's m2m history), so the records
    of the contacts created or changed, in their columns or their levels, are written here, each
    with the levels the contact has now. A kept contact whose levels change counts as updated
    (once more, if its columns changed too), as Contact.levels.set() would have it.
    """
    through = Contact.levels.through
    links = {}  # contact id -> {level id: link id}
    new = {contact.pk for contact in created}
    kept = [contact.pk for contact in rows if contact.pk not in new]  # new ones have no links yet
    for link in through.objects.filter(contact__in=kept):
        links.setdefault(link.contact_id, {})[link.level_id] = link.pk
    kinds = {contact.pk: "+" for contact in created} | {contact.pk: "~" for contact in changed}
    dropped, added = [], []
    for contact, data in zip(rows, wanted_rows, strict=True):
        have = links.setdefault(contact.pk, {})
        wanted = {levels[number].pk for number in data["levels"]}
        if set(have) == wanted:
            continue
        if kinds.setdefault(contact.pk, "~") == "~":
            sync.report.updated += 1
        for level_id in [level_id for level_id in have if level_id not in wanted]:
            dropped.append(have.pop(level_id))
        added += [through(contact_id=contact.pk, level_id=pk) for pk in sorted(wanted - set(have))]
    if dropped:
        through.objects.filter(pk__in=dropped).delete()
    if added:
        _insert(through, added)
    for link in added:
        links[link.contact_id][link.level_id] = link.pk
    if not _history_on():
        return
    records = []
    for kind in ("+", "~"):
        rows_of_kind = [contact for contact in rows if kinds.get(contact.pk) == kind]
        if rows_of_kind:
            records += Contact.history.bulk_history_create(
                rows_of_kind, update=kind == "~", default_change_reason=sync.reason
            )
    link_records = _history_model(Contact).levels.model
    new_link_records = [
        link_records(history_id=record.pk, id=link_id, contact_id=record.id, level_id=level_id)
        for record in records
        for level_id, link_id in links[record.id].items()
    ]
    if new_link_records:
        _insert(link_records, new_link_records)


# --- Copying: a new draft ------------------------------------------------------------------------

# The rows of an authority's guidance in the order the loader writes them, each with how its copy
# finds the copies of the rows it points to: foreign key -> the column naming that row within
# its authority (a level by number, a domain by name, a contact by its position).
COPIED = (
    (Level, {}),
    (NextStep, {"level": "number"}),
    (Domain, {"parent": "name"}),
    (Indicator, {"domain": "name", "level": "number"}),
    (Contact, {}),
    (Contact.levels.through, {"contact": "order", "level": "number"}),
    (GuidanceSection, {}),
)


def copy_authority(source, draft, reason):
    """Fill `draft`, a new draft of `source` not yet saved, with copies of the rows of `source`,
    as loading source's document into it would write them (the same columns, links and history
    records, with `reason`; no search entries, it being a draft), copied by the database (INSERT
    ... SELECT, a few statements a table): read, matched and written again by the loader, a new
    area's draft took as long to start as the area to load.

    `source` must be as the loader leaves it, its contacts numbered 0, 1, 2... (`order`), which
    is how the copies of a contact's links find the copied contact."""
    shared = Contact.objects.filter(authority=source).values("order").annotate(n=models.Count("pk"))
    if shared.filter(n__gt=1).exists():
        raise ValueError(f"{source.slug}: contacts share a position; load its document instead")
    sync = _Sync(LoadReport(source.public_slug), reason)
    values = {key.field: getattr(source, key.field) for key in AUTHORITY.keys if key.kind.column}
    sync.save(draft, values | {"slug": draft.slug})
    sync.flush(Authority)
    for model, keys in COPIED:
        if model is Domain:
            # The groups first, for the copies of their domains to find (so a grouped domain's
            # copy comes after every group, not after its own: keys order nothing, `order` does).
            _copy_rows(model, keys, source, draft, "src.parent_id IS NULL")
            _copy_rows(model, keys, source, draft, "src.parent_id IS NOT NULL")
        else:
            _copy_rows(model, keys, source, draft)
        if model is not Contact.levels.through:  # a link's history is in its contact's record
            _record_history_where(model, *_of_authority(model, draft.pk), "+", reason)
    _record_levels_history(draft)
    # Bulk writes send no signals (see load_documents).
    bump_versions([draft.pk])


def _copy_rows(model, keys, source, draft, condition="TRUE"):
    """Copy the rows of `source` into `draft` with one INSERT ... SELECT, in the order of their
    keys (the order the loader writes them in); `condition` on the copied row (`src`) as SQL."""
    quote = connection.ops.quote_name
    columns, values, joins, where = [], [], [], [condition]
    params = {"select": [], "join": [], "where": []}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.name == "authority":
            values.append("%s")
            params["select"].append(draft.pk)
            where.append("src.authority_id = %s")
            params["where"].append(source.pk)
        elif field.name in keys:
            # The copy of the row it points to: the draft's row of the same name (or number);
            # levels, domains and contacts each have an authority_id.
            table = quote(field.related_model._meta.db_table)
            key = quote(field.related_model._meta.get_field(keys[field.name]).column)
            original, twin = f"original_{field.column}", f"twin_{field.column}"
            join = "LEFT JOIN" if field.null else "JOIN"
            joins += [
                f"{join} {table} {original} ON {original}.id = src.{quote(field.column)}",
                f"{join} {table} {twin} ON {twin}.{key} = {original}.{key} "
                f"AND {twin}.authority_id = %s",
            ]
            params["join"].append(draft.pk)
            values.append(f"{twin}.id")
            if not field.null:
                where.append(f"{original}.authority_id = %s")
                params["where"].append(source.pk)
        else:
            values.append(f"src.{quote(field.column)}")
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
            f"FROM {table} src {' '.join(joins)} WHERE {' AND '.join(where)} ORDER BY src.id",
            [*params["select"], *params["join"], *params["where"]],
        )


def _record_levels_history(draft):
    """The levels the history records of the new draft's contacts carry (simple_history's m2m
    history), as `_link_contact_levels` writes them: a record of each of the contact's links.
    Keys are never used twice (sequences; AUTOINCREMENT on SQLite), so every record of the new
    contacts is one just written."""
    if not _history_on():
        return
    records = _history_model(Contact)
    contacts, params = _of_authority(Contact, draft.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_quoted_table(records.levels.model)} "
            "(history_id, id, contact_id, level_id) "
            "SELECT record.history_id, link.id, link.contact_id, link.level_id "
            f"FROM {_quoted_table(records)} record "
            f"JOIN {_quoted_table(Contact.levels.through)} link ON link.contact_id = record.id "
            f"WHERE record.id IN (SELECT id FROM {_quoted_table(Contact)} WHERE {contacts}) "
            "ORDER BY record.history_id, link.id",
            params,
        )


# --- Export -------------------------------------------------------------------------------------


# libyaml's emitter when PyYAML has it (its wheels do): ten times faster than the pure-Python one
# and, for these documents, byte for byte the same (the round-trip tests hold it to that).
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


# The longest line either emitter takes: no folding of long texts (libyaml wants an integer).
_NO_WRAP = 2**31 - 1


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(STR_TAG, value, style=style)


_Dumper.add_representer(str, _represent_str)


def export_authority(authority: Authority) -> str:
    """The authority's document, each row written by its table; every top-level list is written,
    even when empty."""
    indicators = Indicator.objects.select_related("level").order_by("level__number", "order", "id")
    domains = authority.domains.select_related("parent").prefetch_related(
        Prefetch("indicators", indicators)
    )
    data = {
        "authority": AUTHORITY.export(authority) | {"slug": authority.public_slug},
        "levels": [
            LEVEL.export(level)
            for level in authority.levels.prefetch_related("next_steps").order_by("number")
        ],
        "domains": [DOMAIN.export(domain) for domain in domains.in_list_order()],
        "contacts": [
            CONTACT.export(contact)
            for contact in authority.contacts.prefetch_related("levels").in_list_order()
        ],
        "sections": [SECTION.export(section) for section in authority.sections.in_list_order()],
    }
    return _dump(data)


def export_document(document: ThresholdDocument) -> str:
    """What `export_authority` writes for an authority just loaded from `document`, made from the
    values read instead of read back from the database (a fifth of the time; the tests hold the
    two to the same bytes)."""
    levels = sorted(document.levels, key=lambda level: level["number"])
    data = {
        "authority": AUTHORITY.export_read(document.authority),
        "levels": [LEVEL.export_read(level) for level in levels],
        "domains": [DOMAIN.export_read(domain) for domain in document.domains],
        "contacts": [CONTACT.export_read(contact) for contact in document.contacts],
        "sections": [SECTION.export_read(section) for section in document.sections],
    }
    return _dump(data)


def _dump(data):
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_NO_WRAP)
