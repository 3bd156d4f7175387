from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django_filters.views import FilterView

from incidents import services
from incidents.alerts import alert_list, alert_modes, alert_preferences_set
from incidents.filters import IncidentFilter
from incidents.forms import (
    AlertPreferenceForm,
    CloseForm,
    ContactForm,
    FilterAlertImportForm,
    IncidentForm,
    PupilFormSet,
    pupils_from,
    pupils_initial,
)
from incidents.imports import incidents_import_start
from incidents.models import CATEGORY_LABELS, Incident
from incidents.permissions import can_edit_incident, can_manage_incident, can_view_incident
from incidents.selectors import incident_get, incident_list
from overstone import record_views
from overstone.audit import Action, audit_record
from overstone.bodylimit import BodyLimit
from overstone.evidence import EvidenceForm
from overstone.exports import csv_response
from overstone.links import record_link_of
from overstone.models import ImportJob
from overstone.pagination import (
    FilteredListMixin,
    KeysetPaginationMixin,
    LargeTablePaginator,
)
from overstone.record_views import (
    NOTHING_SAVED,
    RecordFormActionView,
    RecordLinkView,
    RecordMixin,
)
from overstone.roles import Capability, can
from overstone.views import CapabilityRequiredMixin, ImportJobView, import_underway_message
from pupils.selectors import pupils_to_pick

# Those who log incidents, and the trust safeguarding lead, who logs none and reads all.
READ_INCIDENTS = (Capability.LOG_INCIDENT, Capability.VIEW_ALL_INCIDENTS)


class IncidentListView(
    CapabilityRequiredMixin, FilteredListMixin, KeysetPaginationMixin, FilterView
):
    capability = READ_INCIDENTS
    filterset_class = IncidentFilter
    template_name = "incidents/incident_list.html"
    paginate_by = 25
    paginator_class = LargeTablePaginator

    def get_queryset(self):
        return incident_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sees_all=can(self.request.user, Capability.VIEW_ALL_INCIDENTS),
            **kwargs,
        )


EXPORT_COLUMNS = [
    ("Reference", lambda i: i.reference),
    ("Occurred at", lambda i: timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M")),
    ("Category", lambda i: CATEGORY_LABELS.get(i.category, i.category)),
    ("Severity", lambda i: i.get_severity_display()),
    ("Status", lambda i: i.get_status_display()),
    ("Where", lambda i: i.get_location_display()),
    ("Where, in detail", lambda i: i.location_detail),
    ("Reported by", lambda i: i.reported_by.get_full_name() or i.reported_by.username),
    ("Evidence files", lambda i: i.evidence_count),
    ("ISP contacted", lambda i: i.isp_contacted_at and f"{i.isp_contacted_at:%Y-%m-%d}"),
    ("Police contacted", lambda i: i.police_contacted_at and f"{i.police_contacted_at:%Y-%m-%d}"),
    ("Closed at", lambda i: i.closed_at and f"{i.closed_at:%Y-%m-%d}"),
]


class IncidentExportView(CapabilityRequiredMixin, View):
    """The filtered list as CSV, streamed row by row (no pupil names)."""

    capability = Capability.VIEW_ALL_INCIDENTS

    def get(self, request):
        incidents = IncidentFilter(
            request.GET, incident_list(user=request.user), request=request
        ).qs
        query = request.GET.urlencode()
        audit_record(
            request,
            Action.EXPORT,
            model=Incident,
            reference=f"incident list filtered by {query}" if query else "all incidents",
        )
        rows = (
            [value(incident) for _, value in EXPORT_COLUMNS]
            for incident in incidents.iterator(chunk_size=2000)
        )
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        header = [title for title, _ in EXPORT_COLUMNS]
        return csv_response(f"incidents-{stamp}.csv", header, rows)


class IncidentCreateView(CapabilityRequiredMixin, View):
    capability = Capability.LOG_INCIDENT
    body_limit = BodyLimit.EVIDENCE
    template_name = "incidents/incident_form.html"

    def get(self, request):
        initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        return self.render(IncidentForm(initial=initial), PupilFormSet(prefix="pupils"))

    def post(self, request):
        form = IncidentForm(request.POST)
        pupils = PupilFormSet(request.POST, prefix="pupils")
        evidence = EvidenceForm(request.POST, request.FILES, prefix="evidence")
        if not (form.is_valid() and pupils.is_valid() and evidence.is_valid()):
            messages.error(request, NOTHING_SAVED)
            return self.render(form, pupils, evidence)
        data = form.cleaned_data
        incident = services.incident_create(
            actor=request.user,
            occurred_at=data["occurred_at"],
            category=data["category"],
            severity=data["severity"],
            location=data["location"],
            location_detail=data["location_detail"],
            description=data["description"],
            pupils=pupils_from(pupils),
            staff_involved=data["staff_involved"],
            evidence=evidence.cleaned_data["files"],
            **evidence.evidence_fields(),
        )
        messages.success(request, f"Incident {incident.reference} logged.")
        return redirect(incident)

    def render(self, form, pupils, evidence=None):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "pupils": pupils,
                "pupils_on_roll": pupils_to_pick(),
                "evidence_form": evidence or EvidenceForm(prefix="evidence"),
                "title": "Log an e-Safety incident",
            },
        )


