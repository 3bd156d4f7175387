from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, QuerySet
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from overstone.models import AuditLogEntry, Email
from overstone.roles import SCHOOL_PERSONNEL, Capability, can
from overstone.schools import users_with_roles


def audit_log_list(*, user) -> QuerySet[AuditLogEntry]:
    """The audit log, without what was done on complaints and concerns about the principal
    (the log is the principal's: it would name them, who raised them and who looked)."""
    if not can(user, Capability.VIEW_AUDIT_LOG):
        return AuditLogEntry.objects.none()
    return AuditLogEntry.objects.filter(withheld_from_principal=False).select_related("user")


def email_failed_list(*, user) -> QuerySet[Email]:
    """E-mails given up on after every retry, newest first; none about a complaint or
    concern about the principal (the list is the principal's)."""
    if not can(user, Capability.VIEW_FAILED_EMAILS):
        return Email.objects.none()
    return Email.objects.filter(status=Email.Status.FAILED, withheld_from_principal=False).order_by(
        "-failed_at", "-pk"
    )


def school_personnel() -> QuerySet:
    """Active users in a school-personnel role, by name: the people a form may pick."""
    return users_with_roles(SCHOOL_PERSONNEL).order_by("last_name", "first_name", "username")


def two_factor_user_list(*, user) -> QuerySet:
    """Accounts with a second factor (an authenticator app or backup codes), by username,
    with how many backup codes each has left."""
    if not can(user, Capability.RESET_TWO_FACTOR):
        return get_user_model().objects.none()
    has_app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    has_codes = StaticDevice.objects.filter(user=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(Exists(has_app) | Exists(has_codes))
        .annotate(has_app=Exists(has_app), backup_codes_left=Count("staticdevice__token_set"))
        .order_by("username")
    )
