import pytest

from tests.support.languages import translate


@pytest.fixture
def seed(make_article):
    """An English article with its Albanian and Serbian translations."""
    english = make_article(slug="border-talks", title="Border talks resume")
    return {
        "en": english,
        "sq": translate(english, "sq", title="Bisedimet për kufirin rifillojnë"),
        "sr": translate(english, "sr", title="Разговори о граници настављени"),
    }
