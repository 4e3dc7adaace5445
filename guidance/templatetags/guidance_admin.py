from django import template

from guidance.changes import word_diff as _word_diff

register = template.Library()


@register.simple_tag
def word_diff(old, new):
    """The new text with removed words struck and added words marked (guidance/changes.py)."""
    return _word_diff(old, new)
