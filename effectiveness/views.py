"""Thin views: selector -> form -> one service call -> message -> redirect."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from effectiveness import selectors, services
from effectiveness.forms import (
    AuditFindingsForm,
    CheckForm,
    ChecklistItemForm,
    RiskAssessmentForm,
)
from effectiveness.models import CheckKind, ChecklistItem, RiskAssessment
from overstone.record_views import NOTHING_SAVED, RecordMixin
from overstone.roles import Capability
from overstone.views import CapabilityRequiredMixin

LIST_PAGE = 25  # checks or risk assessments on a page


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------
class CheckListView(CapabilityRequiredMixin, ListView):
    capability = Capability.VIEW_EFFECTIVENESS_CHECKS
    template_name = "effectiveness/check_list.html"
    context_object_name = "checks"
    paginate_by = LIST_PAGE

    def get_queryset(self):
        kind = self.request.GET.get("kind", "")
        self.kind = kind if kind in CheckKind.values else ""
        return selectors.check_list(kind=self.kind)

    def get_context_data(self, **kwargs):
        query = urlencode({"kind": self.kind}) if self.kind else ""
        return super().get_context_data(
            kinds=CheckKind.choices, kind=self.kind, query=query, **kwargs
        )


class CheckCreateView(CapabilityRequiredMixin, FormView):
    capability = Capability.MANAGE_EFFECTIVENESS_CHECKS
    template_name = "effectiveness/check_form.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in CheckKind.values:
            raise Http404
        self.kind = CheckKind(kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return CheckForm(kind=self.kind, **self.get_form_kwargs())

    def get_initial(self):
        return {
            "policy": selectors.social_media_policy(),
            "checked_by": self.request.user,
            "held_on": timezone.localdate(),
            "title": self.kind.label if self.kind == CheckKind.AUDIT else "",
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"New {self.kind.label.lower()}", **kwargs)

    def form_valid(self, form):
        check = services.check_create(kind=self.kind, actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"{check.reference} saved: complete it when it is done.")
        if check.kind == CheckKind.AUDIT:
            return redirect("effectiveness:audit_items", reference=check.reference)
        return redirect(check)


class CheckMixin(RecordMixin):
    capability = Capability.MANAGE_EFFECTIVENESS_CHECKS
    record_name = "check"

    def get_record(self, reference):
        return selectors.check_get(reference=reference)

    def may(self, user, check) -> bool:
        return True  # every check is open to everyone with the capability


class CheckDetailView(CheckMixin, View):
    capability = Capability.VIEW_EFFECTIVENESS_CHECKS

    def get(self, request, reference):
        context = {
            "items": self.check.items.all(),
            "missing": services.check_missing(self.check) if self.check.is_draft else [],
        }
        return self.render_record("effectiveness/check_detail.html", context)


class CheckUpdateView(CheckMixin, FormView):
    template_name = "effectiveness/check_form.html"

    def get_form(self, form_class=None):
        return CheckForm(kind=self.check.kind, instance=self.check, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"Change {self.check.reference}", **kwargs)

    def form_valid(self, form):
        check = services.check_update(
            check=self.check, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, f"{check.reference} saved.")
        return redirect(check)


class AuditItemsView(CheckMixin, View):
    """The audit's checklist, every line on one page."""

    def get(self, request, reference):
        if self.check.kind != CheckKind.AUDIT:
            raise Http404
        return self.render_form(AuditFindingsForm(items=self.check.items.all()))

    def post(self, request, reference):
        if self.check.kind != CheckKind.AUDIT:
            raise Http404
        form = AuditFindingsForm(request.POST, items=self.check.items.all())
        if not form.is_valid():
            messages.error(request, NOTHING_SAVED)
            return self.render_form(form)
        services.audit_items_save(check=self.check, findings=form.findings(), actor=request.user)
        messages.success(request, "Checklist saved.")
        return redirect(self.check)

    def render_form(self, form):
        return self.render_record("effectiveness/audit_items.html", {"form": form})


class CheckCompleteView(CheckMixin, View):
    http_method_names = ["post"]

    def post(self, request, reference):
        check = services.check_complete(check=self.check, actor=request.user)
        messages.success(
            request,
            f"{check.reference} completed. {check.policy.title}: next review due "
            f"{check.policy.review_due:%d %B %Y}.",
        )
        return redirect(check)


# ---------------------------------------------------------------------------
# The audit template
# ---------------------------------------------------------------------------
class ChecklistView(CapabilityRequiredMixin, View):
    """The school's e-safety audit template, and a line to add to it."""

    capability = Capability.MANAGE_EFFECTIVENESS_CHECKS

    def get(self, request):
        return self.render_page(ChecklistItemForm(initial={"position": self.next_position()}))

    def post(self, request):
        form = ChecklistItemForm(request.POST)
        if not form.is_valid():
            messages.error(request, NOTHING_SAVED)
            return self.render_page(form)
        services.checklist_item_save(item=form.instance, actor=request.user)
        messages.success(request, "Line added to the checklist.")
        return redirect("effectiveness:checklist")

    def next_position(self) -> int:
        last = selectors.checklist_items().last()
        return (last.position + 1) if last else 1

    def render_page(self, form):
        context = {"items": selectors.checklist_items(), "form": form}
        return render(self.request, "effectiveness/checklist.html", context)


class ChecklistItemUpdateView(CapabilityRequiredMixin, FormView):
    capability = Capability.MANAGE_EFFECTIVENESS_CHECKS
    template_name = "effectiveness/checklist_item_form.html"
    form_class = ChecklistItemForm

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(ChecklistItem, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item}

    def form_valid(self, form):
        services.checklist_item_save(item=form.instance, actor=self.request.user)
        messages.success(self.request, "Checklist line saved.")
        return redirect("effectiveness:checklist")


# ---------------------------------------------------------------------------
# Risk assessments
# ---------------------------------------------------------------------------
class RiskListView(CapabilityRequiredMixin, ListView):
    capability = Capability.VIEW_RISK_ASSESSMENTS
    template_name = "effectiveness/risk_list.html"
    context_object_name = "assessments"
    paginate_by = LIST_PAGE

    def get_queryset(self):
        return selectors.risk_assessment_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class RiskDetailView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.VIEW_RISK_ASSESSMENTS
    template_name = "effectiveness/risk_detail.html"

    def get_context_data(self, **kwargs):
        assessment = get_object_or_404(selectors.risk_assessment_list(), pk=self.kwargs["pk"])
        return super().get_context_data(assessment=assessment, **kwargs)


class RiskFormView(CapabilityRequiredMixin, FormView):
    capability = Capability.MANAGE_RISK_ASSESSMENTS
    template_name = "effectiveness/risk_form.html"
    form_class = RiskAssessmentForm
    assessment = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.assessment}

    def form_valid(self, form):
        assessment = services.risk_assessment_save(
            assessment=form.instance, actor=self.request.user
        )
        messages.success(self.request, f"Risk assessment “{assessment.activity}” saved.")
        return redirect(assessment)


class RiskCreateView(RiskFormView):
    def get_initial(self):
        return {"owner": self.request.user}


class RiskUpdateView(RiskFormView):
    def dispatch(self, request, *args, **kwargs):
        self.assessment = get_object_or_404(RiskAssessment, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)
