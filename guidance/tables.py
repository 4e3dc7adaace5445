"""The tables the pages lay out: an authority's level table (printed, or cut into slides) and the
comparison of authorities level by level.

The level table has an authority's domains as rows and its four levels as columns. Trainers
project it one row at a time and print it as a wall chart. Both need rows of bounded size, so a
domain whose cells hold more text than fits is split into continuation parts.
"""

import itertools
import re
from dataclasses import dataclass, field

from .addresses import address
from .models import Contact, Indicator, Level, LevelNumber, NextStep, Theme

# --- Indicators as lists and tables show them ----------------------------------------------------
#
# A page of an authority's indicators shows a few hundred of them. Built as model instances with
# their level, domain, parent domain and authority (`with_context()`), each costs five instances
# and a `reverse()`; these light rows carry only what the pages show, share one object per domain
# and level, and build every address from one (guidance/addresses.py). They answer to the same
# names as the models (`text`, `domain.path`, `level.number`, `get_absolute_url`...), so templates
# take either.


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
    __slots__ = ("pk", "text", "strategy_discussion", "domain", "level", "url", "incomplete")

    def __init__(self, pk, text, strategy_discussion, domain, level, url, incomplete=""):
        self.pk, self.text, self.strategy_discussion = pk, text, strategy_discussion
        self.domain, self.level, self.url = domain, level, url
        self.incomplete = incomplete

    def get_absolute_url(self):
        return self.url


# Any number no indicator's address holds but its id: the one reversal is cut at it.
_PK_MARK = 987654321


