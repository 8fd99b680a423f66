"""Reader search (/search/): what it finds, what it hides, and the results page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from news.models import ArticlePage
from search.views import RESULTS_PER_PAGE
from tests.support.helpers import soup, text_of


def titles(response) -> list[str]:
    return [text_of(h) for h in soup(response).select(".search-result:not(.pick) .result-title")]


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200, response.content[:500]
    return response


# --- what it finds -------------------------------------------------------------------------


@pytest.fixture
def rich_article(make_article, authors):
    return make_article(
        title="Harbour authority opens tender",
        standfirst="The port of Durrës plans a quayside extension.",
        body=[
            ("paragraph", "<p>Dockworkers welcomed the <b>quayside</b> plan.</p>"),
            ("subheading", {"text": "Gantry cranes arrive", "level": "h2"}),
            (
                "pull_quote",
                {
                    "quote": "Shipping needs deeper berths",
                    "attribution": "Ilir Marinaj",
                    "role": "",
                },
            ),
            (
                "fact_box",
                {
                    "title": "Port in numbers",
                    "facts": [
                        {"qualifier": "", "figure": "8,215", "label": "containers in spring"}
                    ],
                },
            ),
            ("embed", {"embed": "https://www.youtube.com/watch?v=x", "caption": "Seaview drone"}),
        ],
        tags=["Maritime"],
        authors=[authors["elira-hoxha"]],
    )


@pytest.mark.parametrize(
    "query",
    [
        "Harbour authority",  # headline
        "Durrës quayside",  # standfirst
        "Dockworkers",  # paragraph
        "Gantry cranes",  # subheading
        "deeper berths",  # pull quote
        "Marinaj",  # pull quote attribution
        "8,215",  # fact box figure
        "containers spring",  # fact box label
        "Seaview",  # embed caption
        "Maritime",  # tag
        "Elira Hoxha",  # author
    ],
)
def test_finds_an_article_by_anything_in_it(rich_article, client, query):
    assert titles(search(client, q=query)) == ["Harbour authority opens tender"]


def test_drafts_are_not_found(news_index, client):
    draft = ArticlePage(title="Unpublished zeppelin story", slug="zeppelin", standfirst="Draft.")
    news_index.add_child(instance=draft)
    draft.save_revision()
    draft.refresh_from_db()
    draft.live = False
    draft.save()
    assert titles(search(client, q="zeppelin")) == []


def test_private_articles_are_not_found(make_article, client):
    article = make_article(title="Secret zeppelin report")
    assert titles(search(client, q="zeppelin")) == ["Secret zeppelin report"]
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="pw")
    assert titles(search(client, q="zeppelin")) == []


def test_articles_under_a_private_section_are_not_found(make_article, news_index, client):
    make_article(title="Zeppelin under a private index")
    PageViewRestriction.objects.create(page=news_index, restriction_type="login")
    assert titles(search(client, q="zeppelin")) == []


def test_expired_articles_are_not_found(make_article, client):
    article = make_article(title="Zeppelin offer ends")
    # Past its expiry but not yet unpublished by publish_scheduled: still hidden.
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert titles(search(client, q="zeppelin")) == []
    # And once publish_scheduled has unpublished it.
    article.refresh_from_db()
    article.unpublish(set_expired=True)
    assert titles(search(client, q="zeppelin")) == []


def test_future_expiry_is_still_found(make_article, client):
    article = make_article(title="Zeppelin offer runs")
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert titles(search(client, q="zeppelin")) == ["Zeppelin offer runs"]


# --- the index follows publishing (ImmediateBackend: in the same request) -------------------


def test_index_follows_publish_edit_unpublish_and_delete(make_article, client):
    article = make_article(title="Quokka census begins")
    assert titles(search(client, q="quokka")) == ["Quokka census begins"]

    revision = article.get_latest_revision_as_object()
    revision.title = "Wombat census begins"
    revision.save_revision().publish()
    assert titles(search(client, q="wombat")) == ["Wombat census begins"]
    assert titles(search(client, q="quokka")) == []

    # A saved draft of an edit does not change what readers find.
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "Platypus census begins"
    draft.save_revision()
    assert titles(search(client, q="platypus")) == []
    assert titles(search(client, q="wombat")) == ["Wombat census begins"]

    ArticlePage.objects.get(pk=article.pk).unpublish()
    assert titles(search(client, q="wombat")) == []

    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish()
    assert titles(search(client, q="platypus")) == ["Platypus census begins"]

    ArticlePage.objects.get(pk=article.pk).delete()
    assert titles(search(client, q="platypus")) == []


def test_publishing_through_the_admin_updates_results(admin_client, make_article, client):
    article = make_article(title="Lighthouse keepers return")
    edit_url = f"/admin/pages/{article.pk}/unpublish/"
    response = admin_client.post(edit_url, {})
    assert response.status_code == 302
    assert titles(search(client, q="lighthouse")) == []


# --- the results page ----------------------------------------------------------------------


def test_result_shows_headline_standfirst_date_and_highlighted_snippet(rich_article, client):
    html = soup(search(client, q="dockworkers"))
    result = html.select_one(".search-result")
    assert text_of(result.select_one(".result-title")) == "Harbour authority opens tender"
    assert result.select_one(".result-title a")["href"] == rich_article.url
    assert "quayside extension" in text_of(result.select_one(".result-standfirst"))
    assert result.select_one("time")["datetime"].startswith(str(rich_article.date.year))
    assert [text_of(m) for m in result.select(".result-snippet mark")] == ["Dockworkers"]
    assert text_of(html.select_one(".result-count")) == "1 result for “dockworkers”"


def test_highlighting_and_reflected_input_are_escaped(make_article, client):
    make_article(
        title="<b>Kestrel</b> & “friends” <script>alert('title')</script>",
        standfirst="Kestrel <img src=x onerror=alert(1)> standfirst.",
        body=[("paragraph", "<p>The kestrel &lt;i&gt;hovers&lt;/i&gt; here.</p>")],
    )
    payload = "<script>alert('q')</script> kestrel"
    response = search(client, q=payload)
    body = response.content.decode()
    assert "<script>alert(" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt; kestrel" in body
    html = soup(response)
    title = html.select_one(".result-title")
    assert text_of(title) == "<b>Kestrel</b> & “friends” <script>alert('title')</script>"
    # "script" is one of the reader's words too: marked, as text.
    marked = [text_of(m) for m in title.select("mark")]
    assert marked == ["<b>Kestrel</b>", "<script>alert('title')</script>"]
    assert not title.select("b, script")
    assert [text_of(m) for m in html.select(".result-snippet mark")] == ["kestrel"]


def test_pagination_keeps_query_and_filters(make_article, client):
    for n in range(RESULTS_PER_PAGE + 3):
        make_article(title=f"Marmot sighting {n}", tags=["Wildlife"])
    response = search(client, q="marmot", tag="wildlife", order="newest")
    html = soup(response)
    assert text_of(html.select_one(".result-count")).startswith("13 results for “marmot”")
    assert len(titles(response)) == RESULTS_PER_PAGE
    next_link = html.select_one('.pagination a[rel="next"]')["href"]
    assert next_link == "?q=marmot&tag=wildlife&order=newest&page=2"
    page_two = search(client, q="marmot", tag="wildlife", order="newest", page="2")
    assert len(titles(page_two)) == 3
    prev_link = soup(page_two).select_one('.pagination a[rel="prev"]')["href"]
    assert prev_link == "?q=marmot&tag=wildlife&order=newest&page=1"


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1.5", "", "9" * 5000])
def test_invalid_page_numbers_give_a_page(make_article, client, page):
    make_article(title="Marmot sighting")
    response = search(client, q="marmot", page=page)
    assert titles(response) == ["Marmot sighting"]


def test_tag_filter(make_article, client):
    make_article(title="Bison herd grows", tags=["Wildlife"])
    make_article(title="Bison steak prices", tags=["Economy"])
    assert titles(search(client, q="bison", tag="wildlife")) == ["Bison herd grows"]
    assert sorted(titles(search(client, q="bison"))) == ["Bison herd grows", "Bison steak prices"]
    # A tag on its own lists that tag's articles, newest first.
    assert titles(search(client, tag="economy")) == ["Bison steak prices"]


def test_date_range_filter(make_article, client):
    now = timezone.now()
    make_article(title="Ibex old", published=now - datetime.timedelta(days=40))
    make_article(title="Ibex recent", published=now - datetime.timedelta(days=2))
    today = timezone.localdate()
    since = (today - datetime.timedelta(days=10)).isoformat()
    until = (today - datetime.timedelta(days=30)).isoformat()
    assert titles(search(client, q="ibex", date_from=since)) == ["Ibex recent"]
    assert titles(search(client, q="ibex", date_to=until)) == ["Ibex old"]
    day = (now - datetime.timedelta(days=2)).astimezone(timezone.get_current_timezone()).date()
    one_day = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    assert titles(search(client, q="ibex", **one_day)) == ["Ibex recent"]


def test_order_by_relevance_or_newest(make_article, client):
    now = timezone.now()
    make_article(
        title="Lynx lynx lynx: the return of the lynx",
        standfirst="Lynx numbers rise.",
        published=now - datetime.timedelta(days=30),
    )
    make_article(
        title="Forest report",
        standfirst="Deer, boar and one lynx.",
        published=now - datetime.timedelta(days=1),
    )
    assert titles(search(client, q="lynx"))[0] == "Lynx lynx lynx: the return of the lynx"
    assert titles(search(client, q="lynx", order="newest")) == [
        "Forest report",
        "Lynx lynx lynx: the return of the lynx",
    ]


def test_editors_picks_come_first(make_article, client):
    picked = make_article(title="Editors' background on the otter", standfirst="Background.")
    make_article(title="Otter spotted in the river")
    make_article(title="Otter numbers grow")
    query = Query.get("Otter")
    SearchPromotion.objects.create(query=query, page=picked, sort_order=0, description="Start here")
    response = search(client, q="otter")
    html = soup(response)
    picks = html.select(".editors-picks .result-title")
    assert [text_of(p) for p in picks] == ["Editors' background on the otter"]
    assert "Start here" in text_of(html.select_one(".editors-picks"))
    # The pick is not repeated below it, and the count includes it.
    assert "Editors' background on the otter" not in titles(response)
    assert len(titles(response)) == 2
    assert text_of(html.select_one(".result-count")).startswith("3 results")
    # An unpublished pick is not shown.
    picked.unpublish()
    assert not soup(search(client, q="otter")).select(".editors-picks")
    # Searching records no hits: a GET does not write.
    assert not query.daily_hits.exists()


def test_no_results_has_a_helpful_empty_state(make_article, client):
    make_article(title="Pelican")
    html = soup(search(client, q="albatross", tag="politics"))
    empty = text_of(html.select_one(".empty-state"))
    assert "No articles match “albatross” with these filters" in empty
    assert "Check the spelling" in empty
    assert html.select_one(".empty-state a")["href"] == "?q=albatross"


def test_empty_query_invites_a_search(make_article, client):
    make_article(title="Pelican", tags=["Wildlife"])
    for query in ["", "   ", "\t\n"]:
        html = soup(search(client, q=query))
        assert not html.select(".search-result")
        assert "Type a word or two" in text_of(html.select_one(".empty-state"))
        assert html.select_one('.empty-state a[href="?tag=wildlife"]')


def test_words_missing_from_every_article_broaden_the_search(make_article, client):
    make_article(title="Heron nesting season")
    response = search(client, q="heron flamingo")
    assert titles(response) == ["Heron nesting season"]
    assert "at least one of them" in text_of(soup(response).select_one(".search-note"))


def test_results_are_noindex_and_work_without_javascript(make_article, client):
    make_article(title="Puffin colony")
    response = search(client, q="puffin")
    assert response["X-Robots-Tag"] == "noindex"
    html = soup(response)
    assert html.select_one('meta[name="robots"]')["content"].startswith("noindex")
    form = html.select_one("form.search-page-form")
    assert form["method"] == "get"
    assert form["action"] == "/search/"
    # The filters below the results belong to the same form (their form attribute).
    controls = form.select("input[name], select[name]") + html.select(
        f'[form="{form["id"]}"][name]'
    )
    names = {field["name"] for field in controls}
    assert names == {"q", "tag", "date_from", "date_to", "order", "all_languages"}
    assert form.select_one('button[type="submit"]')
    # Every page has the header search box posting to /search/.
    header_form = soup(client.get("/")).select_one("header form[role=search]")
    assert header_form["action"] == "/search/"
    assert header_form.select_one('input[name="q"]')


def test_long_queries_are_cut_before_the_database(make_article, client):
    make_article(title="Gannet colony")
    long_query = "gannet " + "y" * 500
    with CaptureQueriesContext(connection) as queries:
        response = search(client, q=long_query)
    sql = " ".join(str(q["sql"]) for q in queries.captured_queries)
    assert "y" * 194 in sql or "y" * 194 not in sql  # the query may reach the DB ...
    assert "y" * 195 not in sql  # ... but never more than 200 characters of it
    html = soup(response)
    assert html.select_one("#search-page-q")["value"] == long_query[:200]
    assert "shortened" in text_of(html.select_one(".search-note"))


def test_a_search_runs_a_bounded_number_of_queries(
    make_article, client, django_assert_max_num_queries
):
    for n in range(15):
        make_article(title=f"Osprey nest {n}", tags=["Wildlife", "Birds"])
    search(client, q="osprey")  # warm caches (site root paths)
    with django_assert_max_num_queries(14):
        response = search(client, q="osprey")
    assert len(titles(response)) == RESULTS_PER_PAGE


def test_a_repeated_search_runs_no_query_and_a_tag_listing_two(make_article, client):
    """The window, the count and the results page's cards (headline, link, date, bylines,
    body text) are all kept in the data cache: a repeated search reads nothing. A tag alone
    counts its articles and takes the page's ids (the count stays exact as articles expire)."""
    for n in range(15):
        make_article(title=f"Osprey nest {n}", tags=["Wildlife", "Birds"])
    for params, budget in (
        ({"q": "osprey"}, 0),
        ({"q": "osprey", "page": "2"}, 0),
        ({"tag": "birds"}, 2),
        ({"tag": "birds", "page": "2"}, 2),
    ):
        first = search(client, **params)
        with CaptureQueriesContext(connection) as queries:
            again = search(client, **params)
        assert len(queries.captured_queries) == budget, params
        assert titles(again) == titles(first) and len(titles(again)) in (5, RESULTS_PER_PAGE)


