"""GIN indexes for search on PostgreSQL (overstone.search.SearchIndexes); nothing on SQLite."""

from django.db import migrations

from overstone.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_governors_meeting_time_and_place"),
        ("overstone", "0011_search_trigram_extension"),
    ]

    operations = [
        SearchIndexes(
            "complaints_onlinecomplaint",
            [
                "content",
                "posted_by_name",
                "account_handle",
                "pupils_about",
                "support_note",
                "outcome",
                "legal_adviser",
                "legal_advice_summary",
            ],
        ),
        SearchIndexes("complaints_meeting", ["attendees", "notes", "outcome"]),
        SearchIndexes("complaints_concern", ["subject", "details", "response"]),
    ]
