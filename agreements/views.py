"""Thin views: selector -> form -> one service call -> message -> redirect."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from agreements import selectors, services
from agreements.forms import AgreementForm, PaperSignatureForm, SignForm, VersionForm
from agreements.models import YEAR_GROUPS
from overstone.roles import Capability
from overstone.views import CapabilityRequiredMixin


# ---------------------------------------------------------------------------
# Signing (parents, school personnel, governors: each their own)
# ---------------------------------------------------------------------------
class MyAgreementsView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.SIGN_AGREEMENTS
    template_name = "agreements/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        items = []
        for agreement, version in selectors.agreements_to_sign(user=user):
            signed = selectors.my_signatures(user=user, version=version)
            unsigned_children, on_record = [], False
            if agreement.per_child:
                unsigned_children = selectors.children_to_sign(parent=user, version=version)
                on_record = any(child.key for child in selectors.children_of(parent=user))
            items.append(
                {
                    "agreement": agreement,
                    "version": version,
                    "signed": signed,
                    "unsigned_children": unsigned_children,
                    "to_sign": unsigned_children if on_record else not signed or unsigned_children,
                    "may_name_child": agreement.per_child and not on_record,
                }
            )
        return super().get_context_data(items=items, **kwargs)


class SignView(CapabilityRequiredMixin, FormView):
    capability = Capability.SIGN_AGREEMENTS
    template_name = "agreements/sign.html"

    def dispatch(self, request, *args, **kwargs):
        self.agreement = selectors.agreement_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.check_signer()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_signer()
        return super().post(request, *args, **kwargs)

    def check_signer(self) -> None:
        """Someone not asked to sign this agreement does not see it (404, not 403: a
        governor has no Home-School Agreement)."""
        if not selectors.signs(user=self.request.user, agreement=self.agreement):
            raise Http404
        self.version = selectors.current_version(agreement=self.agreement)
        if self.version is None:
            raise Http404

    def get_form(self, form_class=None):
        children = []
        if self.agreement.per_child:
            children = selectors.children_to_sign(parent=self.request.user, version=self.version)
        return SignForm(agreement=self.agreement, children=children, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        """The form is shown while there is something left to sign: per child, a child on
        record not signed for yet (or, without children on record, always another)."""
        signed = selectors.my_signatures(user=self.request.user, version=self.version)
        context = super().get_context_data(
            agreement=self.agreement, version=self.version, signed=signed, **kwargs
        )
        form = context["form"]
        if self.agreement.per_child:
            context["may_sign"] = bool(form.children) or not any(
                child.key for child in selectors.children_of(parent=self.request.user)
            )
        else:
            context["may_sign"] = not signed
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        signature = services.signature_sign(
            agreement=self.agreement,
            actor=self.request.user,
            typed_name=data["typed_name"],
            agreed=data["agreed"],
            child_name=data.get("child_name", ""),
            year_group=data.get("year_group", ""),
            form=data.get("form", ""),
            child_key=data.get("child_key", ""),
        )
        child = f" for {signature.child_name}" if signature.child_name else ""
        messages.success(self.request, f"Thank you: {self.version} is signed{child}.")
        return redirect("agreements:mine")


# ---------------------------------------------------------------------------
# The register (the coordinator)
# ---------------------------------------------------------------------------
class RegisterView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.MANAGE_AGREEMENTS
    template_name = "agreements/register.html"

    def get_context_data(self, **kwargs):
        items = []
        for agreement in selectors.agreement_list():
            version = selectors.current_version(agreement=agreement)
            rows = selectors.register_rows(version=version) if version else []
            signed = sum(row.signature is not None for row in rows)
            items.append({"agreement": agreement, "version": version, "signed": signed,
                          "total": len(rows)})  # fmt: skip
        return super().get_context_data(items=items, **kwargs)


class DocumentView(CapabilityRequiredMixin, TemplateView):
    """One agreement: who has and has not signed its current version, per year group and
    form, filtered by the query string."""

    capability = Capability.MANAGE_AGREEMENTS
    template_name = "agreements/document.html"

    def get_context_data(self, **kwargs):
        agreement = selectors.agreement_get(pk=self.kwargs["pk"])
        version = selectors.current_version(agreement=agreement)
        rows = selectors.register_rows(version=version) if version else []
        counts = selectors.register_counts(rows)
        query = {name: self.request.GET.get(name, "") for name in ("year_group", "form", "status")}
        shown = [
            row
            for row in rows
            if (not query["year_group"] or row.year_group == query["year_group"])
            and (not query["form"] or row.form.casefold() == query["form"].casefold())
            and (
                not query["status"] or (row.signature is not None) == (query["status"] == "signed")
            )
        ]
        return super().get_context_data(
            agreement=agreement,
            version=version,
            versions=agreement.versions.all(),
            rows=shown,
            counts=counts,
            year_counts=selectors.year_group_counts(counts),
            signed=sum(row.signature is not None for row in rows),
            total=len(rows),
            query=query,
            year_groups=YEAR_GROUPS,
            **kwargs,
        )


class AgreementCreateView(CapabilityRequiredMixin, FormView):
    capability = Capability.MANAGE_AGREEMENTS
    template_name = "agreements/agreement_form.html"
    form_class = AgreementForm

    def form_valid(self, form):
        agreement = services.agreement_create(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"{agreement.title} added.")
        return redirect(agreement)


class AgreementPageMixin(CapabilityRequiredMixin):
    capability = Capability.MANAGE_AGREEMENTS

    def dispatch(self, request, *args, **kwargs):
        self.agreement = selectors.agreement_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)


class VersionCreateView(AgreementPageMixin, FormView):
    template_name = "agreements/version_form.html"
    form_class = VersionForm

    def form_valid(self, form):
        version = services.agreement_version_create(
            agreement=self.agreement, actor=self.request.user, **form.cleaned_data
        )
        messages.success(
            self.request,
            f"Version {version.version} saved: from {version.effective_on:%d %B %Y} everyone "
            "is asked to sign it.",
        )
        return redirect(self.agreement)


class PaperSignatureView(AgreementPageMixin, FormView):
    template_name = "agreements/paper_form.html"

    def get_form(self, form_class=None):
        return PaperSignatureForm(agreement=self.agreement, **self.get_form_kwargs())

    def form_valid(self, form):
        signature = services.signature_record_paper(
            agreement=self.agreement, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, f"Paper signature recorded: {signature}.")
        return redirect(self.agreement)


class RemindersSendView(CapabilityRequiredMixin, View):
    capability = Capability.MANAGE_AGREEMENTS
    http_method_names = ["post"]

    def post(self, request):
        sent = services.agreement_reminders_send(actor=request.user)
        if sent:
            messages.success(
                request, f"Reminders sent to {sent} {'person' if sent == 1 else 'people'}."
            )
        else:
            messages.info(request, "Nobody to remind: everyone has signed or was reminded "
                          "in the last week.")  # fmt: skip
        return redirect("agreements:register")

    def refused_url(self) -> str:
        return reverse("agreements:register")
