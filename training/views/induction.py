"""Staff induction: each person's own, the matrix, validity and confirmation."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, ListView

from overstone.exports import query_text
from overstone.redirects import safe_next_url
from overstone.roles import Capability
from overstone.views import CapabilityRequiredMixin
from training import selectors
from training.forms import (
    InductionForm,
    InductionValidityForm,
)
from training.models import (
    InductionTopic,
)
from training.services import induction
from training.views import PAGE_SIZE, PostOnlyView


class MyInductionView(CapabilityRequiredMixin, FormView):
    capability = Capability.RECORD_INDUCTION
    template_name = "training/induction_mine.html"
    form_class = InductionForm

    def get_initial(self):
        return {"topic": self.request.GET.get("topic"), "completed_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        rows = selectors.induction_standing(
            selectors.induction_records_for(user=self.request.user),
            validity=selectors.induction_validity(),
            today=timezone.localdate(),
        )
        return super().get_context_data(rows=rows, **kwargs)

    def form_valid(self, form):
        induction.induction_record(
            staff=self.request.user, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Recorded. The e-Safety coordinator will confirm it.")
        return redirect("training:induction_mine")


class InductionMatrixView(CapabilityRequiredMixin, ListView):
    capability = Capability.MANAGE_TRAINING
    template_name = "training/induction_matrix.html"
    context_object_name = "staff"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.staff_for_matrix(
            search=query_text(self.request, "q"),
            gaps_only=self.request.GET.get("gaps") == "1",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        validity, today = selectors.induction_validity(), timezone.localdate()
        context["rows"] = [
            (
                person,
                selectors.induction_standing(
                    {r.topic: r for r in person.induction_list}, validity=validity, today=today
                ),
            )
            for person in context["staff"]
        ]
        context["topics"] = list(InductionTopic)
        context["q"] = self.request.GET.get("q", "")
        context["gaps"] = self.request.GET.get("gaps") == "1"
        return context


class InductionValidityView(CapabilityRequiredMixin, FormView):
    """How long each induction topic counts before it must be done again."""

    capability = Capability.MANAGE_TRAINING
    template_name = "training/induction_validity.html"

    def get_form(self, form_class=None):
        return InductionValidityForm(
            validity=selectors.induction_validity(), **self.get_form_kwargs()
        )

    def form_valid(self, form):
        changed = induction.induction_validity_set(months=form.months(), actor=self.request.user)
        messages.success(self.request, f"Saved ({len(changed)} topic(s) changed).")
        return redirect("training:induction_matrix")


class InductionConfirmView(PostOnlyView):
    capability = Capability.MANAGE_TRAINING

    def post(self, request, pk):
        record = selectors.induction_record_get(pk=pk)
        induction.induction_confirm(record=record, actor=request.user)
        messages.success(request, "Confirmed.")
        return redirect(self.back_url())

    def back_url(self) -> str:
        return safe_next_url(self.request, default="training:induction_matrix")
