"""Read, validate, load and export threshold documents (one YAML file per authority, in fixtures/).

Used by the load_thresholds and export_thresholds commands and by the admin's import and
download. The schema is documented in fixtures/README.md.

Validation walks the YAML node tree rather than the loaded data so that every message can name
the line it is about. Nothing is written until every file is valid, and all writes happen in
one transaction, so bad input leaves the database exactly as it was.

Files come from leads through the admin import too, so they are treated as hostile: the format
never needs YAML anchors, aliases or merge keys (a few hundred bytes of nested aliases expand to
gigabytes), so they are refused while parsing, as are files over MAX_DOCUMENT_BYTES, nesting
deeper than the schema and lists longer than any document needs. Messages name the place and
never echo more than a short excerpt of the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from . import validators
from .models import (
    Authority,
    Contact,
    Domain,
    GuidanceSection,
    Indicator,
    Level,
    NextStep,
    SectionKind,
    Theme,
)

LEVEL_NUMBERS = (1, 2, 3, 4)
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
PHONE = "a phone number (digits, spaces, brackets, hyphens, a leading +)"
WEB_ADDRESS = "a web address (http:// or https://)"
EXCERPT = 60

AUTHORITY_KEYS = {
    "slug": True,
    "name": True,
    "partnership": True,
    "document_title": True,
    "edition": True,
    "source_file": False,
    "website": False,
    "caveat": False,
}
LEVEL_KEYS = {
    "number": True,
    "name": True,
    "summary": True,
    "definition": False,
    "next_steps": False,
}
NEXT_STEP_KEYS = {"heading": True, "text": True}
DOMAIN_KEYS = {"name": True, "parent": False, "theme": False, "source": False, "indicators": False}
INDICATOR_KEYS = {"text": True, "strategy_discussion": False, "source": False, "note": False}
CONTACT_KEYS = {
    "name": True,
    "phones": False,
    "emails": False,
    "url": False,
    "hours": False,
    "area": False,
    "levels": False,
    "emergency": False,
    "notes": False,
}
SECTION_KEYS = {"slug": True, "kind": True, "title": True, "body": True}
TOP_KEYS = {
    "authority": True,
    "levels": True,
    "domains": False,
    "contacts": False,
    "sections": False,
}

STR_TAG = "tag:yaml.org,2002:str"
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
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _compose(text):
    """The node tree, after a pass over the parser's events that refuses anchors, aliases and
    deep nesting before anything is built from them (composing is recursive)."""
    depth = 0
    for event in yaml.parse(text, Loader=_YAML_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(
                event.start_mark,
                "YAML anchors and aliases (& and *) are not allowed: write each value out",
            )
        if isinstance(event, _OPENS):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark, f"nested more than {MAX_DEPTH} deep; the schema is not"
                )
        elif isinstance(event, _CLOSES):
            depth -= 1
    return yaml.compose(text, Loader=_YAML_LOADER)


# --- Parsed, validated data -------------------------------------------------------------------


@dataclass
class IndicatorData:
    text: str
    strategy_discussion: bool = False
    source: str = ""
    note: str = ""


@dataclass
class DomainData:
    name: str
    parent: str = ""
    theme: str = ""
    source: str = ""
    indicators: dict[int, list[IndicatorData]] = field(default_factory=dict)


@dataclass
class ThresholdDocument:
    path: str
    authority: dict
    levels: list[dict]
    domains: list[DomainData]
    contacts: list[dict]
    sections: list[dict]

    @property
    def slug(self):
        return self.authority["slug"]


# --- Validation ---------------------------------------------------------------------------------


class _Reader:
    """Turns YAML nodes into plain values, collecting one message per problem."""

    def __init__(self, path):
        self.path = path
        self.errors = []

    def error(self, node, where, message):
        line = f", line {node.start_mark.line + 1}" if node is not None else ""
        self.errors.append(f"{self.path}{line}: {where}: {message}")

    def too_many(self, node, where, kind, items):
        if len(items) > MAX_ITEMS[kind]:
            self.error(node, where, f"{len(items)} {kind}; at most {MAX_ITEMS[kind]}")
            return True
        return False

    def clean_text(self, node, where, value):
        """Text as stored: trimmed, and refused if it hides control characters."""
        value = value.strip()
        if validators.has_control_characters(value):
            self.error(node, where, "contains control characters; remove them")
        return value

    def type_name(self, node):
        return TYPE_NAMES.get(node.tag, f"the tag {excerpt(node.tag)}")

    def mapping(self, node, where, keys):
        """A mapping with only the given keys; returns {key: node} or None."""
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

    def text(self, nodes, key, where, required=None, default="", model=None):
        node = nodes.get(key)
        if node is None:
            return default
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG:
            if node.tag == "tag:yaml.org,2002:null" and not required:
                return default
            self.error(
                node,
                f"{where}.{key}",
                f"expected text, found {self.type_name(node)} (put it in quotes if it is text)",
            )
            return default
        value = self.clean_text(node, f"{where}.{key}", node.value)
        if required and not value:
            self.error(node, f"{where}.{key}", "must not be empty")
        limit = model._meta.get_field(key).max_length if model else None
        if limit and len(value) > limit:
            self.error(node, f"{where}.{key}", f"is {len(value)} characters long; at most {limit}")
        return value

    def boolean(self, nodes, key, where):
        node = nodes.get(key)
        if node is None:
            return False
        if node.tag != "tag:yaml.org,2002:bool":
            self.error(
                node, f"{where}.{key}", f"expected true or false, found {self.type_name(node)}"
            )
            return False
        return yaml.safe_load(node.value) is True if node.value else False

    def integer(self, node, where):
        if node.tag != "tag:yaml.org,2002:int":
            self.error(node, where, f"expected a whole number, found {self.type_name(node)}")
            return None
        try:
            return int(node.value)
        except ValueError:  # hexadecimal, sexagesimal and other YAML 1.1 spellings
            self.error(
                node, where, f"write the number in plain digits, not '{excerpt(node.value)}'"
            )
            return None

    def sequence(self, nodes, key, where):
        node = nodes.get(key)
        if node is None or node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{where}.{key}", f"expected a list, found {self.type_name(node)}")
            return []
        if key in MAX_ITEMS and self.too_many(node, f"{where}.{key}", key, node.value):
            return []
        return node.value

    def texts(self, nodes, key, where, check, what):
        """A list of short texts, each accepted by `check`."""
        values = []
        for i, node in enumerate(self.sequence(nodes, key, where)):
            item_where = f"{where}.{key}[{i}]"
            if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG:
                self.error(
                    node,
                    item_where,
                    f"expected text, found {self.type_name(node)} (put it in quotes if it is text)",
                )
            elif not node.value.strip():
                self.error(node, item_where, "must not be empty")
            else:
                value = self.clean_text(node, item_where, node.value)
                values.append(self.checked(node, item_where, value, check, what))
        return values

    def checked(self, node, where, value, check, what):
        """The value if `check` accepts it; otherwise one message saying what was expected."""
        try:
            check(value)
        except ValidationError:
            self.error(node, where, f"'{excerpt(value)}' is not {what}")
        return value

    def level_number(self, node, where):
        number = self.integer(node, where)
        if number is not None and number not in LEVEL_NUMBERS:
            self.error(node, where, f"level {number} is outside 1-4")
            return None
        return number


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


def _read_authority(r, top):
    node = top.get("authority")
    if node is None:
        return {}
    nodes = r.mapping(node, "authority", AUTHORITY_KEYS) or {}
    data = {
        key: r.text(nodes, key, "authority", required=required, model=Authority)
        for key, required in AUTHORITY_KEYS.items()
    }
    if data["slug"] and not SLUG_RE.match(data["slug"]):
        r.error(nodes["slug"], "authority.slug", "use lower-case letters, digits and hyphens only")
    if data["website"]:
        r.checked(
            nodes["website"],
            "authority.website",
            data["website"],
            validators.validate_web_address,
            WEB_ADDRESS,
        )
    return data


def _read_levels(r, top):
    levels, seen = [], {}
    for i, node in enumerate(r.sequence(top, "levels", "top level")):
        where = f"levels[{i}]"
        nodes = r.mapping(node, where, LEVEL_KEYS)
        if nodes is None:
            continue
        number = r.level_number(nodes["number"], f"{where}.number") if "number" in nodes else None
        if number in seen:
            r.error(nodes["number"], f"{where}.number", f"level {number} appears twice")
        elif number is not None:
            seen[number] = True
        where = f"levels[{i}] (level {number})" if number else where
        steps = []
        for j, step_node in enumerate(r.sequence(nodes, "next_steps", where)):
            step_where = f"{where}.next_steps[{j}]"
            step = r.mapping(step_node, step_where, NEXT_STEP_KEYS)
            if step is not None:
                steps.append(
                    {
                        "heading": r.text(
                            step, "heading", step_where, required=True, model=NextStep
                        ),
                        "text": r.text(step, "text", step_where, required=True),
                    }
                )
        levels.append(
            {
                "number": number,
                "name": r.text(nodes, "name", where, required=True, model=Level),
                "summary": r.text(nodes, "summary", where, required=True),
                "definition": r.text(nodes, "definition", where),
                "next_steps": steps,
            }
        )
    missing = [str(n) for n in LEVEL_NUMBERS if n not in seen]
    if missing and "levels" in top:
        r.error(
            top["levels"],
            "levels",
            f"every authority needs levels 1-4; missing {', '.join(missing)}",
        )
    return levels


def _read_domains(r, top):
    domains, names, read = [], {}, {}
    for i, node in enumerate(r.sequence(top, "domains", "top level")):
        where = f"domains[{i}]"
        nodes = r.mapping(node, where, DOMAIN_KEYS)
        if nodes is None:
            continue
        name = r.text(nodes, "name", where, required=True, model=Domain)
        if name:
            where = f"domains[{i}] '{excerpt(name)}'"
            if name in names:
                r.error(nodes["name"], where, f"duplicate domain (also domains[{names[name]}])")
            names[name] = i
        domain = DomainData(
            name=name,
            parent=r.text(nodes, "parent", where),
            theme=r.text(nodes, "theme", where),
            source=r.text(nodes, "source", where, model=Domain),
        )
        parent = read.get(domain.parent)
        if domain.parent and domain.parent == name:
            r.error(nodes["parent"], f"{where}.parent", "a domain cannot be its own parent")
        elif domain.parent and parent is None:
            r.error(
                nodes["parent"],
                f"{where}.parent",
                f"no domain '{excerpt(domain.parent)}' is listed before this one",
            )
        elif parent is not None and parent.parent:
            # Pages, filters and the models know one level of grouping, no more.
            r.error(
                nodes["parent"],
                f"{where}.parent",
                f"domains group one deep; '{excerpt(parent.name)}' is itself in a group",
            )
        if domain.theme and domain.theme not in Theme.values:
            r.error(
                nodes["theme"],
                f"{where}.theme",
                f"unknown theme '{excerpt(domain.theme)}' (known: {', '.join(Theme.values)})",
            )
        read.setdefault(name, domain)
        domain.indicators = _read_indicators(r, nodes, where)
        if domain.indicators and not domain.theme:
            r.error(node, where, "a domain with indicators needs a theme")
        domains.append(domain)
    count = sum(len(items) for d in domains for items in d.indicators.values())
    if count > MAX_ITEMS["indicators"]:
        r.error(top["domains"], "domains", f"{count} indicators; at most {MAX_ITEMS['indicators']}")
    return domains


def _read_indicators(r, nodes, where):
    node = nodes.get("indicators")
    if node is None or node.tag == "tag:yaml.org,2002:null":
        return {}
    if not isinstance(node, yaml.MappingNode):
        r.error(
            node,
            f"{where}.indicators",
            f"expected level numbers 1-4 as keys, found {r.type_name(node)}",
        )
        return {}
    by_level = {}
    for key_node, list_node in node.value:
        number = r.level_number(key_node, f"{where}.indicators (level key '{_key_text(key_node)}')")
        if number is None:
            continue
        level_where = f"{where}.indicators.{number}"
        if number in by_level:
            r.error(key_node, level_where, f"level {number} appears twice")
            continue
        if not isinstance(list_node, yaml.SequenceNode):
            r.error(
                list_node,
                level_where,
                f"expected a list of indicators, found {r.type_name(list_node)}",
            )
            continue
        items = []
        for k, item in enumerate(list_node.value):
            item_where = f"{level_where}[{k}]"
            if isinstance(item, yaml.ScalarNode) and item.tag == STR_TAG:
                if not item.value.strip():
                    r.error(item, item_where, "indicator text must not be empty")
                    continue
                items.append(IndicatorData(text=item.value.strip()))
                continue
            if isinstance(item, yaml.ScalarNode):
                if item.tag == "tag:yaml.org,2002:null":
                    r.error(item, item_where, "indicator text must not be empty")
                else:
                    r.error(item, item_where, f"expected indicator text, found {r.type_name(item)}")
                continue
            fields = r.mapping(item, item_where, INDICATOR_KEYS)
            if fields is None:
                continue
            items.append(
                IndicatorData(
                    text=r.text(fields, "text", item_where, required=True),
                    strategy_discussion=r.boolean(fields, "strategy_discussion", item_where),
                    source=r.text(fields, "source", item_where, model=Indicator),
                    note=r.text(fields, "note", item_where),
                )
            )
        by_level[number] = items
    return dict(sorted(by_level.items()))


def _key_text(node):
    return excerpt(node.value) if isinstance(node, yaml.ScalarNode) else "…"


def _read_contacts(r, top):
    contacts = []
    for i, node in enumerate(r.sequence(top, "contacts", "top level")):
        where = f"contacts[{i}]"
        nodes = r.mapping(node, where, CONTACT_KEYS)
        if nodes is None:
            continue
        name = r.text(nodes, "name", where, required=True, model=Contact)
        where = f"contacts[{i}] '{excerpt(name)}'" if name else where
        levels = []
        for j, level_node in enumerate(r.sequence(nodes, "levels", where)):
            number = r.level_number(level_node, f"{where}.levels[{j}]")
            if number is not None and number not in levels:
                levels.append(number)
        phones = r.texts(nodes, "phones", where, validators.validate_phone, PHONE)
        emails = r.texts(nodes, "emails", where, validators.validate_email, "an email address")
        url = r.text(nodes, "url", where, model=Contact)
        if url:
            r.checked(
                nodes["url"],
                f"{where}.url",
                url,
                validators.validate_web_address,
                WEB_ADDRESS,
            )
        contacts.append(
            {
                "name": name,
                "phones": phones,
                "emails": emails,
                "url": url,
                "hours": r.text(nodes, "hours", where, model=Contact),
                "covers": r.text(nodes, "area", where),
                "levels": sorted(levels),
                "emergency": r.boolean(nodes, "emergency", where),
                "notes": r.text(nodes, "notes", where),
            }
        )
    return contacts


def _read_sections(r, top):
    sections, slugs = [], set()
    for i, node in enumerate(r.sequence(top, "sections", "top level")):
        where = f"sections[{i}]"
        nodes = r.mapping(node, where, SECTION_KEYS)
        if nodes is None:
            continue
        slug = r.text(nodes, "slug", where, required=True, model=GuidanceSection)
        where = f"sections[{i}] '{excerpt(slug)}'" if slug else where
        if slug and not SLUG_RE.match(slug):
            r.error(
                nodes["slug"], f"{where}.slug", "use lower-case letters, digits and hyphens only"
            )
        if slug in slugs:
            r.error(nodes["slug"], f"{where}.slug", f"section '{excerpt(slug)}' appears twice")
        slugs.add(slug)
        kind = r.text(nodes, "kind", where, required=True)
        if kind and kind not in SectionKind.values:
            r.error(
                nodes["kind"],
                f"{where}.kind",
                f"unknown kind '{excerpt(kind)}' (known: {', '.join(SectionKind.values)})",
            )
        sections.append(
            {
                "slug": slug,
                "kind": kind,
                "title": r.text(nodes, "title", where, required=True, model=GuidanceSection),
                "body": r.text(nodes, "body", where, required=True),
            }
        )
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
    another authority's name (its slug says which authority it is)."""
    errors, names = [], {}
    for document in documents:
        name = document.authority["name"]
        other = Authority.objects.filter(name=name).exclude(slug=document.slug).first()
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

    def __str__(self):
        return (
            f"{self.slug}: {self.created} created, {self.updated} updated, {self.removed} removed"
        )


