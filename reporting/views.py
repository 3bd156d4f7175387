from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)

from overstone.audit import Action, audit_record
from overstone.charts import stacked_bars
from overstone.roles import Capability, can
from overstone.views import CapabilityRequiredMixin
from reporting import services
from reporting.forms import (
    PolicyForm,
    PolicyReviewForm,
    ReportDevelopmentForm,
    ReportRequestForm,
)
from reporting.models import AnnualReport, PolicyDocument
from reporting.selectors import (
    dashboard_figures,
    policy_list,
    published_policies,
    report_development_draft,
    report_list,
)


class DashboardView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.VIEW_DASHBOARD
    template_name = "reporting/dashboard.html"

    def get_context_data(self, **kwargs):
        figures = dashboard_figures(user=self.request.user)
        chart = stacked_bars(
            figures["by_month"]["months"], figures["by_month"]["series"], anonymise=False
        )
        return super().get_context_data(figures=figures, month_chart=chart, **kwargs)


class PolicyListView(CapabilityRequiredMixin, ListView):
    capability = Capability.VIEW_DASHBOARD
    template_name = "reporting/policy_list.html"
    paginate_by = 50

    def get_queryset(self):
        return policy_list()


class PublishedPolicyListView(CapabilityRequiredMixin, ListView):
    """The school's published policies, for parents as for everyone (the concern form
    links here: the policy asks parents to use the Complaints policy)."""

    capability = Capability.READ_PUBLISHED_POLICIES
    template_name = "reporting/published_list.html"
    context_object_name = "policies"

    def get_queryset(self):
        return published_policies()


class PublishedPolicyDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.READ_PUBLISHED_POLICIES
    template_name = "reporting/published_detail.html"
    context_object_name = "policy"

    def get_queryset(self):
        return published_policies()


class PolicyFormMixin(CapabilityRequiredMixin):
    capability = Capability.MANAGE_POLICIES
    model = PolicyDocument
    form_class = PolicyForm
    template_name = "reporting/policy_form.html"

    def form_valid(self, form):
        policy = services.policy_save(policy=form.instance, actor=self.request.user)
        messages.success(self.request, f"{policy.title} saved.")
        return redirect(policy)


class PolicyCreateView(PolicyFormMixin, CreateView):
    pass


class PolicyUpdateView(PolicyFormMixin, UpdateView):
    pass


class PolicyDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.VIEW_DASHBOARD
    model = PolicyDocument
    template_name = "reporting/policy_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            review_form=kwargs.pop("review_form", None) or PolicyReviewForm(),
            may_manage=can(self.request.user, Capability.MANAGE_POLICIES),
            reviews=self.object.reviews.select_related("reviewed_by"),
            reminders=self.object.reminders.order_by("-review_due", "kind"),
            **kwargs,
        )


class PolicyReviewView(CapabilityRequiredMixin, View):
    capability = Capability.MANAGE_POLICIES
    http_method_names = ["post"]

    def post(self, request, pk):
        policy = get_object_or_404(PolicyDocument, pk=pk)
        form = PolicyReviewForm(request.POST)
        if not form.is_valid():
            view = PolicyDetailView(request=request, kwargs={"pk": pk}, object=policy)
            context = view.get_context_data(object=policy, review_form=form)
            return render(request, PolicyDetailView.template_name, context, status=400)
        services.policy_review_record(policy=policy, actor=request.user, **form.cleaned_data)
        policy.refresh_from_db()
        messages.success(request, f"Review recorded; the next is due {policy.review_due:%d %B %Y}.")
        return redirect(policy)


class ReportListView(CapabilityRequiredMixin, ListView):
    capability = Capability.READ_ANNUAL_REPORT
    template_name = "reporting/report_list.html"
    paginate_by = 20

    def get_queryset(self):
        return report_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            request_form=ReportRequestForm(),
            may_generate=can(self.request.user, Capability.GENERATE_ANNUAL_REPORT),
            **kwargs,
        )


class ReportRequestView(CapabilityRequiredMixin, View):
    capability = Capability.GENERATE_ANNUAL_REPORT
    http_method_names = ["post"]

    def post(self, request):
        form = ReportRequestForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a school year from the list.")
            return redirect("reporting:report_list")
        report = services.annual_report_request(actor=request.user, **form.cleaned_data)
        messages.success(request, f"The report for {report.year_label} is being generated.")
        return redirect(report)


class ReportDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.READ_ANNUAL_REPORT
    model = AnnualReport
    template_name = "reporting/report_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_generate=can(self.request.user, Capability.GENERATE_ANNUAL_REPORT), **kwargs
        )


class ReportStatusView(ReportDetailView):
    """The progress panel, polled by htmx while the report is generated."""

    template_name = "reporting/_report_status.html"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.htmx and self.object.status == AnnualReport.Status.DONE:
            response["HX-Refresh"] = "true"  # show the finished report
        return response


class ReportPdfView(CapabilityRequiredMixin, View):
    capability = Capability.READ_ANNUAL_REPORT

    def get(self, request, pk):
        report = get_object_or_404(AnnualReport, pk=pk, status=AnnualReport.Status.DONE)
        if not report.pdf:
            raise Http404("This report has no PDF")
        audit_record(
            request, Action.DOWNLOAD, report, reference=f"{report.year_label} v{report.version}"
        )
        return FileResponse(
            report.pdf.open("rb"),
            as_attachment=True,
            filename=f"overstone-annual-report-{report.school_year}-v{report.version}.pdf",
            content_type="application/pdf",
        )


class ReportRetryView(CapabilityRequiredMixin, View):
    capability = Capability.GENERATE_ANNUAL_REPORT
    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_object_or_404(AnnualReport, pk=pk)
        services.annual_report_retry(report=report, actor=request.user)
        return redirect(report)

    def refused_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.kwargs["pk"]])


class ReportDevelopmentView(CapabilityRequiredMixin, FormView):
    """The principal's section on the policy's development, for one version of the report."""

    capability = Capability.GENERATE_ANNUAL_REPORT
    form_class = ReportDevelopmentForm
    template_name = "reporting/report_development.html"

    @cached_property
    def report(self) -> AnnualReport:
        return get_object_or_404(AnnualReport, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if not self.report.may_write_development:
            messages.error(request, services.NOT_READY)
            return redirect(self.report)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"development": report_development_draft(report=self.report)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, **kwargs)

    def form_valid(self, form):
        services.annual_report_development_save(
            report=self.report, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "The development section is saved, in the PDF too.")
        return redirect(self.report)
