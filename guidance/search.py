"""Search over indicators, contacts, next steps and guidance sections, alike on both databases.

Text is normalised here, in Python, the same way for every database: folded to ASCII, lower case,
apostrophes joined ("child's" -> "childs"), split on everything else that is not a letter or a
digit, and each word stemmed with the Snowball English stemmer ("parents", "parental" ->
"parent"). The field's synonyms and abbreviations (guidance/synonyms.yaml) add one token per
group a text mentions, so "DV" finds "domestic violence". Each searchable row has one
`SearchEntry` holding these terms as " token token ... " (guidance/models.py), kept current by
signals on save and by the loader per document (`rebuild`).

A query is normalised the same way. Words must all appear; "quoted words" must appear together; a
word ending in * matches the words starting with it; a run of words that is a synonym phrase
also matches the group's other phrases. PostgreSQL matches with full-text search over the terms
(a GIN index on `to_tsvector('simple', terms)`, the stemming being done already), SQLite with
substring tests on the padded terms: the same rows either way.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer
import yaml
from django.apps import apps as django_apps
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .addresses import address
from .models import Authority, Contact, Level, SearchEntry, SearchKind, authority_id_of

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")
# Canonical tokens of synonym groups start with this: no English word does, so a prefix search
# ("syn*") never meets them by chance.
SYNONYM_PREFIX = "zsyn"
# Longer "words" (a pasted address, a run of digits) are not words anyone searches for, and
# PostgreSQL drops lexemes over 2047 bytes; both databases ignore them alike.
MAX_TOKEN_LENGTH = 60
# A shorter prefix ("a*") would match most of the guidance; it is taken as the word itself.
MIN_PREFIX_LENGTH = 2

APOSTROPHES = "'\u2019\u2018\u02bc`"
QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb"
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
_TOKEN = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=50_000)
def _stem(word):
    return _stemmer.stemWord(word)


def _words(text):
    """The normalised words of a text, in order, not stemmed."""
    text = _APOSTROPHE.sub("", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return [word for word in _TOKEN.findall(text) if len(word) <= MAX_TOKEN_LENGTH]


def tokens(text):
    """The normalised, stemmed words of a text, in order."""
    return [_stem(word) for word in _words(text)]


# Endings the stemmer takes off English words. A word cut short with * may be cut inside one
# ("vulnerab*" of "vulnerable"), so its words' stems are those of the cut word with the rest of
# the ending put back ("vulnerable" -> "vulner", which "vulnerab" does not start).
WORD_ENDINGS = (
    "ing", "ings", "ed", "es", "s", "e", "er", "ers", "ly", "y", "ies", "ied", "al", "ally",
    "ation", "ations", "ition", "ion", "ions", "able", "ably", "ible", "ity", "ities", "ment",
    "ments", "ness", "ence", "ance", "ent", "ant", "ive", "ise", "ised", "ize", "ized", "ous",
    "ful", "ism", "ist", "ists", "ability", "abilities", "ibility", "ility", "ilities", "ator",
    "ators", "or", "ors", "ysis", "yses", "ysing", "ical", "ically", "ogical", "ology",
    "ologist", "ologists",
)  # fmt: skip
# The stemmer makes one letter of these doubled before an ending ("setting" -> "set").
UNDOUBLED = "bdfgmnprt"


@functools.lru_cache(maxsize=1_000)
def cut_word_stems(word):
    """The stems of the words starting with `word` (normalised, not stemmed) that the prefix
    of its own stem does not find: "vulnerab" -> ("vulner",), "parentin" -> ("parent",),
    "sett" -> ("set",)."""
    own = _stem(word)
    tails = {
        ending[i:]
        for ending in WORD_ENDINGS
        for i in range(1, len(ending))
        if word.endswith(ending[:i])
    }
    if len(word) > 2 and word[-1] == word[-2] and word[-1] in UNDOUBLED:
        tails.update(("ing", "ings", "ed", "er", "ers"))
    stems = {_stem(word + tail) for tail in tails}
    return tuple(sorted(stem for stem in stems if not stem.startswith(own)))


# --- Synonyms -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SynonymGroup:
    name: str
    why: str
    phrases: tuple  # each a tuple of tokens

    @property
    def token(self):
        return SYNONYM_PREFIX + self.name


def read_synonyms(path=SYNONYMS_FILE):
    """The groups of guidance/synonyms.yaml, checked: a bad file fails loudly on first use (and
    in tests/test_search.py)."""
    data = yaml.safe_load(Path(path).read_text())
    groups, seen = [], {}
    for entry in data["groups"]:
        name = entry["name"]
        if not re.fullmatch(r"[a-z0-9]+", name):
            raise ValueError(f"Synonym group name {name!r}: use a-z and 0-9 only")
        if not entry.get("why"):
            raise ValueError(f"Synonym group {name!r} says nothing about why")
        phrases = []
        for phrase in entry["phrases"]:
            words = tuple(tokens(str(phrase)))
            if not words:
                raise ValueError(f"Synonym group {name!r}: {phrase!r} has no words")
            if seen.get(words, name) != name:
                raise ValueError(f"{phrase!r} is in synonym groups {seen[words]!r} and {name!r}")
            seen[words] = name
            if words not in phrases:
                phrases.append(words)
        groups.append(SynonymGroup(name, entry["why"], tuple(phrases)))
    if len({group.name for group in groups}) != len(groups):
        raise ValueError("Two synonym groups have the same name")
    return groups


@functools.cache
def synonyms():
    """{phrase (tuple of tokens): group}, from guidance/synonyms.yaml."""
    return {phrase: group for group in read_synonyms() for phrase in group.phrases}


@functools.cache
def _longest_phrase():
    return max((len(phrase) for phrase in synonyms()), default=0)


@functools.cache
def _phrases_by_first_token():
    by_first = {}
    for phrase, group in synonyms().items():
        by_first.setdefault(phrase[0], []).append((phrase, group.token))
    return by_first


def synonym_tokens(words):
    """The canonical tokens of the groups whose phrases occur in this token sequence."""
    found = []
    by_first = _phrases_by_first_token()
    for start, word in enumerate(words):
        for phrase, token in by_first.get(word, ()):
            if token not in found and tuple(words[start : start + len(phrase)]) == phrase:
                found.append(token)
    return found


def terms(*texts):
    """The search column of these texts: their tokens in order, then the canonical token of each
    synonym group they mention, padded with spaces (" domest violenc zsyndv ")."""
    words = [token for text in texts for token in tokens(text)]
    return " " + " ".join([*words, *synonym_tokens(words)]) + " " if words else " "


# --- Queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """Adjacent tokens (one token: a word), the last one a prefix if `prefix`."""

    tokens: tuple
    prefix: bool = False

    def tsquery(self, phrases=True):
        parts = [f"'{token}'" for token in self.tokens]
        if self.prefix:
            parts[-1] += ":*"
        return (" <-> " if phrases else " & ").join(parts)

    def padded(self):
        return " " + " ".join(self.tokens) + ("" if self.prefix else " ")


@dataclass(frozen=True)
class Query:
    """Clauses that must all match; a clause is alternatives, any of which matches; an
    alternative is terms that must all match."""

    clauses: tuple

    def __bool__(self):
        return bool(self.clauses)

    def tsquery(self, phrases=True):
        """As PostgreSQL's to_tsquery reads it (tokens are [a-z0-9]+, so quoting is safe); with
        `phrases` false, the words of a phrase need not be together."""

        def alternative(terms):
            return "(" + " & ".join(term.tsquery(phrases) for term in terms) + ")"

        return " & ".join(
            "(" + " | ".join(alternative(alt) for alt in clause) + ")" for clause in self.clauses
        )

    @property
    def has_phrases(self):
        return any(
            len(term.tokens) > 1 for clause in self.clauses for alt in clause for term in alt
        )

    def q(self, field):
        """The same condition as substring tests on a padded terms column."""
        condition = Q()
        for clause in self.clauses:
            either = Q()
            for alternative in clause:
                both = Q()
                for term in alternative:
                    both &= Q(**{f"{field}__contains": term.padded()})
                either |= both
            condition &= either
        return condition

    def found_in(self, padded_terms):
        """Whether a padded terms column (`terms`) meets the query: `q`'s tests, in Python."""
        return all(
            any(all(term.padded() in padded_terms for term in alt) for alt in clause)
            for clause in self.clauses
        )

    @functools.cached_property
    def marked(self):
        """The token sequences a result's text is highlighted for, as (tokens, prefix): every
        term of the query, and every phrase of the synonym groups it asks for."""
        phrases = {}
        for phrase, group in synonyms().items():
            phrases.setdefault(group.token, []).append(phrase)
        marked = set()
        for clause in self.clauses:
            for alternative in clause:
                for term in alternative:
                    if term.tokens in {(token,) for token in phrases}:
                        marked.update((phrase, False) for phrase in phrases[term.tokens[0]])
                    else:
                        marked.add((term.tokens, term.prefix))
        return marked


