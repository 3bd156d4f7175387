from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import ListView

from overstone.bodylimit import BodyLimit
from overstone.models import ImportJob
from overstone.record_views import NOTHING_SAVED, RecordMixin
from overstone.roles import Capability
from overstone.views import CapabilityRequiredMixin, ImportJobView, import_underway_message
from pupils import services
from pupils.forms import PupilForm, PupilImportForm
from pupils.models import YearGroup
from pupils.selectors import pupil_list, pupil_page


class PupilListView(CapabilityRequiredMixin, ListView):
    capability = Capability.VIEW_PUPILS
    template_name = "pupils/pupil_list.html"
    context_object_name = "pupils"
    paginate_by = 50

    def get_queryset(self):
        query = self.request.GET
        return pupil_list(
            user=self.request.user,
            search=query.get("q", ""),
            year_group=query.get("year_group", ""),
            left=query.get("left") == "1",
        )

    def get_context_data(self, **kwargs):
        query = self.request.GET
        return super().get_context_data(
            q=query.get("q", ""),
            year_group=query.get("year_group", ""),
            left=query.get("left") == "1",
            year_groups=YearGroup.choices,
            **kwargs,
        )


class PupilDetailView(RecordMixin, View):
    """One pupil's page: who they are and every record about them the user may see (the
    trust safeguarding lead: a pupil named in an incident or complaint they read)."""

    capability = (Capability.LOG_INCIDENT, Capability.VIEW_ALL_INCIDENTS)
    record_name = "pupil"
    template_name = "pupils/pupil_detail.html"

    def get_record(self, reference):
        self.pupil, self.timeline = pupil_page(user=self.request.user, number=reference)
        return self.pupil

    def may(self, user, pupil) -> bool:
        return True  # pupil_page already hid the pupil from anyone who may not see them

    def get(self, request, reference):
        return self.render_record(self.template_name, {"timeline": self.timeline})


class PupilCreateView(CapabilityRequiredMixin, View):
    capability = Capability.MANAGE_PUPILS
    template_name = "pupils/pupil_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": PupilForm()})

    def post(self, request):
        form = PupilForm(request.POST)
        if not form.is_valid():
            messages.error(request, NOTHING_SAVED)
            return render(request, self.template_name, {"form": form})
        pupil = services.pupil_create(actor=request.user, **form.cleaned_data)
        messages.success(request, f"{pupil.full_name} added.")
        return redirect(pupil)


class PupilImportView(CapabilityRequiredMixin, View):
    """Keeps the file and queues its import; the job's page follows it."""

    capability = Capability.MANAGE_PUPILS
    body_limit = BodyLimit.IMPORT
    template_name = "pupils/pupil_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": PupilImportForm()})

    def post(self, request):
        form = PupilImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        text = form.cleaned_data["file"]
        job, created = services.pupils_import_start(csv_text=text, actor=request.user)
        if not created:
            messages.info(request, import_underway_message(job, text))
        return redirect("pupils:import_job", pk=job.pk)


class PupilImportJobView(ImportJobView):
    capability = Capability.MANAGE_PUPILS
    kind = ImportJob.Kind.PUPILS
    heading = "Import of the pupils"
    upload_url = "pupils:import"
    back_url = "pupils:list"
    back_label = "Pupils"

    def summary(self, result: dict) -> str:
        return (
            f"{result['created']} pupil(s) added, {result['updated']} updated, "
            f"{result['left']} marked as left; {result['parents_linked']} link(s) to "
            "parents (new parents are each sent an invitation)."
        )
