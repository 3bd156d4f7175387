import django_filters
from django import forms
from django.db.models import Q

from incidents.models import CATEGORY_CHOICES, Incident, Severity
from incidents.selectors import school_personnel


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    category = django_filters.ChoiceFilter(choices=CATEGORY_CHOICES)
    status = django_filters.ChoiceFilter(choices=Incident.Status.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    occurred = django_filters.DateFromToRangeFilter(
        field_name="occurred_at",
        label="Occurred between",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )
    reported_by = django_filters.ModelChoiceFilter(
        queryset=lambda request: school_personnel(), label="Reported by"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("occurred_at", "occurred"),
            ("reference", "reference"),
            ("severity_rank", "severity"),
            ("status", "status"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Incident
        fields = ["q", "category", "status", "severity", "occurred", "reported_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["reported_by"].field.label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"placeholder": "Reference, description, place…", "type": "search"}
        )

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(description__icontains=value)
            | Q(location_detail__icontains=value)
        )