def test_wagtail_search_path_used_with_a_search_server(make_article, client, monkeypatch):
    """With OpenSearch/Elasticsearch the view uses Wagtail's .search(); here through the
    database backend, which honours the same filters (tag, dates, expiry, live, public)."""
    from search import engine

    monkeypatch.setattr(engine, "is_supported", lambda: False)
    now = timezone.now()
    make_article(title="Beaver dam", tags=["Wildlife"], published=now - datetime.timedelta(days=1))
    make_article(title="Beaver tax", tags=["Economy"], published=now - datetime.timedelta(days=3))
    assert sorted(titles(search(client, q="beaver"))) == ["Beaver dam", "Beaver tax"]
    assert titles(search(client, q="beaver", tag="wildlife")) == ["Beaver dam"]
    assert titles(search(client, q="beaver", order="newest")) == ["Beaver dam", "Beaver tax"]
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    assert titles(search(client, q="beaver", date_from=since)) == ["Beaver dam"]


def test_block_settings_are_not_searchable(make_article, client):
    """A subheading's level label and a fact's source address are not article text."""
    make_article(
        title="Waters rise",
        body=[
            ("subheading", {"text": "Flood defences", "level": "h2"}),
            (
                "fact_box",
                {
                    "title": "Figures",
                    "facts": [
                        {
                            "figure": "12",
                            "qualifier": "",
                            "label": "villages evacuated",
                            "source_url": "https://statistics.example.org/",
                            "as_of": None,
                        }
                    ],
                },
            ),
        ],
    )
    assert "Waters rise" in client.get("/search/", {"q": "flood defences"}).content.decode()
    assert "Waters rise" in client.get("/search/", {"q": "villages"}).content.decode()
    for query in ("section", "statistics"):
        assert "Waters rise" not in client.get("/search/", {"q": query}).content.decode()