def indicator_url_maker(authority):
    """A function from an indicator id of this authority to its address, as `reverse()` gives."""
    head, _, tail = address("guidance:indicator", authority.slug, _PK_MARK).rpartition(
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
        incomplete,
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
        listed.append(ListedIndicator(pk, text, strategy, domain, level, url(pk), incomplete))
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
    indicators = Indicator.objects.for_authorities([authority]).in_area_order()
    for indicator in listed_indicators(indicators, authority):
        row = rows.get(indicator.domain.pk)
        if row is None:
            row = rows[indicator.domain.pk] = TableRow(indicator.domain)
        row.cells[indicator.level.number - 1].append(indicator)
    ordered = sorted(rows.values(), key=lambda row: (row.domain.order, row.domain.pk))
    if cell_budget is None:
        return ordered
    return [part for row in ordered for part in _split(row, cell_budget)]


def split_rows(rows, cell_budget):
    """The rows of `level_table()` split as the printed chart needs them: a domain whose cells
    hold more than cell_budget characters goes on in rows of its own, marked "(continued)", each
    column's indicators spread evenly over its rows."""
    return [part for row in rows for part in _split(row, cell_budget, balanced=True)]


def _split(row, budget, cost=None, balanced=False):
    """The row in the fewest parts whose every cell stays within budget; `balanced` spreads each
    column's indicators evenly over the parts rather than filling the first ones."""
    cost = cost or _print_cost
    parts = max(len(_chunks(cell, budget, cost)) for cell in row.cells) or 1
    if balanced:
        columns = [_balanced_chunks(cell, budget, cost, parts) for cell in row.cells]
    else:
        columns = [_chunks(cell, budget, cost) for cell in row.cells]
    return [
        TableRow(
            row.domain,
            [chunks[i] if i < len(chunks) else [] for chunks in columns],
            part=i + 1,
            parts=parts,
        )
        for i in range(parts)
    ]


def _print_cost(indicator):
    return len(indicator.text) + ITEM_OVERHEAD


def _chunks(indicators, budget, cost=_print_cost, sizes=None):
    chunks, current, used = [], [], 0
    sizes = sizes or [cost(indicator) for indicator in indicators]
    for indicator, size in zip(indicators, sizes, strict=True):
        if current and used + size > budget:
            chunks.append(current)
            current, used = [], 0
        current.append(indicator)
        used += size
    if current:
        chunks.append(current)
    return chunks


def _balanced_chunks(indicators, budget, cost, parts):
    """At most `parts` chunks, in order, the fullest as little full as it can be (to a twentieth
    of the budget's unit)."""
    if parts == 1:
        return [indicators] if indicators else []
    sizes = [cost(indicator) for indicator in indicators]
    low, high = max(sizes, default=0), budget
    while high - low > 0.05:  # the smallest budget that still needs no more than `parts` chunks
        middle = (low + high) / 2
        if _fits(sizes, middle, parts):
            high = middle
        else:
            low = middle
    return _chunks(indicators, high, sizes=sizes)


def _fits(sizes, budget, parts):
    """Whether `_chunks` with this budget makes no more than `parts` chunks: counted as it would
    cut them, without making them, and given up at the first too many (the search above asks a
    dozen times a cell)."""
    chunks, used = 1, 0
    for i, size in enumerate(sizes):
        if i and used + size > budget:
            chunks += 1
            if chunks > parts:
                return False
            used = 0
        used += size
    return True


# --- Slides: the level table projected one row at a time -----------------------------------------

# A projected cell at the smallest type of the slides (28px on a 1920x1080 screen; presentation.js
# sizes the type up as far as the slide's text leaves room): about 30 characters a line and 25
# lines (a level's name taking two), an indicator taking whole lines and a third of a line after
# it. Measured in Chromium; the browser tests check that no slide of any document overflows.
SLIDE_LINE_CHARS = 30
SLIDE_CELL_LINES = 25
SLIDE_ITEM_GAP = 0.35
# Dudley's asterisk after an indicator that needs a strategy discussion.
STRATEGY_MARK = "*"


def slide_cost(indicator):
    """The lines an indicator takes in a projected cell at the smallest type."""
    length = len(indicator.text) + (len(STRATEGY_MARK) + 1 if indicator.strategy_discussion else 0)
    return -(-length // SLIDE_LINE_CHARS) + SLIDE_ITEM_GAP


def strategy_legend(authority, rows):
    """What the mark of an indicator that needs a strategy discussion means, in the document's
    own words (Dudley prints "* These themes indicate a strategy discussion will need to be held"
    as a Level 4 next step), if any of the rows has such an indicator; else ""."""
    marked = any(i.strategy_discussion for row in rows for cell in row.cells for i in cell)
    if not marked:
        return ""  # and no query: most documents mark nothing
    text = (
        NextStep.objects.filter(level__authority=authority, text__startswith=STRATEGY_MARK)
        .order_by("level__number", "order", "id")
        .values_list("text", flat=True)
        .first()
    )
    return text or f"{STRATEGY_MARK} The document marks these as needing a strategy discussion."


@dataclass
class Slide:
    """Slide 1 shows the four levels with their summaries (row None); each later slide shows one
    row of the level table (a domain, or a part of one), `columns` giving each level with its
    cell and whether the domain has no indicator at that level at all ("None at this level")."""

    number: int
    row: TableRow | None
    columns: list
    href: str = ""
    previous: str = ""  # the addresses of the slides before and after ("" for none)
    next: str = ""

    @property
    def marked(self):
        """Whether an indicator on the slide needs a strategy discussion (the legend is shown)."""
        return any(i.strategy_discussion for _, cell, _ in self.columns for i in cell or ())


def slides(authority, cell_lines=SLIDE_CELL_LINES):
    """The deck, numbered from 1: the levels, then the level table a domain a slide, a domain
    with more than a slide holds on as few slides as it fits, evenly filled."""
    levels = list(authority.levels.all())
    deck = [Slide(1, None, [(level, None, False) for level in levels])]
    for row in level_table(authority):
        empty = [not cell for cell in row.cells]
        for part in _split(row, cell_lines, slide_cost, balanced=True):
            columns = list(zip(levels, part.cells, empty, strict=True))
            deck.append(Slide(len(deck) + 1, part, columns))
    # Each slide's address from one (a deck has a slide for each part of each domain).
    head, _, tail = address("guidance:present", authority.slug, _PK_MARK).rpartition(str(_PK_MARK))
    for slide in deck:
        slide.href = f"{head}{slide.number}{tail}"
    for before, after in itertools.pairwise(deck):
        before.next, after.previous = after.href, before.href
    return deck


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


@dataclass(frozen=True, slots=True)
class ComparedIndicator:
    """An indicator as a comparison's cell lists it: its words, whether the document cuts it off,
    and its address (a comparison lists hundreds: no model instances, no reversal each)."""

    text: str
    incomplete: bool
    url: str

    def get_absolute_url(self):
        return self.url


def comparison(authorities, theme=""):
    """Compare these authorities' indicators of a theme ("" for all) level by level."""
    authorities = list(authorities)
    urls = {authority.pk: indicator_url_maker(authority) for authority in authorities}
    indicators = (
        Indicator.objects.for_authorities(authorities)
        .of_theme(theme)
        .in_document_order()
        .values_list("pk", "text", "incomplete", "level__number", "domain__authority_id")
    )
    cells = {}
    for pk, text, incomplete, number, authority_id in indicators:
        cells.setdefault((number, authority_id), []).append(
            ComparedIndicator(text, incomplete, urls[authority_id](pk))
        )
    levels = {
        (level.number, level.authority_id): level
        # Each level's link names its authority.
        for level in Level.objects.for_authorities(authorities).select_related("authority")
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


@dataclass
class NextStepsRow:
    """One row of the next steps compared: `heading` where the areas' documents share it (the
    first area's wording), else None and each cell shows its own headings; `cells` holds each
    column's next steps for the row (a list, empty where the area has none)."""

    heading: str | None
    cells: list


@dataclass
class NextStepsComparison:
    """Columns by authority (`{"authority", "level", "next_steps", "contacts"}`), rows of next
    steps lined up by heading."""

    columns: list
    rows: list


def heading_key(heading):
    """A heading as compared across documents: case, spacing, quotes and end punctuation aside
    ("Consent" and "consent:" match; the words shown are always the document's own)."""
    words = re.sub(r"[‘’'“”\"]", "", heading).casefold().split()
    return " ".join(words).rstrip("?:.;")


def next_steps_comparison(authorities, number):
    """Each authority's level `number` (None if it has none), its next steps lined up with the
    others' by heading, and its contacts that have a way to reach them."""
    authorities = list(authorities)
    levels = {
        level.authority_id: level
        for level in Level.objects.for_authorities(authorities)
        .filter(number=number)
        .select_related("authority")  # each level's link names its authority
    }
    # Each kind of row in one plain query, in the documents' order within each area (the
    # models' default orderings join the levels and the areas to sort by the areas' names).
    steps = {}
    for step in NextStep.objects.filter(level__in=levels.values()).in_list_order():
        steps.setdefault(step.level_id, []).append(step)
    cards = Contact.objects.for_authorities(authorities).cards()
    columns = []
    for authority in authorities:
        level = levels.get(authority.pk)
        columns.append(
            {
                "authority": authority,
                "level": level,
                "next_steps": steps.get(level.pk, []) if level else [],
                "contacts": level.contact_cards(cards) if level else [],
            }
        )
    return NextStepsComparison(columns, _aligned_rows([column["next_steps"] for column in columns]))


def _aligned_rows(steps):
    """Rows of next steps, `steps` holding each column's in document order.

    A heading two or more columns share is one row, in an order that keeps every column's own
    order where it can. The steps whose heading no other column has go in one row between
    those shared rows, in document order under their own headings (the steps a document gives
    between "Referral route" and "Consent" beside another's between the same two): a row as
    tall as the longest column's part, not a row for each.
    """
    columns = len(steps)
    seen = {}
    for i, column in enumerate(steps):
        for step in column:
            seen.setdefault(heading_key(step.heading), set()).add(i)
    shared = {key for key, where in seen.items() if len(where) > 1}
    order = []  # the shared headings' keys, merged from every column's order
    for column in steps:
        cursor = -1
        for step in column:
            key = heading_key(step.heading)
            if key not in shared:
                continue
            if key in order:
                cursor = max(cursor, order.index(key))
            else:
                order.insert(cursor + 1, key)
                cursor += 1
    shared_rows = {key: NextStepsRow(None, [[] for _ in range(columns)]) for key in order}
    free = {}  # index of the shared row before (-1: none) -> the row of unshared steps there
    for i, column in enumerate(steps):
        anchor = -1
        for step in column:
            key = heading_key(step.heading)
            if key in shared_rows:
                row = shared_rows[key]
                if row.heading is None:
                    row.heading = step.heading
                row.cells[i].append(step)
                anchor = order.index(key)
                continue
            if anchor not in free:
                free[anchor] = NextStepsRow(None, [[] for _ in range(columns)])
            free[anchor].cells[i].append(step)
    rows = [free[-1]] if -1 in free else []
    for index, key in enumerate(order):
        rows.append(shared_rows[key])
        if index in free:
            rows.append(free[index])
    return rows
