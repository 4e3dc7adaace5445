import re
from html import escape as escape_text  # as Django's escape() does, without marking it safe

from django import template
from django.utils.html import conditional_escape, escape, format_html_join
from django.utils.safestring import mark_safe

from .. import search, validators
from ..addresses import address as _address

register = template.Library()


@register.filter
def guidance_text(text):
    """The document's text as paragraphs and bullet lists (blank line: paragraph, "- ": bullet)."""
    html = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        bullets = [line for line in lines if line.startswith("- ")]
        prose = [line for line in lines if not line.startswith("- ")]
        if prose:
            html.append(f'<p class="govuk-body">{"<br>".join(escape(p) for p in prose)}</p>')
        if bullets:
            items = format_html_join("", "<li>{}</li>", ((b[2:],) for b in bullets))
            html.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
    return mark_safe("".join(html))


@register.simple_tag(name="address")
def address_tag(name, *args):
    """`{% url %}` for the site's own pages, without a `reverse()` each (guidance/addresses.py):
    an area's page names a dozen addresses."""
    return _address(name, *args)


@register.filter
def tel_href(number):
    """A tel: address for a number as printed ("01782 232200" -> "tel:01782232200")."""
    return "tel:" + re.sub(r"[^\d+]", "", number)


@register.filter
def web_href(address):
    """The link for a stored web address, or "" so that only http(s) addresses are ever linked
    (defence in depth: the loader and admin already refuse other schemes)."""
    return validators.web_href(address) or ""


# --- Lists of indicators ------------------------------------------------------------------------
# A page lists up to a few hundred indicators; written out here rather than by a template loop,
# each costs a few string joins instead of a dozen template lookups. The markup is the same.

STRATEGY_TAG = ' <strong class="govuk-tag govuk-tag--red">Strategy discussion</strong>'


@register.filter
def highlight(text, query):
    """The text, escaped, marked where a search query (text or parsed) matched it, as the search
    page marks it: stems and synonyms too."""
    return search.highlight(text, query if isinstance(query, search.Query) else search.parse(query))


INCOMPLETE_TEXT = "(incomplete in the published document)"
INCOMPLETE_MARK = f' <span class="incomplete-mark">{INCOMPLETE_TEXT}</span>'


@register.simple_tag
def incomplete_text():
    """What pages say after text the published document cuts off (includes/incomplete.html)."""
    return INCOMPLETE_TEXT


@register.filter
def incomplete_mark(incomplete):
    """The mark after an indicator's text in a list, if the indicator is incomplete."""
    return mark_safe(INCOMPLETE_MARK) if incomplete else ""


@register.simple_tag(takes_context=True)
def indicator_groups(context):
    """`indicators` (in order) under a heading per domain, their text marked where a search
    `query` in the context matched; the headings are <h3> unless the context says
    `heading_level`. With `accordion` (an id) the domains are the sections of a GOV.UK
    accordion (collapsed with JavaScript; opened by find in page, by a link to `#domain-<id>`
    and when printed)."""
    query = context.get("query")
    heading = conditional_escape(context.get("heading_level") or 3)
    accordion = context.get("accordion")
    group = _accordion_section if accordion else _group
    # With `note_boxes`, each indicator has a tick box "Add to my notes" (a form of the page
    # sends the ticked ids to the notes page; js/notes.js keeps them as they are ticked). The
    # box is named by the page's hidden "note-add-label" and the indicator's own link.
    boxes = bool(context.get("note_boxes"))
    list_class = "govuk-list indicator-list app-note-list" if boxes else None
    html, domain, items = [], None, None
    for indicator in context.get("indicators") or ():
        if items is None or indicator.domain != domain:
            if items is not None:
                html.append(group(heading, domain, items, len(html) + 1, accordion, list_class))
            domain, items = indicator.domain, []
        # Plain text from the database, escaped as templates escape it (`escape_text`: without
        # Django's lazy-string checks, which cost as much again over a few hundred rows).
        text = highlight(indicator.text, query) if query else escape_text(indicator.text)
        strategy = STRATEGY_TAG if indicator.strategy_discussion else ""
        incomplete = INCOMPLETE_MARK if getattr(indicator, "incomplete", "") else ""
        href = escape_text(indicator.get_absolute_url())
        if boxes:
            pk = escape_text(str(indicator.pk))
            # The box after the words: read (and tabbed to) after the indicator it adds.
            items.append(
                '\n  <li><a class="govuk-link govuk-link--text-colour" '
                f'id="note-{pk}-text" href="{href}">{text}</a>{incomplete}{strategy}'
                f"{NOTE_BOX.format(pk=pk)}</li>\n  "
            )
            continue
        items.append(
            '\n  <li><a class="govuk-link govuk-link--text-colour" '
            f'href="{href}">{text}</a>{incomplete}{strategy}</li>\n  '
        )
    if items is not None:
        html.append(group(heading, domain, items, len(html) + 1, accordion, list_class))
    if accordion:
        accordion = conditional_escape(accordion)
        return mark_safe(
            f'\n<div class="govuk-accordion" data-module="govuk-accordion" id="{accordion}">'
            f"{''.join(html)}\n</div>\n"
        )
    return mark_safe("\n" + "".join(html))


