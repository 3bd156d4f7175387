"""The audit trail of who saw or took away sensitive records.

A view that shows a record in detail, serves a file or exports a list calls
``audit_record`` once it knows the user may have it::

    audit_record(request, AuditLogEntry.Action.VIEW, incident)
    audit_record(request, AuditLogEntry.Action.EXPORT, model=Incident, reference="all")
"""

import ipaddress

from django.conf import settings
from django.db import models

from overstone.models import AuditLogEntry

Action = AuditLogEntry.Action


def client_ip(request) -> str | None:
    """Where a request came from; also the address django-axes locks out.

    Behind our own proxy (DJANGO_BEHIND_PROXY) that is the last address the proxy
    appended to X-Forwarded-For: earlier ones are whatever the client sent.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.OVERSTONE_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            address = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def audit_record(
    request,
    action: Action | str,
    obj: models.Model | None = None,
    *,
    model: type[models.Model] | None = None,
    reference: str | None = None,
) -> AuditLogEntry:
    """Record that ``request.user`` did ``action`` to ``obj`` (or to a set of ``model``).

    The reference defaults to the object's ``reference`` (e.g. INC-2026-0042), else its
    primary key.
    """
    if obj is None and model is None:
        raise TypeError("audit_record needs an object or a model")
    meta = (obj or model)._meta
    if reference is None:
        reference = getattr(obj, "reference", None) or str(obj.pk)
    user = request.user
    return AuditLogEntry.objects.create(
        user=user,
        username=user.get_username(),
        action=Action(action),
        object_type=str(meta.verbose_name),
        object_reference=reference[:200],
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", "")[:300],
    )
