"""Pagination for lists over big tables (see bench/README.md for the figures)."""

from datetime import UTC, datetime

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Q
from django.utils import timezone
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


PAGING_PARAMETERS = ("page", "after", "before")


def query_without_paging(request) -> str:
    """The list's filters as they are in the address, without the page or its cursors, for
    ``_pagination.html`` to put its own after."""
    query = request.GET.copy()
    for name in PAGING_PARAMETERS:
        query.pop(name, None)
    return query.urlencode()


class FilteredListMixin:
    """Gives a paginated list's template ``query`` (see ``query_without_paging``)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=query_without_paging(self.request), **kwargs)


def cursor_for(row, fields: tuple[str, str]) -> str:
    """The cursor of a row: its two sort-key values, as Next and Previous carry them."""
    first, second = (getattr(row, name) for name in fields)
    return f"{first.isoformat()}~{second}"


def _parse_cursor(text: str) -> tuple[datetime, int] | None:
    """A cursor from the query string, or None if it is not one (never an error)."""
    moment, _, number = text.partition("~")
    if not (number.isascii() and number.isdigit() and int(number) <= 2**63 - 1):
        return None
    try:
        value = datetime.fromisoformat(moment)
        value.astimezone(UTC)  # 0001-01-01 an hour east of UTC is before the first instant
    except (ValueError, OverflowError):
        return None
    return (value, int(number)) if timezone.is_aware(value) else None


class KeysetPaginationMixin:
    """Next and Previous on a list in its default order (newest first) carry the edge
    row's sort key, so page 3,600 is read from the index like page 1: no OFFSET over the
    90,000 rows before it. A list sorted another way, or a page asked for by number
    alone, pages by OFFSET (LargeTablePaginator).

    ``keyset`` names the default order's two fields, both descending, the second unique.
    """

    keyset: tuple[str, str] = ("occurred_at", "pk")

    def paginate_queryset(self, queryset, page_size):
        after = _parse_cursor(self.request.GET.get("after", ""))
        before = _parse_cursor(self.request.GET.get("before", ""))
        in_default_order = not queryset.query.order_by
        if not in_default_order or not (after or before):
            paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        else:
            paginator = self.get_paginator(queryset, page_size)
            try:
                number = paginator.validate_number(self.request.GET.get("page") or 1)
            except EmptyPage:
                number = paginator.num_pages
            except PageNotAnInteger:
                number = 1
            page = self._keyset_page(queryset, page_size, paginator, number, after, before)
            rows, is_paginated = page.object_list, True
        if in_default_order and page.object_list:
            last, first = page.object_list[-1], page.object_list[0]
            page.next_after = cursor_for(last, self.keyset) if page.has_next() else ""
            page.previous_before = cursor_for(first, self.keyset) if page.has_previous() else ""
        return paginator, page, rows, is_paginated

    def _keyset_page(self, queryset, size, paginator, number, after, before) -> Page:
        first, second = self.keyset
        # (first, second) beyond the cursor. The redundant range on ``first`` alone lets the
        # database start its index scan at the cursor instead of filtering from the top.
        if after:
            edge = Q(**{f"{first}__lte": after[0]}) & (
                Q(**{f"{first}__lt": after[0]}) | Q(**{first: after[0], f"{second}__lt": after[1]})
            )
            order = [f"-{first}", f"-{second}"]
        else:
            edge = Q(**{f"{first}__gte": before[0]}) & (
                Q(**{f"{first}__gt": before[0]})
                | Q(**{first: before[0], f"{second}__gt": before[1]})
            )
            order = [first, second]
        pks = list(queryset.filter(edge).order_by(*order).values_list("pk", flat=True)[: size + 1])
        more = len(pks) > size
        pks = pks[:size] if after else pks[:size][::-1]
        found = queryset.order_by().in_bulk(pks) if pks else {}
        page = KeysetPage([found[pk] for pk in pks if pk in found], number, paginator)
        page.more_after = more if after else True
        page.more_before = more or number > 1 if before else True
        return page


class KeysetPage(Page):
    """A page reached by a cursor: whether there is more comes from the rows themselves."""

    more_after = more_before = False

    def has_next(self) -> bool:
        return self.more_after and bool(self.object_list)

    def has_previous(self) -> bool:
        return self.more_before and bool(self.object_list)

    # The count may be an estimate: the rows, not the count, say whether there is more.
    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(1, self.number - 1)
