"""Reads for agreements: who must sign what, who has, and the register's counts."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Signature, Signers
from overstone.roles import GOVERNORS, SCHOOL_PERSONNEL, Role, user_roles
from overstone.schools import users_with_roles
from pupils.models import Pupil

SIGNER_ROLES: dict[str, frozenset[Role]] = {
    Signers.PARENTS: frozenset({Role.PARENT}),
    Signers.STAFF: SCHOOL_PERSONNEL,
    Signers.GOVERNORS: GOVERNORS,
}


@dataclass(frozen=True)
class Child:
    """A child a parent signs for: a pupil on the school's records (``key`` is the pupil
    number), or, for a parent with no child on record, as they named them on a signature
    (``key`` empty)."""

    name: str
    year_group: str = ""
    form: str = ""
    key: str = ""

    @classmethod
    def of_pupil(cls, pupil: Pupil) -> "Child":
        return cls(pupil.full_name, pupil.get_year_group_display(), pupil.form, pupil.number)

    @property
    def choice(self) -> str:
        """How a form names the child: the pupil number, or the name if not on record."""
        return self.key or self.name


@dataclass(frozen=True)
class RegisterRow:
    """One signature the register expects. For a pupil on record: the child and their
    parents (one signature from either will do). Otherwise a person and, for a parent with
    no child on record, a child they named (None when they have named none yet). With the
    signature if there is one."""

    people: tuple
    child: Child | None
    signature: Signature | None

    @property
    def person(self):
        """Who signed, or else the first of those asked."""
        return self.signature.signer if self.signature else self.people[0]

    @property
    def year_group(self) -> str:
        return self.child.year_group if self.child else ""

    @property
    def form(self) -> str:
        return self.child.form if self.child else ""


@dataclass(frozen=True)
class GroupCount:
    year_group: str
    form: str
    signed: int
    total: int


def signs(*, user, agreement: Agreement) -> bool:
    """Whether ``agreement`` is one this user is asked to sign."""
    return bool(user_roles(user) & SIGNER_ROLES[agreement.signers])


def people_who_sign(*, signers: str) -> QuerySet:
    roles = [role.value for role in SIGNER_ROLES[signers]]
    return users_with_roles(roles).order_by("last_name", "first_name", "pk")


def agreement_list() -> QuerySet[Agreement]:
    return Agreement.objects.prefetch_related("versions")


def agreement_get(*, pk: int) -> Agreement:
    return get_object_or_404(Agreement, pk=pk)


def current_version(*, agreement: Agreement, today: date | None = None) -> AgreementVersion | None:
    """The latest version already in effect (a version effective later is not asked yet)."""
    today = today or timezone.localdate()
    in_effect = [v for v in agreement.versions.all() if v.effective_on <= today]
    return max(in_effect, key=lambda v: (v.effective_on, v.pk), default=None)


def agreements_to_sign(
    *, user, today: date | None = None
) -> list[tuple[Agreement, AgreementVersion]]:
    """The agreements this user is asked to sign, each with its current version."""
    found = []
    for agreement in agreement_list():
        version = current_version(agreement=agreement, today=today)
        if version and signs(user=user, agreement=agreement):
            found.append((agreement, version))
    return found


def _children_on_record(parent_ids) -> dict[int, list[Child]]:
    """Each parent's children on the school's pupil records (on the roll), by parent id: a
    parent's children at another school sign there."""
    on_roll = Pupil.objects.filter(left_on__isnull=True)  # this school's
    links = (
        Pupil.parents.through.objects.filter(user_id__in=parent_ids, pupil__in=on_roll)
        .select_related("pupil")
        .order_by("pupil__first_name", "pupil__last_name", "pupil__number")
    )
    children: dict[int, list[Child]] = defaultdict(list)
    for link in links:
        children[link.user_id].append(Child.of_pupil(link.pupil))
    return children


def _children_named(parent_ids) -> dict[int, list[Child]]:
    """Every child each parent has named on a signature (on any per-child agreement), as
    most recently named: the year group moves on, the child stays one."""
    signatures = (
        Signature.objects.filter(
            signer_id__in=parent_ids, version__agreement__signers=Signers.PARENTS, child_key=""
        )
        .exclude(child_name="")
        .order_by("-signed_at", "-pk")
        .values_list("signer_id", "child_name", "year_group", "form")
    )
    children: dict[int, dict[str, Child]] = defaultdict(dict)
    for signer_id, name, year_group, form in signatures:
        children[signer_id].setdefault(name.casefold(), Child(name, year_group, form))
    return {
        pk: sorted(named.values(), key=lambda c: c.name.casefold())
        for pk, named in children.items()
    }


def children_of(*, parent) -> list[Child]:
    """The children a parent signs for: their children on the pupil records; only a
    parent with none on record names them (and is offered those already named)."""
    on_record = _children_on_record([parent.pk]).get(parent.pk)
    if on_record:
        return on_record
    return _children_named([parent.pk]).get(parent.pk, [])


