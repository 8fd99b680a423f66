"""caching.memo: content functions kept in the data cache, declared from outside."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from caching import datacache, memo
from caching.memo import Memo
from tests.support import memo_subjects as subjects


@pytest.fixture(autouse=True)
def fresh_subjects(monkeypatch):
    """Each test installs on pristine copies of the subjects and counts calls from zero."""
    monkeypatch.setattr(subjects, "headline", subjects.headline)
    for name in ("count", "main", "slugs"):
        monkeypatch.setattr(subjects.Section, name, subjects.Section.__dict__[name])
    subjects.calls.clear()


def install(*memos):
    memo.install(memos)


@pytest.mark.django_db
def test_a_memoised_function_is_computed_once_per_generation(settings):
    settings.DATA_CACHE_ENABLED = True
    install(Memo("tests.support.memo_subjects.headline"))
    assert subjects.headline(7) == "Headline 7"
    assert subjects.headline(7) == "Headline 7"
    assert subjects.headline(8) == "Headline 8"
    assert subjects.calls == ["headline:7", "headline:8"]
    datacache.invalidate()
    assert subjects.headline(7) == "Headline 7"
    assert subjects.calls == ["headline:7", "headline:8", "headline:7"]


def test_methods_classmethods_and_staticmethods_are_memoised(settings):
    settings.DATA_CACHE_ENABLED = True
    install(
        Memo("tests.support.memo_subjects.Section.count", key=lambda section: section.name),
        Memo("tests.support.memo_subjects.Section.main"),
        Memo("tests.support.memo_subjects.Section.slugs"),
    )
    for _ in range(2):
        assert subjects.Section("kosovo").count() == 6
        assert subjects.Section("bih").count() == 3
        assert subjects.Section.main() == "news"
        assert subjects.Section.slugs() == ["kosovo", "serbia"]
    assert sorted(subjects.calls) == ["count:bih", "count:kosovo", "main", "slugs"]


def test_installing_twice_wraps_once(settings):
    settings.DATA_CACHE_ENABLED = True
    declared = Memo("tests.support.memo_subjects.headline")
    install(declared)
    wrapped = subjects.headline
    install(declared)
    assert subjects.headline is wrapped
    assert subjects.headline.__wrapped__.__name__ == "headline"


def test_without_the_data_cache_or_in_a_preview_the_function_runs(settings):
    install(Memo("tests.support.memo_subjects.headline"))
    settings.DATA_CACHE_ENABLED = False
    subjects.headline(1)
    subjects.headline(1)
    settings.DATA_CACHE_ENABLED = True
    with datacache.request_scope(bypass=True):
        subjects.headline(1)
        subjects.headline(1)
    assert subjects.calls == ["headline:1"] * 4


def test_a_key_function_returning_none_or_a_zero_lifetime_keeps_nothing(settings):
    settings.DATA_CACHE_ENABLED = True
    settings.SOME_MEMO_SECONDS = 0
    install(
        Memo("tests.support.memo_subjects.headline", key=lambda article_id: None),
        Memo("tests.support.memo_subjects.Section.main", seconds="SOME_MEMO_SECONDS"),
    )
    subjects.headline(1)
    subjects.headline(1)
    subjects.Section.main()
    subjects.Section.main()
    assert subjects.calls == ["headline:1", "headline:1", "main", "main"]


def test_entry_names_are_safe_for_every_cache_backend(settings):
    settings.WAGTAIL_I18N_ENABLED = False
    declared = Memo("news.models.Example")
    assert memo.entry_name(declared, (3, 4), {"page": 2}) == "memo:news.models.Example:3,4,page=2"
    long_or_unsafe = [("x" * 500,), ("two words\n",)]
    for args in long_or_unsafe:
        name = memo.entry_name(declared, args, {})
        suffix = name.removeprefix("memo:news.models.Example:")
        assert len(suffix) == 64 and suffix.isalnum()
    assert memo.entry_name(declared, (1,), {}) != memo.entry_name(declared, (2,), {})


def test_entry_names_are_per_language_on_a_site_with_several(settings):
    from django.utils import translation

    settings.WAGTAIL_I18N_ENABLED = True
    declared = Memo("news.models.Example")
    names = set()
    for language in ("en-gb", "sq", "sr", "sr-latn"):
        with translation.override(language):
            names.add(memo.entry_name(declared, (3,), {}))
    assert len(names) == 4
    with translation.override("sr-latn"):
        assert memo.entry_name(declared, (3,), {}) == "memo:news.models.Example:sr-latn:3"


def test_arguments_without_an_identity_need_a_key_function():
    with pytest.raises(TypeError, match="give the Memo a key function"):
        memo.identity(object())


def test_a_map_naming_something_that_does_not_exist_fails_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        install(Memo("tests.support.memo_subjects.nothing_here"))
