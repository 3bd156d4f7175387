"""Search indexes that lead with the school (overstone.search.SearchIndexes ``by_school``):
a search runs in one school of a trust; nothing on SQLite."""

from django.db import migrations

from overstone.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0009_schools"),
        ("overstone", "0019_btree_gin_extension"),
    ]

    operations = [
        SearchIndexes(
            "training_workingpartymeeting", ["agenda", "minutes", "decisions"], by_school=True
        ),
        SearchIndexes("training_trainingsession", ["title", "place"], by_school=True),
    ]
