from django.db.models import QuerySet

from overstone.models import AuditLogEntry
from overstone.roles import Capability, can


def audit_log_list(*, user) -> QuerySet[AuditLogEntry]:
    if not can(user, Capability.VIEW_AUDIT_LOG):
        return AuditLogEntry.objects.none()
    return AuditLogEntry.objects.select_related("user")
