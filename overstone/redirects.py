"""Redirects to an address the user supplied (a ``next`` field or parameter).

Every such redirect goes through ``redirect_next``: only a path on this site is followed;
anything else (another host, a scheme, ``-1``, ``not-a-date``, control characters) falls
back to the view's own default::

    return redirect_next(request, default="training:induction_matrix")
"""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, *, default: str) -> str:
    """The ``next`` address of this request (POST first, then GET) if it is a path on this
    site, else ``default`` (a URL name or a path)."""
    candidate = request.POST.get("next") or request.GET.get("next", "")
    if (
        candidate.startswith("/")
        and candidate.isprintable()
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return resolve_url(default)


def redirect_next(request, *, default: str) -> HttpResponseRedirect:
    """A redirect to ``safe_next_url``; never resolves the user's value as a view name."""
    return HttpResponseRedirect(safe_next_url(request, default=default))