def parse(text):
    """The query a search box's text asks for; empty (false) if it has no words at all."""
    text = text or ""
    for quote in QUOTES:
        text = text.replace(quote, '"')
    phrases = synonyms()
    clauses, run = [], []  # run: the tokens of each unquoted word in a row (no prefix)

    def close_run():
        clauses.extend(_word_clauses(run, phrases))
        run.clear()

    # A quote left open runs to the end of the text.
    for match in re.finditer(r'"([^"]*)(?:"|$)|([^\s"]+)', text):
        quoted, word = match.groups()
        if quoted is not None:
            close_run()
            words = tuple(tokens(quoted))
            if words:
                group = phrases.get(words)
                term = Term((group.token,)) if group else Term(words)
                clauses.append(((term,),))
        else:
            prefix = word.endswith("*")
            cut = _words(word.rstrip("*"))
            words = [_stem(part) for part in cut]
            if not words:
                continue
            prefix = prefix and len(words[-1]) >= MIN_PREFIX_LENGTH
            if prefix:
                close_run()
                # The words it starts whose stems it does not start match by those stems, or
                # by the letters typed where the stemmer changed them ("any*": "ani").
                start = tuple(words[:-1])
                typed = () if cut[-1].startswith(words[-1]) else (Term((*start, cut[-1]), True),)
                clauses.append(
                    (
                        (Term(tuple(words), prefix=True),),
                        *((term,) for term in typed),
                        *((Term((*start, stem)),) for stem in cut_word_stems(cut[-1])),
                    )
                )
            else:
                run.append(tuple(words))
    close_run()
    return Query(tuple(dict.fromkeys(clauses)))


