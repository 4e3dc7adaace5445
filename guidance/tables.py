"""The tables the pages lay out: an authority's level table (printed, or cut into slides) and the
comparison of authorities level by level.

The level table has an authority's domains as rows and its four levels as columns. Trainers
project it one row at a time and print it as a wall chart. Both need rows of bounded size, so a
domain whose cells hold more text than fits is split into continuation parts.
"""

from dataclasses import dataclass, field

from .models import Indicator, Level, LevelNumber, Theme

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
    indicators = Indicator.objects.for_authorities([authority]).with_context().in_document_order()
    for indicator in indicators:
        row = rows.setdefault(indicator.domain_id, TableRow(indicator.domain))
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
