from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import ListView
from django_filters.views import FilterView

from complaints import services
from complaints.documents import (
    LETTERS,
    bundle_bytes,
    bundle_response,
    letter_html,
    letter_pdf,
)
from complaints.filters import ComplaintFilter, ConcernFilter
from complaints.forms import (
    AllegationForm,
    CalendarEntryForm,
    ComplaintForm,
    ComplaintNoteForm,
    ConcernForm,
    ConcernReplyForm,
    GovernorsMeetingArrangeForm,
    RemovalOutcomeForm,
    RemovalRequestForm,
)
from complaints.models import About, CalendarEntry
from complaints.permissions import (
    can_act_on_complaint,
    can_handle_complaint,
    can_note_complaint,
    can_view_complaint,
)
from complaints.selectors import (
    calendar_entries,
    complaint_get,
    complaint_list,
    complaint_stage_counts,
    complaints_reported_by,
    concern_get,
    concern_list,
)
from complaints.stages import STAGES, letters_available, next_steps
from overstone import record_views
from overstone.audit import Action, audit_record
from overstone.bodylimit import BodyLimit
from overstone.evidence import EvidenceForm, EvidenceTampered, evidence_tampered_response
from overstone.exports import csv_response
from overstone.links import record_link_of
from overstone.pagination import FilteredListMixin, LargeTablePaginator
from overstone.record_views import (
    NOTHING_SAVED,
    RecordFormActionView,
    RecordLinkView,
    RecordMixin,
)
from overstone.roles import Capability, can
from overstone.templatetags.people import person
from overstone.views import CapabilityRequiredMixin


def now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class ComplaintBoardView(CapabilityRequiredMixin, FilteredListMixin, FilterView):
    """The principal's board: complaints by stage, overdue first, filtered; the trust
    safeguarding lead reads it too."""

    capability = (Capability.MANAGE_COMPLAINTS, Capability.VIEW_ALL_COMPLAINTS)
    filterset_class = ComplaintFilter
    template_name = "complaints/complaint_list.html"
    paginate_by = 25
    paginator_class = LargeTablePaginator
    title = "Online complaints"

    def get_queryset(self):
        return complaint_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        self.stage_counts = complaint_stage_counts(self.filterset.queryset)  # unfiltered
        return super().get_context_data(
            title=self.title,
            stage_counts=self.stage_counts,
            today=timezone.localdate(),
            **kwargs,
        )

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        filters = self.filterset
        if not filters.is_bound or (
            filters.is_valid() and not any(filters.form.cleaned_data.values())
        ):
            # Unfiltered, the board's total is the sum of its counts per stage.
            paginator.count = sum(n for _, n in self.stage_counts)
        return paginator


