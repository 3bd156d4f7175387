"""Every main page of every role, in a real browser, on a phone and on a desktop.

One walk over the seeded demo (so lists have rows, overdue ones included): each role
logs in once and opens each link of its navigation, the 404 page, and (for the principal)
a complaint letter, a page reached only by POST. No page may scroll sideways at 375 or
1280 px, and axe-core (bundled by axe-playwright-python, no CDN) finds no WCAG 2.2 AA
violation. axe runs once per page, at 1280 px: the rules it checks (names, labels,
contrast, structure) read the same markup at both widths, and running it twice doubled
the walk's time.
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


def page_problems(page, label: str, url: str = "") -> list[str]:
    """What is wrong with the open page: sideways scrolling at either width, what a phone
    must still show, and (at 1280 px) each axe-core violation."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if (extra := overflow(page)) > 0:
            problems.append(f"{label} at {width} px: {extra} px")
        for test_id in KEY_ON_A_PHONE.get(url, ()):
            box = page.get_by_test_id(test_id).first.bounding_box()
            if not box or box["x"] + box["width"] > width:
                problems.append(f"{label} at {width} px: no {test_id}")
    problems += [f"{label}: {violation}" for violation in accessibility_violations(page)]
    return problems


def complaint_with_a_letter(user) -> str:
    """The URL of a seeded complaint whose page offers ``user`` a letter."""
    from complaints.selectors import complaint_list
    from complaints.stages import letters_available

    for complaint in complaint_list(user=user):
        if any(letter.is_ready(complaint) for letter in letters_available(complaint)):
            return complaint.get_absolute_url()
    raise AssertionError("The demo has no complaint with a letter ready")


def test_no_page_scrolls_sideways_for_any_role(browser: Browser, live_server, demo):
    problems = []
    from django.contrib.auth import get_user_model

    letter_from = complaint_with_a_letter(get_user_model().objects.get(username="principal"))
    for role in Role:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        browser_log_in(page, role.value, PASSWORD, url=f"{live_server.url}/")
        for title, url in [*role_pages(role), ("Not found", "/no-such-page/")]:
            page.goto(f"{live_server.url}{url}")
            problems += page_problems(page, f"{role.value} {title} ({url})", url)
        if role == Role.PRINCIPAL:
            page.goto(f"{live_server.url}{letter_from}")
            page.set_viewport_size({"width": 1280, "height": 800})
            page.get_by_role("button", name="More actions").click()
            with page.expect_popup() as popup:
                page.get_by_role("button", name="Letter:").first.click()
            letter = popup.value
            letter.wait_for_load_state()
            assert "/letters/" in letter.url
            problems += page_problems(letter, f"principal letter ({letter.url})")
        context.close()
    assert not problems, "\n".join(problems)