class _Sync:
    """Brings rows in line with wanted values, matching rows by a natural key, keeping pks."""

    def __init__(self, report, reason):
        self.report = report
        self.reason = reason

    def save(self, obj, values):
        changed = obj.pk is None
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        if changed:
            if obj.pk is None:
                self.report.created += 1
            else:
                self.report.updated += 1
            obj._change_reason = self.reason
            obj.save()
        return obj

    def remove(self, rows):
        for obj in rows:
            obj._change_reason = self.reason
            obj.delete()
            self.report.removed += 1


def load_documents(documents, reason="load_thresholds") -> list[LoadReport]:
    """Write validated documents to the database in one transaction."""
    check_documents(documents)
    with transaction.atomic():
        return [_load_document(document, reason) for document in documents]


def _load_document(document: ThresholdDocument, reason) -> LoadReport:
    report = LoadReport(document.slug)
    sync = _Sync(report, reason)

    authority = Authority.objects.filter(slug=document.slug).first() or Authority()
    sync.save(authority, document.authority)

    levels = {level.number: level for level in authority.levels.all()}
    for data in document.levels:
        level = levels.get(data["number"]) or Level(authority=authority)
        values = {k: v for k, v in data.items() if k != "next_steps"}
        levels[data["number"]] = sync.save(level, values)
        existing = list(level.next_steps.order_by("order", "id"))
        for order, step in enumerate(data["next_steps"]):
            row = existing[order] if order < len(existing) else NextStep(level=level)
            sync.save(row, {**step, "order": order})
        sync.remove(existing[len(data["next_steps"]) :])

    domains = {domain.name: domain for domain in authority.domains.all()}
    wanted_names = {data.name for data in document.domains}
    # Remove first so that a renamed domain frees its name before the new one is saved.
    sync.remove(d for name, d in list(domains.items()) if name not in wanted_names)
    for order, data in enumerate(document.domains):
        domain = domains.get(data.name) or Domain(authority=authority)
        values = {
            "name": data.name,
            "parent_id": domains[data.parent].pk if data.parent else None,
            "theme": data.theme,
            "source": data.source,
            "order": order,
        }
        domains[data.name] = sync.save(domain, values)

    existing = {}
    for indicator in Indicator.objects.filter(domain__authority=authority).order_by("order", "id"):
        existing.setdefault((indicator.domain_id, indicator.level_id), []).append(indicator)
    for data in document.domains:
        domain = domains[data.name]
        for number, items in data.indicators.items():
            rows = existing.pop((domain.pk, levels[number].pk), [])
            for order, item in enumerate(items):
                row = (
                    rows[order]
                    if order < len(rows)
                    else Indicator(domain=domain, level=levels[number])
                )
                values = {
                    "text": item.text,
                    "strategy_discussion": item.strategy_discussion,
                    "source": item.source,
                    "note": item.note,
                    "order": order,
                }
                sync.save(row, values)
            sync.remove(rows[len(items) :])
    sync.remove(row for rows in existing.values() for row in rows)

    contacts = list(authority.contacts.prefetch_related("levels").order_by("order", "id"))
    for order, data in enumerate(document.contacts):
        contact = contacts[order] if order < len(contacts) else Contact(authority=authority)
        values = {k: v for k, v in data.items() if k != "levels"}
        sync.save(contact, {**values, "order": order})
        wanted = {levels[n].pk for n in data["levels"]}
        if {level.pk for level in contact.levels.all()} != wanted:
            contact.levels.set(wanted)
            if order < len(contacts):
                report.updated += 1
    sync.remove(contacts[len(document.contacts) :])

    sections = {section.slug: section for section in authority.sections.all()}
    for order, data in enumerate(document.sections):
        section = sections.pop(data["slug"], None) or GuidanceSection(authority=authority)
        sync.save(section, {**data, "order": order})
    sync.remove(sections.values())
    return report


