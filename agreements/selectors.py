"""Reads for agreements: who must sign what, who has, and the register's counts."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Signature, Signers
from overstone.roles import GOVERNORS, SCHOOL_PERSONNEL, Role, user_roles

SIGNER_ROLES: dict[str, frozenset[Role]] = {
    Signers.PARENTS: frozenset({Role.PARENT}),
    Signers.STAFF: SCHOOL_PERSONNEL,
    Signers.GOVERNORS: GOVERNORS,
}


@dataclass(frozen=True)
class Child:
    """A child as their parent or the coordinator named them on a signature."""

    name: str
    year_group: str = ""
    form: str = ""
    key: str = ""


@dataclass(frozen=True)
class RegisterRow:
    """One signature the register expects: a person, and for parents one child (None
    when the parent has not named any child yet), with the signature if there is one."""

    person: object
    child: Child | None
    signature: Signature | None

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
    users = get_user_model().objects.filter(is_active=True, groups__name__in=roles)
    return users.distinct().order_by("last_name", "first_name", "pk")


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


def _children_by_parent(parent_ids) -> dict[int, list[Child]]:
    """Every child each parent has been signed for (on any per-child agreement), as
    most recently named: the year group moves on, the child stays one."""
    signatures = (
        Signature.objects.filter(
            signer_id__in=parent_ids, version__agreement__signers=Signers.PARENTS
        )
        .exclude(child_name="")
        .order_by("-signed_at", "-pk")
        .values_list("signer_id", "child_name", "year_group", "form", "child_key")
    )
    children: dict[int, dict[str, Child]] = defaultdict(dict)
    for signer_id, name, year_group, form, key in signatures:
        children[signer_id].setdefault(name.casefold(), Child(name, year_group, form, key))
    return {
        pk: sorted(named.values(), key=lambda c: c.name.casefold())
        for pk, named in children.items()
    }


def children_of(*, parent) -> list[Child]:
    return _children_by_parent([parent.pk]).get(parent.pk, [])


def signatures_by_version(*, version: AgreementVersion) -> dict[tuple[int, str], Signature]:
    return {
        (s.signer_id, s.child_name.casefold()): s
        for s in version.signatures.select_related("recorded_by")
    }


def register_rows(*, version: AgreementVersion) -> list[RegisterRow]:
    """Everyone the version asks, signed or not: per child for parents."""
    people = list(people_who_sign(signers=version.agreement.signers))
    signed = signatures_by_version(version=version)
    if not version.agreement.per_child:
        return [RegisterRow(person, None, signed.get((person.pk, ""))) for person in people]
    children = _children_by_parent([person.pk for person in people])
    rows = []
    for person in people:
        named = children.get(person.pk)
        if not named:
            rows.append(RegisterRow(person, None, None))
        for child in named or ():
            rows.append(RegisterRow(person, child, signed.get((person.pk, child.name.casefold()))))
    return rows


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
            if row.signature is None and agreement not in waiting[row.person.pk]:
                waiting[row.person.pk].append(agreement)
    return dict(waiting)


def my_signatures(*, user, version: AgreementVersion) -> list[Signature]:
    return list(version.signatures.filter(signer=user).order_by("child_name", "pk"))


def signatures_of(*, user) -> QuerySet[Signature]:
    """Everything a person has signed, newest first (their own page)."""
    return Signature.objects.filter(signer=user).select_related("version__agreement")
