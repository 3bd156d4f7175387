"""The school as the scope of every record, with django-scopes.

Every record belongs to one school (``school = SchoolField()``) and is read through a
manager scoped on it, so a query run outside a school's scope raises ``ScopeError``
instead of reading every school's records::

    class Incident(models.Model):
        school = SchoolField()
        objects = ScopedManager(school="school")

    with school_scope(school):
        Incident.objects.filter(status="open")  # this school's incidents only

A request runs in the scope of the school its user is working in (``SchoolMiddleware``);
a task queued through the outbox runs in the scope of the request that queued it
(``SchoolTask``); a beat task has no school and walks them: ``for school in
each_school(): ...``. A record created in a scope belongs to its school; outside any
scope (the tests, a shell) to the only school, and a second school makes that an error.

Roles are held per school (``Membership``): ``overstone.roles.user_roles`` answers for
the school in scope. The trust roles are held with no school and apply in every school.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import migrations, models
from django.db.models import Q, Subquery
from django_scopes import ScopedManager, ScopeError, get_scope, scope, scopes_disabled

from overstone.models import (
    Membership,
    School,
    current_school_id,
    default_school,
)

__all__ = ["ScopeError", "current_school_id", "default_school", "scopes_disabled"]


def school_id_or_default() -> int:
    """The school a record created now belongs to: ``SchoolField``'s default."""
    return current_school_id() or default_school().pk


def SchoolField(**kwargs) -> models.ForeignKey:  # noqa: N802 - used like a field class
    """The school a record belongs to: the school in scope when it is created."""
    kwargs.setdefault("on_delete", models.PROTECT)
    kwargs.setdefault("related_name", "+")
    return models.ForeignKey(School, default=school_id_or_default, **kwargs)


def kept_per_school(model) -> bool:
    """Whether ``model``'s rows carry their own school (a ``SchoolField``)."""
    return any(field.name == "school" for field in model._meta.concrete_fields)


def scoped_manager(queryset_class=models.QuerySet, path: str = "school"):
    """The manager of a record kept per school: ``path`` leads to its school
    (``"incident__school"`` for an incident's evidence)."""
    return ScopedManager(school=path, _manager_class=models.Manager.from_queryset(queryset_class))


def records_into_first_school(app_label: str, *model_names: str) -> migrations.RunPython:
    """A migration step for a new ``school`` field, added as nullable: existing records
    go to the first school (created if there is none), before the field is made
    required."""

    def forwards(apps, schema_editor):
        School = apps.get_model("overstone", "School")
        Trust = apps.get_model("overstone", "Trust")
        models_with_rows = [
            apps.get_model(app_label, name)
            for name in model_names
            if apps.get_model(app_label, name)._base_manager.exists()
        ]
        if not models_with_rows:
            return
        school = School.objects.order_by("pk").first()
        if school is None:
            trust = Trust.objects.create(name=settings.OVERSTONE_SCHOOL_NAME)
            school = School.objects.create(trust=trust, name=settings.OVERSTONE_SCHOOL_NAME)
        for model in models_with_rows:
            model._base_manager.filter(school__isnull=True).update(school=school)
        if schema_editor.connection.vendor == "postgresql":
            # The rows' new foreign keys are checked now, not at commit: PostgreSQL refuses
            # to alter a table with checks pending ("pending trigger events"), and the
            # next step makes the field required.
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")

    return migrations.RunPython(forwards, migrations.RunPython.noop)


@contextmanager
def school_scope(school: School | int) -> Iterator[None]:
    """Run queries on the records of ``school`` only."""
    with scope(school=school.pk if isinstance(school, School) else school):
        yield


def in_this_scope(rows: Iterable) -> Iterator:
    """``rows`` read later in the scope they are made in: a streamed response is read
    after ``SchoolMiddleware`` has left the request's school, and a query run then
    would raise ``ScopeError`` (the download stopping after its first line)."""
    made_in = get_scope()

    def read() -> Iterator:
        with scope(**made_in):
            yield from rows

    return read() if made_in else iter(rows)


def each_school() -> Iterator[School]:
    """For beat tasks: every school in turn, each in its own scope."""
    for school in School.objects.order_by("pk"):
        with school_scope(school):
            yield school


def reference_prefix(prefix: str) -> str:
    """``INC`` becomes ``OPS-INC`` in a school with a code."""
    school_id = current_school_id() or default_school().pk
    code = School.objects.filter(pk=school_id).values_list("code", flat=True).first()
    return f"{code}-{prefix}" if code else prefix


def schools_of(user) -> list[School]:
    """The schools a person may work in, by name: where they hold a role, every school
    for a trust role. Their roles in each are kept on the user for ``user_roles``."""
    if not user.is_authenticated:
        return []
    held: dict[int | None, set[str]] = {}
    schools = {}
    memberships = Membership.objects.filter(user=user).select_related("school").order_by("pk")
    for membership in memberships:
        held.setdefault(membership.school_id, set()).add(membership.role)
        if membership.school is not None:
            schools[membership.school_id] = membership.school
    trust_roles = held.pop(None, set())
    if trust_roles:
        schools = {school.pk: school for school in School.objects.all()}
    user._overstone_roles = {pk: frozenset(held.get(pk, set()) | trust_roles) for pk in schools}
    # Where they work unless they switch: the school of their first role.
    user._overstone_home_school = next(iter(held), None)
    return sorted(schools.values(), key=lambda school: school.name)


def school_for_request(request) -> tuple[School, list[School]]:
    """The school the request works in (the one chosen with the switcher, else that of
    the user's first role), and the schools its user may switch to."""
    choices = schools_of(request.user)
    chosen = request.session.get("school_id") or getattr(
        request.user, "_overstone_home_school", None
    )
    school = next((s for s in choices if s.pk == chosen), None) or (
        choices[0] if choices else School.objects.order_by("pk").first() or default_school()
    )
    return school, choices


def membership_add(user, role: str, school: School | int | None = None) -> None:
    """Give ``user`` the role at ``school`` (default: the school in scope)."""
    if school is None:
        school_id = school_id_or_default()
    else:
        school_id = school.pk if isinstance(school, School) else school
    Membership.objects.get_or_create(user=user, school_id=school_id, role=str(role))
    forget_roles(user)


def trust_membership_add(user, role: str) -> None:
    """Give ``user`` a trust role, held in every school."""
    Membership.objects.get_or_create(user=user, school=None, role=str(role))
    forget_roles(user)


def forget_roles(user) -> None:
    """After a change of roles: read them again on the next question."""
    if hasattr(user, "_overstone_roles"):
        del user._overstone_roles


def roles_held(user_id: int, school_id: int | None) -> frozenset[str]:
    """The roles held at the school, or at the first school when none is given."""
    if school_id is None:
        school_id = Subquery(School.objects.order_by("pk").values("pk")[:1])
    return frozenset(
        Membership.objects.filter(user_id=user_id)
        .filter(Q(school_id=school_id) | Q(school__isnull=True))
        .values_list("role", flat=True)
    )


def users_with_roles(roles: Iterable[str], school: School | int | None = None):
    """Active people holding any of ``roles`` at the school (default: in scope),
    trust roles included."""
    if school is None:
        school_id = school_id_or_default()
    else:
        school_id = school.pk if isinstance(school, School) else school
    names = [str(role) for role in roles]
    held = Membership.objects.filter(role__in=names).filter(
        Q(school_id=school_id) | Q(school__isnull=True)
    )
    return get_user_model().objects.filter(is_active=True, pk__in=held.values("user_id"))
