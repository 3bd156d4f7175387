"""A sensible default term calendar for a school in England; the principal adjusts it."""

from datetime import date

from django.db import migrations

D = date
ENGLAND = [
    ("term", "Autumn term 2025", D(2025, 9, 1), D(2025, 12, 19)),
    ("inset", "INSET days", D(2025, 9, 1), D(2025, 9, 2)),
    ("holiday", "Autumn half term", D(2025, 10, 27), D(2025, 10, 31)),
    ("term", "Spring term 2026", D(2026, 1, 5), D(2026, 3, 27)),
    ("inset", "INSET day", D(2026, 1, 5), D(2026, 1, 5)),
    ("holiday", "Spring half term", D(2026, 2, 16), D(2026, 2, 20)),
    ("term", "Summer term 2026", D(2026, 4, 13), D(2026, 7, 22)),
    ("holiday", "Early May bank holiday", D(2026, 5, 4), D(2026, 5, 4)),
    ("holiday", "Summer half term", D(2026, 5, 25), D(2026, 5, 29)),
    ("inset", "INSET day", D(2026, 7, 22), D(2026, 7, 22)),
    ("term", "Autumn term 2026", D(2026, 9, 1), D(2026, 12, 18)),
    ("inset", "INSET days", D(2026, 9, 1), D(2026, 9, 2)),
    ("holiday", "Autumn half term", D(2026, 10, 26), D(2026, 10, 30)),
    ("term", "Spring term 2027", D(2027, 1, 4), D(2027, 3, 25)),
    ("inset", "INSET day", D(2027, 1, 4), D(2027, 1, 4)),
    ("holiday", "Spring half term", D(2027, 2, 15), D(2027, 2, 19)),
    ("term", "Summer term 2027", D(2027, 4, 12), D(2027, 7, 21)),
    ("holiday", "Early May bank holiday", D(2027, 5, 3), D(2027, 5, 3)),
    ("holiday", "Summer half term", D(2027, 5, 31), D(2027, 6, 4)),
    ("inset", "INSET day", D(2027, 7, 21), D(2027, 7, 21)),
]


def seed(apps, schema_editor):
    CalendarEntry = apps.get_model("complaints", "CalendarEntry")
    if not CalendarEntry.objects.exists():
        CalendarEntry.objects.bulk_create(
            CalendarEntry(kind=kind, name=name, starts_on=start, ends_on=end)
            for kind, name, start, end in ENGLAND
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
