"""The newsletter's StreamField block (used in article bodies)."""

from wagtail import blocks


def newsletter_choices():
    from .models import Newsletter

    return [(n.slug, n.name) for n in Newsletter.objects.offered()]


class SubscribeBlock(blocks.StructBlock):
    """The newsletter sign-up form, placed by an editor inside the body."""

    heading = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text='Leave empty for "Discover more from The Balkan Report".',
    )
    text = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text='Leave empty for "Subscribe to get the latest posts sent to your email."',
    )
    newsletters = blocks.MultipleChoiceBlock(
        choices=newsletter_choices,
        required=False,
        help_text="The newsletters readers can choose here (one: no choice shown). None: the "
        "default newsletters.",
    )

    class Meta:
        icon = "mail"
        label = "Subscribe form"
        template = "newsletter/blocks/subscribe.html"
        description = "A newsletter sign-up form: readers get new articles by email."
        preview_value = {
            "heading": "Discover more from The Balkan Report",
            "text": "Subscribe to get the latest posts sent to your email.",
        }