def _word_clauses(run, phrases):
    """Clauses for unquoted words: the longest runs of whole words that are a synonym phrase
    match the group (or every word of the run, as before); other words match themselves."""
    clauses, start = [], 0
    longest = _longest_phrase()
    while start < len(run):
        for end in range(len(run), start, -1):
            joined = tuple(token for words in run[start:end] for token in words)
            group = phrases.get(joined) if len(joined) <= longest else None
            if group is not None:
                synonym = (Term((group.token,)),)
                if end - start == 1:
                    clauses.append((synonym,))
                else:
                    clauses.append((synonym, tuple(Term(words) for words in run[start:end])))
                start = end
                break
        else:
            clauses.append(((Term(run[start]),),))
            start += 1
    return clauses


# --- Matching and ranking (SearchEntryQuerySet, guidance/models.py) ---------------------------

KIND_ORDER = ("contact", "section", "next_step", "indicator")


def _is_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def _search_query(query):
    """The query's words and prefixes for the GIN index (see `matching` for phrases)."""
    return SearchQuery(query.tsquery(phrases=False), search_type="raw", config="simple")


def matching(queryset, query):
    """The entries matching the query (text or a parsed `Query`); none for an empty one."""
    if not isinstance(query, Query):
        query = parse(query)
    if not query:
        return queryset.none()
    if _is_postgresql(queryset):
        # The same expression as the GIN index (SearchEntry.Meta.indexes), so the index is used.
        # Phrases: the index finds the entries with all their words, exactly (a tsquery of
        # words and prefixes needs no second look at the text), and the padded column says
        # cheaply whether the words are together. A `<->` tsquery would have PostgreSQL parse
        # every candidate's text again: 200 ms for "early help" at 155 areas, against 3 ms.
        found = queryset.alias(search_vector=SearchVector("terms", config="simple")).filter(
            search_vector=_search_query(query)
        )
        return found.filter(query.q("terms")) if query.has_phrases else found
    return queryset.filter(query.q("terms"))


