import django_filters
from django import forms
from django.db.models import Q

from complaints.models import Concern, OnlineComplaint, Platform, Stage
from overstone.models import MonitoredCategory


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    category = django_filters.ChoiceFilter(choices=MonitoredCategory.choices)
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    overdue = django_filters.BooleanFilter(
        field_name="overdue",
        label="Overdue only",
        widget=forms.CheckboxInput,
        method="only_overdue",
    )
    open = django_filters.BooleanFilter(
        label="Open only", widget=forms.CheckboxInput, method="only_open"
    )

    class Meta:
        model = OnlineComplaint
        fields = ["q", "stage", "category", "platform", "overdue", "open"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"placeholder": "Reference, handle, words of the post…", "type": "search"}
        )

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(account_handle__icontains=value)
            | Q(content__icontains=value)
        )

    def only_overdue(self, queryset, name, value):
        return queryset.filter(overdue=True) if value else queryset

    def only_open(self, queryset, name, value):
        return queryset.exclude(stage__in=[Stage.RESOLVED, Stage.CLOSED]) if value else queryset


class ConcernFilter(django_filters.FilterSet):
    """Parents' private concerns, for those who answer them (the list and its export)."""

    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Concern.Status.choices)

    class Meta:
        model = Concern
        fields = ["q", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"placeholder": "Reference or words of the subject…", "type": "search"}
        )

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(subject__icontains=value))
