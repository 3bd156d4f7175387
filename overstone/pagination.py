"""Pagination for lists over big tables (see bench/README.md for the figures)."""

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap; above it, an unfiltered list shows the
# planner's estimate ("about 100,000") instead of counting every row on every page.
ESTIMATE_ABOVE = 10_000


class LargeTablePaginator(Paginator):
    """A Paginator that neither counts nor annotates rows it does not show.

    - An unfiltered list on PostgreSQL takes its count from the table's statistics
      (``pg_class.reltuples``, kept by autovacuum) once that is above ESTIMATE_ABOVE;
      ``estimated`` says so, for the template's "about". Filtered lists count exactly.
    - A page first reads the primary keys of its slice (the ordered query with no
      annotations or joins: an index-only scan for the default order), then loads only
      those rows with everything the list shows. A deep OFFSET no longer evaluates the
      annotations of every row it skips. Two queries a page, at any depth.
    """

    estimated = False

    @cached_property
    def count(self) -> int:
        estimate = self._estimate()
        if estimate is not None and estimate > ESTIMATE_ABOVE:
            self.estimated = True
            return estimate
        return super().count

    def _estimate(self) -> int | None:
        queryset = self.object_list
        if connection.vendor != "postgresql" or queryset.query.where or queryset.query.distinct:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        return row[0] if row and row[0] >= 0 else None

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        pks = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.order_by().in_bulk(pks) if pks else {}
        return self._get_page([rows[pk] for pk in pks if pk in rows], number, self)