def children_to_sign(*, parent, version: AgreementVersion) -> list[Child]:
    """The parent's children the version is not yet signed for (by either parent)."""
    children = children_of(parent=parent)
    keys = [child.key for child in children if child.key]
    signed_keys = set(
        version.signatures.filter(child_key__in=keys).values_list("child_key", flat=True)
    )
    named = {s.child_name.casefold() for s in version.signatures.filter(signer=parent)}
    return [
        child
        for child in children
        if child.key not in signed_keys and (child.key or child.name.casefold() not in named)
    ]


def signatures_by_version(*, version: AgreementVersion) -> dict[tuple[int, str], Signature]:
    return {
        (s.signer_id, s.child_name.casefold()): s
        for s in version.signatures.select_related("signer", "recorded_by")
    }


def register_rows(*, version: AgreementVersion) -> list[RegisterRow]:
    """Everyone the version asks, signed or not. Per child for parents: each pupil on the
    roll with a parent's account once (signed by either parent), and each parent with no
    child on record per child they named (or once, if they named none yet)."""
    people = list(people_who_sign(signers=version.agreement.signers))
    signed = signatures_by_version(version=version)
    if not version.agreement.per_child:
        return [RegisterRow((person,), None, signed.get((person.pk, ""))) for person in people]
    by_key = {s.child_key: s for s in sorted(signed.values(), key=lambda s: s.signed_at)
              if s.child_key}  # fmt: skip
    on_record = _children_on_record([person.pk for person in people])
    named = _children_named([person.pk for person in people if person.pk not in on_record])
    pupils: dict[str, tuple[Child, list]] = {}
    rows = []
    for person in people:
        for child in on_record.get(person.pk, ()):
            pupils.setdefault(child.key, (child, []))[1].append(person)
        if person.pk in on_record:
            continue
        children = named.get(person.pk)
        if not children:
            rows.append(RegisterRow((person,), None, None))
        for child in children or ():
            signature = signed.get((person.pk, child.name.casefold()))
            rows.append(RegisterRow((person,), child, signature))
    rows += [
        RegisterRow(tuple(parents), child, by_key.get(key))
        for key, (child, parents) in pupils.items()
    ]
    return sorted(rows, key=_row_order)


def _row_order(row: RegisterRow) -> tuple:
    """Children by year group, form and name; parents who named no child last."""
    digits = "".join(ch for ch in row.year_group if ch.isdigit())
    name = row.child.name.casefold() if row.child else ""
    return (row.child is None, int(digits) if digits else 0, row.form, name, row.person.pk)


def register_counts(rows: list[RegisterRow]) -> list[GroupCount]:
    """Signed and expected per year group and form ("" where not known), in order."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        count = counts[(row.year_group, row.form)]
        count[0] += row.signature is not None
        count[1] += 1
    return [
        GroupCount(year_group, form, signed, total)
        for (year_group, form), (signed, total) in sorted(counts.items(), key=_group_order)
    ]


def _group_order(item) -> tuple:
    (year_group, form), _ = item
    digits = "".join(ch for ch in year_group if ch.isdigit())
    return (year_group == "", int(digits) if digits else 0, year_group, form == "", form)


def year_group_counts(counts: list[GroupCount]) -> list[GroupCount]:
    """``register_counts`` added up per year group."""
    totals: dict[str, list[int]] = {}
    for count in counts:
        total = totals.setdefault(count.year_group, [0, 0])
        total[0] += count.signed
        total[1] += count.total
    return [GroupCount(year, "", signed, total) for year, (signed, total) in totals.items()]


def unsigned_by_person(*, today: date | None = None) -> dict[int, list[Agreement]]:
    """Each person with something to sign: their user id -> the agreements."""
    waiting: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in agreement_list():
        version = current_version(agreement=agreement, today=today)
        if version is None:
            continue
        for row in register_rows(version=version):
            for person in row.people if row.signature is None else ():
                if agreement not in waiting[person.pk]:
                    waiting[person.pk].append(agreement)
    return dict(waiting)


def my_signatures(*, user, version: AgreementVersion) -> list[Signature]:
    """What the user signed of this version, and what the other parent signed for their
    children on record."""
    keys = [child.key for child in _children_on_record([user.pk]).get(user.pk, [])]
    mine = version.signatures.filter(Q(signer=user) | Q(child_key__in=keys))
    return list(mine.order_by("child_name", "pk"))


def signatures_of(*, user) -> QuerySet[Signature]:
    """Everything a person has signed, newest first (their own page)."""
    return Signature.objects.filter(signer=user).select_related("version__agreement")


def signatures_for_pupil(*, number: str, versions: list[AgreementVersion]) -> QuerySet[Signature]:
    """The signatures given for the pupil (by pupil number) on these versions."""
    return Signature.objects.filter(child_key=number, version__in=versions).select_related("signer")
