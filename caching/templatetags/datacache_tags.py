"""``{% datacached "name" part ... %}...{% enddatacached %}``: a fragment kept in the data cache.

The fragment is rendered once and then served from ``caching.datacache`` until any content change
replaces the cache generation (a publish, an edit, an image, ...). Previews, a disabled data
cache and an unreachable cache server render it every time. Put only what is the same for
every reader inside (no CSRF token, no CSP nonce, nothing from the user or the session). The
request's scheme and host (checked against ``ALLOWED_HOSTS``) are part of the key, so absolute
URLs inside are right for every host the site answers to; so is the active language on a site
with several (a fragment per language and per Serbian script).
"""

from django import template

from caching import datacache

register = template.Library()


class DataCachedNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        request = context.get("request")
        parts = [str(part.resolve(context)) for part in self.parts]
        if request is not None:
            parts.append(f"{request.scheme}://{request.get_host()}")
        if language := datacache.language_part():
            parts.append(language)
        return datacache.get_or_set(
            f"fragment:{':'.join(parts)}", lambda: self.nodelist.render(context), request
        )


@register.tag("datacached")
def do_datacached(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% datacached %} needs a name for the fragment")
    nodelist = parser.parse(("enddatacached",))
    parser.delete_first_token()
    return DataCachedNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
