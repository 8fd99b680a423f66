"""A live page under the news index, the newsroom's people and the page cache."""

import pytest
from django.contrib.auth.models import Group

from tests.support.live import make_live_page

PASSWORD = "live-test-password"  # noqa: S105


@pytest.fixture
def live_page(news_index):
    return make_live_page(news_index)


@pytest.fixture
def newsroom(site_tree, authors, django_user_model):
    """A reporter (may post), an editor, and a staff user with no right to post."""
    from editorial.roles import EDITORS, REPORTERS, ensure_editorial_setup

    ensure_editorial_setup()
    people = {}
    for name, group in (("reporter", REPORTERS), ("editor", EDITORS), ("outsider", None)):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)
        if group:
            user.groups.add(Group.objects.get(name=group))
        else:
            from django.contrib.auth.models import Permission

            user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        people[name] = user
    return people


@pytest.fixture
def tokens(newsroom):
    """An API token for each of the newsroom's people (the plaintext)."""
    from wagtail.models import APIToken

    return {
        name: APIToken.create_token(user=user, name=f"{name}'s phone")[1]
        for name, user in newsroom.items()
    }
