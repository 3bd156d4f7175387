"""Search indexes that lead with the school (overstone.search.SearchIndexes ``by_school``):
a search runs in one school of a trust; nothing on SQLite."""

from django.db import migrations

from overstone.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("pupils", "0003_pupil_school"),
        ("overstone", "0019_btree_gin_extension"),
    ]

    operations = [
        SearchIndexes("pupils_pupil", ["first_name", "last_name", "form"], by_school=True),
    ]
