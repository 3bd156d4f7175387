"""The trust's figures: each school's records of a school year, side by side.

What is counted is declared once, in ``COUNTED``. On PostgreSQL the counts are kept in
``Tally`` by the database itself, in the transaction that writes the records (statement
triggers with transition tables, made by ``trigger_sql`` in this app's migration): an
import of thousands or a ``COPY`` is counted once per statement, and reading the trust's
figures reads a few hundred rows, never the records. On SQLite (a small installation)
the same ``COUNTED`` are counted from the records when asked.

    figures = trust_figures(2026)  # one row per school: this year, last year, per 1,000
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django_scopes import scopes_disabled

from overstone.models import School
from overstone.schoolyear import days_q, school_year_bounds
from trust.models import Tally


@dataclass(frozen=True)
class Counted:
    name: str
    label: str
    model: str  # "app_label.Model", whose table has a school_id column
    date_field: str  # the timestamp that puts a record in a school year
    condition: Q = field(default_factory=Q)  # which records count, for the ORM ...
    sql_condition: str = "TRUE"  # ... and the same, in SQL on the row ``r``
    columns: tuple[str, ...] = ()  # the columns the condition reads

    @property
    def table(self) -> str:
        return apps.get_model(self.model)._meta.db_table


SERIOUS = ("high", "critical")

COUNTED: tuple[Counted, ...] = (
    Counted("incidents", "e-Safety incidents logged", "incidents.Incident", "occurred_at"),
    Counted(
        "serious_incidents",
        "of which high or critical",
        "incidents.Incident",
        "occurred_at",
        Q(severity__in=SERIOUS),
        "r.severity IN ('high', 'critical')",
        ("severity",),
    ),
    Counted("complaints", "Online complaints", "complaints.OnlineComplaint", "created_at"),
    Counted("concerns", "Parents' concerns", "complaints.Concern", "created_at"),
)


def _school_year_sql(column: str) -> str:
    # 1 September (local time) moved back eight months is 1 January of the same year.
    return (
        f"extract(year from ({column} AT TIME ZONE '{settings.TIME_ZONE}')"
        " - interval '8 months')::int"
    )


def _tally_change_sql(counted: list[Counted], rows: str, sign: str, where: str = "") -> str:
    date_field = counted[0].date_field
    values = ", ".join(f"('{c.name}', {c.sql_condition})" for c in counted)
    return f"""
    INSERT INTO trust_tally (school_id, school_year, name, count)
    SELECT r.school_id, {_school_year_sql("r." + date_field)}, c.name, {sign}count(*)
    FROM {rows} r CROSS JOIN LATERAL (VALUES {values}) AS c(name, counted)
    WHERE c.counted {where}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (school_id, school_year, name)
    DO UPDATE SET count = trust_tally.count + EXCLUDED.count;"""


def _by_table() -> dict[str, list[Counted]]:
    tables: dict[str, list[Counted]] = {}
    for counted in COUNTED:
        tables.setdefault(counted.table, []).append(counted)
    return tables


def trigger_sql() -> list[str]:
    """The functions and triggers that keep ``Tally``, and the first count (PostgreSQL)."""
    statements = ["DELETE FROM trust_tally;"]
    for table, counted in _by_table().items():
        read = {"school_id", counted[0].date_field, *(c for n in counted for c in n.columns)}
        changed = (
            f"AND r.id IN (SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id"
            f" WHERE ({', '.join('o.' + c for c in sorted(read))})"
            f" IS DISTINCT FROM ({', '.join('n.' + c for c in sorted(read))}))"
        )
        function = f"trust_tally_{table}"
        statements += [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN {_tally_change_sql(counted, "new_rows", "")}
              ELSIF TG_OP = 'DELETE' THEN {_tally_change_sql(counted, "old_rows", "-")}
              ELSE
                {_tally_change_sql(counted, "old_rows", "-", changed)}
                {_tally_change_sql(counted, "new_rows", "", changed)}
              END IF;
              RETURN NULL;
            END $$;""",
            f"DROP TRIGGER IF EXISTS trust_tally_insert ON {table};",
            f"DROP TRIGGER IF EXISTS trust_tally_update ON {table};",
            f"DROP TRIGGER IF EXISTS trust_tally_delete ON {table};",
            f"CREATE TRIGGER trust_tally_insert AFTER INSERT ON {table}"
            f" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
            f"CREATE TRIGGER trust_tally_update AFTER UPDATE ON {table}"
            " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
            f"CREATE TRIGGER trust_tally_delete AFTER DELETE ON {table}"
            f" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
            _tally_change_sql(counted, table, ""),
        ]
    return statements


def tally_triggers_create(apps, schema_editor) -> None:
    """For a migration: the triggers, and the first count (PostgreSQL only)."""
    if schema_editor.connection.vendor == "postgresql":
        for statement in trigger_sql():
            schema_editor.execute(statement)


def tally_triggers_drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in _by_table():
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS trust_tally_{event} ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS trust_tally_{table}();")


def tallied() -> bool:
    return connection.vendor == "postgresql"


def _counts(years: list[int]) -> dict[tuple[int, int, str], int]:
    """(school id, school year, name) -> count, for every school."""
    if tallied():
        rows = Tally.objects.filter(school_year__in=years).values_list(
            "school_id", "school_year", "name", "count"
        )
        return {(school, year, name): count for school, year, name, count in rows}
    counts = {}
    with scopes_disabled():  # the trust's figures: every school's, on purpose
        for counted in COUNTED:
            model = apps.get_model(counted.model)
            for year in years:
                records = model.objects.filter(
                    days_q(counted.date_field, *school_year_bounds(year)), counted.condition
                )
                for school, count in (
                    records.order_by().values_list("school_id").annotate(n=Count("pk"))
                ):
                    counts[(school, year, counted.name)] = count
    return counts


@dataclass
class Figure:
    counted: Counted
    this_year: int
    last_year: int
    pupils: int

    @property
    def per_thousand(self) -> float | None:
        """Per 1,000 pupils on roll; none when the school has not said how many."""
        return round(self.this_year * 1000 / self.pupils, 1) if self.pupils else None

    @property
    def last_year_per_thousand(self) -> float | None:
        return round(self.last_year * 1000 / self.pupils, 1) if self.pupils else None


@dataclass
class SchoolFigures:
    school: School
    figures: list[Figure]


def trust_figures(start_year: int) -> list[SchoolFigures]:
    """Every school's figures for the school year starting in ``start_year``, against
    the year before, by school name."""
    counts = _counts([start_year, start_year - 1])
    return [
        SchoolFigures(
            school,
            [
                Figure(
                    counted,
                    counts.get((school.pk, start_year, counted.name), 0),
                    counts.get((school.pk, start_year - 1, counted.name), 0),
                    school.number_on_roll,
                )
                for counted in COUNTED
            ],
        )
        for school in School.objects.order_by("name")
    ]


def trust_totals(schools: list[SchoolFigures]) -> list[Figure]:
    """The trust's own line: every school's figures added up."""
    pupils = sum(row.school.number_on_roll for row in schools)
    return [
        Figure(
            counted,
            sum(row.figures[index].this_year for row in schools),
            sum(row.figures[index].last_year for row in schools),
            pupils,
        )
        for index, counted in enumerate(COUNTED)
    ]
