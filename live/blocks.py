"""The blocks of a live update's body: the article blocks a reporter posts in a hurry."""

from wagtail import blocks

from news.blocks import ArticleImageBlock, EmbedBlock, FactBoxBlock, ParagraphBlock, PullQuoteBlock


class QuoteBlock(PullQuoteBlock):
    """An article pull quote, read out to screen readers: in an update it is the news itself,
    not a repeat of the text around it."""

    class Meta:
        template = "live/blocks/quote.html"
        description = "Someone's words, with who said them."


class LiveUpdateBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = ArticleImageBlock()
    quote = QuoteBlock()
    fact_box = FactBoxBlock()
    embed = EmbedBlock()
