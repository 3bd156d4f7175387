"""Helpers for CSV exports and for reading list filters from the query string."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

from overstone.schools import in_this_scope


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: list[str], rows: Iterable) -> StreamingHttpResponse:
    """A CSV download streamed row by row (memory stays flat however many rows), every
    cell made safe to open in a spreadsheet. The rows are read in the school the response
    was made in, as the view would have read them."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(in_this_scope(lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_cell(value) -> str:
    """Text that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def query_text(request, name: str, *, max_length: int = 200) -> str:
    """A free-text filter from the query string: trimmed, bounded, without NUL bytes
    (which PostgreSQL refuses in a query)."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]


def query_year(request, name: str = "year") -> int | None:
    value = request.GET.get(name, "")
    if value.isascii() and value.isdigit() and 1900 <= int(value) <= 2999:
        return int(value)
    return None
