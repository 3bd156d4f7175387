"""The chronology PDF's notes: every SHA-256 in a monospaced span of its own, so that
it is drawn whole on one line and reads (and copies) as one string."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


@register.filter
def sha256_apart(text: str) -> str:
    escaped = str(conditional_escape(text))
    return mark_safe(SHA256.sub(r'<span class="sha256">\g<0></span>', escaped))  # noqa: S308 - escaped just above
