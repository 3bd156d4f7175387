"""Indexes on the ISP and police references, which search matches whole (overstone.search)
alongside the record's own indexed fields: without them the search condition reads every
incident."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0010_alert_once_per_mode"),
    ]

    operations = [
        migrations.AlterField(
            model_name="incident",
            name="isp_reference",
            field=models.CharField(
                blank=True, db_index=True, max_length=100, verbose_name="ISP reference"
            ),
        ),
        migrations.AlterField(
            model_name="incident",
            name="police_reference",
            field=models.CharField(blank=True, db_index=True, max_length=100),
        ),
    ]