# --- Export -------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(STR_TAG, value, style=style)


_Dumper.add_representer(str, _represent_str)


def _compact(mapping, keep=()):
    """Leave out optional keys at their defaults, so the file stays short to read."""
    return {k: v for k, v in mapping.items() if k in keep or v not in ("", [], {}, False, None)}


def export_authority(authority: Authority) -> str:
    levels = list(authority.levels.prefetch_related("next_steps").order_by("number"))
    domains = list(authority.domains.select_related("parent").order_by("order", "id"))
    indicators = Indicator.objects.filter(domain__authority=authority).select_related("level")
    by_domain = {}
    for indicator in indicators.order_by("level__number", "order", "id"):
        by_domain.setdefault(indicator.domain_id, {}).setdefault(indicator.level.number, []).append(
            indicator
        )

    data = {
        "authority": _compact(
            {key: getattr(authority, key) for key in AUTHORITY_KEYS}, keep=("slug", "name")
        ),
        "levels": [
            _compact(
                {
                    "number": level.number,
                    "name": level.name,
                    "summary": level.summary,
                    "definition": level.definition,
                    "next_steps": [
                        {"heading": step.heading, "text": step.text}
                        for step in level.next_steps.all()
                    ],
                },
                keep=("number", "name", "summary"),
            )
            for level in levels
        ],
        "domains": [
            _compact(
                {
                    "name": domain.name,
                    "parent": domain.parent.name if domain.parent else "",
                    "theme": domain.theme,
                    "source": domain.source,
                    "indicators": {
                        number: [_export_indicator(i) for i in items]
                        for number, items in by_domain.get(domain.pk, {}).items()
                    },
                },
                keep=("name",),
            )
            for domain in domains
        ],
        "contacts": [
            _compact(
                {
                    "name": contact.name,
                    "phones": list(contact.phones),
                    "emails": list(contact.emails),
                    "url": contact.url,
                    "hours": contact.hours,
                    "area": contact.covers,
                    "levels": sorted(level.number for level in contact.levels.all()),
                    "emergency": contact.emergency,
                    "notes": contact.notes,
                },
                keep=("name",),
            )
            for contact in authority.contacts.prefetch_related("levels").order_by("order", "id")
        ],
        "sections": [
            {"slug": s.slug, "kind": s.kind, "title": s.title, "body": s.body}
            for s in authority.sections.order_by("order", "id")
        ],
    }
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=float("inf"))


def _export_indicator(indicator):
    extra = _compact(
        {
            "strategy_discussion": indicator.strategy_discussion,
            "source": indicator.source,
            "note": indicator.note,
        }
    )
    return {"text": indicator.text, **extra} if extra else indicator.text
