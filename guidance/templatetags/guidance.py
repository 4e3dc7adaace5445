import re

from django import template
from django.utils.html import conditional_escape, escape, format_html_join
from django.utils.safestring import mark_safe

from .. import validators

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


@register.filter
def highlight(text, words):
    """Escape the text, then mark every searched word in it."""
    words = [w for w in words if w]
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


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


@register.simple_tag(takes_context=True)
def indicator_groups(context):
    """`indicators` (in order) under a heading per domain, their text highlighted if the context
    has `words`; the headings are <h3> unless the context says `heading_level`."""
    words = context.get("words")
    heading = conditional_escape(context.get("heading_level") or 3)
    html, domain, items = [], None, None
    for indicator in context.get("indicators") or ():
        if items is None or indicator.domain != domain:
            if items is not None:
                html.append(_group(heading, domain, items))
            domain, items = indicator.domain, []
        text = highlight(indicator.text, words) if words else conditional_escape(indicator.text)
        strategy = STRATEGY_TAG if indicator.strategy_discussion else ""
        href = conditional_escape(indicator.get_absolute_url())
        items.append(
            '\n  <li><a class="govuk-link govuk-link--text-colour" '
            f'href="{href}">{text}</a>{strategy}</li>\n  '
        )
    if items is not None:
        html.append(_group(heading, domain, items))
    return mark_safe("\n" + "".join(html))


def _group(heading, domain, items):
    return (
        f'\n<h{heading} class="govuk-heading-s">{conditional_escape(domain.path)}</h{heading}>\n'
        f'<ul class="govuk-list govuk-list--bullet indicator-list">\n  {"".join(items)}\n</ul>\n'
    )


@register.filter
def level_table_cell(indicators):
    """The list in a cell of the level table (nothing for an empty cell)."""
    if not indicators:
        return ""
    items = "".join(
        '<li><a class="govuk-link govuk-link--text-colour govuk-link--no-underline" '
        f'href="{conditional_escape(i.get_absolute_url())}">{conditional_escape(i.text)}</a></li>'
        for i in indicators
    )
    return mark_safe(f'<ul class="level-table__list">{items}</ul>')
