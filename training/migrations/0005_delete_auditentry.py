from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("training", "0004_auditentry_to_audit_log")]

    operations = [migrations.DeleteModel(name="AuditEntry")]
