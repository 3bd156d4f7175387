"""HTML to PDF (WeasyPrint) for every document Overstone makes: letters, chronologies,
the annual report. The one place that calls WeasyPrint.

WeasyPrint would otherwise fetch any address the HTML names: a page on the internal
network, a file of the server (``file:///``). Documents carry text users typed, so a
mistake in escaping must not become a way to read those. Only the app's own static
files are read (from disk, as ``{% static %}`` names them), and ``data:`` URLs, which
carry their bytes inline.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static


def static_base_url() -> str:
    """The address relative URLs in a document resolve against; static files live
    under it. It is never fetched: the fetcher reads the files from disk."""
    return settings.SITE_URL + "/"


def static_file_of(url: str) -> Path | None:
    """The file behind ``url`` if it is one of the app's static files."""
    prefix = settings.SITE_URL + static("")
    if not url.startswith(prefix):
        return None
    found = finders.find(unquote(urlsplit(url.removeprefix(prefix)).path))
    return Path(found) if isinstance(found, str) else None


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only PDFs need
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file_of(url)
            if path is None:
                raise ValueError(f"not one of Overstone's static files: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return HTML(string=html, base_url=static_base_url(), url_fetcher=StaticFilesOnly()).write_pdf()
