import django_filters
from django.contrib.auth import get_user_model

from overstone.models import AuditLogEntry


class AuditLogFilter(django_filters.FilterSet):
    user = django_filters.ModelChoiceFilter(
        # People in the school's own log (a join on the user's entries would read
        # every school's).
        queryset=lambda request: (
            get_user_model()
            .objects.filter(pk__in=AuditLogEntry.objects.values("user_id"))
            .order_by("username")
        ),
        label="Who",
    )
    action = django_filters.ChoiceFilter(choices=AuditLogEntry.Action.choices)
    at = django_filters.DateFromToRangeFilter(
        field_name="at__date",
        label="Between",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )
    reference = django_filters.CharFilter(
        field_name="object_reference", lookup_expr="icontains", label="Record reference"
    )

    class Meta:
        model = AuditLogEntry
        fields = ["user", "action", "at", "reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["user"].field.label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.username})" if user.get_full_name() else user.username
        )


class TwoFactorUserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="icontains", label="Username")

    class Meta:
        model = get_user_model()
        fields = ["username"]