# --- speed: cached matches, the GIN plan, results beyond the ranked window ------------------


def index_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "wagtailsearch_indexentry" in q["sql"]]


def test_a_repeated_search_reuses_its_matches_until_content_changes(make_article, client):
    make_article(title="Heron colony counted")
    search(client, q="heron")
    with CaptureQueriesContext(connection) as queries:
        assert titles(search(client, q="heron")) == ["Heron colony counted"]
    assert index_queries(queries.captured_queries) == []  # matches and count from the cache

    # A new article is found at once: publishing starts the cache afresh.
    make_article(title="Heron chicks fledge")
    with CaptureQueriesContext(connection) as queries:
        found = titles(search(client, q="heron"))
    assert sorted(found) == ["Heron chicks fledge", "Heron colony counted"]
    assert index_queries(queries.captured_queries)


def test_cached_matches_depend_on_every_filter(make_article, client):
    now = timezone.now()
    make_article(title="Lynx sighted", tags=["Wildlife"], published=now)
    make_article(title="Lynx tax", tags=["Economy"], published=now - datetime.timedelta(days=9))
    assert sorted(titles(search(client, q="lynx"))) == ["Lynx sighted", "Lynx tax"]
    assert titles(search(client, q="lynx", tag="economy")) == ["Lynx tax"]
    assert titles(search(client, q="lynx", order="newest")) == ["Lynx sighted", "Lynx tax"]
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    assert titles(search(client, q="lynx", date_from=since)) == ["Lynx sighted"]
    assert titles(search(client, q="lynx", tag="wildlife")) == ["Lynx sighted"]


