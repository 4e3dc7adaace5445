import re

from django import template
from django.utils.html import escape, format_html_join
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