# The tick box before an indicator of a list with `note_boxes` (GOV.UK small checkbox; its label
# element draws the box and the accessible name comes from aria-labelledby).
NOTE_BOX = (
    '<div class="govuk-checkboxes govuk-checkboxes--small app-note-box">'
    '<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="note-{pk}" '
    'name="i" type="checkbox" value="{pk}" data-note="{pk}" '
    'aria-labelledby="note-add-label note-{pk}-text">'
    '<label class="govuk-label govuk-checkboxes__label" for="note-{pk}"></label></div></div>'
)
LIST_CLASS = "govuk-list govuk-list--bullet indicator-list"


def _accordion_section(heading, domain, items, index, accordion, list_class=None):
    accordion = conditional_escape(accordion)
    count = len(items)
    return (
        '\n<div class="govuk-accordion__section">\n'
        '<div class="govuk-accordion__section-header">'
        f'<h{heading} class="govuk-accordion__section-heading">'
        f'<span class="govuk-accordion__section-button" id="{accordion}-heading-{index}">'
        f"{escape_text(domain.path)}</span></h{heading}>"
        f'<div class="govuk-accordion__section-summary govuk-body" '
        f'id="{accordion}-summary-{index}">{count} indicator{"" if count == 1 else "s"}</div>'
        "</div>\n"
        f'<div id="{accordion}-content-{index}" class="govuk-accordion__section-content">\n'
        f'<ul class="{list_class or LIST_CLASS}" id="domain-{domain.pk}">\n'
        f"  {''.join(items)}\n</ul>\n</div>\n</div>"
    )


def _group(heading, domain, items, index=None, accordion=None, list_class=None):
    return (
        f'\n<h{heading} class="govuk-heading-s">{escape_text(domain.path)}</h{heading}>\n'
        f'<ul class="{list_class or LIST_CLASS}">\n  {"".join(items)}\n</ul>\n'
    )


@register.filter
def level_table_cell(indicators):
    """The list in a cell of the level table (nothing for an empty cell), an indicator that needs
    a strategy discussion marked as its document marks it (the legend says what the mark means)."""
    if not indicators:
        return ""
    items = "".join(
        '<li><a class="govuk-link govuk-link--text-colour govuk-link--no-underline" '
        f'href="{escape_text(i.get_absolute_url())}">{escape_text(i.text)}</a>'
        f"{_marks(i)}</li>"
        for i in indicators
    )
    return mark_safe(f'<ul class="level-table__list">{items}</ul>')


# Dudley's asterisk, in the table, the slides and print; read out as what it stands for.
STRATEGY_MARK = (
    '<span class="strategy-mark" aria-hidden="true">*</span>'
    '<span class="govuk-visually-hidden"> (strategy discussion)</span>'
)


def _marks(indicator):
    """What the table and the slides add after an indicator's text: whether it is cut off in the
    document, and whether it needs a strategy discussion."""
    return (INCOMPLETE_MARK if indicator.incomplete else "") + (
        STRATEGY_MARK if indicator.strategy_discussion else ""
    )


