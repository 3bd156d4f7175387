"""Helpers for CSV exports and for reading list filters from the query string."""


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
