"""GIN indexes for searching people by name, e-mail and username on PostgreSQL (staff,
parents and posters are found in ``auth_user``; overstone.search.SearchIndexes); nothing
on SQLite."""

from django.db import migrations

from overstone.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("overstone", "0014_auditlogentry_withheld_from_principal"),
    ]

    operations = [SearchIndexes("auth_user", ["first_name", "last_name", "email", "username"])]
