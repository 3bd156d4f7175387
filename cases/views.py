from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from cases import services
from cases.forms import CaseTaskForm, ReferralForm, ReferralResponseForm
from cases.records import case_record, may_act_on, record_workflow
from cases.selectors import open_tasks_for, referral_list, referrals_on, tasks_on
from overstone.record_views import RecordFormActionView, RecordMixin
from overstone.roles import Capability
from overstone.views import CapabilityRequiredMixin
from overstone.workflow import Workflow


class CaseMixin(RecordMixin):
    """The incident or online complaint named in the URL, among those the user may see;
    its pages here are for whoever may act on it (``cases.records.may_act_on``)."""

    capability = Capability.WORK_ON_CASES
    record_name = "case"

    def get_record(self, reference):
        record = case_record(user=self.request.user, reference=reference)
        if record is None:
            raise Http404
        return record

    def may(self, user, record) -> bool:
        return may_act_on(user, record)

    def workflow_of(self, record) -> Workflow:
        return record_workflow(record)


class ReferralAddView(CaseMixin, RecordFormActionView):
    form_class = ReferralForm
    title = "Refer to an outside agency"

    def initial(self):
        return {"referred_on": timezone.localdate()}

    def act(self, form) -> str:
        referral = services.referral_create(
            reference=self.record.reference, actor=self.request.user, **form.cleaned_data
        )
        return f"Referral to {referral.get_agency_display()} recorded."


class ReferralResponseView(CaseMixin, RecordFormActionView):
    form_class = ReferralResponseForm
    title = "Record the agency's response"

    @property
    def referral(self):
        return get_object_or_404(
            referrals_on(user=self.request.user, reference=self.record.reference),
            pk=self.kwargs["pk"],
        )

    def initial(self):
        referral = self.referral
        return {
            "responded_on": referral.responded_on or timezone.localdate(),
            "outcome": referral.outcome,
        }

    def act(self, form) -> str:
        referral = services.referral_record_response(
            referral=self.referral, actor=self.request.user, **form.cleaned_data
        )
        return f"Response from {referral.get_agency_display()} recorded."


class CaseTaskAddView(CaseMixin, RecordFormActionView):
    form_class = CaseTaskForm
    title = "Add a task"

    def act(self, form) -> str:
        task = services.case_task_create(
            reference=self.record.reference, actor=self.request.user, **form.cleaned_data
        )
        return f"Task “{task.what}” added."


class CaseTaskDoneView(CaseMixin, View):
    """POST only: the task's owner, or whoever may act on the record, marks it done (the
    service refuses anyone else, with a message)."""

    http_method_names = ["post"]

    def may(self, user, record) -> bool:
        return True  # seeing the record is enough to ask; the service decides

    def post(self, request, reference, pk):
        task = get_object_or_404(tasks_on(user=request.user, reference=reference), pk=pk)
        services.case_task_complete(task=task, actor=request.user)
        messages.success(request, f"“{task.what}” marked done.")
        return redirect(self.record)


class ReferralListView(CapabilityRequiredMixin, ListView):
    """Referrals on the records this person may see, unanswered ones first; those past
    their expected date flagged (``?overdue=1``: those alone)."""

    capability = Capability.WORK_ON_CASES
    template_name = "cases/referral_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.overdue_only = self.request.GET.get("overdue") == "1"
        return referral_list(user=self.request.user, overdue_only=self.overdue_only)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            overdue_only=self.overdue_only, today=timezone.localdate(), **kwargs
        )


class MyTasksView(CapabilityRequiredMixin, ListView):
    """The open tasks this person owns, soonest due first."""

    capability = Capability.WORK_ON_CASES
    template_name = "cases/task_list.html"
    paginate_by = 50

    def get_queryset(self):
        return open_tasks_for(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)
