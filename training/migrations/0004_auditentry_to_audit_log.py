"""Training's own audit trail (AuditEntry) moves into the principal's audit log.

Each row becomes an ``overstone.AuditLogEntry`` ("Changed"), keeping who (the account
and its username), when, what (the training record and its id) and before -> after in
``changes`` (the note too, when there was one): so the audit log shows training's
history and the subject-access search finds the parents' addresses it held. A session's
rows are also copied into its own history (SessionEvent), which its page shows.

Reversible: going back rebuilds AuditEntry from the audit-log rows this migration wrote
(found by their ``path``). Those rows stay in the audit log, which is append-only.
"""

from django.db import migrations

MOVED_FROM = "training audit trail (moved)"
SESSION_KINDS = {"session_created": "created", "session_status": "cancelled"}


def _what(entry) -> dict:
    changes = {entry.action.replace("_", " "): [entry.before, entry.after]}
    if entry.note:
        changes["note"] = ["", entry.note]
    return changes


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("training", "AuditEntry")
    AuditLogEntry = apps.get_model("overstone", "AuditLogEntry")
    SessionEvent = apps.get_model("training", "SessionEvent")
    labels = _labels(apps)
    sessions = set(
        apps.get_model("training", "TrainingSession").objects.values_list("pk", flat=True)
    )
    # The rows keep the time they were written, not the time of the move.
    stamps = [model._meta.get_field("at") for model in (AuditLogEntry, SessionEvent)]
    for field in stamps:
        field.auto_now_add = False
    try:
        _move(AuditEntry, AuditLogEntry, SessionEvent, labels, sessions)
    finally:
        for field in stamps:
            field.auto_now_add = True


def _labels(apps) -> dict[str, str]:
    """Class name -> verbose name, as ``overstone.audit`` names a record's type."""
    models = [*apps.get_app_config("training").get_models(), apps.get_model("auth", "User")]
    return {model.__name__: str(model._meta.verbose_name) for model in models}


def _move(AuditEntry, AuditLogEntry, SessionEvent, labels, sessions):
    for entry in AuditEntry.objects.select_related("actor").order_by("created_at", "pk"):
        AuditLogEntry.objects.create(
            at=entry.created_at,
            user=entry.actor,
            username=entry.actor.username if entry.actor else "unknown",
            action="change",
            object_type=labels.get(entry.subject_type, entry.subject_type),
            object_reference=str(entry.subject_id),
            path=MOVED_FROM,
            changes=_what(entry),
        )
        if entry.subject_type == "TrainingSession" and entry.subject_id in sessions:
            SessionEvent.objects.create(
                session_id=entry.subject_id,
                at=entry.created_at,
                actor=entry.actor,
                kind=SESSION_KINDS.get(entry.action, "edited"),
                summary=entry.note or entry.after,
                changes={"status": [entry.before, entry.after]} if entry.before else {},
            )


def backwards(apps, schema_editor):
    AuditEntry = apps.get_model("training", "AuditEntry")
    AuditLogEntry = apps.get_model("overstone", "AuditLogEntry")
    SessionEvent = apps.get_model("training", "SessionEvent")
    names = {label: name for name, label in _labels(apps).items()}
    SessionEvent.objects.all().delete()  # the table itself goes in the next step back
    for row in AuditLogEntry.objects.filter(path=MOVED_FROM).order_by("at", "pk"):
        changes = dict(row.changes)
        note = changes.pop("note", ["", ""])[1]
        (action, (before, after)), *_ = changes.items()
        entry = AuditEntry.objects.create(
            actor=row.user,
            action=action.replace(" ", "_"),
            subject_type=names.get(row.object_type, row.object_type),
            subject_id=int(row.object_reference),
            before=before,
            after=after,
            note=note,
        )
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=row.at)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_sessionevent"),
        ("overstone", "0007_auditlogentry_changes"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
