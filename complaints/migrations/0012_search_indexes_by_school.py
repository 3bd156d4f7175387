"""Search indexes that lead with the school (overstone.search.SearchIndexes ``by_school``):
a search runs in one school of a trust; nothing on SQLite."""

from django.db import migrations

from overstone.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0011_schools"),
        ("overstone", "0019_btree_gin_extension"),
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
            by_school=True,
        ),
        SearchIndexes("complaints_concern", ["subject", "details", "response"], by_school=True),
    ]
