"""The interface catalogues (``locale/<lang>/LC_MESSAGES/django.po``): reading them, and the
Serbian Latin catalogue made from the Cyrillic one.

``locale/sr`` (Cyrillic) is the one translators edit; ``locale/sr_Latn`` is generated from it
by ``manage.py translit_catalogue`` (letter for letter, so it never needs a translator), and a
test runs ``translit_catalogue --check`` so the two never drift apart.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .serbian import to_latin

SOURCE = "sr"
TARGET = "sr_Latn"
LANGUAGES = ("sq", SOURCE, TARGET)
# What ``makemessages`` reads: every reader-facing app (the admin-only editorial and WordPress
# import, the demo content and the tests are left out). docs/translations.md has the command.
MAKEMESSAGES_IGNORE = [".venv/*", "tests/*", "bench/*", "demo/*", "editorial/*",
                       "wordpress_import/*", "staticfiles/*", "media/*", "scripts/*",
                       "core/templates/core/429.html"]  # fmt: skip
# Django's own Plural-Forms for Serbian (both scripts) and Albanian.
_LANGUAGE_HEADER = re.compile(r'^"Language: [^"\\]*\\n"$', re.M)


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def po_path(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file (the header, msgid "", included; obsolete #~ entries not)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] = ("msgstr", 0)
    flags: set[str] = set()
    for line in text.splitlines():
        if line.startswith("#,"):
            flags = {f.strip() for f in line[2:].split(",")}
            continue
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith('"'):
            _append(current, target, ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest)
        starts = keyword == "msgctxt" or (keyword == "msgid" and target[0] == "msgstr")
        if starts:
            if current is not None:
                entries.append(current)
            current, flags = Entry(msgid="", flags=flags), set()
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr.extend([""] * (index + 1 - len(current.msgstr)))
            current.msgstr[index] = value
            target = ("msgstr", index)
        else:
            setattr(current, keyword, value)
            target = (keyword, None)
    if current is not None:
        entries.append(current)
    return entries


def _append(entry: Entry, target, value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += value
    else:
        setattr(entry, name, (getattr(entry, name) or "") + value)


def latin_catalogue(cyrillic_po: str) -> str:
    """The sr_Latn .po text for the sr (Cyrillic) .po text: every msgstr line in Latin.

    Only translations change (msgids are English); the Language header names sr_Latn.
    Cyrillic to Latin is letter for letter, so placeholders and HTML in msgstrs stay intact.
    """
    out, in_msgstr = [], False
    for line in cyrillic_po.splitlines(keepends=True):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        out.append(to_latin(line) if in_msgstr else line)
    text = "".join(out)
    return _LANGUAGE_HEADER.sub(f'"Language: {TARGET}\\\\n"', text, count=1)
