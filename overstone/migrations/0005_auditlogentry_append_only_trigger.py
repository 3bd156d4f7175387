"""On PostgreSQL the database itself refuses to change or delete audit entries.

Row triggers, so TRUNCATE (used only to empty a test database) is not affected.
Other databases rely on the model's guard (AppendOnlyModel).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION overstone_auditlogentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'overstone_auditlogentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER overstone_auditlogentry_append_only
    BEFORE UPDATE OR DELETE ON overstone_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION overstone_auditlogentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS overstone_auditlogentry_append_only ON overstone_auditlogentry;
DROP FUNCTION IF EXISTS overstone_auditlogentry_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # the SQL holds a literal %

    return run


class Migration(migrations.Migration):
    dependencies = [("overstone", "0004_auditlogentry")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
