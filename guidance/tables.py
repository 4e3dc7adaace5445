"""The tables the pages lay out: an authority's level table (printed, or cut into slides) and the
comparison of authorities level by level.

The level table has an authority's domains as rows and its four levels as columns. Trainers
project it one row at a time and print it as a wall chart. Both need rows of bounded size, so a
domain whose cells hold more text than fits is split into continuation parts.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from .models import Indicator, Level, LevelNumber, Theme

# --- Indicators as lists and tables show them ----------------------------------------------------
#
# A page of an authority's indicators shows a few hundred of them. Built as model instances with
# their level, domain, parent domain and authority (`with_context()`), each costs five instances
# and a `reverse()`; these light rows carry only what the pages show, share one object per domain
# and level, and build every address from one reversal. They answer to the same names as the
# models (`text`, `domain.path`, `level.number`, `get_absolute_url`...), so templates take either.


class ListedDomain:
    __slots__ = ("pk", "name", "path", "order")

    def __init__(self, pk, name, parent_name, order):
        self.pk, self.name, self.order = pk, name, order
        self.path = f"{parent_name} / {name}" if parent_name is not None else name


class ListedLevel:
    __slots__ = ("pk", "number", "name")

    def __init__(self, pk, number, name):
        self.pk, self.number, self.name = pk, number, name


class ListedIndicator:
    __slots__ = ("pk", "text", "strategy_discussion", "domain", "level", "url")

    def __init__(self, pk, text, strategy_discussion, domain, level, url):
        self.pk, self.text, self.strategy_discussion = pk, text, strategy_discussion
        self.domain, self.level, self.url = domain, level, url

    def get_absolute_url(self):
        return self.url


# Any number no indicator's address holds but its id: the one reversal is cut at it.
_PK_MARK = 987654321


def indicator_url_maker(authority):
    """A function from an indicator id of this authority to its address, as `reverse()` gives."""
    head, _, tail = reverse("guidance:indicator", args=[authority.slug, _PK_MARK]).rpartition(
        str(_PK_MARK)
    )
    return lambda pk: f"{head}{pk}{tail}"


def listed_indicators(indicators, authority):
    """The indicators (a queryset of one authority's, in the order to show) as light rows."""
    url = indicator_url_maker(authority)
    domains, levels, listed = {}, {}, []
    for (
        pk,
        text,
        strategy,
        domain_id,
        name,
        parent,
        order,
        level_id,
        number,
        level_name,
    ) in indicators.listed():
        domain = domains.get(domain_id)
        if domain is None:
            domain = domains[domain_id] = ListedDomain(domain_id, name, parent, order)
        level = levels.get(level_id)
        if level is None:
            level = levels[level_id] = ListedLevel(level_id, number, level_name)
        listed.append(ListedIndicator(pk, text, strategy, domain, level, url(pk)))
    return listed


# What an indicator costs in a cell beyond its letters: its bullet and its last, part-filled line.
ITEM_OVERHEAD = 40


@dataclass
class TableRow:
    domain: object
    cells: list = field(default_factory=lambda: [[] for _ in LevelNumber.values])
    part: int = 1
    parts: int = 1

    @property
    def continued(self):
        return self.part > 1


def level_table(authority, cell_budget=None):
    """Rows of the table in document order, each domain split so no cell exceeds cell_budget."""
    rows = {}
    indicators = Indicator.objects.for_authorities([authority]).in_document_order()
    for indicator in listed_indicators(indicators, authority):
        row = rows.get(indicator.domain.pk)
        if row is None:
            row = rows[indicator.domain.pk] = TableRow(indicator.domain)
        row.cells[indicator.level.number - 1].append(indicator)
    ordered = sorted(rows.values(), key=lambda row: (row.domain.order, row.domain.pk))
    if cell_budget is None:
        return ordered
    return [part for row in ordered for part in _split(row, cell_budget)]


def _split(row, budget):
    columns = [_chunks(cell, budget) for cell in row.cells]
    parts = max(len(chunks) for chunks in columns) or 1
    return [
        TableRow(
            row.domain,
            [chunks[i] if i < len(chunks) else [] for chunks in columns],
            part=i + 1,
            parts=parts,
        )
        for i in range(parts)
    ]


def _chunks(indicators, budget):
    chunks, current, used = [], [], 0
    for indicator in indicators:
        cost = len(indicator.text) + ITEM_OVERHEAD
        if current and used + cost > budget:
            chunks.append(current)
            current, used = [], 0
        current.append(indicator)
        used += cost
    if current:
        chunks.append(current)
    return chunks


# --- Slides: the level table projected one row at a time -----------------------------------------


@dataclass
class Slide:
    """Slide 1 shows the four levels with their summaries (row None); each later slide shows one
    row of the level table, `columns` pairing each level with its cell."""

    number: int
    row: TableRow | None
    columns: list


def slides(authority, cell_budget):
    """The deck, numbered from 1: the levels, then the level table a row a slide."""
    levels = list(authority.levels.all())
    first = Slide(1, None, [(level, None) for level in levels])
    return [first] + [
        Slide(number, row, list(zip(levels, row.cells, strict=True)))
        for number, row in enumerate(level_table(authority, cell_budget), start=2)
    ]


# --- Comparison of authorities, level by level ---------------------------------------------------


@dataclass
class Comparison:
    """Rows by level number, columns by authority; each cell holds the authority's level (its
    local name) and its indicators of the theme, in document order."""

    authorities: list
    theme: str
    rows: list

    @property
    def theme_label(self):
        return Theme(self.theme).label if self.theme else "All themes"


def comparison(authorities, theme=""):
    """Compare these authorities' indicators of a theme ("" for all) level by level."""
    authorities = list(authorities)
    indicators = (
        Indicator.objects.for_authorities(authorities)
        .of_theme(theme)
        .with_context()
        .in_document_order()
    )
    cells = {}
    for indicator in indicators:
        cells.setdefault((indicator.level.number, indicator.domain.authority_id), []).append(
            indicator
        )
    levels = {
        (level.number, level.authority_id): level
        for level in Level.objects.for_authorities(authorities)
    }
    rows = [
        {
            "number": number,
            "columns": [
                {
                    "authority": authority,
                    "level": levels.get((number, authority.pk)),
                    "indicators": cells.get((number, authority.pk), []),
                }
                for authority in authorities
            ],
        }
        for number in LevelNumber.values
    ]
    return Comparison(authorities, theme, rows)


def next_steps_comparison(authorities, number):
    """Each authority's level `number` (None if it has none) with its next steps and contacts."""
    authorities = list(authorities)
    levels = {
        level.authority_id: level
        for level in Level.objects.for_authorities(authorities)
        .filter(number=number)
        .prefetch_related("next_steps", "contacts")
    }
    return [{"authority": a, "level": levels.get(a.pk)} for a in authorities]