def matching_rows(queryset, kind, query):
    """The keys of the rows of `queryset` (of the model of `kind`) that the query finds, their
    terms made and tested in Python as their entries would be. For a draft, which has no entries
    (search shows what is published), so that its preview finds what publishing it would: a few
    hundred rows of one area, read once."""
    if not isinstance(query, Query):
        query = parse(query)
    if not query:
        return []
    columns = _read_columns(kind)
    return [
        pk
        for pk, *texts in queryset.values_list("pk", *columns)
        if query.found_in(entry_values(kind, dict(zip(columns, texts, strict=True)))[1])
    ]


def ranked(queryset, query):
    """Ordered best first: entries whose title (a contact's name, a heading) matches the query;
    then contacts, sections, next steps, indicators; then by area name, in document order.

    The same order on both databases. PostgreSQL's ts_rank was tried (title weighted A, text B):
    it parses every matching entry's text again, 160 ms for "parent" at 155 areas (4,900
    matches) against 25 ms for the whole page this way, and only reorders results within the
    same kind by how often a word recurs.
    """
    if not isinstance(query, Query):
        query = parse(query)
    kind_order = Case(
        *(When(kind=kind, then=Value(n)) for n, kind in enumerate(KIND_ORDER)),
        output_field=IntegerField(),
    )
    title_match = (
        Case(When(query.q("title_terms"), then=Value(1)), default=Value(0)) if query else Value(0)
    )
    return queryset.alias(title_match=title_match, kind_order=kind_order).order_by(
        "-title_match", "kind_order", "authority__name", "pk"
    )


_WORD = re.compile(rf"\w+(?:[{APOSTROPHES}]\w+)*")


@functools.lru_cache(maxsize=50_000)
def _word_tokens(word):
    return tuple(tokens(word))


def _read(text, pieces, query, stop=None):
    """Add to `pieces` ((start, end, token): the text's words as tokens() reads them) the words
    after the last one read: all of them, or those that start by character `stop` and a
    phrase's length more. Returns whether the text is read to its end."""
    matches = _WORD.finditer(text, pieces[-1][1] if pieces else 0)
    if stop is None:
        # The whole text (most are a line or two): in one comprehension, the search page's
        # hottest loop (a page of results reads thousands of words).
        pieces += [
            (*match.span(), token) for match in matches for token in _word_tokens(match.group())
        ]
        return True
    longest = max(len(phrase) for phrase, _ in query.marked)
    beyond = 0  # tokens read after `stop`
    for match in matches:
        start, end = match.span()
        word_tokens = _word_tokens(match.group())
        if start > stop:
            if beyond >= longest:
                return False
            beyond += len(word_tokens)
        for token in word_tokens:
            pieces.append((start, end, token))
    return True


