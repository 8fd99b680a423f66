"""The search page on a phone: one search box, the results first, the filters folded under
"Narrow down" (open when a filter is set), all one plain GET form (issue 22, item 1)."""

from collections import Counter
from urllib.parse import urlencode

import pytest

from tests.support.helpers import soup, text_of


@pytest.fixture
def articles(make_article):
    return [
        make_article(title="KFOR patrols the north", tags=["Kosova"]),
        make_article(title="KFOR budget grows", tags=["Security"]),
        make_article(title="KFOR and the border", tags=["Kosova"]),
    ]


def get(client, expect=200, **params):
    response = client.get("/search/", params)
    assert response.status_code == expect
    return soup(response)


def search_form(html):
    forms = html.select("form[role=search]")
    assert len(forms) == 1
    return forms[0]


def form_controls(html, form):
    """What the browser submits with the form: its own controls and those naming it."""
    return form.select("[name]") + html.select(f'[form="{form["id"]}"][name]')


def titles(html):
    return [text_of(node) for node in html.select(".search-result .result-title")]


@pytest.mark.parametrize("params", [{}, {"q": "KFOR"}, {"q": "KFOR", "tag": "kosova"}])
def test_the_search_page_has_one_search_box(articles, client, params):
    html = get(client, **params)
    assert len(html.select("input[type=search]")) == 1
    assert len(html.select('input[name="q"]')) == 1
    search_form(html)
    # Elsewhere the header keeps its box.
    page = soup(client.get(articles[0].url))
    assert page.select_one("header form[role=search] #site-search")


def test_results_come_before_the_folded_filters(articles, client):
    html = get(client, q="KFOR")
    order = [
        node
        for node in html.find_all(True)
        if node.get("id") == "search-page-q"
        or "search-result" in node.get("class", [])
        or node.name == "details"
    ]
    kinds = ["box" if n.name == "input" else n.name for n in order]
    assert kinds[0] == "box"
    assert kinds[-1] == "details"
    assert kinds.count("li") == 3  # every result sits between the box and the filters
    details = html.select_one("details#search-filters")
    assert text_of(details.find("summary")) == "Narrow down"
    assert not details.has_attr("open")
    for name in ("tag", "date_from", "date_to", "order"):
        assert details.select_one(f'[name="{name}"]')


@pytest.mark.parametrize(
    ("params", "status", "is_open"),
    [
        ({}, 200, False),
        ({"q": "KFOR"}, 200, False),
        (
            {"q": "KFOR", "tag": "", "date_from": "", "date_to": "", "order": "relevance"},
            200,
            False,
        ),
        ({"q": "KFOR", "tag": "kosova"}, 200, True),
        ({"tag": "kosova"}, 200, True),
        ({"q": "KFOR", "date_from": "2020-01-01"}, 200, True),
        ({"q": "KFOR", "order": "newest"}, 200, True),
        ({"q": "KFOR", "date_from": "2025-05-01", "date_to": "2025-01-01"}, 400, True),
        ({"q": "KFOR", "tag": "no-such-tag"}, 400, True),
    ],
)
def test_narrow_down_is_open_only_when_a_filter_is_set(articles, client, params, status, is_open):
    html = get(client, expect=status, **params)
    assert html.select_one("details#search-filters").has_attr("open") is is_open


def test_filtering_works_as_a_plain_get_form(articles, client):
    html = get(client, q="KFOR")
    form = search_form(html)
    assert form["method"] == "get"
    assert form["action"] == "/search/"
    controls = form_controls(html, form)
    # all_languages: the "Search all languages" box of a site with several languages.
    assert {c["name"] for c in controls} == {
        "q", "tag", "date_from", "date_to", "order", "all_languages"
    }  # fmt: skip
    assert html.select_one('details button[type="submit"]')["form"] == form["id"]

    # What a browser without JavaScript sends after picking a tag and pressing Apply.
    data = {}
    for control in controls:
        if control.get("type") == "checkbox" and not control.has_attr("checked"):
            continue  # a browser sends only ticked boxes
        if control.name == "select":
            chosen = control.find("option", selected=True) or control.find("option")
            data[control["name"]] = chosen["value"]
        else:
            data[control["name"]] = control.get("value", "")
    data["tag"] = "kosova"
    response = client.get(f"{form['action']}?{urlencode(data)}")
    assert response.status_code == 200
    filtered = soup(response)
    assert sorted(titles(filtered)) == ["KFOR and the border", "KFOR patrols the north"]
    assert filtered.select_one("#id_tag option[selected]")["value"] == "kosova"
    assert filtered.select_one("#search-page-q")["value"] == "KFOR"


@pytest.mark.parametrize("params", [{}, {"q": "KFOR"}, {"q": "KFOR", "date_from": "nope"}])
def test_the_page_stays_accessible_and_valid(articles, client, params):
    response = client.get("/search/", params)
    html = soup(response)
    assert len(html.select("main")) == 1
    assert len(html.select("[role=search]")) == 1
    ids = Counter(node["id"] for node in html.select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []
    for control in html.select("input:not([type=hidden]), select"):
        assert html.select_one(f'label[for="{control["id"]}"]'), control
    form_id = search_form(html)["id"]
    for control in html.select("details [name], details button"):
        assert control["form"] == form_id  # every filter belongs to an existing form
    assert html.select_one("details > summary:first-child")
