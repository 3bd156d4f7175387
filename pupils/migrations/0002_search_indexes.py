"""GIN indexes for search on PostgreSQL (overstone.search.SearchIndexes); nothing on SQLite."""

from django.db import migrations

from overstone.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("pupils", "0001_initial"),
        ("overstone", "0011_search_trigram_extension"),
    ]

    operations = [SearchIndexes("pupils_pupil", ["first_name", "last_name", "form"])]
