"""Link the pupils named as free text to the pupil records where exactly one pupil has
that full name (incidents.services.incident_pupils_match does the same later, for an
install whose pupils are imported after this migration). Backwards there is nothing to
undo: the names were kept as text, and 0005 backwards drops the link."""

from django.db import migrations


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()  # as pupils.models.name_key


def match(apps, schema_editor):
    Pupil = apps.get_model("pupils", "Pupil")
    PupilInvolved = apps.get_model("incidents", "PupilInvolved")
    by_name = {}
    for pk, first, last in Pupil.objects.filter(anonymised_at__isnull=True).values_list(
        "pk", "first_name", "last_name"
    ):
        by_name.setdefault(_key(f"{first} {last}"), []).append(pk)
    linked = []
    for involved in PupilInvolved.objects.filter(pupil__isnull=True):
        matches = by_name.get(_key(involved.name), [])
        if len(matches) == 1:
            involved.pupil_id = matches[0]
            linked.append(involved)
    PupilInvolved.objects.bulk_update(linked, ["pupil"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0008_pupil_involved_pupil")]

    operations = [migrations.RunPython(match, migrations.RunPython.noop)]