COMPLAINT_EXPORT_COLUMNS = [
    ("Reference", lambda c: c.reference),
    ("Stage", lambda c: c.get_stage_display()),
    ("Stage due", lambda c: c.stage_due and f"{c.stage_due:%Y-%m-%d}"),
    ("Overdue", lambda c: "yes" if c.overdue else "no"),
    ("Category", lambda c: c.get_category_display()),
    ("Platform", lambda c: c.get_platform_display()),
    ("About", lambda c: c.get_about_display()),
    ("About the principal", lambda c: "yes" if c.about_principal else "no"),
    ("Posted at", lambda c: timezone.localtime(c.posted_at).strftime("%Y-%m-%d %H:%M")),
    ("Recorded at", lambda c: timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M")),
    ("Evidence files", lambda c: c.evidence_count),
    ("Finished at", lambda c: c.finished_at and f"{c.finished_at:%Y-%m-%d}"),
]


class ComplaintExportView(CapabilityRequiredMixin, View):
    """The board's filtered complaints as CSV (formula-safe, no names of pupils or of
    whoever posted), audited as an export."""

    capability = Capability.MANAGE_COMPLAINTS

    def get(self, request):
        complaints = ComplaintFilter(
            request.GET, complaint_list(user=request.user), request=request
        ).qs
        return _export(request, "complaints", complaints, COMPLAINT_EXPORT_COLUMNS)


class EscalatedListView(ComplaintBoardView):
    """The chair of governors' list: escalated complaints and those about the principal."""

    capability = Capability.JOIN_ESCALATED_COMPLAINTS
    title = "Escalated complaints"


class ComplaintCreateView(CapabilityRequiredMixin, View):
    capability = Capability.MANAGE_COMPLAINTS
    body_limit = BodyLimit.EVIDENCE
    template_name = "complaints/complaint_form.html"
    form_class = ComplaintForm
    title = "Record an online complaint"

    def get(self, request):
        return self.render(self.form_class(initial={"posted_at": now_minute()}))

    def post(self, request):
        form = self.form_class(request.POST)
        evidence = EvidenceForm(request.POST, request.FILES, prefix="evidence")
        if not (form.is_valid() and evidence.is_valid()):
            messages.error(request, NOTHING_SAVED)
            return self.render(form, evidence)
        complaint = services.complaint_create(
            actor=request.user,
            evidence=evidence.cleaned_data["files"],
            **evidence.evidence_fields(),
            **self.fields(form.cleaned_data),
        )
        return self.done(complaint)

    def fields(self, data: dict) -> dict:
        return data

    def done(self, complaint):
        if not can_view_complaint(self.request.user, complaint):
            messages.success(
                self.request,
                f"Complaint {complaint.reference} recorded. It is about the principal, so it "
                "has gone to the chair of governors.",
            )
            return redirect("complaints:board")
        messages.success(self.request, f"Complaint {complaint.reference} recorded.")
        return redirect(complaint)

    def render(self, form, evidence=None):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "evidence_form": evidence or EvidenceForm(prefix="evidence"),
                "title": self.title,
            },
        )


class AllegationReportView(ComplaintCreateView):
    """School personnel tell the principal about an allegation posted about them."""

    capability = Capability.REPORT_ALLEGATION
    form_class = AllegationForm
    title = "Report an online allegation about you"

    def fields(self, data: dict) -> dict:
        return {**data, "about": About.STAFF, "staff_about": [self.request.user]}

    def done(self, complaint):
        messages.success(
            self.request,
            f"Thank you. {complaint.reference} has gone to "
            f"{'the chair of governors' if complaint.about_principal else 'the principal'}, "
            "who will be in touch to support you.",
        )
        return redirect("complaints:mine")


class MyReportsView(CapabilityRequiredMixin, ListView):
    capability = Capability.REPORT_ALLEGATION
    template_name = "complaints/my_reports.html"
    paginate_by = 25

    def get_queryset(self):
        return complaints_reported_by(user=self.request.user)


class ComplaintMixin(RecordMixin):
    """The complaint named in the URL, among those the user may see."""

    capability = (Capability.VIEW_COMPLAINTS, Capability.VIEW_ALL_COMPLAINTS)
    record_name = "complaint"

    def get_record(self, reference):
        return complaint_get(user=self.request.user, reference=reference)

    def may(self, user, complaint) -> bool:
        return can_view_complaint(user, complaint)


class ComplaintDetailView(ComplaintMixin, View):
    template_name = "complaints/complaint_detail.html"

    def get(self, request, reference):
        return self.render_detail()

    def render_detail(self, bound_form=None):
        """The complaint's page; ``bound_form`` is a stage form that was refused, shown open
        with its errors in place of the empty one."""
        complaint, user = self.complaint, self.request.user
        may_act = can_act_on_complaint(user, complaint)
        forms = []
        if may_act:
            for step in next_steps(complaint):
                if bound_form is not None and bound_form.stage == step.stage:
                    forms.append(bound_form)
                else:
                    forms.append(step.form(complaint=complaint))
        return self.render_record(
            self.template_name,
            {
                "may_act": may_act,
                "may_handle": can_handle_complaint(user, complaint),
                "may_note": can_note_complaint(user, complaint),
                "transition_forms": forms,
                "open_stage": bound_form.stage.value if bound_form is not None else "",
                "letters": [
                    letter for letter in letters_available(complaint) if letter.is_ready(complaint)
                ],
                "overdue": complaint.is_overdue(),
                "linked": record_link_of(reference=complaint.reference),
                "may_link": can(user, Capability.MANAGE_COMPLAINTS),
            },
        )


