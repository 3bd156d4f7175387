"""GIN indexes for search on PostgreSQL (overstone.search.SearchIndexes); nothing on SQLite."""

from django.db import migrations

from overstone.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_induction_validity_and_working_party_members"),
        ("overstone", "0011_search_trigram_extension"),
    ]

    operations = [
        SearchIndexes("training_workingpartymeeting", ["agenda", "minutes", "decisions"]),
        SearchIndexes("training_meetingattendee", ["name"]),
        SearchIndexes("training_actionitem", ["description"]),
        SearchIndexes("training_trainingsession", ["title", "place"]),
    ]
