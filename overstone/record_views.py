"""Pages of one record (an incident, a complaint, a concern) named by its reference.

An app declares how its record is found and who may see it once, in a mixin::

    class IncidentMixin(RecordMixin):
        capability = Capability.LOG_INCIDENT
        record_name = "incident"  # self.incident, and {{ incident }} in templates

        def get_record(self, reference):
            return incident_get(user=self.request.user, reference=reference)

        def may(self, user, incident):
            return can_view_incident(user, incident)

and builds its pages on it: a page showing the whole record renders through
``render_record`` (which writes the VIEW audit entry), a small form through
``RecordFormActionView``, evidence through ``EvidenceAddView`` and ``EvidenceDownloadView``.
What a service refuses (``overstone.workflow.Refused``) comes back to the record's page as
a message (``RefusedMessageMixin``).

A page that changes a record with states names their ``Workflow`` (``workflow``): asked
for once the record has been finished (by a colleague, in another tab, while the page that
led there was open), it sends the person back to the record saying so, not to a 403.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from overstone.audit import Action, audit_record
from overstone.bodylimit import BodyLimit
from overstone.evidence import EvidenceAddForm, evidence_download
from overstone.forms import RecordLinkForm
from overstone.links import record_link_create
from overstone.views import CapabilityRequiredMixin
from overstone.workflow import RecordFinished, Workflow

NOTHING_SAVED = "Please correct the problems below; nothing has been saved."


class RecordMixin(CapabilityRequiredMixin):
    """Loads the record named by ``reference`` in the URL through the app's selector, which
    raises 404 when this user may not see it; 403 unless ``may`` allows this page."""

    record_name: str
    workflow: Workflow | None = None  # on a page that changes the record: its states

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.record = self.get_record(kwargs["reference"])
            setattr(self, self.record_name, self.record)
            if not self.may(request.user, self.record):
                return self.refuse()
        return super().dispatch(request, *args, **kwargs)

    def refuse(self) -> HttpResponse:
        """403; but a record finished since the page that led here was opened (the link or
        form on it was right then) sends the person back to the record, saying why."""
        workflow = self.workflow_of(self.record)
        if workflow is not None:
            try:
                workflow.check_open(self.record)
            except RecordFinished as refusal:
                messages.error(self.request, str(refusal))
                return redirect(self.record)
        raise PermissionDenied

    def workflow_of(self, record) -> Workflow | None:
        return self.workflow

    def get_record(self, reference: str):
        """The record with this reference among those the user may see, else Http404."""
        raise NotImplementedError

    def may(self, user, record) -> bool:
        """Whether this user may use this page of a record they can see."""
        raise NotImplementedError

    def refused_url(self) -> str:
        return self.record.get_absolute_url()

    def render_page(self, template_name: str, context: dict | None = None) -> HttpResponse:
        """A page about the record that shows no more of it than its reference."""
        context = {"record": self.record, self.record_name: self.record, **(context or {})}
        return render(self.request, template_name, context)

    def render_record(self, template_name: str, context: dict | None = None) -> HttpResponse:
        """A page that shows the whole record: every such page renders here, so every time
        someone is shown it the audit log says so, once."""
        audit_record(self.request, Action.VIEW, self.record)
        return self.render_page(template_name, context)


class RecordFormActionView(RecordMixin, View):
    """A small form on its own page that ends in one service call (``act``, returning the
    success message) and goes back to the record."""

    form_class: type[forms.Form]
    title: str
    template_name = "record_action.html"

    def get(self, request, **kwargs):
        return self.render_form(self.form_class(initial=self.initial()))

    def post(self, request, **kwargs):
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, NOTHING_SAVED)
            return self.render_form(form)
        messages.success(request, self.act(form))
        return redirect(self.record)

    def initial(self) -> dict:
        return {}

    def act(self, form) -> str:
        raise NotImplementedError

    def render_form(self, form) -> HttpResponse:
        return self.render_page(self.template_name, {"form": form, "title": self.title})


class RecordLinkView(RecordFormActionView):
    """Link the record to the one of the other kind about the same post, by reference
    (``overstone.links``): an incident to an online complaint, or the other way."""

    form_class = RecordLinkForm
    title = "Link to the record about the same post"

    def act(self, form) -> str:
        other = form.cleaned_data["other"]
        record_link_create(reference=self.record.reference, other=other, actor=self.request.user)
        return f"{self.record.reference} is linked to {other}."


class EvidenceAddView(RecordFormActionView):
    """Files added to a record by the app's service ``evidence_add(files=..., captured_url=...,
    captured_at=...)``, which returns the evidence it stored."""

    form_class = EvidenceAddForm
    title = "Add evidence"
    body_limit = BodyLimit.EVIDENCE

    def act(self, form) -> str:
        added = self.evidence_add(files=form.cleaned_data["files"], **form.evidence_fields())
        return f"{len(added)} evidence file(s) added."

    def evidence_add(self, **upload) -> list:
        raise NotImplementedError


class EvidenceDownloadView(RecordMixin, View):
    """One evidence file of the record (see ``overstone.evidence.evidence_download``); a
    file that fails its SHA-256 check is noted by the app's ``evidence_tampered``."""

    def get(self, request, reference, pk):
        evidence = get_object_or_404(self.record.evidence.all(), pk=pk)
        return evidence_download(
            request, evidence, record=self.record, tampered=self.evidence_tampered
        )

    def evidence_tampered(self, *, evidence, actor) -> None:
        raise NotImplementedError
