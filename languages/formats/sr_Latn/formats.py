"""Serbian in Latin: the same formats as in Cyrillic (month names come from the catalogue)."""

from languages.formats.sr.formats import *  # noqa: F403