class IncidentMixin(RecordMixin):
    """The incident named in the URL, among those the user may see."""

    capability = READ_INCIDENTS
    record_name = "incident"

    def get_record(self, reference):
        return incident_get(user=self.request.user, reference=reference)

    def may(self, user, incident) -> bool:
        return can_view_incident(user, incident)


class IncidentDetailView(IncidentMixin, View):
    template_name = "incidents/incident_detail.html"

    def get(self, request, reference):
        user, incident = request.user, self.incident
        return self.render_record(
            self.template_name,
            {
                "may_edit": can_edit_incident(user, incident),
                "may_manage": can_manage_incident(user, incident),
                "may_report": can_manage_incident(user, incident)
                and incident.status == incident.Status.OPEN,
                "linked": record_link_of(reference=incident.reference),
                "may_link": can(user, Capability.MANAGE_INCIDENTS),
            },
        )


class IncidentUpdateView(IncidentMixin, View):
    workflow = services.WORKFLOW

    template_name = "incidents/incident_form.html"

    def may(self, user, incident) -> bool:
        return can_edit_incident(user, incident)

    def get(self, request, reference):
        return self.render(
            IncidentForm(instance=self.incident),
            PupilFormSet(initial=pupils_initial(self.incident), prefix="pupils"),
        )

    def post(self, request, reference):
        form = IncidentForm(request.POST, instance=self.incident)
        pupils = PupilFormSet(request.POST, prefix="pupils")
        if not (form.is_valid() and pupils.is_valid()):
            messages.error(request, NOTHING_SAVED)
            return self.render(form, pupils)
        services.incident_update(
            incident=self.incident,
            actor=request.user,
            data=form.cleaned_data,
            pupils=pupils_from(pupils),
            staff_involved=form.cleaned_data["staff_involved"],
        )
        messages.success(request, f"{self.incident.reference} updated.")
        return redirect(self.incident)

    def render(self, form, pupils):
        """The form holds the whole incident, so showing it is audited like its page."""
        return self.render_record(
            self.template_name,
            {
                "form": form,
                "pupils": pupils,
                "pupils_on_roll": pupils_to_pick(),
                "title": f"Edit {self.incident.reference}",
            },
        )


class EvidenceAddView(IncidentMixin, record_views.EvidenceAddView):
    workflow = services.WORKFLOW

    def may(self, user, incident) -> bool:
        return can_edit_incident(user, incident)

    def evidence_add(self, **upload):
        return services.incident_add_evidence(
            incident=self.incident, actor=self.request.user, **upload
        )


class EvidenceDownloadView(IncidentMixin, record_views.EvidenceDownloadView):
    def evidence_tampered(self, **found):
        services.incident_evidence_tampered(**found)


