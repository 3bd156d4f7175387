"""Parent accounts and their invitations (the coordinator)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, ListView

from overstone.bodylimit import BodyLimit
from overstone.exports import query_text
from overstone.models import ImportJob
from overstone.roles import Capability
from overstone.views import CapabilityRequiredMixin, ImportJobView, import_underway_message
from training import selectors
from training.forms import (
    ParentForm,
    ParentImportForm,
)
from training.services import parents
from training.views import PAGE_SIZE, PostOnlyView


class ParentListView(CapabilityRequiredMixin, ListView):
    capability = Capability.MANAGE_TRAINING
    template_name = "training/parent_list.html"
    context_object_name = "parents"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.parent_list(
            search=query_text(self.request, "q"),
            year_group=query_text(self.request, "year_group"),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            q=self.request.GET.get("q", ""),
            year_group=self.request.GET.get("year_group", ""),
            **kwargs,
        )


class ParentCreateView(CapabilityRequiredMixin, FormView):
    capability = Capability.MANAGE_TRAINING
    template_name = "training/parent_form.html"
    form_class = ParentForm

    def form_valid(self, form):
        user, of_another_school = parents.parent_create(
            actor=self.request.user, **form.cleaned_data
        )
        if of_another_school:
            messages.success(
                self.request,
                f"{user.get_full_name()} is a parent at another school: their account is "
                "now a parent's here too (they log in as they already do).",
            )
        else:
            messages.success(
                self.request, f"Added {user.get_full_name()}; an invitation is on its way."
            )
        return redirect("training:parent_list")


class ParentImportView(CapabilityRequiredMixin, FormView):
    """Keeps the file and queues its import; the job's page follows it."""

    capability = Capability.MANAGE_TRAINING
    body_limit = BodyLimit.IMPORT
    template_name = "training/parent_import.html"
    form_class = ParentImportForm

    def form_valid(self, form):
        job, created = parents.parents_import_start(
            csv_text=form.cleaned_data["file"], actor=self.request.user
        )
        if not created:
            messages.info(self.request, import_underway_message(job, form.cleaned_data["file"]))
        return redirect("training:parent_import_job", pk=job.pk)


class ParentImportJobView(ImportJobView):
    capability = Capability.MANAGE_TRAINING
    kind = ImportJob.Kind.PARENTS
    heading = "Import of parents"
    upload_url = "training:parent_import"
    back_url = "training:parent_list"
    back_label = "Parent accounts"

    def summary(self, result: dict) -> str:
        joined = result.get("joined", 0)  # not in the results of imports before schools
        of_another_school = (
            f"{joined} parent(s) of another school are now parents here too; " if joined else ""
        )
        return (
            f"{result['created']} parent(s) added, each sent an invitation; "
            f"{of_another_school}{result['already_present']} already had an account."
        )


class ParentInviteView(PostOnlyView):
    capability = Capability.MANAGE_TRAINING

    def post(self, request, pk):
        profile = selectors.parent_profile_get(pk=pk)
        parents.parent_invite(user=profile.user, actor=request.user)
        messages.success(request, f"A new invitation is on its way to {profile.user.email}.")
        return redirect(self.back_url())

    def back_url(self) -> str:
        return reverse("training:parent_list")
