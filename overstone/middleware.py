import logging
import time
from functools import cached_property

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views import defaults

from overstone.audit import current_request
from overstone.schools import school_for_request, school_scope
from overstone.twofactor import confirmed_device, is_privileged, needs_second_factor

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


class SchoolMiddleware:
    """Run the rest of the request in the scope of the school the user works in
    (``overstone.schools``): ``request.school``, and ``request.switchable_schools``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.school, request.switchable_schools = school_for_request(request)
        except DATABASE_ERRORS as error:  # before any view: DatabaseUnavailable cannot see it
            log.warning("Database unavailable: %s", error)
            return database_unavailable_response()
        with school_scope(request.school):
            return self.get_response(request)


class SchoolLinkMiddleware:
    """A link from an e-mail names the school it is about (``overstone.notify.email_link``:
    ``?school=``). Someone working in another of their schools is asked whether to switch
    (a form, so that no link can switch anyone's school by itself) instead of finding no
    such record; the link of a school they have no role at, or of the one they are in,
    opens as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        linked = self.linked_school(request)
        if linked is None:
            return self.get_response(request)
        query = request.GET.copy()
        query.pop("school")
        page = request.path + (f"?{query.urlencode()}" if query else "")
        return render(request, "overstone/school_link.html", {"linked": linked, "page": page})

    @staticmethod
    def linked_school(request):
        value = request.GET.get("school", "")
        if request.method != "GET" or not value.isascii() or not value.isdigit():
            return None
        if int(value) == request.school.pk:
            return None
        return next((s for s in request.switchable_schools if s.pk == int(value)), None)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.OVERSTONE_PERMISSIONS_POLICY)
        return response


class PrivateNoStoreMiddleware:
    """Every page, export and file the application answers with is ``Cache-Control:
    private, no-store``: nearly all of them hold personal data (records, CSV exports,
    evidence, the audit log), and neither a shared computer's browser nor a proxy may
    keep a copy. One rule for every response rather than a list of pages that a new
    page could be left out of. Static files are answered before this (whitenoise) and
    stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


def database_unavailable_response() -> HttpResponse:
    # Rendered without the request: the usual context (user, navigation) needs the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """A friendly 503 instead of a 500 while the database is unreachable.

    A request with a session connects up front, because other middleware loads the
    session and the user, where ``process_exception`` would not see the error; that
    hook covers the views. Recovery needs nothing: CONN_HEALTH_CHECKS drops a dead
    connection at the start of the next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def exempt_paths(self) -> frozenset[str]:
        return frozenset({reverse("healthz")})  # answers for itself, as JSON

    def __call__(self, request):
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.path_info not in self.exempt_paths
        ):
            try:
                connection.ensure_connection()
            except DATABASE_ERRORS as error:
                log.warning("Database unavailable: %s", error)
                return database_unavailable_response()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            log.warning("Database unavailable: %s", exception)
            return database_unavailable_response()
        return None


LAST_SEEN_KEY = "overstone_last_seen"
# How stale the last-seen time may get before the session is saved again: sessions
# expire after their idle time to within this, without a database write per request.
LAST_SEEN_RESOLUTION_SECONDS = 60


def session_touch(request, user) -> None:
    """Start the user's idle timer again; privileged roles have the shorter one."""
    request.session[LAST_SEEN_KEY] = int(time.time())
    if is_privileged(user):
        request.session.set_expiry(settings.OVERSTONE_PRIVILEGED_SESSION_SECONDS)
    else:
        request.session.set_expiry(settings.SESSION_COOKIE_AGE)


def session_touch_on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (connected in OverstoneConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        session_touch(request, user)


class IdleSessionMiddleware:
    """Sessions end after a period of inactivity rather than at a fixed time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            last_seen = request.session.get(LAST_SEEN_KEY, 0)
            if time.time() - last_seen > LAST_SEEN_RESOLUTION_SECONDS:
                session_touch(request, user)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Until a user who needs a second factor has given a code, every page but the
    set-up, code and log-out pages sends them to give one."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def exempt_paths(self) -> frozenset[str]:
        names = ("two_factor_setup", "two_factor_verify", "logout", "login", "healthz")
        return frozenset(reverse(name) for name in names)

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path_info not in self.exempt_paths
            and needs_second_factor(user)
            and not user.is_verified()
        ):
            return self.second_factor_redirect(request, user)
        return self.get_response(request)

    def second_factor_redirect(self, request, user) -> HttpResponse:
        name = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
        url = reverse(name)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":  # htmx swaps, so tell it to go
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


class AuditRequestMiddleware:
    """Makes the request known to services that record changes in the audit log, so each
    entry says from where (address, browser, page) as the access entries do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class ErrorPageMiddleware:
    """The app's own page, in its layout, where Django answers bare or loud.

    A 405 (``HttpResponseNotAllowed``, e.g. a GET to a POST-only action) has no body;
    it gets the 405 page, keeping its ``Allow`` header. A refusal (``PermissionDenied``)
    is routine, not a fault: it gets the 403 page and the one line Django logs for any
    4xx response ("Forbidden: /path"), not a traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            styled = render(request, "405.html", status=405)
            styled["Allow"] = response["Allow"]
            return styled
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        return None
