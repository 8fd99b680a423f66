"""Month names as they appear in dates (``{{ date|date:"DATE_FORMAT" }}``).

Django's own catalogues supply them, but its Albanian ones are capitalised ("3 Dhjetor 2026"),
while Albanian writes months in lower case in a date ("3 dhjetor 2026"). Listing them here puts
them in this project's catalogues, which come first (``LOCALE_PATHS``).
"""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
