"""Serbian transliteration: the digraph pitfalls, round trips, and what must stay as it is."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from languages.serbian import (
    ZWNJ,
    html_to_cyrillic,
    html_to_latin,
    to_cyrillic,
    to_latin,
)

PAIRS = [
    ("Љубав и његова џезва", "Ljubav i njegova džezva"),
    ("ђак, ћуприја, чаша, шума, жаба", "đak, ćuprija, čaša, šuma, žaba"),
    ("ЉУБЉАНА, ЊЕГОШ, ЏЕП", "LJUBLJANA, NJEGOŠ, DŽEP"),
    ("Џон Ленон", "Džon Lenon"),
    ("Њ. Ђ. Ж.", "Nj. Đ. Ž."),
]


@pytest.mark.parametrize(("cyrillic", "latin"), PAIRS)
def test_both_directions(cyrillic, latin):
    assert to_latin(cyrillic) == latin
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("konjunkcija", "конјункција"),
        ("Konjunkcije i konjunktura", "Конјункције и конјунктура"),
        ("nekonjunkturni", "неконјунктурни"),
        ("injekcija", "инјекција"),
        ("INJEKCIJOM", "ИНЈЕКЦИЈОМ"),
        ("injekcioni", "инјекциони"),
        ("nadživeti", "надживети"),
        ("nadživela", "надживела"),
        ("Nadživljavaju", "Надживљавају"),  # d+ž apart, lj still one letter
        ("konjugacija", "конјугација"),
        ("odžaliti", "оджалити"),
        ("podžanr", "поджанр"),
        ("Tanjug", "Танјуг"),
        # and the ordinary digraphs right beside them
        ("konj, injekcija i džem", "коњ, инјекција и џем"),
        ("njuška, ljiljan, džungla", "њушка, љиљан, џунгла"),
    ],
)
def test_digraph_exceptions(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


def test_zero_width_non_joiner_keeps_two_letters_apart():
    assert to_cyrillic(f"kon{ZWNJ}junktivan") == "конјунктиван"
    assert to_cyrillic("konjunktivan") == "конјунктиван"  # the stem konjunk knows it anyway
    assert to_cyrillic(f"pan{ZWNJ}jelin") == "панјелин"
    assert to_cyrillic("panjelin") == "пањелин"  # without the mark: one letter
    assert to_latin(f"kon{ZWNJ}junktivan") == "konjunktivan"  # Latin readers never see it


@pytest.mark.parametrize(
    "text",
    [
        "https://balkanreport.example/news/ljubav-i-nada/",
        "http://example.org/?q=njiva&lang=sr",
        "urednik@balkanreport.example",
        "ljiljana.nikolic@njuz.rs",
        "www.danas.rs/politika",
        "bbc.com",
        "@NjuzNet",
        "&nbsp;",
        "&#x27;",
        "Washington",
        "Müller",
        "WhatsApp",
        "II",
        "XXI",
    ],
)
def test_untouched_in_text(text):
    assert to_cyrillic(text) == text
    assert to_cyrillic(f"Piše {text} danas") == f"Пише {text} данас"


def test_cyrillic_and_other_scripts_pass_through():
    assert to_cyrillic("Ово је већ ћирилица.") == "Ово је већ ћирилица."
    assert to_latin("Kosovo 2.0 and Ελλάδα") == "Kosovo 2.0 and Ελλάδα"
    assert to_cyrillic("Kosovo 2.0, 4.767 ljudi, 15:30") == "Косово 2.0, 4.767 људи, 15:30"


@given(st.text(alphabet="абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ .,-\n"))
def test_round_trip_from_cyrillic_with_marked_pairs(text):
    assert to_cyrillic(to_latin(text, mark_pairs=True)) == text


@given(st.text(alphabet="абвгдђезиклмнопрстћуфхцчшАБВГДЂЕЗИКЛМНОПРСТЋУФХЦЧШ .,-"))
def test_round_trip_without_pairs_needs_no_marks(text):
    # no ј and no ж after л/н/д: nothing is ambiguous
    assert to_cyrillic(to_latin(text)) == text


def test_round_trip_of_an_article_sentence():
    latin = (
        "Konjunkcija interesa: posle injekcije novca Vlada je nadživela krizu, "
        "javlja Tanjug (https://tanjug.rs/vesti/ljubljana), piši na desk@tanjug.rs."
    )
    cyrillic = to_cyrillic(latin)
    assert cyrillic == (
        "Конјункција интереса: после инјекције новца Влада је надживела кризу, "
        "јавља Танјуг (https://tanjug.rs/vesti/ljubljana), пиши на desk@tanjug.rs."
    )
    assert to_latin(cyrillic) == latin


def test_html_markup_stays_and_visible_text_changes():
    html = (
        '<a href="/news/ljubav/" class="card njiva" data-x="nj" title="Ljubav">Ljubav i '
        '<strong>nada</strong></a><img src="/media/nj.jpg" alt="Njiva kod Niša">'
        '<input type="submit" value="Pošalji"><input name="q" value="njiva">'
    )
    assert html_to_cyrillic(html) == (
        '<a href="/news/ljubav/" class="card njiva" data-x="nj" title="Љубав">Љубав и '
        '<strong>нада</strong></a><img src="/media/nj.jpg" alt="Њива код Ниша">'
        '<input type="submit" value="Пошаљи"><input name="q" value="njiva">'
    )
    assert html_to_latin(html_to_cyrillic(html)) == html


def test_html_meta_content_only_for_text():
    html = (
        '<meta name="description" content="Nova vlada">'
        '<meta property="og:title" content="Nova vlada">'
        '<meta property="og:url" content="https://x.example/nova-vlada/">'
        '<meta name="robots" content="index, follow">'
        '<meta charset="utf-8">'
    )
    assert html_to_cyrillic(html) == (
        '<meta name="description" content="Нова влада">'
        '<meta property="og:title" content="Нова влада">'
        '<meta property="og:url" content="https://x.example/nova-vlada/">'
        '<meta name="robots" content="index, follow">'
        '<meta charset="utf-8">'
    )


def test_html_code_marked_text_and_foreign_language_stay_latin():
    html = (
        "<p>Pokrenite <code>pip install njuz</code> pa <kbd>Ctrl</kbd>.</p>"
        "<pre>lj = nj + dž</pre>"
        '<p>Izjavio je <span class="keep-latin">Jovan Njegovan <em>Lj.</em></span> danas.</p>'
        '<p lang="en">The Balkan Report</p><p translate="no">Njuz</p>'
        "<script>var nj = 1;</script><style>.nj{color:red}</style><!-- nj komentar -->"
        "<p>kraj</p>"
    )
    assert html_to_cyrillic(html) == (
        "<p>Покрените <code>pip install njuz</code> па <kbd>Ctrl</kbd>.</p>"
        "<pre>lj = nj + dž</pre>"
        '<p>Изјавио је <span class="keep-latin">Jovan Njegovan <em>Lj.</em></span> данас.</p>'
        '<p lang="en">The Balkan Report</p><p translate="no">Njuz</p>'
        "<script>var nj = 1;</script><style>.nj{color:red}</style><!-- nj komentar -->"
        "<p>крај</p>"
    )


def test_html_to_latin_leaves_code_but_converts_marked_cyrillic():
    html = '<p>Његош <code>ЊЕ</code> <span class="keep-latin">Ђорђе</span></p>'
    assert (
        html_to_latin(html) == '<p>Njegoš <code>ЊЕ</code> <span class="keep-latin">Đorđe</span></p>'
    )


def test_html_entities_and_urls_in_text():
    html = "<p>Ljudi &amp; njive&nbsp;&mdash; vidi https://x.example/lj ili pisi a@b.rs</p>"
    assert html_to_cyrillic(html) == (
        "<p>Људи &amp; њиве&nbsp;&mdash; види https://x.example/lj или писи a@b.rs</p>"
    )


def test_doctype_and_void_elements_do_not_confuse_the_stack():
    html = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Vesti</title></head>'
    html += '<body><br><img src="a" alt="a"/><code>x</code><p>danas</p></body></html>'
    out = html_to_cyrillic(html)
    assert "<title>Вести</title>" in out
    assert "<p>данас</p>" in out
    assert out.startswith('<!DOCTYPE html><html lang="en">')  # the caller chose the script


def test_json_ld_text_values_follow_the_script_and_urls_stay():
    html = (
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Nova vlada '
        '\\u003C \\"Njegoš\\"","url":"https://x.example/nova-vlada/","datePublished":'
        '"2026-12-03","publisher":{"@type":"Organization","name":"The Balkan Report"}}</script>'
        "<p>kraj</p>"
    )
    assert html_to_cyrillic(html, keep=("The Balkan Report",)) == (
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Нова влада '
        '\\u003C \\"Његош\\"","url":"https://x.example/nova-vlada/","datePublished":'
        '"2026-12-03","publisher":{"@type":"Organization","name":"The Balkan Report"}}</script>'
        "<p>крај</p>"
    )


def test_names_to_keep_stay_latin_in_text_and_attributes():
    meta = '<meta property="og:site_name" content="The Balkan Report">'
    html = f"<title>Vesti | The Balkan Report</title>{meta}"
    assert html_to_cyrillic(html, keep=("The Balkan Report",)) == (
        f"<title>Вести | The Balkan Report</title>{meta}"
    )
    keep = ("The Balkan Report",)
    assert to_cyrillic("The Balkan Reporters", keep=keep) == "Тхе Балкан Репортерс"


@pytest.mark.parametrize("cyrillic", ["ВИ", "ИИ", "ВИИ", "ИВ", "Пише ВИ данас"])
def test_cyrillic_that_reads_as_a_roman_numeral_in_latin_round_trips_with_marks(cyrillic):
    latin = to_latin(cyrillic, mark_pairs=True)
    assert latin.replace("\u200c", "") == to_latin(cyrillic)
    assert to_cyrillic(latin) == cyrillic