class ComplaintTransitionView(ComplaintDetailView):
    """POST only: move the complaint to the next stage, recording what that stage needs;
    a stage form with errors shows the complaint's page again, with the form open."""

    http_method_names = ["post"]

    def may(self, user, complaint) -> bool:
        return can_handle_complaint(user, complaint)

    def post(self, request, reference):
        to_stage = request.POST.get("to_stage", "")
        step = STAGES.get(to_stage)
        form = step.form(request.POST, complaint=self.complaint) if step and step.form else None
        if not can_act_on_complaint(request.user, self.complaint) and self.complaint.is_finished:
            messages.error(request, f"{reference} is finished and can no longer be changed.")
            return redirect(self.complaint)
        allowed = to_stage in STAGES[self.complaint.stage].next
        if form is not None and allowed and not form.is_valid():
            messages.error(request, NOTHING_SAVED)
            return self.render_detail(bound_form=form)
        cleaned = form.cleaned_data if form is not None and form.is_bound and allowed else {}
        complaint = services.complaint_transition(
            complaint=self.complaint,
            to_stage=to_stage,
            actor=request.user,
            expected_stage=request.POST.get(f"{to_stage}-expected_stage") or None,
            note=cleaned.get("note", ""),
            details=form.details() if cleaned else {},
        )
        messages.success(request, f"{reference} moved to “{complaint.get_stage_display()}”.")
        return redirect(self.complaint)


class ComplaintLinkView(ComplaintMixin, RecordLinkView):
    """Link the complaint to the incident about the same post (overstone.links); a
    finished complaint can still be linked."""

    def may(self, user, complaint) -> bool:
        return can(user, Capability.MANAGE_COMPLAINTS) and can_handle_complaint(user, complaint)


class ComplaintFormActionView(ComplaintMixin, RecordFormActionView):
    workflow = services.WORKFLOW

    def may(self, user, complaint) -> bool:
        return can_act_on_complaint(user, complaint)


class EvidenceAddView(ComplaintFormActionView, record_views.EvidenceAddView):
    def evidence_add(self, **upload):
        return services.complaint_add_evidence(
            complaint=self.complaint, actor=self.request.user, **upload
        )


class EvidenceDownloadView(ComplaintMixin, record_views.EvidenceDownloadView):
    def evidence_tampered(self, **found):
        services.complaint_evidence_tampered(**found)


class RemovalAddView(ComplaintFormActionView):
    form_class = RemovalRequestForm
    title = "Ask a platform to remove another post"

    def initial(self):
        return {"requested_at": now_minute(), "platform": self.complaint.platform}

    def act(self, form) -> str:
        services.complaint_request_removal(
            complaint=self.complaint, actor=self.request.user, **form.cleaned_data
        )
        return "Removal request recorded."


class GovernorsMeetingArrangeView(ComplaintFormActionView):
    form_class = GovernorsMeetingArrangeForm
    title = "Arrange the meeting with the chair of governors"

    def act(self, form) -> str:
        services.complaint_arrange_governors_meeting(
            complaint=self.complaint, actor=self.request.user, **form.cleaned_data
        )
        return "Meeting arranged: the chair of governors can now read this complaint."


class RemovalOutcomeView(ComplaintFormActionView):
    form_class = RemovalOutcomeForm
    title = "Record what came of a removal request"

    def removal(self):
        return get_object_or_404(self.complaint.removal_requests.all(), pk=self.kwargs["pk"])

    def initial(self):
        self.removal()
        return {"outcome_at": now_minute()}

    def act(self, form) -> str:
        removal = services.complaint_record_removal_outcome(
            removal=self.removal(), actor=self.request.user, **form.cleaned_data
        )
        return f"Outcome recorded: {removal.get_outcome_display().lower()}."


