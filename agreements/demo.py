"""Demo agreements: the four statements the policy asks for, in its own wording, partly
signed (for the children on the pupil records: by the demo parent for one child of two,
by half of the other parents; by the coordinator and the principal).

Idempotent: looked up by title, version and signer before anything is created. Rows are
written directly, not through the services, so seeding sends no e-mail.
"""

import datetime as dt

from django.utils import timezone

from agreements import selectors
from agreements.models import Agreement, AgreementVersion, Signature, Signers
from agreements.selectors import Child
from overstone.roles import Role
from overstone.schools import users_with_roles

AGREEMENTS = [
    (
        "Home-School Agreement",
        Signers.PARENTS,
        "The policy asks parents not to use social media to make allegations about the school.",
        "As a parent or carer I will support the school's e-Safety policy and I will:\n\n"
        "- **not use social media to make derogatory or malicious allegations** about the "
        "school or anyone in the school community;\n"
        "- not discuss sensitive school issues online;\n"
        "- use the school's Complaints policy to raise a complaint against the school.",
    ),
    (
        "Acceptable Use Policy: parents' statement",
        Signers.PARENTS,
        "The responsible use of social media by parents.",
        "As a parent or carer I will **use social media responsibly** and I will not discuss "
        "any concerns or issues I may have with the school on social media: I will raise "
        "them with the school through its complaints route.",
    ),
    (
        "Internet access consent",
        Signers.PARENTS,
        "Parents' consent for their child to have Internet access at school.",
        "I support the school's e-Safety policy and **give my consent for my child to have "
        "Internet access** at school. I will make my child aware of the e-Safety policy.",
    ),
    (
        "Responsible Internet Use",
        Signers.STAFF,
        "School personnel accept it before using any Internet resource in school.",
        "Before using any Internet resource in school I accept the terms of this statement. "
        "I will:\n\n"
        "- report any unsuitable website or material to the e-Safety coordinator;\n"
        "- ensure that my use of Internet-derived materials complies with copyright law;\n"
        "- show pupils how to deal with inappropriate material;\n"
        "- report to the Principal any online allegations made about me.",
    ),
]

CHILDREN = [("Amy", "Year 7", "7A"), ("Ben", "Year 9", "9C"), ("Cara", "Year 11", "11B"),
            ("Dan", "Year 8", "8D"), ("Ella", "Year 12", "")]  # fmt: skip


def seed(people: dict) -> str:
    coordinator = people[Role.COORDINATOR]
    effective = timezone.localdate() - dt.timedelta(days=60)
    signed_at = timezone.now() - dt.timedelta(days=20)
    versions = {}
    for title, signers, purpose, text in AGREEMENTS:
        agreement, _ = Agreement.objects.get_or_create(
            title=title, defaults={"signers": signers, "purpose": purpose}
        )
        versions[title], _ = AgreementVersion.objects.get_or_create(
            agreement=agreement,
            version="1.0",
            defaults={"text": text, "effective_on": effective, "created_by": coordinator},
        )

    def sign(title: str, person, child: Child | None = None) -> None:
        child = child or Child("")
        Signature.objects.get_or_create(
            version=versions[title],
            signer=person,
            child_name=child.name,
            defaults={"child_key": child.key, "year_group": child.year_group,
                      "form": child.form, "signed_at": signed_at,
                      "typed_name": person.get_full_name() or person.username},
        )  # fmt: skip

    def children(parent) -> list[Child]:
        """The parent's children on the pupil records, or a made-up one if none."""
        name, year_group, form = CHILDREN[parent.pk % len(CHILDREN)]
        named = Child(f"{name} {parent.last_name}".strip(), year_group, form)
        return selectors.children_of(parent=parent) or [named]

    parent = people[Role.PARENT]
    sign("Home-School Agreement", parent, children(parent)[0])
    others = users_with_roles([Role.PARENT]).exclude(pk=parent.pk)
    for index, other in enumerate(others.order_by("pk")):
        if index % 2:
            continue  # half the parents have not signed yet
        for child in children(other):
            for title in ("Home-School Agreement", "Internet access consent"):
                if not (child.key and versions[title].signatures.filter(child_key=child.key)):
                    sign(title, other, child)
    for role in (Role.COORDINATOR, Role.PRINCIPAL):
        sign("Responsible Internet Use", people[role])
    return f"{len(AGREEMENTS)} agreements; {Signature.objects.count()} signatures"
