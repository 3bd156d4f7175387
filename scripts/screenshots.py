"""Retake the README's screenshots (docs/screenshots/*.png) from the demo data.

`make screenshots` migrates, loads the demo (seed_demo) and runs this: it serves the app
on a free local port, logs in as the demo users in Chromium (Playwright) and saves a few
main pages at 1280 x 800, and the parent's home on a 375 px wide phone. Each PNG is
reduced to 256 colours, which keeps it well under 200 KB.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("OVERSTONE_CHROMIUM", "/usr/bin/chromium")
PASSWORD = os.environ.get("OVERSTONE_DEMO_PASSWORD", "overstone-demo")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    """The demo on 127.0.0.1:port, answering once it is up."""
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except urllib.error.HTTPError:  # it answers (503: the broker is away)
            return server
        except OSError:  # not listening yet
            if server.poll() is not None:
                raise SystemExit("The server did not start: run `make screenshots`") from None
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The server did not answer within 30 seconds")


def log_in(browser, base: str, username: str, viewport: dict):
    page = browser.new_page(viewport=viewport)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    return page


def save(page, name: str) -> None:
    page.wait_for_load_state("networkidle")  # the navigation's work badge comes by htmx
    path = OUT / f"{name}.png"
    page.screenshot(path=path)
    Image.open(path).convert("RGB").quantize(colors=256).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
            )
            page = log_in(browser, base, "coordinator", DESKTOP)
            save(page, "coordinator-work")
            page.goto(f"{base}/incidents/")
            save(page, "incidents")

            page = log_in(browser, base, "principal", DESKTOP)
            page.goto(f"{base}/complaints/")
            save(page, "complaints")
            overdue = (
                page.get_by_test_id("board")
                .locator("tbody tr")
                .filter(has=page.get_by_test_id("overdue"))
            )
            overdue.first.get_by_role("link").first.click()
            save(page, "complaint")

            page = log_in(browser, base, "parent", PHONE)
            save(page, "parent-phone")
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
