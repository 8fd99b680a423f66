"""Wagtail's user bar on reader pages: for signed-in editors, never for readers."""

from django.conf import settings


def test_the_user_bar_shows_for_signed_in_editors_only(client, make_article, admin_user):
    article = make_article()
    assert b"wagtail-userbar" not in client.get(article.url).content
    client.cookies[settings.SESSION_COOKIE_NAME] = "unknown"  # signed out
    assert b"wagtail-userbar" not in client.get(article.url).content

    client.force_login(admin_user)
    for path in (article.url, "/", "/news/"):
        assert b"wagtail-userbar" in client.get(path).content, path
    client.logout()
    assert b"wagtail-userbar" not in client.get(article.url).content
