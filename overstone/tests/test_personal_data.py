"""No field that can hold a person escapes subject access unnoticed: each is searched by
some app's subject-access source or declared not personal, with the reason, in that
app's ``personal_data`` module (overstone.personal_data)."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from overstone.personal_data import record_kinds, registry, subject_access_sources
from training.models import Booking

# Short text whose name says it holds a person or what someone wrote; long text
# (TextField) always may.
PERSONISH = re.compile(
    r"name|email|handle|pupil|staff|parent|attendee|adviser|owner|subject|detail|description"
)


def project_models() -> list[type[models.Model]]:
    """Every model of Overstone's own apps (not Django's nor third parties')."""
    root = Path(settings.BASE_DIR).resolve()
    return [
        model
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == root
        for model in config.get_models()
    ]


def can_hold_a_person(field) -> bool:
    if field.is_relation:
        return field.related_model is get_user_model() and (field.concrete or field.many_to_many)
    if isinstance(field, models.TextField):
        return True
    return (
        isinstance(field, models.CharField)
        and not field.choices
        and bool(PERSONISH.search(field.name))
    )


def resolve(model: type[models.Model], path: str) -> tuple[str, str]:
    """``("incidents.PupilInvolved", "name")`` for ``Incident`` and ``pupils__name``."""
    *hops, last = path.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model
    model._meta.get_field(last)  # raises if the declaration names no such field
    return model._meta.label, last


def searched() -> set[tuple[str, str]]:
    return {
        resolve(source.model, path)
        for source in subject_access_sources()
        for path in source.text_fields + source.account_fields
    }


def declared_not_personal() -> set[tuple[str, str]]:
    return {(entry.model, name) for entry in registry.not_personal for name in entry.fields}


def test_every_field_that_can_hold_a_person_is_searched_or_declared_not_personal():
    covered = searched() | declared_not_personal()
    escaping = sorted(
        f"{model._meta.label}.{field.name}"
        for model in project_models()
        for field in model._meta.get_fields()
        if can_hold_a_person(field) and (model._meta.label, field.name) not in covered
    )
    assert not escaping, (
        f"{', '.join(escaping)}: search each in its app's subject-access source, or "
        "declare it NotPersonal with the reason, in <app>/personal_data.py"
    )


def test_what_is_declared_not_personal_exists_and_is_not_also_searched():
    for model_label, name in declared_not_personal():
        apps.get_model(model_label)._meta.get_field(name)  # raises for a stale entry
    assert declared_not_personal() & searched() == set()


def test_the_walk_reaches_every_app_and_knows_a_person_field():
    """The guard above looks where the records are (it would pass on nothing)."""
    labels = {model._meta.label for model in project_models()}
    assert {"incidents.Incident", "complaints.OnlineComplaint", "training.Booking"} <= labels
    assert {"reporting.AnnualReport", "privacy.LegalHold", "overstone.AuditLogEntry"} <= labels
    assert can_hold_a_person(Booking._meta.get_field("parent"))
    assert not can_hold_a_person(Booking._meta.get_field("status"))


def test_each_app_declares_its_own_record_kinds_once():
    assert [kind.name for kind in record_kinds()] == ["incident", "complaint", "concern", "pupil"]
    assert {kind.retention_key for kind in record_kinds()} == set(
        settings.OVERSTONE_RETENTION_YEARS
    )