class NoteAddView(ComplaintMixin, RecordFormActionView):
    """A note in the chronology of any complaint the principal or SLT see, finished too."""

    form_class = ComplaintNoteForm
    title = "Add a note"

    def may(self, user, complaint) -> bool:
        return can_note_complaint(user, complaint)

    def act(self, form) -> str:
        services.complaint_add_note(
            complaint=self.complaint, actor=self.request.user, **form.cleaned_data
        )
        return "Note added to the chronology."


class LetterView(ComplaintMixin, View):
    """A printable letter filled from the complaint, as HTML or PDF. Producing one is a
    POST, because it writes to the chronology; the letter page's "Download PDF" is a form
    for the same reason."""

    http_method_names = ["post"]

    def may(self, user, complaint) -> bool:
        return can_handle_complaint(user, complaint)

    def post(self, request, reference, kind, fmt="html"):
        letter = LETTERS.get(kind)
        if letter is None:
            raise Http404("No such letter")
        if letter not in letters_available(self.complaint):
            messages.error(
                request,
                f"The {letter.title.lower()} is not available while {reference} is at "
                f"“{self.complaint.get_stage_display()}”.",
            )
            return redirect(self.complaint)
        letter.check_ready(self.complaint)
        services.complaint_letter_produced(
            complaint=self.complaint, actor=request.user, title=letter.title, fmt=fmt
        )
        audit_record(
            request, Action.DOWNLOAD, self.complaint, reference=f"{reference} {kind} letter"
        )
        if fmt == "pdf":
            response = HttpResponse(
                letter_pdf(letter, self.complaint, request), content_type="application/pdf"
            )
            response["Content-Disposition"] = f'attachment; filename="{reference}-{kind}.pdf"'
            return response
        return HttpResponse(letter_html(letter, self.complaint, request))


class BundleView(ComplaintMixin, View):
    """The evidence bundle for legal advice: chronology PDF, every file, a SHA-256 manifest.
    A POST, because producing it is recorded in the chronology."""

    http_method_names = ["post"]

    def may(self, user, complaint) -> bool:
        return can_handle_complaint(user, complaint)

    def post(self, request, reference):
        try:
            content, manifest = bundle_bytes(self.complaint)
        except EvidenceTampered as tampered:
            return evidence_tampered_response(
                request,
                tampered.args[0],
                record=self.complaint,
                tampered=services.complaint_evidence_tampered,
            )
        services.complaint_bundle_downloaded(
            complaint=self.complaint, actor=request.user, manifest=manifest
        )
        audit_record(request, Action.EXPORT, self.complaint, reference=f"{reference} bundle")
        return bundle_response(self.complaint, content)


class ConcernCreateView(CapabilityRequiredMixin, View):
    capability = Capability.RAISE_CONCERN
    template_name = "complaints/concern_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ConcernForm()})

    def post(self, request):
        form = ConcernForm(request.POST)
        if not form.is_valid():
            messages.error(request, NOTHING_SAVED)
            return render(request, self.template_name, {"form": form})
        concern = services.concern_create(actor=request.user, **form.cleaned_data)
        to = "the chair of governors" if concern.about_principal else "the principal"
        messages.success(
            request,
            f"Thank you: your concern {concern.reference} has reached {to}. "
            "We have e-mailed you an acknowledgement.",
        )
        return redirect("complaints:concern_list")


class ConcernListView(CapabilityRequiredMixin, ListView):
    """A parent's own concerns and their status; nothing else."""

    capability = Capability.RAISE_CONCERN
    template_name = "complaints/concern_list.html"
    paginate_by = 25

    def get_queryset(self):
        return concern_list(user=self.request.user).filter(raised_by=self.request.user)


class ConcernManageListView(CapabilityRequiredMixin, FilteredListMixin, FilterView):
    """Every concern for the principal and SLT; the chair of governors those about the
    principal (concern_list decides)."""

    capability = Capability.VIEW_COMPLAINTS
    filterset_class = ConcernFilter
    template_name = "complaints/concern_manage_list.html"
    paginate_by = 25

    def get_queryset(self):
        return concern_list(user=self.request.user)


