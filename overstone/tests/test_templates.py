"""No template carries script the Content-Security-Policy would block: it runs only
scripts served by Overstone (``script-src 'self'``), so an inline event handler or a
``javascript:`` URL is a button that silently does nothing. Behaviour goes in a static
file (e.g. ``static/js/print.js`` for ``data-print``)."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

EVENT_HANDLER = re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)


def our_templates() -> list[Path]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        # Our apps only: an installed package may sit below BASE_DIR too (.venv).
        if Path(config.path).parent == settings.BASE_DIR
    ]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_the_scan_reads_every_apps_templates():
    names = {path.relative_to(settings.BASE_DIR).as_posix() for path in our_templates()}
    assert "templates/base.html" in names
    assert "complaints/templates/complaints/letters/_letter.html" in names
    assert len(names) > 50


def test_no_template_has_an_inline_event_handler_or_javascript_url():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group()[:80]}"
        for path in our_templates()
        for pattern in (EVENT_HANDLER, JAVASCRIPT_URL)
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []
