import hashlib
import sys

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, TemplateView, View
from django.views.generic.edit import FormMixin
from django_filters.views import FilterView
from django_otp import login as otp_login

from overstone import twofactor
from overstone.audit import AuditOrigin
from overstone.celery import app as celery_app
from overstone.filters import AuditLogFilter, TwoFactorUserFilter
from overstone.forms import SecondFactorCodeForm, TotpCodeForm, TotpSetupForm
from overstone.middleware import DATABASE_ERRORS, database_unavailable_response
from overstone.models import ImportJob
from overstone.notify import MAX_TRIES
from overstone.pagination import FilteredListMixin
from overstone.redirects import safe_next_url
from overstone.roles import Capability, can
from overstone.selectors import audit_log_list, email_failed_list, two_factor_user_list
from overstone.workflow import Refused
from overstone.workqueue import work_count, work_queue


class RefusedMessageMixin:
    """A service's refusal (``overstone.workflow.Refused``) reaches the person as a
    message, never an error page: a form page shows the form again as it was sent, with
    the refusal above it, so nothing typed is lost; any other request is sent to
    ``refused_url()`` (the page itself, or the record's page for a POST-only action)
    with the refusal as an error message."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Refused as refusal:
            return self.refused(refusal)

    def refused(self, refusal: Refused):
        if isinstance(self, FormMixin) and self.request.method == "POST":
            form = self.get_form()
            form.is_valid()
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
            return self.form_invalid(form)
        messages.error(self.request, str(refusal))
        return redirect(self.refused_url())

    def refused_url(self) -> str:
        return self.request.get_full_path()


class CapabilityRequiredMixin(RefusedMessageMixin, PermissionRequiredMixin):
    """Anonymous users are sent to log in; a logged-in user without it (without any one
    of them, for a tuple) gets 403. What a service refuses is shown as a message
    (RefusedMessageMixin)."""

    capability: Capability | tuple[Capability, ...]

    def has_permission(self) -> bool:
        wanted = self.capability if isinstance(self.capability, tuple) else (self.capability,)
        return any(can(self.request.user, capability) for capability in wanted)


class HomeView(LoginRequiredMixin, TemplateView):
    """What needs this person now, most urgent first, then the pages their role opens
    (the navigation's sections, with a line on each)."""

    template_name = "overstone/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            work=work_queue(user), work_badge=work_count(user), **kwargs
        )


class SchoolSwitchView(LoginRequiredMixin, View):
    """Work in another of one's schools (the switcher in the account menu, or the
    question an e-mail's link to another school asks): the home page, navigation and
    every list follow it; ``next`` is the page to open then."""

    http_method_names = ["post"]

    def post(self, request):
        chosen = next(
            (s for s in request.switchable_schools if str(s.pk) == request.POST.get("school")),
            None,
        )
        if chosen is None:
            messages.error(request, "You have no role at that school.")
            return redirect("home")
        request.session["school_id"] = chosen.pk
        messages.success(request, f"You are working in {chosen.name}.")
        return redirect(safe_next_url(request, default="home"))  # e.g. an e-mail's page


class WorkBadgeView(LoginRequiredMixin, TemplateView):
    """The navigation's count of waiting work, fetched by htmx once a page has loaded,
    so that counting it adds nothing to the page's own queries."""

    template_name = "overstone/_work_badge.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(work_badge=work_count(self.request.user), **kwargs)


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_up() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:
        return False


@never_cache
def healthz(request):
    status = {
        "database": "up" if _database_up() else "down",
        "broker": "up" if _broker_up() else "down",
    }
    healthy = all(value == "up" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)


# ---------------------------------------------------------------------------
# Two-factor login (see overstone.twofactor)
# ---------------------------------------------------------------------------
@method_decorator(never_cache, name="dispatch")
class TwoFactorStepMixin(RefusedMessageMixin, LoginRequiredMixin):
    form_class = TotpCodeForm

    def next_url(self) -> str:
        return safe_next_url(self.request, default="home")

    def step_url(self, name: str) -> str:
        return f"{reverse(name)}?{urlencode({'next': self.next_url()})}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


class TwoFactorSetupView(TwoFactorStepMixin, FormView):
    """Show a new secret as a QR code and otpauth:// link; a correct code saves it."""

    template_name = "registration/two_factor_setup.html"
    form_class = TotpSetupForm
    session_key = "overstone_totp_setup_key"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and twofactor.confirmed_device(request.user):
            return redirect(self.step_url("two_factor_verify"))
        return super().dispatch(request, *args, **kwargs)

    def key(self) -> str:
        # Kept in the session, not the database, until the user proves their app has it.
        if self.session_key not in self.request.session:
            self.request.session[self.session_key] = twofactor.totp_key_new()
        return self.request.session[self.session_key]

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not twofactor.enrolment_code_required(self.request.user):
            del form.fields["email_code"]
        return form

    def get_context_data(self, **kwargs):
        device = twofactor.unsaved_device(user=self.request.user, key=self.key())
        uri = device.config_url
        return super().get_context_data(
            otpauth_uri=uri, qr_svg=twofactor.otpauth_qr_svg(uri), **kwargs
        )

    def form_valid(self, form):
        device = twofactor.totp_device_confirm(
            user=self.request.user,
            key=self.key(),
            token=form.cleaned_data["code"],
            enrolment_code=form.cleaned_data.get("email_code", ""),
        )
        del self.request.session[self.session_key]
        otp_login(self.request, device)
        messages.success(self.request, "Two-factor authentication is set up.")
        return backup_codes_response(self.request, self.next_url())


def backup_codes_response(request, next_url: str):
    """A new set of backup codes, in this response only: they are not kept to show again."""
    codes = twofactor.backup_codes_replace(user=request.user)
    return render(
        request, "registration/two_factor_backup_codes_new.html", {"codes": codes, "next": next_url}
    )


class TwoFactorVerifyView(TwoFactorStepMixin, FormView):
    """A code from the authenticator app or, when the phone is not to hand, a backup code."""

    template_name = "registration/two_factor_verify.html"
    form_class = SecondFactorCodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if twofactor.confirmed_device(request.user) is None:
                return redirect(self.step_url("two_factor_setup"))
            if request.user.is_verified():
                return redirect(self.next_url())
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        device = twofactor.second_factor_verify(
            user=self.request.user, code=form.cleaned_data["code"]
        )
        otp_login(self.request, device)
        if twofactor.is_backup_device(device):
            left = twofactor.backup_codes_left(self.request.user)
            messages.warning(
                self.request,
                f"You logged in with a backup code; {left} left. "
                "Make a new set from the Backup codes page if you are running out.",
            )
        return redirect(self.next_url())


class TwoFactorBackupCodesView(TwoFactorStepMixin, FormView):
    """How many backup codes are left; a POST makes a new set, shown once."""

    template_name = "registration/two_factor_backup_codes.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if twofactor.confirmed_device(request.user) is None:
                return redirect(self.step_url("two_factor_setup"))
            if not request.user.is_verified():
                return redirect(self.step_url("two_factor_verify"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        left = twofactor.backup_codes_left(self.request.user)
        return super().get_context_data(codes_left=left, **kwargs)

    def form_valid(self, form):
        """Only with a code from the app now: a session alone (a stolen cookie, an
        unattended screen) must not be enough to mint lasting second factors."""
        twofactor.totp_code_check(user=self.request.user, code=form.cleaned_data["code"])
        messages.success(self.request, "New backup codes made. The old ones no longer work.")
        return backup_codes_response(self.request, self.next_url())


@method_decorator(never_cache, name="dispatch")
class TwoFactorUserListView(CapabilityRequiredMixin, FilteredListMixin, FilterView):
    """Accounts with a second factor, each with a button that resets it."""

    capability = Capability.RESET_TWO_FACTOR
    filterset_class = TwoFactorUserFilter
    template_name = "overstone/two_factor_user_list.html"
    paginate_by = 50

    def get_queryset(self):
        return two_factor_user_list(user=self.request.user)


class TwoFactorResetView(CapabilityRequiredMixin, View):
    """POST only: remove someone's authenticator app and backup codes."""

    capability = Capability.RESET_TWO_FACTOR
    http_method_names = ["post"]

    def post(self, request, pk):
        account = get_object_or_404(get_user_model(), pk=pk)
        name = account.get_full_name() or account.get_username()
        removed = twofactor.two_factor_reset(user=account, origin=AuditOrigin.of_request(request))
        if removed:
            messages.success(
                request,
                f"Two-factor login of {name} reset: they set it up again at their next "
                "login, and have been e-mailed that it happened.",
            )
        else:
            messages.info(request, f"{name} has no second factor to reset.")
        return redirect("two_factor_users")

    def refused_url(self) -> str:
        return reverse("two_factor_users")


# ---------------------------------------------------------------------------
# Audit log
# ---------------------------------------------------------------------------
class AuditLogListView(CapabilityRequiredMixin, FilteredListMixin, FilterView):
    capability = Capability.VIEW_AUDIT_LOG
    filterset_class = AuditLogFilter
    template_name = "overstone/auditlogentry_list.html"
    paginate_by = 50

    def get_queryset(self):
        return audit_log_list(user=self.request.user)


class FailedEmailListView(CapabilityRequiredMixin, ListView):
    """E-mails that could not be sent after every retry, for the principal to follow up."""

    capability = Capability.VIEW_FAILED_EMAILS
    template_name = "overstone/email_failed_list.html"
    paginate_by = 50
    extra_context = {"max_tries": MAX_TRIES}

    def get_queryset(self):
        return email_failed_list(user=self.request.user)


def server_error(request):
    """Django's 500 page, except when the database is what failed: then the friendly
    "briefly unavailable" 503. Errors in middleware (a session that cannot be loaded)
    reach only this handler, not the middleware's process_exception."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response()
    return defaults.server_error(request)


class ImportJobView(CapabilityRequiredMixin, DetailView):
    """An import's progress and then its outcome (the summary, or every row problem);
    htmx polls the panel while the task runs. Each app names the kind, the capability,
    its links and how it words the summary."""

    model = ImportJob
    kind: str
    heading: str
    upload_url: str
    back_url: str
    back_label: str

    def get_queryset(self):
        return ImportJob.objects.filter(kind=self.kind).select_related("requested_by")

    def get_template_names(self) -> list[str]:
        if self.request.htmx:
            return ["overstone/_import_job.html"]
        return ["overstone/import_job.html"]

    def summary(self, result: dict) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            summary=self.summary(self.object.result) if self.object.result else "",
            # Rows imported, but not as the file said (e.g. a category we did not know).
            warnings=(self.object.result or {}).get("warnings", []),
            upload_url=reverse(self.upload_url),
            back_url=reverse(self.back_url),
            back_label=self.back_label,
            **kwargs,
        )


def import_underway_message(job: ImportJob, text: str) -> str:
    """Why a second upload was not queued: it is this one again, or another of its kind
    has to finish first."""
    if hashlib.sha256(text.encode()).hexdigest() == job.upload_sha256:
        return "This file is already being imported: here is how far it has got."
    return (
        f"Another import of {job.get_kind_display().lower()} is under way. Wait for it to "
        "finish, then upload your file again."
    )
