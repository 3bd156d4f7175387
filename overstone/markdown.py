"""Text written in Markdown (minutes, policies, agreements) shown as sanitised HTML.

Markdown passes raw HTML through, so the output is cleaned with nh3 (an allow-list:
no script, style, iframe, event handlers or javascript: links). Headings are moved two
levels down (``#`` becomes h3) and styled smaller: the page has its own title (h1) and
sections (h2), and a heading in the minutes must not outrank them.
"""

import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
HEADING_TAG = re.compile(r"<(/?)h([1-6])>")  # nh3 leaves headings no attributes
HEADING_SHIFT = 2


def _below_page_headings(html: str) -> str:
    return HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + HEADING_SHIFT, 6)}>", html)


def render_markdown(text: str) -> SafeString:
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    html = f'<div class="markdown">{_below_page_headings(cleaned)}</div>'
    return mark_safe(html)  # noqa: S308 - cleaned by nh3 just above
