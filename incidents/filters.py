import django_filters
from django import forms
from django.db.models import Q

from incidents.models import CATEGORY_CHOICES, Incident, Severity
from overstone.selectors import school_personnel


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
    reported_by = django_filters.ChoiceFilter(
        choices=lambda: [
            (pk, f"{first} {last}".strip() or username)
            for pk, first, last, username in school_personnel().values_list(
                "pk", "first_name", "last_name", "username"
            )
        ],
        label="Reported by",
        # Hundreds of staff: one inline loop instead of a template include per option.
        widget=forms.Select(attrs={"class": "form-select"}),
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
        self.form.fields["reported_by"].widget.template_name = "overstone/widgets/select.html"
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"placeholder": "Reference, description, place…", "type": "search"}
        )

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(description__icontains=value)
            | Q(location_detail__icontains=value)
        )