@register.filter
def compare_cell(indicators):
    """The list in a cell of the comparison of areas (guidance/compare.html)."""
    items = "".join(
        '<li><a class="govuk-link govuk-link--text-colour" '
        f'href="{escape_text(i.get_absolute_url())}">{escape_text(i.text)}</a>'
        f"{INCOMPLETE_MARK if i.incomplete else ''}</li>"
        for i in indicators
    )
    return mark_safe(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')


@register.filter
def slide_cell(indicators):
    """The list in a cell of a slide (the indicators' text, without links)."""
    items = "".join(f"<li>{escape_text(i.text)}{_marks(i)}</li>" for i in indicators)
    return mark_safe(f'<ul class="slide__list">{items}</ul>')


@register.filter
def slide_columns(slide):
    """A slide's four cells, each a level with its part of the row (slide 1: the levels'
    summaries; "None at this level" where the domain has none there at all). Written here:
    a deck holds a few dozen cells, and as a template loop they were a third of its time."""
    cells = []
    for level, cell, none in slide.columns:
        if slide.row is None:
            body = f'<p class="slide__text">{escape_text(level.summary)}</p>'
        elif cell:
            body = slide_cell(cell)
        else:
            body = '<p class="slide__none">None at this level</p>' if none else ""
        cells.append(
            f'\n        <div class="slide__cell level-{level.number}">\n'
            '          <h2 class="slide__level">'
            f'<span class="level-tag">Level {level.number}</span> {escape_text(level.name)}</h2>\n'
            f"          \n            {body}\n          \n        </div>\n        "
        )
    return mark_safe("".join(cells))


@register.filter
def area_list(authorities):
    """The home page's list of areas (`home` gives each as a dict, with its `url`): each a link
    with its partnership, document and edition. Written here: ~150 areas as a template loop
    were most of the page's time."""
    return mark_safe(
        "".join(
            '\n      <li><a class="govuk-link govuk-!-font-weight-bold" '
            f'href="{escape_text(area["url"])}">{escape_text(area["name"])}</a><br>\n'
            f'        <span class="govuk-body-s">{escape_text(area["partnership"])}: '
            f"{escape_text(area['document_title'])} ({escape_text(area['edition'])})</span></li>\n"
            "      "
            for area in authorities
        )
    )


# --- The header's navigation --------------------------------------------------------------------

NAVIGATION = (
    ("Areas", "guidance:home", "areas"),
    ("Search", "guidance:search", "search"),
    ("Compare areas", "guidance:compare", "compare"),
)


def _section(match):
    """Which part of the site a page belongs to: an area's pages are under "Areas"."""
    if match is None or match.namespace != "guidance":
        return None
    if match.url_name == "search":
        return "search"
    if match.url_name.startswith("compare"):
        return "compare"
    return "areas"


@register.simple_tag(takes_context=True)
def navigation(context):
    """The header's links, each with `active` (the page is in its section) and `current` (the
    page is the link's own), as GOV.UK service navigation marks them (aria-current)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    section = _section(match)
    items = []
    for label, name, key in NAVIGATION:
        href = _address(name)
        items.append(
            {
                "label": label,
                "href": href,
                "active": key == section,
                "current": key == section and request.path == href,
            }
        )
    return items


@register.filter
def described_by(field):
    """A GOV.UK field's ` aria-describedby` naming its hint and error messages (if any), then a
    line break (as the include it replaces wrote it). Fields are drawn a few times a page: a
    filter costs a tenth of an `{% include %}`."""
    described = ""
    if field.help_text or field.errors:
        name = escape_text(str(field.auto_id))
        hint = f"{name}_hint" if field.help_text else ""
        errors = "".join(f" {name}_{n}_error" for n, _ in enumerate(field.errors, start=1))
        described = f' aria-describedby="{hint}{errors}"'
    return mark_safe(f"{described}\n")


@register.filter
def field_errors(field):
    """A GOV.UK field's error messages, ids as `described_by` names them, then a line break."""
    name = escape_text(str(field.auto_id))
    return mark_safe(
        "".join(
            f'<p id="{name}_{n}_error" class="govuk-error-message">'
            f'<span class="govuk-visually-hidden">Error:</span> {escape_text(str(error))}</p>'
            for n, error in enumerate(field.errors, start=1)
        )
        + "\n"
    )


@register.filter
def inline_radios(field):
    """A choice field as crispy-forms-gds lays out `Field.radios(legend_size=Size.SMALL,
    inline=True)` (`{% crispy %}` of a form holding only it), byte for byte: its templates and
    whitespace pass cost a fifth of the next-steps comparison's time."""
    name = escape_text(field.html_name)
    chosen = str(field.value())
    errors = list(field.errors)
    group_class = "govuk-form-group govuk-form-group--error" if errors else "govuk-form-group"
    described = described_by(field).rstrip("\n")
    messages = "".join(
        f'<span id="{escape_text(str(field.auto_id))}_{n}_error" class="govuk-error-message"> '
        f'<span class="govuk-visually-hidden">Error:</span> {escape_text(str(error))}\n'
        "    </span> "
        for n, error in enumerate(errors, start=1)
    )
    items = []
    for n, (value, label) in enumerate(field.field.choices, start=1):
        checked = '      checked="checked"\n    \n' if str(value) == chosen else ""
        items.append(
            '<div class="govuk-radios__item"> <input\n    type="radio"\n'
            f'    name="{name}"\n    class="govuk-radios__input"\n    id="id_{name}_{n}"\n'
            f'    value="{escape_text(str(value))}"\n    \n{checked}    \n    \n  > '
            f'<label class="govuk-label govuk-radios__label" for="id_{name}_{n}">\n'
            f"    {escape_text(str(label))}\n  </label> </div>"
        )
    return mark_safe(
        f'\n\n<div id="div_{escape_text(str(field.auto_id))}" class="{group_class}"> '
        f'<fieldset class="govuk-fieldset"{described}> '
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">\n      \n'
        f"      {field.label}\n      \n    </legend> {messages}"
        '<div class="govuk-radios govuk-radios--inline" data-module="govuk-radios"> '
        f"{' '.join(items)} </div> </fieldset> </div>\n"
    )


@register.filter
def checkbox_items(field):
    """The GOV.UK checkbox items of a multiple-choice field (includes/gds/checkboxes.html), ids
    id_<name>_1... as the error summary links them. Written in Python: a template loop over 155
    areas took 13 ms a page (and format_html_join, escaping each part, 2 ms of the 3 left)."""
    chosen = {str(value) for value in field.value() or ()}
    name = escape_text(field.html_name)
    return mark_safe(
        "\n".join(
            '<div class="govuk-checkboxes__item">'
            f'<input class="govuk-checkboxes__input" id="id_{name}_{number}" name="{name}" '
            f'type="checkbox" value="{escape_text(str(value))}"'
            f"{' checked' if str(value) in chosen else ''}>"
            f'<label class="govuk-label govuk-checkboxes__label" for="id_{name}_{number}">'
            f"{escape_text(str(label))}</label></div>"
            for number, (value, label) in enumerate(field.field.choices, start=1)
        )
    )
