"""PDFs are drawn from the app's own static files only (issue 14.13): an address or a
server file named in a document's HTML is never fetched."""

import ast
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from overstone.pdf import html_to_pdf
from overstone.samples import PNG

ROOT = Path(__file__).resolve().parents[2]


def has_image(pdf: bytes) -> bool:
    return b"/Image" in pdf


@pytest.fixture
def static_png(settings, tmp_path) -> str:
    """A PNG among the app's static files: its ``{% static %}`` address."""
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "probe.png").write_bytes(PNG)
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, folder]
    return "/static/probe.png"


@pytest.fixture
def web_server():
    """A server on loopback that counts the requests it gets: its address and count."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def test_the_apps_own_static_files_are_drawn(static_png):
    assert has_image(html_to_pdf(f'<p>Letter</p><img src="{static_png}">'))
    assert not has_image(html_to_pdf("<p>Letter</p>"))


def test_an_external_address_is_never_fetched(web_server):
    address, requests = web_server
    pdf = html_to_pdf(
        f'<link rel="stylesheet" href="{address}/style.css">'
        f'<p>Letter</p><img src="{address}/tracker.png">'
        f'<p style="background: url({address}/background.png)">Hello</p>'
    )
    assert requests == []
    assert not has_image(pdf)


def test_a_file_of_the_server_is_never_read(tmp_path, static_png):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    for src in (secret.as_uri(), str(secret), "/static/../secret.png", "/static/%2e%2e/secret.png"):
        assert not has_image(html_to_pdf(f'<p>Letter</p><img src="{src}">')), src


def test_weasyprint_is_only_called_through_html_to_pdf():
    """A new document made by calling WeasyPrint directly would skip the fetcher."""
    callers = []
    folders = [path for path in ROOT.iterdir() if path.is_dir() and path.name[0] not in "._"]
    for path in (path for folder in folders for path in folder.rglob("*.py")):
        if path == ROOT / "overstone" / "pdf.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names]
                if any(name.split(".")[0] == "weasyprint" for name in names):
                    callers.append(str(path.relative_to(ROOT)))
    assert callers == []