CONCERN_EXPORT_COLUMNS = [
    ("Reference", lambda c: c.reference),
    ("Raised at", lambda c: timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M")),
    ("Raised by", lambda c: person(c.raised_by, "a parent (anonymised)")),
    ("Subject", lambda c: c.subject),
    ("Status", lambda c: c.get_status_display()),
    ("Answered", lambda c: "yes" if c.response else "no"),
]


class ConcernExportView(CapabilityRequiredMixin, View):
    """The filtered concerns as CSV (formula-safe), audited as an export."""

    capability = Capability.VIEW_COMPLAINTS

    def get(self, request):
        concerns = ConcernFilter(request.GET, concern_list(user=request.user), request=request).qs
        return _export(request, "concerns", concerns, CONCERN_EXPORT_COLUMNS)


def _export(request, name: str, records, columns) -> HttpResponse:
    """A list's filtered records as a streamed CSV, with its audit entry naming the filter."""
    query = request.GET.urlencode()
    audit_record(
        request,
        Action.EXPORT,
        model=records.model,
        reference=f"{name} list filtered by {query}" if query else f"all {name}",
    )
    rows = ([value(record) for _, value in columns] for record in records.iterator(2000))
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return csv_response(f"{name}-{stamp}.csv", [title for title, _ in columns], rows)


class ConcernDetailView(RecordMixin, View):
    """A concern's page: the principal and SLT (the chair of governors for one about the
    principal) answer it here; the parent who raised it reads it (others' concerns are 404
    to a parent: concern_get shows each only what they may see)."""

    capability = Capability.VIEW_COMPLAINTS
    record_name = "concern"
    template_name = "complaints/concern_detail.html"

    def has_permission(self) -> bool:
        return super().has_permission() or can(self.request.user, Capability.RAISE_CONCERN)

    def get_record(self, reference):
        return concern_get(user=self.request.user, reference=reference)

    def may(self, user, concern) -> bool:
        # Reading: concern_get has limited it to what this user may see. Answering: not the
        # parent.
        return self.request.method == "GET" or can(user, Capability.VIEW_COMPLAINTS)

    def get(self, request, reference):
        form = ConcernReplyForm(initial={"expected_status": self.concern.status})
        return self.render_record(self.template_name, {"form": form})

    def post(self, request, reference):
        form = ConcernReplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, NOTHING_SAVED)
            return self.render_record(self.template_name, {"form": form})
        services.concern_transition(concern=self.concern, actor=request.user, **form.cleaned_data)
        messages.success(request, f"{reference} updated.")
        return redirect("complaints:concern_detail", reference=reference)


class CalendarView(CapabilityRequiredMixin, View):
    """The school's term calendar, which stage deadlines are counted in."""

    capability = Capability.MANAGE_SCHOOL_CALENDAR
    template_name = "complaints/calendar.html"

    def get(self, request):
        return self.render(CalendarEntryForm())

    def post(self, request):
        form = CalendarEntryForm(request.POST)
        if not form.is_valid():
            messages.error(request, NOTHING_SAVED)
            return self.render(form)
        entry = services.calendar_entry_add(actor=request.user, **form.cleaned_data)
        messages.success(request, f"{entry} added to the calendar.")
        return redirect("complaints:calendar")

    def render(self, form):
        return render(
            self.request, self.template_name, {"form": form, "entries": calendar_entries()}
        )


class CalendarDeleteView(CapabilityRequiredMixin, View):
    capability = Capability.MANAGE_SCHOOL_CALENDAR
    http_method_names = ["post"]

    def post(self, request, pk):
        entry = get_object_or_404(CalendarEntry, pk=pk)
        services.calendar_entry_remove(actor=request.user, entry=entry)
        messages.success(request, f"{entry} removed from the calendar.")
        return redirect("complaints:calendar")
