"""``{% datacached "name" part ... %}...{% enddatacached %}``: a fragment kept in the data cache.

The fragment is rendered once and then served from ``core.datacache`` until any content change
replaces the cache generation (a publish, an edit, an image, ...). Previews, a disabled data
cache and an unreachable cache server render it every time. Put only what is the same for
every reader inside (no CSRF token, no CSP nonce, nothing from the user or the session).
"""

from django import template

from core import datacache

register = template.Library()


class DataCachedNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        name = ":".join(str(part.resolve(context)) for part in self.parts)
        return datacache.get_or_set(
            f"fragment:{name}", lambda: self.nodelist.render(context), context.get("request")
        )


@register.tag("datacached")
def do_datacached(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% datacached %} needs a name for the fragment")
    nodelist = parser.parse(("enddatacached",))
    parser.delete_first_token()
    return DataCachedNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
