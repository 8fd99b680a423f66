"""Highlighting the reader's words in headlines, standfirsts and body snippets.

Everything is escaped first and only then wrapped in ``<mark>``: reader input and article text
can never inject markup. Matching is case- and accent-insensitive and tolerant of simple word
endings ("troops" marks "troop" and "troops"), close to what the full-text backends match.
"""

from __future__ import annotations

import functools
import re
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .query import _WORD, fold

SNIPPET_WORDS = 36
LEAD_IN_WORDS = 6


def stems_for(terms: list[str]) -> list[str]:
    stems = []
    for term in terms:
        folded = fold(term)
        if len(folded) > 5:
            folded = folded[: max(5, len(folded) - 2)]
        if folded and folded not in stems:
            stems.append(folded)
    return stems


def _matches(word: str, stems: list[str]) -> bool:
    folded = word.casefold()
    if not folded.isascii():  # accents and other scripts: the full (slower) folding
        folded = fold(word)
    if not any(stem in folded for stem in stems):  # cheap test first: most words don't match
        return False
    return any(part.startswith(stem) for part in _WORD.findall(folded) for stem in stems)


@functools.lru_cache(maxsize=256)
def _stem_pattern(stems: tuple[str, ...]) -> re.Pattern[str]:
    """A stem at the start of a run of letters and digits (what ``_matches`` tests).

    A stem that folding gave something other than letters and digits ("¼" → "1⁄4") can never
    lie inside such a run, so it is left out; with none left the pattern matches nothing.
    """
    usable = [stem for stem in stems if _WORD.fullmatch(stem)]
    if not usable:
        return re.compile(r"(?!)")
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, usable)) + ")")


def _flags(words: list[str], stems: list[str]) -> list[bool]:
    """Which words match: the text is folded once and each word tested by one regex search."""
    if not stems:
        return [False] * len(words)
    folded = fold(" ".join(words)).split()
    if len(folded) == len(words):
        search = _stem_pattern(tuple(stems)).search
        return [search(word) is not None for word in folded]
    # Folding split a word (a spacing accent such as "¨" becomes a space): word by word.
    seen: dict[str, bool] = {}
    flags = []
    for word in words:
        flag = seen.get(word)
        if flag is None:
            flag = seen[word] = _matches(word, stems)
        flags.append(flag)
    return flags


def _render(words: list[str], flags: list[bool]) -> str:
    # html.escape is what django.utils.html.escape runs, without its lazy-string wrapper.
    return " ".join(
        f"<mark>{escape(word)}</mark>" if flag else escape(word)
        for word, flag in zip(words, flags, strict=True)
    )


def highlight(text: str, stems: list[str]) -> SafeString:
    """The whole text, escaped, with matching words marked."""
    words = str(text or "").split()
    return mark_safe(_render(words, _flags(words, stems)))  # noqa: S308 - every word is escaped in _render


def snippet(text: str, stems: list[str], size: int = SNIPPET_WORDS) -> SafeString:
    """About ``size`` words around the densest cluster of matches, escaped and marked.

    Falls back to the opening words when nothing matches (the match was in the headline,
    a tag or an author's name).
    """
    words = str(text or "").split()
    if not words:
        return mark_safe("")
    flags = _flags(words, stems)
    start = 0
    if any(flags):
        # Prefix sums give the number of matches in any window in O(1).
        sums = [0]
        for flag in flags:
            sums.append(sums[-1] + flag)
        best = -1
        for index, flag in enumerate(flags):
            if not flag:
                continue
            candidate = max(0, index - LEAD_IN_WORDS)
            count = sums[min(len(words), candidate + size)] - sums[candidate]
            if count > best:
                best, start = count, candidate
    end = min(len(words), start + size)
    html = _render(words[start:end], flags[start:end])
    if start > 0:
        html = "… " + html
    if end < len(words):
        html += " …"
    return mark_safe(html)  # noqa: S308 - built from escaped words only
