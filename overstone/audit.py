"""The audit trail of who saw or took away sensitive records, and of security changes.

A view that shows a record in detail, serves a file or exports a list calls
``audit_record`` once it knows the user may have it::

    audit_record(request, AuditLogEntry.Action.VIEW, incident)
    audit_record(request, AuditLogEntry.Action.EXPORT, model=Incident, reference="all")

A service that may also run from the command line takes an ``AuditOrigin`` and calls
``audit_write``. A service changing a record that keeps no history of its own calls
``audit_change(actor=..., obj=..., changes=field_changes(before, after))``.
"""

import getpass
import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import models

from overstone.models import AuditLogEntry

Action = AuditLogEntry.Action

# The request being served, so that a service writing an audit entry for a change can say
# where it came from (set by overstone.middleware.AuditRequestMiddleware).
current_request: ContextVar = ContextVar("overstone_current_request", default=None)


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


@dataclass(frozen=True)
class AuditOrigin:
    """Who did something, and from where: a logged-in user's request, or the command line."""

    user: models.Model | None
    username: str
    path: str
    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def of_request(cls, request) -> "AuditOrigin":
        return cls(
            user=request.user,
            username=request.user.get_username(),
            path=request.get_full_path()[:500],
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:300],
        )

    @classmethod
    def of_user(cls, user) -> "AuditOrigin":
        """A service acting for a user, with no request at hand."""
        return cls(user=user, username=user.get_username(), path="")

    @classmethod
    def of_command(cls, command: str) -> "AuditOrigin":
        """A management command: no user of the application, so the system account."""
        try:
            account = getpass.getuser()
        except (KeyError, OSError):
            account = "unknown"
        return cls(user=None, username=f"{account} (command line)"[:150], path=command[:500])


def _entry(origin: AuditOrigin, action, obj, *, model=None, reference=None, changes=None):
    meta = (obj or model)._meta
    if reference is None:
        reference = getattr(obj, "reference", None) or str(obj.pk)
    return AuditLogEntry(
        user=origin.user,
        username=origin.username,
        action=Action(action),
        object_type=str(meta.verbose_name),
        object_reference=reference[:200],
        path=origin.path,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        changes=changes or {},
        withheld_from_principal=bool(getattr(obj, "withheld_from_principal", False)),
    )


def audit_write(
    origin: AuditOrigin,
    action: Action | str,
    obj: models.Model | None = None,
    *,
    model: type[models.Model] | None = None,
    reference: str | None = None,
    changes: dict | None = None,
) -> AuditLogEntry:
    """Record that ``origin`` did ``action`` to ``obj`` (or to a set of ``model``).

    The reference defaults to the object's ``reference`` (e.g. INC-2026-0042), else its
    primary key.
    """
    if obj is None and model is None:
        raise TypeError("audit_write needs an object or a model")
    entry = _entry(origin, action, obj, model=model, reference=reference, changes=changes)
    entry.save()
    return entry


def audit_record(
    request,
    action: Action | str,
    obj: models.Model | None = None,
    *,
    model: type[models.Model] | None = None,
    reference: str | None = None,
) -> AuditLogEntry:
    """Record that ``request.user`` did ``action`` to ``obj`` (or to a set of ``model``)."""
    return audit_write(
        AuditOrigin.of_request(request), action, obj, model=model, reference=reference
    )


def _as_text(value) -> str:
    return "" if value is None else str(value)


def field_changes(before: dict, after: dict) -> dict[str, list[str]]:
    """``{field: [before, after]}`` for each field of ``after`` whose value differs."""
    return {
        name: [_as_text(before.get(name)), _as_text(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def _origin_of(actor) -> AuditOrigin:
    """The request's own origin when its user is the actor, else the actor alone (an
    ``AuditOrigin`` already, for a management command, is taken as it is)."""
    if isinstance(actor, AuditOrigin):
        return actor
    request = current_request.get()
    if request is not None and request.user == actor:
        return AuditOrigin.of_request(request)
    return AuditOrigin.of_user(actor)


def audit_change(
    *, actor, obj: models.Model, changes: dict, reference: str | None = None
) -> AuditLogEntry:
    """Record a change a service made for ``actor``: what, before -> after, and from where
    when it is the request's own user acting."""
    return audit_write(_origin_of(actor), Action.CHANGE, obj, reference=reference, changes=changes)


def audit_change_many(*, actor, changes: list[tuple[models.Model, dict]]) -> None:
    """``audit_change`` for many records at once, ``changes`` as (record, changes): an
    import of thousands writes its entries in a few queries."""
    origin = _origin_of(actor)
    AuditLogEntry.objects.bulk_create(
        [_entry(origin, Action.CHANGE, obj, changes=change) for obj, change in changes],
        batch_size=1000,
    )
