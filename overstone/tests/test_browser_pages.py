"""Every main page of every role, in a real browser, on a phone and on a desktop.

One walk over the seeded demo (so lists have rows, overdue ones included): each role
logs in once and opens each link of its navigation, the 404 page and, on a phone, the
opened navigation; staff meet the other error pages, and the principal a complaint
letter, a page reached only by POST. At 375 and at 1280 px no page may scroll sideways,
and axe-core (bundled by axe-playwright-python, no CDN) finds no WCAG 2.2 AA violation:
a phone shows other things (stacked cards, fewer columns, the collapsed menu), so axe
runs at both widths, put into each page once.
"""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser

from conftest import browser_log_in
from overstone.bodylimit import BodyLimit, body_refused_response
from overstone.middleware import database_unavailable_response
from overstone.models import School
from overstone.navigation import navigation_for
from overstone.roles import TRUST_ROLES, Role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.urls("overstone.tests.urls_errors"),  # the project's URLs, a 400 and a 500
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
    """Each axe-core violation on the page as it is laid out now: its rule and the
    elements that break it. axe is put into the page once, then run at each width."""
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(AXE.axe_script)
    violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
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


# How far the page scrolls sideways, in CSS pixels: the page itself, or a shown box
# inside it that scrolls or clips what does not fit (a "table-responsive" hides columns
# off-screen). No box is let off: the induction matrix (people by topics) is a card per
# person below the width where its table fits.
OVERFLOW = """() => Math.max(
  document.documentElement.scrollWidth - window.innerWidth,
  ...[...document.querySelectorAll("main *")]
    .filter(el => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX))
    .filter(el => el.checkVisibility() && !el.closest(".visually-hidden"))
    .map(el => el.scrollWidth - el.clientWidth - 1),
)"""


def overflow(page) -> int:
    return page.evaluate(OVERFLOW)


def page_problems(page, label: str, url: str = "", widths=WIDTHS) -> list[str]:
    """What is wrong with the open page at each width: sideways scrolling, what a phone
    must still show, and each axe-core violation."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        if (extra := overflow(page)) > 0:
            problems.append(f"{label} at {width} px: {extra} px")
        for test_id in KEY_ON_A_PHONE.get(url, ()):
            box = page.get_by_test_id(test_id).first.bounding_box()
            if not box or box["x"] + box["width"] > width:
                problems.append(f"{label} at {width} px: no {test_id}")
        problems += [f"{label} at {width} px: {v}" for v in accessibility_violations(page)]
    return problems


def phone_menu_problems(page, label: str) -> list[str]:
    """What is wrong with the navigation as a phone shows it: collapsed behind a button
    and, once opened, every section's links in one column."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.get_by_role("button", name="Show navigation").click()
    page.locator("#main-nav.show").wait_for()
    # A tap opens one section at a time; all are opened here to be checked in one go.
    page.evaluate(
        "() => document.querySelectorAll('#main-nav .dropdown-menu')"
        ".forEach(menu => menu.classList.add('show'))"
    )
    return page_problems(page, label, widths=(375,))


# The error pages besides the 404 that every role meets: the same layout for everyone, so
# one role (staff) opens them. 413 and 503 are rendered before (or without) the database,
# as the middleware answers them; the browser is handed that response.
ERROR_PAGES = [
    ("/audit/", 403),  # the audit log, not for staff
    ("/accounts/logout/", 405),  # POST only
    ("/test-errors/400/", 400),
    ("/test-errors/500/", 500),
    ("/413/", 413),
    ("/503/", 503),
]


def answered_without_a_request(page, url: str, response) -> None:
    page.route(url, lambda route: route.fulfill(
        status=response.status_code, body=response.content, content_type="text/html"
    ))  # fmt: skip


def complaint_with_a_letter(user) -> str:
    """The URL of a seeded complaint whose page offers ``user`` a letter."""
    from complaints.selectors import complaint_list
    from complaints.stages import letters_available

    for complaint in complaint_list(user=user):
        if any(letter.is_ready(complaint) for letter in letters_available(complaint)):
            return complaint.get_absolute_url()
    raise AssertionError("The demo has no complaint with a letter ready")


def test_every_page_fits_and_passes_axe_for_every_role(browser: Browser, live_server, demo):
    problems = []
    from django.contrib.auth import get_user_model

    letter_from = complaint_with_a_letter(get_user_model().objects.get(username="principal"))
    for role in Role:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        browser_log_in(page, role.value, PASSWORD, url=f"{live_server.url}/")
        if role in TRUST_ROLES:  # held in every school: to the demo school, as the others
            page.locator("#account-menu").click()
            page.get_by_role("button", name="Switch to Overstone Park School").click()
            page.wait_for_load_state()
        for title, url in [*role_pages(role), ("Not found", "/no-such-page/")]:
            page.goto(f"{live_server.url}{url}")
            problems += page_problems(page, f"{role.value} {title} ({url})", url)
        if role == Role.STAFF:
            too_large = body_refused_response(status=413, limit=BodyLimit.FORM)
            answered_without_a_request(page, f"{live_server.url}/413/", too_large)
            unavailable = database_unavailable_response()
            answered_without_a_request(page, f"{live_server.url}/503/", unavailable)
            for url, status in ERROR_PAGES:
                assert page.goto(f"{live_server.url}{url}").status == status, url
                problems += page_problems(page, f"staff error {status} ({url})")
            # Staff work at Riverside Academy too: an e-mail's link there asks first.
            riverside = School.objects.get(code="RVA").pk
            page.goto(f"{live_server.url}/?school={riverside}")
            page.get_by_role("button", name="Switch to Riverside Academy and open it").wait_for()
            problems += page_problems(page, "staff an e-mail's link to another school")
        page.goto(f"{live_server.url}/")
        problems += phone_menu_problems(page, f"{role.value} navigation on a phone")
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