def _matched(pieces, query):
    """(start, end) of the places the query matched in the words read, in order, merged. When
    the text was read only to character `stop` (see _read), the places that end by `stop` are
    all there and right, and so is the first if it starts by `stop`: every place not found
    starts after `stop`."""
    words = [piece[2] for piece in pieces]
    spans = []
    for phrase, prefix in query.marked:
        size = len(phrase)
        for i in range(len(words) - size + 1):
            if prefix:
                if not words[i + size - 1].startswith(phrase[-1]):
                    continue
                if tuple(words[i : i + size - 1]) != phrase[:-1]:
                    continue
            elif words[i] != phrase[0] or tuple(words[i : i + size]) != phrase:
                continue
            spans.append((pieces[i][0], pieces[i + size - 1][1]))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marks(text, query):
    """(start, end) of the places in the text the query matched, in order, merged."""
    pieces = []
    _read(text, pieces, query)
    return _matched(pieces, query)


def _part(text, first, length):
    """(start, end) of the about `length` characters of a long text shown around `first`."""
    start = max(0, first - length // 4)
    start = 0 if start < length // 4 else text.find(" ", start) + 1
    end = text.rfind(" ", start, start + length)
    end = len(text) if end <= start or start + length >= len(text) else end
    return start, end


def highlight(text, query, length=None):
    """The text, escaped, with the places the query matched marked (<mark>); cut to about
    `length` characters around the first of them if it is longer."""
    marks, start, end = [], 0, len(text)
    if length and len(text) > length:
        # Only the part around the first mark is shown. A section can be thousands of words:
        # its words are read up to twice the part's length, then on to the end of the part
        # shown once its first mark is known, else twice as far (see _matched).
        pieces, stop, whole = [], 2 * length, not query
        while True:
            whole = whole or _read(text, pieces, query, stop)
            marks = _matched(pieces, query) if query else []
            start, end = _part(text, marks[0][0] if marks else 0, length)
            first_known = marks and marks[0][0] <= stop
            if whole or (first_known and end <= stop):
                break
            stop = end if first_known else 2 * stop
    elif query:
        marks = _marks(text, query)
    parts, last = ["… " if start else ""], start
    for mark_start, mark_end in marks:
        if mark_start < last or mark_end > end:
            continue
        parts.append(escape(text[last:mark_start]))
        parts.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        last = mark_end
    parts.append(escape(text[last:end]))
    parts.append(" …" if end < len(text) else "")
    return mark_safe("".join(parts))


# --- Writing entries ----------------------------------------------------------------------------


# What of each kind of row is searched: (its title column, or None; every column searched).
SEARCHED_COLUMNS = {
    "indicator": (None, ["text"]),
    "contact": ("name", ["name", "covers", "hours"]),
    "next_step": ("heading", ["heading", "text"]),
    "section": ("title", ["title", "body"]),
}


# A contact with no way to reach it is shown on no page (Contact.reachable), so search does not
# offer it either: its entry holds no terms and matches nothing.
CONTACT_WAYS = list(Contact.WAYS_TO_REACH)


def entry_values(kind, values):
    """(title terms, terms) of a row's searched columns ({column: text}, and for a contact its
    ways of getting in touch)."""
    if kind == "contact" and not any(values[way] for way in CONTACT_WAYS):
        return " ", " "
    title, columns = SEARCHED_COLUMNS[kind]
    title_terms = terms(values[title]) if title else " "
    return title_terms, terms(*(values[column] for column in columns))


def _read_columns(kind):
    columns = SEARCHED_COLUMNS[kind][1]
    return [*columns, *CONTACT_WAYS] if kind == "contact" else columns


def update_entry(kind, row):
    """Write the one entry of a saved row (signals, guidance/models.py). A draft's rows have
    none: search shows only what is published."""
    authority_id = authority_id_of(row)
    if Authority.objects.drafts().filter(pk=authority_id).exists():
        return
    columns = _read_columns(kind)
    title_terms, row_terms = entry_values(kind, {c: getattr(row, c) for c in columns})
    SearchEntry.objects.update_or_create(
        **{kind: row},
        defaults={
            "kind": kind,
            "authority_id": authority_id,
            "title_terms": title_terms,
            "terms": row_terms,
        },
    )


def _has_drafts(apps):
    fields = apps.get_model("guidance", "Authority")._meta.get_fields()
    return any(field.name == "draft_of" for field in fields)


# Where each kind's entries come from: kind: (model, path to its authority, document order
# within the authority). Entries are written kind by kind in this order, each kind's by authority
# name, then in document order.
ENTRY_SOURCES = {
    "indicator": (
        "Indicator",
        "domain__authority",
        ["level__number", "domain__order", "order", "pk"],
    ),
    "contact": ("Contact", "authority", ["order", "pk"]),
    "next_step": ("NextStep", "level__authority", ["level__number", "order", "pk"]),
    "section": ("GuidanceSection", "authority", ["order", "pk"]),
}


def rebuild(authority_ids=None, apps=django_apps):
    """Write again the entries of these authorities (all for None), in bulk: the loader calls
    this once per document, whose bulk writes send no signals. Returns the number written."""
    entry_model = apps.get_model("guidance", "SearchEntry")
    entries = entry_model.objects.all()
    if authority_ids is not None:
        entries = entries.filter(authority_id__in=authority_ids)
    entries.delete()
    new = []
    for kind, (name, path, order) in ENTRY_SOURCES.items():
        rows = apps.get_model("guidance", name).objects.all()
        if _has_drafts(apps):  # not yet in migration 0009, which calls this too
            rows = rows.filter(**{f"{path}__draft_of__isnull": True})
        if authority_ids is not None:
            rows = rows.filter(**{f"{path}__in": authority_ids})
        columns = _read_columns(kind)
        rows = rows.order_by(f"{path}__name", *order)
        for pk, owner, *texts in rows.values_list("pk", path, *columns):
            values = dict(zip(columns, texts, strict=True))
            new.append((kind, owner, pk, *entry_values(kind, values)))
    write_entries(new, entry_model)
    return len(new)


def write_new_authority(authority_id, rows):
    """Write the entries of a new published authority from its rows just created by the loader
    ({model name: rows}, each with its level and domain in hand), as `rebuild` would write them
    after reading them back. Every row of a new authority is one of these, as saved, so there is
    nothing to read back nor to delete: reading the rows back (four queries and their rows) cost
    a first load of the 155-file scale set 1-3 s of CPU in about 13 (make bench-scale)."""
    new = []
    for kind, (name, _path, order) in ENTRY_SOURCES.items():
        columns = _read_columns(kind)
        for row in sorted(rows.get(name, ()), key=lambda row: [_value(row, p) for p in order]):
            values = {column: getattr(row, column) for column in columns}
            new.append((kind, authority_id, row.pk, *entry_values(kind, values)))
    write_entries(new)
    return len(new)


def _value(row, path):
    """The value at the end of a path such as "level__number" (the related rows in hand)."""
    for name in path.split("__"):
        row = getattr(row, name)
    return row


def write_entries(entries, entry_model=SearchEntry):
    """Write new entries, each (kind, authority id, row id, title terms, terms), in the order
    given: their keys follow it, and search lists entries of equal rank in the order of their
    keys (document order, see `ranked`).

    On PostgreSQL with COPY, the values sent as they are: no model instance is built for an
    entry and no INSERT compiled, which was most of bulk_create's time for the 23,000 entries of
    the 155-file scale set (make bench-scale); elsewhere with bulk_create."""
    if not entries:
        return
    using = router.db_for_write(entry_model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        entry_model.objects.using(using).bulk_create(
            (
                entry_model(
                    kind=kind,
                    authority_id=owner,
                    title_terms=title_terms,
                    terms=row_terms,
                    **{f"{kind}_id": pk},
                )
                for kind, owner, pk, title_terms, row_terms in entries
            ),
            batch_size=1000,
        )
        return
    meta = entry_model._meta
    quote = connection.ops.quote_name
    # Each kind's row has a column of its own (indicator_id, contact_id, ...); the others null.
    kinds = list(SEARCHED_COLUMNS)
    fields = ["kind", "authority", *kinds, "title_terms", "terms"]
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for kind, owner, pk, title_terms, row_terms in entries:
            rows = [pk if other == kind else None for other in kinds]
            copy.write_row((kind, owner, *rows, title_terms, row_terms))


# --- Results: the search page and the API -------------------------------------------------------

RESULTS_PER_PAGE = 20
# Characters of a long text (a guidance section) a result shows, around the first place it
# matched; the link leads to the whole text.
RESULT_LENGTH = 400
KIND_PLURALS = {
    SearchKind.CONTACT: "Contacts",
    SearchKind.SECTION: "Guidance sections",
    SearchKind.NEXT_STEP: "Next steps",
    SearchKind.INDICATOR: "Indicators",
}


@dataclass(frozen=True)
class ResultArea:
    """What a result shows of its area (and its "Add to my notes" button needs)."""

    name: str
    slug: str
    published_edition: int | None


@dataclass(frozen=True)
class ResultLevel:
    number: int
    name: str


@dataclass
class Result:
    kind: str
    kind_label: str
    authority: ResultArea
    level: ResultLevel | None
    title: str
    text: str
    url: str
    row_id: int  # the indicator's, contact's, next step's or section's id
    phones: list  # a contact's numbers as printed; [] for the other kinds
    query: Query

    @property
    def title_html(self):
        return highlight(self.title, self.query)

    @property
    def text_html(self):
        return highlight(self.text, self.query, length=RESULT_LENGTH)


# What a page of results shows of each entry's row, read as plain values: as model instances (an
# entry with its area, row, level and domains: ten a result) they took 2 ms a page.
RESULT_COLUMNS = (
    "pk",
    "kind",
    "authority__name",
    "authority__slug",
    "authority__published_edition",
    "indicator_id",
    "indicator__text",
    "indicator__domain__name",
    "indicator__domain__parent__name",
    "indicator__level__number",
    "indicator__level__name",
    "contact_id",
    "contact__name",
    "contact__covers",
    "contact__phones",
    "next_step_id",
    "next_step__heading",
    "next_step__text",
    "next_step__level__number",
    "next_step__level__name",
    "section_id",
    "section__title",
    "section__body",
    "section__slug",
    "contact_level",
)


def _result(entry, query):
    """A result from an entry's RESULT_COLUMNS; addresses as `reverse()` gives them."""
    kind, slug = entry["kind"], entry["authority__slug"]
    level, phones = None, []
    if kind == SearchKind.INDICATOR:
        row_id = entry["indicator_id"]
        level = ResultLevel(entry["indicator__level__number"], entry["indicator__level__name"])
        name, parent = entry["indicator__domain__name"], entry["indicator__domain__parent__name"]
        title = f"{parent} / {name}" if parent is not None else name  # as Domain.path gives it
        text = entry["indicator__text"]
        url = address("guidance:indicator", slug, row_id)
    elif kind == SearchKind.CONTACT:
        row_id, phones = entry["contact_id"], entry["contact__phones"]
        title, text = entry["contact__name"], entry["contact__covers"]
        url = (
            address("guidance:level", slug, entry["contact_level"]) + "#contacts"
            if entry["contact_level"]
            else address("guidance:authority", slug)
        )
    elif kind == SearchKind.NEXT_STEP:
        row_id = entry["next_step_id"]
        level = ResultLevel(entry["next_step__level__number"], entry["next_step__level__name"])
        title, text = entry["next_step__heading"], entry["next_step__text"]
        url = address("guidance:level", slug, level.number) + "#next-steps"
    else:
        row_id = entry["section_id"]
        title, text = entry["section__title"], entry["section__body"]
        url = address("guidance:section", slug, entry["section__slug"])
    return Result(
        kind=kind,
        kind_label=SearchKind(kind).label,
        authority=ResultArea(entry["authority__name"], slug, entry["authority__published_edition"]),
        level=level,
        title=title,
        text=text,
        url=url,
        row_id=row_id,
        phones=phones,
        query=query,
    )


class Results:
    """The entries matching a query, ranked, for django's Paginator: counted once (by kind, in
    one query), and each page fetched with everything it shows in one more query, whatever the
    number of matches.

    Given the `page` the view will show (its address's ?page=) and no kind chosen, the counts
    come with that page's entries, in the one query that ranks them: both read every match, and
    at 155 areas ("parent": 4,900 matches) reading them once saved 5 ms a search."""

    def __init__(self, query, entries, kind="", page=None):
        self.query = query
        self.kind = kind
        self.entries = entries.filter(kind=kind) if kind else entries
        self._read = None  # (offset, ids) of the page read with the counts
        start = None if kind else _first_of_page(page)
        counts = None if start is None else self._counted_page(start)
        if counts is None:
            counts = dict(
                entries.matching(query).order_by().values_list("kind").annotate(n=Count("pk"))
            )
        self.total = sum(counts.values())
        self.by_kind = [(kind, label, counts.get(kind, 0)) for kind, label in KIND_PLURALS.items()]
        self._count = counts.get(kind, 0) if kind else self.total

    def _counted_page(self, start):
        """{kind: count} and the ids of the page starting at `start`, in one query (the counts
        ride on every row); None when the page is past the last, whose rows carry no counts."""
        names = [f"count_{kind}" for kind in KIND_PLURALS]
        counted = self._ranked().annotate(
            **{
                name: Window(Count("pk", filter=Q(kind=kind)))
                for name, kind in zip(names, KIND_PLURALS, strict=True)
            }
        )
        rows = list(counted.values_list("pk", *names)[start : start + RESULTS_PER_PAGE])
        if not rows and start:
            return None
        self._read = (start, [row[0] for row in rows])
        return dict(zip(KIND_PLURALS, rows[0][1:], strict=True)) if rows else {}

    def _ranked(self):
        return self.entries.matching(self.query).ranked(self.query)

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, page):
        if not isinstance(page, slice):
            raise TypeError("Results are read a page at a time")
        start = page.start or 0
        if page.stop is not None and page.stop <= start:
            # No results: still asked for, so that a search runs the same queries whatever
            # it finds (below too).
            page = slice(start, start + 1)
        read_from, read = self._read or (None, [])
        if read_from == start and page.stop is not None and page.stop - start <= RESULTS_PER_PAGE:
            ids = read[: page.stop - start]  # read with the counts (all of the page there is)
        else:
            ids = list(self._ranked().values_list("pk", flat=True)[page])
        first_level = Level.objects.filter(contacts=OuterRef("contact_id")).order_by("number")
        # Fetched by their ids: joined with the ranking query, PostgreSQL joins every match
        # before it keeps a page (50 ms for "parent" at 155 areas, against 1 ms). With no ids,
        # an id no entry has (they start at 1), so that every page runs the same queries.
        fetched = (
            SearchEntry.objects.filter(pk__in=ids or [0])
            .annotate(contact_level=Subquery(first_level.values("number")[:1]))
            .values(*RESULT_COLUMNS)
        )
        entries = {entry["pk"]: entry for entry in fetched}
        return [_result(entries[pk], self.query) for pk in ids if pk in entries]


# The highest page number read with the counts: a page further on is read on its own, after the
# count (an offset that large is a made-up address, not a reader's).
MAX_COUNTED_PAGE = 1000


def _first_of_page(page):
    """The offset of the page a ?page= value names, as Django's Paginator reads it (not a whole
    number: the first); None where the Paginator would show some other page (below 1: the last)
    or the page is past MAX_COUNTED_PAGE."""
    try:
        number = int(page) if page is not None else 1
    except (TypeError, ValueError):
        number = 1
    if not 1 <= number <= MAX_COUNTED_PAGE:
        return None
    return (number - 1) * RESULTS_PER_PAGE
