"""The search page (overstone.search): every kind of record the user may open, grouped."""

from django import forms
from django.views.generic import TemplateView

from overstone.pagination import query_without_paging
from overstone.roles import Capability
from overstone.search import MIN_WORD, PER_GROUP, search_results, search_sources, search_words
from overstone.views import CapabilityRequiredMixin

MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=MAX_LENGTH, required=False, strip=True)
    kind = forms.CharField(required=False, max_length=50)


class SearchView(CapabilityRequiredMixin, TemplateView):
    """Not audited: searching shows no record, only lines that link to the records' own
    pages, which audit the viewing. The words searched are never logged or stored."""

    capability = Capability.SEARCH
    template_name = "overstone/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        context = {"form": form, "groups": [], "searched": False, "per_group": PER_GROUP}
        if not form.is_valid():
            return super().get_context_data(**context, **kwargs)
        text, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        kinds = {source.name: source for source in search_sources(user=self.request.user)}
        if text and not search_words(text):
            form.add_error("q", f"Type a word of at least {MIN_WORD} letters.")
        elif text:
            groups = search_results(
                user=self.request.user,
                text=text,
                kind=kind if kind in kinds else "",
                page=self.request.GET.get("page", 1),
            )
            context.update(
                searched=True,
                groups=groups,
                total=sum(group.count for group in groups),
                more=any(group.more for group in groups),
                one_kind=kinds.get(kind),
                query=query_without_paging(self.request),
                text=text,
            )
        return super().get_context_data(**context, **kwargs)
