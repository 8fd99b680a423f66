from django import template

from search.highlight import highlight as _highlight

register = template.Library()


@register.filter
def highlight(text, stems):
    """``{{ result.title|highlight:stems }}``: escaped text with the reader's words marked."""
    return _highlight(text, stems or [])