def test_search_cache_can_be_turned_off(make_article, client, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    make_article(title="Otter returns")
    search(client, q="otter")
    with CaptureQueriesContext(connection) as queries:
        assert titles(search(client, q="otter")) == ["Otter returns"]
    assert index_queries(queries.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plan")
def test_postgresql_matches_through_the_gin_index(make_article):
    """Common words must not make PostgreSQL scan (and concatenate) every index row."""
    from search import engine
    from search.views import live_public_articles

    for n in range(3):
        make_article(title=f"Stork migration {n}")
    results = engine.search(live_public_articles(), ["stork"])
    queryset = results.queryset
    with engine.match_plan(), connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_indexentry_title_body_gin" in plan, plan
    assert "Seq Scan on wagtailsearch_indexentry" not in plan, plan
    assert len(results[0:10]) == 3
    # The index lookup alone (the fast path's match, engine.match_ids).
    match = engine.match_sql(ArticlePage, ["stork"], "and")
    with engine.match_plan(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + match.sql, match.params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_indexentry_title_body_gin" in plan, plan
    assert len(engine.match_ids(ArticlePage, ["stork"], "and")) == 3


def test_results_beyond_the_ranked_window_follow_newest_first(make_article, client, monkeypatch):
    from search import engine

    monkeypatch.setattr(engine, "RANK_WINDOW", 4)
    now = timezone.now()
    for n in range(12):
        make_article(title=f"Puffin {n:02d}", published=now - datetime.timedelta(hours=n))
    seen = []
    for page in (1, 2):
        seen += titles(search(client, q="puffin", page=page))
    assert len(seen) == 12
    assert sorted(seen) == [f"Puffin {n:02d}" for n in range(12)]
    # The ranked window is the four newest; everything after it is newest first.
    assert sorted(seen[:4]) == [f"Puffin {n:02d}" for n in range(4)]
    assert seen[4:] == [f"Puffin {n:02d}" for n in range(4, 12)]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "lynx"},
        {"q": "lynx", "order": "newest"},
        {"q": "lynx", "tag": "economy"},
        {"q": "lynx forest"},
        {"q": "lynx wolverine"},  # no article has both: broadened to either
        {"q": "lynx", "page": "2"},
    ],
)
def test_matches_are_the_same_with_or_without_the_readable_list(
    make_article, client, settings, monkeypatch, params
):
    """The data-cached list of readable articles (fast path) changes no result and no count."""
    from search import engine

    monkeypatch.setattr(engine, "RANK_WINDOW", 5)  # ranked window and newest-first tail
    now = timezone.now()
    for n in range(14):
        make_article(
            title=f"Lynx {'forest ' if n % 3 == 0 else ''}report {n:02d}",
            tags=["Economy" if n % 2 else "Wildlife"],
            published=now - datetime.timedelta(hours=n),
        )
    make_article(title="Wolverine tracks", tags=["Wildlife"])
    hidden = make_article(title="Lynx draft soon withdrawn")
    hidden.unpublish()
    # An editor's pick for one query: shown above, never again among the results.
    picked = ArticlePage.objects.get(title="Lynx forest report 03")
    SearchPromotion.objects.create(query=Query.get("lynx forest"), page=picked, sort_order=0)

    def outcome():
        html = soup(search(client, **params))
        count = html.select_one(".result-count")
        return titles_of(html), text_of(count) if count else None

    # Another query's pick must not leak into the shared list (it is cached first): the
    # counts below would differ.
    search(client, q="lynx forest")

    lookups = []
    original = engine.match_ids
    monkeypatch.setattr(engine, "match_ids", lambda *a: lookups.append(a) or original(*a))
    settings.SEARCH_CACHE_SECONDS = 0
    settings.DATA_CACHE_ENABLED = settings.SEARCH_PRECOMPUTED_FILTERS = True
    fast = outcome()
    assert lookups  # the index lookup alone, counted against the cached list
    settings.DATA_CACHE_ENABLED = settings.SEARCH_PRECOMPUTED_FILTERS = False
    lookups.clear()
    plain = outcome()
    assert not lookups  # one query joins, counts and orders
    assert fast == plain
    assert fast[0]  # something was found
    assert "Lynx draft soon withdrawn" not in fast[0]
    if params["q"] == "lynx forest":
        assert "Lynx forest report 03" not in fast[0]


def titles_of(html) -> list[str]:
    return [text_of(h) for h in html.select(".search-result:not(.pick) .result-title")]
