"""The level table: an authority's domains as rows and its four levels as columns.

Trainers project it one row at a time and print it as a wall chart. Both need rows of bounded
size, so a domain whose cells hold more text than fits is split into continuation parts.
"""

from dataclasses import dataclass, field

from .models import Indicator

LEVEL_NUMBERS = (1, 2, 3, 4)
# What an indicator costs in a cell beyond its letters: its bullet and its last, part-filled line.
ITEM_OVERHEAD = 40


@dataclass
class TableRow:
    domain: object
    cells: list = field(default_factory=lambda: [[] for _ in LEVEL_NUMBERS])
    part: int = 1
    parts: int = 1

    @property
    def continued(self):
        return self.part > 1


def level_table(authority, cell_budget=None):
    """Rows of the table in document order, each domain split so no cell exceeds cell_budget."""
    rows = {}
    indicators = (
        Indicator.objects.filter(domain__authority=authority).with_context().in_document_order()
    )
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
