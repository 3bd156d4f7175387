"""Search indexes that lead with the school (overstone.search.SearchIndexes ``by_school``):
a search runs in one school of a trust; nothing on SQLite."""

from django.db import migrations

from overstone.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0012_incident_school"),
        ("overstone", "0019_btree_gin_extension"),
    ]

    operations = [
        SearchIndexes(
            "incidents_incident", ["description", "location_detail", "outcome"], by_school=True
        ),
    ]
