"""The newsroom: groups, workflow, a reporter and an editor."""

import pytest
from django.contrib.auth.models import Group

from tests.support.editorial import PASSWORD


@pytest.fixture(name="newsroom")
def newsroom_fixture(site_tree, authors, django_user_model):
    """The groups and workflow, plus one reporter and one editor (plain staff-less users)."""
    from editorial.roles import EDITORS, REPORTERS, ensure_editorial_setup

    ensure_editorial_setup()
    reporter = django_user_model.objects.create_user(
        "reporter", "reporter@example.org", PASSWORD, first_name="Rita", last_name="Reporter"
    )
    reporter.groups.add(Group.objects.get(name=REPORTERS))
    editor = django_user_model.objects.create_user(
        "editor", "editor@example.org", PASSWORD, first_name="Eddie", last_name="Editor"
    )
    editor.groups.add(Group.objects.get(name=EDITORS))
    return {
        "reporter": reporter,
        "editor": editor,
        "index": site_tree[1],
        "author": authors["arta-berisha"],
    }
