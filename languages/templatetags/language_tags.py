"""Numbers in the reader's language: ``{{ n|grouped }}`` is 4,767 in English, 4.767 in Serbian.

Loaded for every template (a builtin in settings), like ``{% translate %}``.
"""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def grouped(value, decimals=None):
    """A number with the active language's thousand and decimal separators; anything else as is."""
    if isinstance(value, bool) or value in (None, ""):
        return value
    try:
        number = value if isinstance(value, int | float) else float(value)
    except (TypeError, ValueError):
        return value
    if isinstance(number, float) and decimals is None and number.is_integer():
        number = int(number)
    return number_format(number, decimal_pos=decimals, force_grouping=True)