class IncidentReportView(IncidentMixin, View):
    """POST only: report the incident to the principal, who is e-mailed."""

    workflow = services.WORKFLOW

    http_method_names = ["post"]

    def may(self, user, incident) -> bool:
        return can_manage_incident(user, incident)

    def post(self, request, reference):
        services.incident_report_to_principal(incident=self.incident, actor=request.user)
        messages.success(request, f"{reference} reported to the principal, who is e-mailed.")
        return redirect(self.incident)


class IncidentLinkView(IncidentMixin, RecordLinkView):
    """Link the incident to the online complaint about the same post (overstone.links)."""

    def may(self, user, incident) -> bool:
        return can(user, Capability.MANAGE_INCIDENTS)


class IncidentFormActionView(IncidentMixin, RecordFormActionView):
    workflow = services.WORKFLOW

    def may(self, user, incident) -> bool:
        return can_manage_incident(user, incident)


class ContactView(IncidentFormActionView):
    form_class = ContactForm
    who: str = "isp"

    @property
    def title(self) -> str:
        return "Record ISP contact" if self.who == "isp" else "Record police contact"

    def initial(self):
        return {"contacted_at": timezone.localtime().replace(second=0, microsecond=0)}

    def act(self, form) -> str:
        services.incident_record_contact(
            incident=self.incident,
            actor=self.request.user,
            who=self.who,
            contacted_at=form.cleaned_data["contacted_at"],
            reference=form.cleaned_data["reference"],
        )
        return "ISP contact recorded." if self.who == "isp" else "Police contact recorded."


class IncidentCloseView(IncidentFormActionView):
    form_class = CloseForm
    title = "Close the incident"

    def act(self, form) -> str:
        services.incident_close(
            incident=self.incident, actor=self.request.user, **form.cleaned_data
        )
        return f"{self.incident.reference} closed."


class FilterAlertImportView(CapabilityRequiredMixin, View):
    """Keeps the file and queues its import; the job's page follows it."""

    capability = Capability.MANAGE_INCIDENTS
    body_limit = BodyLimit.IMPORT
    template_name = "incidents/import_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": FilterAlertImportForm()})

    def post(self, request):
        form = FilterAlertImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        job, created = incidents_import_start(text=form.cleaned_data["file"], actor=request.user)
        if not created:
            messages.info(request, import_underway_message(job, form.cleaned_data["file"]))
        return redirect("incidents:import_job", pk=job.pk)


class FilterAlertImportJobView(ImportJobView):
    capability = Capability.MANAGE_INCIDENTS
    kind = ImportJob.Kind.FILTER_ALERTS
    heading = "Import of web filter alerts"
    upload_url = "incidents:import"
    back_url = "incidents:list"
    back_label = "The incident log"

    def summary(self, result: dict) -> str:
        return (
            f"{result['created']} incident(s) imported; "
            f"{result['already_imported']} row(s) were already imported."
        )


class AlertListView(CapabilityRequiredMixin, View):
    """The incident alerts sent to this person, and when they want to hear of each
    severity (what their role allows: see incidents.alerts)."""

    capability = Capability.RECEIVE_INCIDENT_ALERTS
    template_name = "incidents/alert_list.html"

    def get(self, request):
        return self.render(AlertPreferenceForm(modes=alert_modes(user=request.user)))

    def post(self, request):
        form = AlertPreferenceForm(request.POST, modes=alert_modes(user=request.user))
        if not form.is_valid():
            messages.error(request, NOTHING_SAVED)
            return self.render(form)
        alert_preferences_set(user=request.user, modes=form.cleaned_data, actor=request.user)
        messages.success(request, "Your choices are saved.")
        return redirect("incidents:alerts")

    def render(self, form):
        alerts = Paginator(alert_list(user=self.request.user), 50)
        return render(
            self.request,
            self.template_name,
            {"form": form, "page_obj": alerts.get_page(self.request.GET.get("page"))},
        )
