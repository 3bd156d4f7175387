"""btree_gin on PostgreSQL, so that search indexes can lead with the school
(overstone.search.SearchIndexes ``by_school``); nothing on SQLite."""

from django.db import migrations

from overstone.search import BtreeGinExtensionOnPostgres


class Migration(migrations.Migration):
    dependencies = [("overstone", "0018_school")]

    operations = [BtreeGinExtensionOnPostgres()]
