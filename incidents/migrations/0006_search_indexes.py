"""GIN indexes for search on PostgreSQL (overstone.search.SearchIndexes); nothing on SQLite."""

from django.db import migrations

from overstone.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0005_incident_categories_abuse_and_other_web"),
        ("overstone", "0011_search_trigram_extension"),
    ]

    operations = [
        SearchIndexes(
            "incidents_incident",
            [
                "description",
                "location_detail",
                "outcome",
            ],
        ),
        SearchIndexes("incidents_pupilinvolved", ["name"]),
    ]
