"""Serbian in both scripts from one text: transliteration of plain text and of HTML.

Cyrillic to Latin is letter for letter (љ lj, њ nj, џ dž, ђ đ, ћ ć, ...). Latin to Cyrillic
reads lj, nj and dž as one letter except in the words where they are two (konjunkcija,
injekcija, nadživeti and their inflections: ``DIGRAPH_EXCEPTIONS``), and leaves alone what is
not Serbian text: URLs, email addresses, domain names, @handles, HTML entities, words with
letters Serbian does not use (q, w, x, y, ä, é, ...: foreign names), Roman numerals, and in HTML
everything but visible text and a few attributes (alt, title, aria-label, placeholder, meta
descriptions). Inside ``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``, ``<script>``, ``<style>``,
and any element with ``class="keep-latin"`` (the editor's "Keep in Latin" mark),
``translate="no"`` or a ``lang`` that is not Serbian, nothing changes.

A zero-width non-joiner (U+200C) between two letters keeps them apart: ``kon\u200cjunktura``
stays н + ј for a word the exception list does not know. Latin output drops it again.
``to_latin(text, mark_pairs=True)`` puts one in wherever the Latin would otherwise read back as a
digraph (or as a Roman numeral: ВИ, VI), so that
``to_cyrillic(to_latin(text, mark_pairs=True)) == text`` for any Cyrillic text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache, partial

ZWNJ = "\u200c"

_CYR = "абвгдђежзијклљмнњопрстћуфхцчџш"
_LAT = ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj",
        "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š"]  # fmt: skip
CYRILLIC_TO_LATIN = {}
for _c, _l in zip(_CYR, _LAT, strict=True):
    CYRILLIC_TO_LATIN[_c] = _l
    CYRILLIC_TO_LATIN[_c.upper()] = _l[0].upper() + _l[1:]
_TO_LATIN_TABLE = str.maketrans(CYRILLIC_TO_LATIN)

LATIN_TO_CYRILLIC = {lat: cyr for cyr, lat in CYRILLIC_TO_LATIN.items()}
for _c, _l in zip(_CYR, _LAT, strict=True):
    if len(_l) == 2:
        LATIN_TO_CYRILLIC[_l.upper()] = _c.upper()  # LJ, NJ, DŽ
SERBIAN_LATIN_LETTERS = set("abcčćdđefghijklmnoprsštuvzž")
_TO_CYRILLIC_TABLE = str.maketrans({k: v for k, v in LATIN_TO_CYRILLIC.items() if len(k) == 1})
_DIGRAPH = re.compile(r"[Ll][Jj]|[Nn][Jj]|[Dd][Žž]")

# Word stems (lower case, Latin) in which l+j, n+j or d+ž are two letters. A stem matches
# anywhere in a word, so it covers prefixes and every inflection (konjunkcije, nekonjunkturni).
DIGRAPH_EXCEPTIONS = (
    # n + j
    "konjug",  # konjugacija, konjugovati
    "konjunk",  # konjunkcija, konjunktura, konjunktiv
    "konjektur",  # konjektura
    "injekc",  # injekcija, injekcioni
    "injekt",  # injektor, injektirati
    "injunkt",  # injunkcija
    "vanjezi",  # vanjezički
    "vanjevrop",  # vanjevropski
    "tanjug",  # Tanjug (the news agency)
    "anjon",  # anjon (anion)
    # d + ž
    "nadživ",  # nadživeti, nadživljavati
    "nadžnje",  # nadžnjeti
    "nadžanr",
    "nadžup",  # nadžupnik
    "odžal",  # odžaliti
    "odživ",  # odživeti
    "odžvak",
    "podžanr",  # podžanr
    "podžel",  # podželudačna
    "podžup",  # podžupan
    "predživot",  # predživotni
    "nuzživ",
)
_EXCEPTION_RE = re.compile("|".join(sorted(DIGRAPH_EXCEPTIONS, key=len, reverse=True)))

_ROMAN = re.compile(r"^M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# Things in running text that are never transliterated.
_PROTECTED = re.compile(
    r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # HTML entities
    r"|(?:https?|ftp|mailto|tel)://?\S+"  # URLs
    r"|www\.[^\s<>\"']+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email addresses
    r"|(?<![\w@])@\w+"  # @handles
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|info|io|eu|rs|me|ba|hr|si|mk|al|xk|uk|de|fr|"
    r"ch|at|it|ru|example|edu|gov|int)\b(?:/[^\s<>\"']*)?"  # domain names
)
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|\u200c)*")
_UPPER_DIGRAPH = re.compile(r"[ЉЊЏ]")


# --- plain text -----------------------------------------------------------------------------


def to_latin(text: str, mark_pairs: bool = False) -> str:
    """Cyrillic to Latin, letter for letter (all Latin text, and ZWNJ marks, pass through)."""
    if mark_pairs:
        text = _mark_pairs(text)
    else:
        text = _drop_marks(text)
    if "Љ" in text or "Њ" in text or "Џ" in text:
        text = _UPPER_DIGRAPH.sub(_upper_digraph, text)
    return text.translate(_TO_LATIN_TABLE)


def _upper_digraph(match) -> str:
    """Љ is LJ inside an upper-case word (ЉУБАВ: LJUBAV) and Lj before lower case (Љубав)."""
    text, end, start = match.string, match.end(), match.start()
    latin = CYRILLIC_TO_LATIN[match.group()]
    after = text[end : end + 1]
    before = text[start - 1 : start] if start else ""
    if after.isupper() or (not after.isalpha() and before.isupper()):
        return latin.upper()
    return latin


def _drop_marks(text: str) -> str:
    if ZWNJ not in text:
        return text
    return re.sub(r"(?<=[LlNnDdлнд])\u200c(?=[JjŽžјж])", "", text)


def _mark_pairs(text: str) -> str:
    """Put a ZWNJ in н+ј, л+ј, д+ж where the Latin would read back as one letter."""

    def word(match):
        w = match.group()
        latin = w.translate(_TO_LATIN_TABLE)
        exempt = _exempt_positions(latin)
        out, pos = [], 0  # pos: index in the Latin word
        for i, ch in enumerate(w):
            nxt = w[i + 1 : i + 2]
            out.append(ch)
            pos += len(CYRILLIC_TO_LATIN.get(ch, ch))
            if ch.lower() in "лнд" and nxt and nxt.lower() in "јж":
                if (ch.lower() + nxt.lower()) in ("лј", "нј", "дж") and pos - 1 not in exempt:
                    out.append(ZWNJ)
        if _reads_as_roman_numeral(latin):
            out.insert(1, ZWNJ)  # ВИ is VI in Latin, which would stay Latin as a numeral
        return "".join(out)

    return _WORD.sub(word, text)


def _reads_as_roman_numeral(word: str) -> bool:
    return len(word) > 1 and set(word) <= {"I", "V"} and bool(_ROMAN.match(word))


def _exempt_positions(latin_word: str) -> set[int]:
    """Positions of the first letter of each l+j, n+j, d+ž that the exception list keeps apart."""
    lower = latin_word.lower()
    exempt = set()
    for match in _EXCEPTION_RE.finditer(lower):
        for pair in _DIGRAPH.finditer(lower, match.start(), match.end()):
            exempt.add(pair.start())
    return exempt


@lru_cache(maxsize=32)
def _protected(keep: tuple[str, ...]) -> re.Pattern:
    if not keep:
        return _PROTECTED
    names = "|".join(re.escape(name) for name in sorted(keep, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)|{_PROTECTED.pattern}")


def to_cyrillic(text: str, keep: tuple[str, ...] = ()) -> str:
    """Latin to Cyrillic, with the digraph exceptions, leaving URLs, emails and the like.

    ``keep``: names that stay in Latin wherever they appear (the publication's name).
    """
    out, last = [], 0
    for match in _protected(keep).finditer(text):
        out.append(_WORD.sub(_word_to_cyrillic, text[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_WORD.sub(_word_to_cyrillic, text[last:]))
    return "".join(out)


def _word_to_cyrillic(match) -> str:
    return _cyrillic_word(match.group())


@lru_cache(maxsize=20_000)
def _cyrillic_word(word: str) -> str:
    if _reads_as_roman_numeral(word):
        return word  # II, IV, VII (numerals with X, L, C, D or M: see foreign letters)
    normal = unicodedata.normalize("NFC", word)
    letters = normal.replace(ZWNJ, "").lower()
    if not letters or any(c not in SERBIAN_LATIN_LETTERS for c in letters):
        return word  # Cyrillic already, or foreign (Washington, Müller, Cyrillic mixed in)
    exempt = _exempt_positions(normal.replace(ZWNJ, ""))
    out, i, plain = [], 0, 0  # plain: index in the word without ZWNJs
    while i < len(normal):
        ch = normal[i]
        if ch == ZWNJ:
            i += 1
            continue
        pair = normal[i : i + 2]
        if _DIGRAPH.fullmatch(pair) and plain not in exempt:
            if pair.isupper() or pair[0].isupper():
                out.append(LATIN_TO_CYRILLIC[pair[0].upper() + pair[1].lower()])
            else:
                out.append(LATIN_TO_CYRILLIC[pair.lower()])
            i += 2
            plain += 2
            continue
        out.append(ch.translate(_TO_CYRILLIC_TABLE))
        i += 1
        plain += 1
    return "".join(out)


# --- HTML -----------------------------------------------------------------------------------

# Elements whose content is never transliterated, and void elements (no end tag).
SKIP_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp", "var", "textarea", "svg", "math"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}  # fmt: skip
KEEP_LATIN_CLASS = "keep-latin"
TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}
META_TEXT_NAMES = {"description", "keywords", "og:title", "og:description", "og:site_name",
                   "og:image:alt", "twitter:title", "twitter:description", "twitter:image:alt",
                   "apple-mobile-web-app-title", "application-name"}  # fmt: skip

_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?[^>]*>|</?[A-Za-z][^>]*>", re.S)
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def html_to_latin(html: str) -> str:
    return _transliterate_html(html, to_latin, latin=True)


def html_to_cyrillic(html: str, keep: tuple[str, ...] = ()) -> str:
    return _transliterate_html(html, partial(to_cyrillic, keep=keep), latin=False)


def _transliterate_html(html: str, convert, latin: bool) -> str:
    """Transliterate the visible text of an HTML document; markup stays byte for byte.

    A stack of open elements that stop transliteration (code, keep-latin, lang="en", ...)
    holds their names; text is converted while it is empty. Latin output ignores the
    keep-in-Latin marks (the text is Latin already) but still leaves code alone.
    """
    out = []
    skipping: list[str] = []  # names of the open elements that stop transliteration
    last = 0
    for match in _MARKUP.finditer(html):
        if match.start() < last:
            continue  # inside a JSON-LD script already converted
        text = html[last : match.start()]
        if text:
            out.append(convert(text) if not skipping else text)
        last = match.end()
        tag = match.group()
        if not tag.startswith("<") or tag[1] in "!?":
            out.append(tag)
            continue
        name_match = _TAG_NAME.match(tag)
        name = name_match.group(1).lower()
        if tag.startswith("</"):
            if skipping and skipping[-1] == name:
                skipping.pop()
            elif name in skipping:  # an unclosed element inside: close up to it
                del skipping[len(skipping) - 1 - skipping[::-1].index(name) :]
            out.append(tag)
            continue
        attributes = tag[name_match.end() :]
        if name == "script" and "ld+json" in attributes and not skipping:
            end = html.find("</script", last)
            if end != -1:
                out.append(tag)
                out.append(_convert_json_ld(html[last:end], convert))
                last = end
                continue
        # The document's own language (<html lang>) never stops it: the caller decided.
        stops = name in SKIP_ELEMENTS or (
            name not in ("html", "body") and _stops(attributes, latin)
        )
        if not skipping:
            tag = _convert_attributes(tag, name, name_match.end(), convert)
        out.append(tag)
        if (stops or skipping) and name not in VOID_ELEMENTS and not tag.endswith("/>"):
            skipping.append(name)
    text = html[last:]
    out.append(convert(text) if text and not skipping else text)
    return "".join(out)


# JSON-LD values readers see in search results; URLs, dates and types stay as they are.
JSON_LD_TEXT_KEYS = ("headline", "alternativeHeadline", "description", "name", "articleSection",
                     "keywords", "caption", "abstract")  # fmt: skip
_JSON_LD_KEYS = "|".join(JSON_LD_TEXT_KEYS)
_JSON_LD_VALUE = re.compile(rf'"({_JSON_LD_KEYS})"(\s*:\s*)"((?:[^"\\]|\\.)*)"')
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _convert_json_ld(text: str, convert) -> str:
    def value(match):
        try:
            decoded = json.loads(f'"{match.group(3)}"')
        except ValueError:
            return match.group()
        encoded = json.dumps(convert(decoded), ensure_ascii=False).translate(_JSON_ESCAPES)
        return f'"{match.group(1)}"{match.group(2)}{encoded}'

    return _JSON_LD_VALUE.sub(value, text)


def _stops(attributes: str, latin: bool) -> bool:
    if "=" not in attributes:
        return False
    for match in _ATTRIBUTE.finditer(attributes):
        key = match.group(1).lower()
        value = match.group(3) or match.group(4) or match.group(5) or ""
        if key == "class" and not latin and KEEP_LATIN_CLASS in value.split():
            return True
        if key == "translate" and value.lower() == "no":
            return True
        if key == "lang" and value and not value.lower().startswith("sr"):
            return True
    return False


def _convert_attributes(tag: str, name: str, start: int, convert) -> str:
    if "=" not in tag:
        return tag
    attributes = {}
    spans = []
    for match in _ATTRIBUTE.finditer(tag, start):
        key = match.group(1).lower()
        group = 3 if match.group(3) is not None else 4 if match.group(4) is not None else 5
        attributes[key] = match.group(group) or ""
        if match.group(group) is not None:
            spans.append((key, match.start(group), match.end(group)))
    if name == "meta":
        kind = (attributes.get("name") or attributes.get("property") or "").lower()
        wanted = {"content"} if kind in META_TEXT_NAMES else set()
    elif name == "input" and attributes.get("type", "").lower() in ("submit", "button", "reset"):
        wanted = TEXT_ATTRIBUTES | {"value"}
    else:
        wanted = TEXT_ATTRIBUTES
    pieces, last = [], 0
    for key, begin, end in spans:
        if key in wanted:
            pieces.append(tag[last:begin])
            pieces.append(convert(tag[begin:end]))
            last = end
    pieces.append(tag[last:])
    return "".join(pieces)
