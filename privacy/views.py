from datetime import date, datetime
from itertools import islice

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView

from overstone.audit import Action, audit_record
from overstone.exports import csv_response
from overstone.pagination import FilteredListMixin, query_without_paging
from overstone.personal_data import record_kind, record_kinds
from overstone.roles import Capability
from overstone.views import CapabilityRequiredMixin
from privacy import services
from privacy.forms import (
    AnonymiseForm,
    LegalHoldForm,
    SubjectAccessExtendForm,
    SubjectAccessRequestForm,
)
from privacy.models import SubjectAccessRequest
from privacy.selectors import (
    legal_hold_get,
    legal_hold_list,
    past_retention,
    retention_withheld,
    sar_list,
    sar_mention_count,
    sar_mentions,
    sar_withheld,
)


def local_date(value: date | datetime) -> date:
    """A date as the page shows it: an instant on the school's clock, not UTC's."""
    return timezone.localdate(value) if isinstance(value, datetime) else value


class DataProtectionMixin(CapabilityRequiredMixin):
    capability = Capability.MANAGE_DATA_PROTECTION


class RetentionView(DataProtectionMixin, View):
    """Records past retention: the principal approves each anonymisation, here only."""

    template_name = "privacy/retention.html"
    paginate_by = 50

    def render_page(self, form):
        kind = record_kind(self.request.GET.get("type", ""))
        user = self.request.user
        rows = past_retention(user=user, today=timezone.localdate(), kind=kind)
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)
        for row in page.object_list:
            row_kind = record_kind(row["record_type"])
            row["url"], row["label"] = row_kind.url(row["reference"]), row_kind.label
        kinds = record_kinds()
        context = {
            "page_obj": page,
            "form": form,
            "record_type": kind.name if kind else "",
            "record_types": [(each.name, each.label) for each in kinds],
            "query": query_without_paging(self.request),
            "retention": [(each.finished_label, each.retention_years) for each in kinds],
            "withheld": retention_withheld(user=user),
        }
        return render(self.request, self.template_name, context)

    def get(self, request):
        return self.render_page(AnonymiseForm())

    def post(self, request):
        form = AnonymiseForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        done, refused = services.retention_anonymise(
            selections=form.cleaned_data["selected"], actor=request.user
        )
        if done:
            messages.success(request, f"Anonymised: {', '.join(done)}.")
        for reason in refused:
            messages.warning(request, reason)
        return redirect(request.get_full_path())


class LegalHoldListView(DataProtectionMixin, FormView):
    template_name = "privacy/legal_holds.html"
    form_class = LegalHoldForm
    paginate_by = 50

    def get_context_data(self, **kwargs):
        user = self.request.user
        holds = legal_hold_list(user=user, active=True)
        return super().get_context_data(
            page_obj=Paginator(holds, self.paginate_by).get_page(self.request.GET.get("page")),
            lifted=legal_hold_list(user=user, active=False)[:20],
            withheld=retention_withheld(user=user),
            **kwargs,
        )

    def form_valid(self, form):
        hold = services.legal_hold_place(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"{hold.reference} is on legal hold.")
        return redirect("privacy:legal_holds")


class LegalHoldLiftView(DataProtectionMixin, View):
    def post(self, request, pk):
        hold = legal_hold_get(user=request.user, pk=pk)
        services.legal_hold_lift(hold=hold, actor=request.user)
        messages.success(request, f"The legal hold on {hold.reference} was lifted.")
        return redirect("privacy:legal_holds")

    def refused_url(self) -> str:
        return reverse("privacy:legal_holds")


class SubjectAccessListView(DataProtectionMixin, FilteredListMixin, ListView):
    template_name = "privacy/sar_list.html"
    paginate_by = 50

    def status(self) -> str:
        value = self.request.GET.get("status", "")
        return value if value in SubjectAccessRequest.Status.values else ""

    def get_queryset(self):
        return sar_list(status=self.status())

    def get_context_data(self, **kwargs):
        status = self.status()
        return super().get_context_data(
            status=status,
            statuses=SubjectAccessRequest.Status.choices,
            **kwargs,
        )


class SubjectAccessCreateView(DataProtectionMixin, View):
    template_name = "privacy/sar_form.html"

    def get(self, request):
        form = SubjectAccessRequestForm(initial={"received_on": timezone.localdate()})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = SubjectAccessRequestForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        sar = services.sar_create(actor=request.user, **form.cleaned_data)
        messages.success(request, f"{sar.reference} logged: due on {sar.due_on:%d %B %Y}.")
        return redirect(sar)


class SubjectAccessObjectMixin(DataProtectionMixin):
    def get_sar(self) -> SubjectAccessRequest:
        return get_object_or_404(
            SubjectAccessRequest.objects.select_related("subject_user", "created_by"),
            reference=self.kwargs["reference"],
        )


class SubjectAccessDetailView(SubjectAccessObjectMixin, View):
    template_name = "privacy/sar_detail.html"
    shown = 200  # on the page; the export has every one

    def render_page(self, sar, extend_form=None):
        if extend_form is None:  # a form sent back with its errors is not a new view
            audit_record(self.request, Action.VIEW, sar)
        user = self.request.user
        mentions = list(islice(sar_mentions(sar=sar, user=user), self.shown + 1))
        # Counted again only when there are more than the page shows.
        if len(mentions) <= self.shown:
            count = len(mentions)
        else:
            count = sar_mention_count(sar=sar, user=user)
        context = {
            "sar": sar,
            "mentions": mentions[: self.shown],
            "mention_count": count,
            "withheld": sar_withheld(user=user),
            "extend_form": extend_form or SubjectAccessExtendForm(),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, reference):
        return self.render_page(self.get_sar())

    def post(self, request, reference):
        """Extend (a complex request) or mark completed."""
        sar = self.get_sar()
        action = request.POST.get("action")
        if action == "extend":
            form = SubjectAccessExtendForm(request.POST)
            if not form.is_valid():
                return self.render_page(sar, extend_form=form)
            sar = services.sar_extend(sar=sar, actor=request.user, **form.cleaned_data)
            messages.success(request, f"{sar.reference} is now due on {sar.due_on:%d %B %Y}.")
        elif action == "complete":
            sar = services.sar_complete(sar=sar, actor=request.user)
            messages.success(request, f"{sar.reference} is completed.")
        else:
            messages.warning(request, "Choose extend or complete.")
        return redirect(sar)


class SubjectAccessExportView(SubjectAccessObjectMixin, View):
    """Every record that mentions the person, as CSV, for the response to be prepared
    from (third parties' data must still be redacted by hand before it is sent)."""

    def get(self, request, reference):
        sar = self.get_sar()
        audit_record(request, Action.EXPORT, sar)
        header = ["Record", "Reference", "Date", "What it says", "Page"]
        rows = (
            [
                mention.source,
                mention.reference,
                f"{local_date(mention.on):%Y-%m-%d}",
                mention.summary,
                request.build_absolute_uri(mention.url) if mention.url else "",
            ]
            for mention in sar_mentions(sar=sar, user=request.user)
        )
        return csv_response(f"{sar.reference}.csv", header, rows)
