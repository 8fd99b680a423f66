"""Turning whatever a reader typed into something safe to hand to the search backend.

The rules, in order:

1. Only the first ``MAX_RAW_LENGTH`` characters of the raw parameter are looked at at all.
2. Unicode is normalised (NFKC), and every control, format, surrogate, private-use and
   unassigned character is dropped (NUL bytes, bidi marks, zero-width joiners, ...).
3. Runs of white space collapse to one space; the result is cut to ``MAX_QUERY_LENGTH``
   characters. This is the query shown back to the reader.
4. The words of that query (letters and digits of any script, nothing else) are what reaches
   the database. Full-text operators (``& | ! ( ) : * " -``), quotes and SQL punctuation can
   therefore never change the meaning of the backend query or break its syntax.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

MAX_RAW_LENGTH = 1000
MAX_QUERY_LENGTH = 200
MAX_TERMS = 20

_WORD = re.compile(r"[^\W_]+")


def clean_query(raw: str | None) -> str:
    """The query as the reader typed it, minus anything that is not printable text."""
    if not raw:
        return ""
    text = unicodedata.normalize("NFKC", raw[:MAX_RAW_LENGTH])
    text = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or not unicodedata.category(char).startswith("C")
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search_terms(query: str) -> list[str]:
    """The words of a cleaned query, without duplicates, in the order typed."""
    terms: list[str] = []
    seen: set[str] = set()
    for word in _WORD.findall(query):
        key = word.casefold()
        if key not in seen:
            seen.add(key)
            terms.append(word)
    return terms[:MAX_TERMS]


def fold(text: str) -> str:
    """Case- and accent-insensitive form used to match words for highlighting."""
    if text.isascii():  # nothing to decompose: the same result without a pass per character
        return text.lower()
    folded = unicodedata.normalize("NFKD", text.casefold())
    # The marks are few distinct characters: each removed in one pass (``str.translate`` with
    # the whole table, ``_combining_marks``, looks up every character and costs about 6x more).
    for char in set(folded):
        if char > "\x7f" and unicodedata.combining(char):
            folded = folded.replace(char, "")
    return folded


@functools.cache
def _combining_marks() -> dict[int, None]:
    """A ``str.translate`` table deleting every combining mark (built once per process): what
    ``fold`` gives, for the tests."""
    return {code: None for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))}
