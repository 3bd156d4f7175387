"""How large a request body each page accepts, refused before anything reads it.

Django reads a body only when something asks for ``request.POST`` or ``request.FILES``
(the CSRF check, a form), and then all of it: an 800 MB post to the login page would be
written to a temporary file before the CSRF check refused it. ``RequestBodyLimitMiddleware``
runs first and answers 413 from the ``Content-Length`` header alone. A view that takes
files says how much through ``body_limit``; every other page takes a form's worth.

Under WSGI Django never reads more than ``Content-Length`` says, and nothing of a body
sent without one (``Transfer-Encoding: chunked``, which no browser uses for a form):
such a request is refused with 411 rather than handled as if it had no fields.
The proxy in front must allow at least the largest limit (README, production).
"""

from enum import StrEnum

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve


class BodyLimit(StrEnum):
    """A kind of page by what it receives; the value names the setting with its bytes."""

    FORM = "OVERSTONE_REQUEST_MAX_BYTES"
    EVIDENCE = "OVERSTONE_EVIDENCE_REQUEST_MAX_BYTES"
    IMPORT = "OVERSTONE_IMPORT_REQUEST_MAX_BYTES"

    @property
    def max_bytes(self) -> int:
        return getattr(settings, self.value)


def body_limit_of(path: str) -> BodyLimit:
    """The ``body_limit`` of the view at ``path``; a form's if it does not say."""
    try:
        match = resolve(path)
    except Resolver404:
        return BodyLimit.FORM
    view = getattr(match.func, "view_class", match.func)
    return getattr(view, "body_limit", BodyLimit.FORM)


def body_refused_response(*, status: int, limit: BodyLimit | None = None) -> HttpResponse:
    # Rendered without the request: nothing about the user is loaded yet.
    context = {
        "limit_mb": limit.max_bytes / 1_000_000 if limit else None,
        "file_mb": settings.OVERSTONE_EVIDENCE_MAX_BYTES / 1_000_000,
        "kind": limit.name if limit else "",
    }
    return HttpResponse(render_to_string("413.html", context), status=status)


class RequestBodyLimitMiddleware:
    """First in MIDDLEWARE: a body larger than its page accepts is refused unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH")
        if not declared and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return body_refused_response(status=411)
        try:
            size = int(declared or 0)
        except ValueError:
            size = 0  # Django reads nothing of a body whose length it cannot parse
        # Only a body over the smallest limit costs a look-up of its view.
        if size > min(limit.max_bytes for limit in BodyLimit):
            limit = body_limit_of(request.path_info)
            if size > limit.max_bytes:
                return body_refused_response(status=413, limit=limit)
        return self.get_response(request)
