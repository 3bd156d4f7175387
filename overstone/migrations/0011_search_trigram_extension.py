"""pg_trgm on PostgreSQL, for search by trigram similarity (overstone.search); nothing on
SQLite. Each app's search indexes depend on this migration."""

from django.db import migrations

from overstone.search import TrigramExtensionOnPostgres


class Migration(migrations.Migration):
    dependencies = [("overstone", "0010_record_link")]

    operations = [TrigramExtensionOnPostgres()]
