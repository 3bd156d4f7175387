from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from overstone.models import AuditLogEntry
from overstone.roles import SCHOOL_PERSONNEL, Capability, can


def audit_log_list(*, user) -> QuerySet[AuditLogEntry]:
    if not can(user, Capability.VIEW_AUDIT_LOG):
        return AuditLogEntry.objects.none()
    return AuditLogEntry.objects.select_related("user")


def school_personnel() -> QuerySet:
    """Active users in a school-personnel role, by name: the people a form may pick."""
    return (
        get_user_model()
        .objects.filter(groups__name__in=[role.value for role in SCHOOL_PERSONNEL], is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
