"""Every main page of every role, in a real browser, on a phone and on a desktop.

One walk over the seeded demo (so lists have rows, overdue ones included): each role
logs in once and opens each link of its navigation at 375 and at 1280 px. No page may
scroll sideways, and axe-core (bundled by axe-playwright-python, no CDN) finds no WCAG 2.2
AA violation.
"""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser

from conftest import browser_log_in
from overstone.navigation import navigation_for
from overstone.roles import Role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "browser-demo-pw"
WIDTHS = (375, 1280)
# What a list must still show on a phone (test ids), by page: the board's due dates and
# overdue flags, not only Reference and Stage.
KEY_ON_A_PHONE = {"/complaints/": ("overdue",)}
AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def accessibility_violations(page) -> list[str]:
    """Each axe-core violation on the page: its rule and the elements that break it."""
    violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{v['id']}: {', '.join(str(node['target']) for node in v['nodes'][:3])}"
        for v in violations
    ]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", password=PASSWORD, stdout=StringIO())


def role_pages(role: Role) -> list[tuple[str, str]]:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=role.value)
    return [("Your work", "/")] + [
        (link.title, link.url) for section in navigation_for(user) for link in section.links
    ]


# How far the page scrolls sideways, in CSS pixels: the page itself, or a box inside it
# that scrolls or clips what does not fit (a "table-responsive" hides columns off-screen).
# Only a box marked data-scrolls-sideways (the induction matrix: people by topics, which
# has no narrower form) may scroll within the page.
OVERFLOW = """() => Math.max(
  document.documentElement.scrollWidth - window.innerWidth,
  ...[...document.querySelectorAll("main *")]
    .filter(el => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX))
    .filter(el => !el.closest(".visually-hidden, .d-none, [data-scrolls-sideways]"))
    .map(el => el.scrollWidth - el.clientWidth - 1),
)"""


def overflow(page) -> int:
    return page.evaluate(OVERFLOW)


def test_no_page_scrolls_sideways_for_any_role(browser: Browser, live_server, demo):
    problems = []
    for role in Role:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        browser_log_in(page, role.value, PASSWORD, url=f"{live_server.url}/")
        for title, url in role_pages(role):
            page.goto(f"{live_server.url}{url}")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                if (extra := overflow(page)) > 0:
                    problems.append(f"{role.value} {title} ({url}) at {width} px: {extra} px")
                for violation in accessibility_violations(page):
                    problems.append(f"{role.value} {title} ({url}) at {width} px: {violation}")
                for test_id in KEY_ON_A_PHONE.get(url, ()):
                    box = page.get_by_test_id(test_id).first.bounding_box()
                    if not box or box["x"] + box["width"] > width:
                        problems.append(f"{role.value} {title} at {width} px: no {test_id}")
        context.close()
    assert not problems, "\n".join(problems)
