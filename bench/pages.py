"""The pages the benchmark drives, and the queries each makes (counted in-process)."""

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

DEEP_ROW = 90_000
INCIDENTS_PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    name: str
    username: str
    path: str
    method: str = "GET"


def deep_page_path(number: int) -> str:
    """The deep page as a user reaches it, by Next: its link carries the key of the last
    row of the page before (overstone.pagination.KeysetPaginationMixin)."""
    from incidents.models import Incident
    from overstone.pagination import cursor_for

    edge = Incident.objects.order_by("-occurred_at", "-pk")[(number - 1) * INCIDENTS_PER_PAGE - 1]
    cursor = cursor_for(edge, ("occurred_at", "pk"))
    return f"{reverse('incidents:list')}?{urlencode({'page': number, 'after': cursor})}"


def search_path(q: str) -> str:
    return f"{reverse('search')}?{urlencode({'q': q})}"


def a_reference() -> str:
    """The reference of an incident halfway down the list, as someone would type it."""
    from incidents.models import Incident

    count = Incident.objects.count()
    return Incident.objects.order_by("-occurred_at", "-pk")[count // 2].reference


def bench_pupil_name() -> str:
    from bench.data import BENCH_PUPIL
    from pupils.models import Pupil

    return Pupil.objects.get(number=BENCH_PUPIL).full_name


def pages(*, deep_row: int = DEEP_ROW, trust: bool = False) -> list[Page]:
    """The floor first, then each page of the issue, with who asks for it; with
    ``trust``, the trust's dashboard as a trust role (every school's figures)."""
    from bench.data import BENCH_PUPIL

    incidents = reverse("incidents:list")
    deep_page = deep_row // INCIDENTS_PER_PAGE
    return [
        Page("floor: home page", "bench_coordinator", reverse("home")),
        Page("incident list, page 1", "bench_coordinator", incidents),
        Page(
            "incident list, filtered",
            "bench_coordinator",
            f"{incidents}?{urlencode({'category': 'hate', 'severity': 'high'})}",
        ),
        Page(f"incident list, page {deep_page}", "bench_coordinator", deep_page_path(deep_page)),
        Page("complaint board", "bench_principal", reverse("complaints:board")),
        # Search as the principal, who may search every kind: one reference, then a word
        # in every incident's description (the worst case: every row matches).
        Page("search, a reference", "bench_principal", search_path(a_reference())),
        Page("search, a word in every incident", "bench_principal", search_path("proxy")),
        # A pupil's name finds the pupils so named and the incidents naming them.
        Page("search, a pupil's name", "bench_principal", search_path(bench_pupil_name())),
        # The pupil named on the most incidents (bench.data.BENCH_PUPIL): their timeline.
        Page(
            "pupil page",
            "bench_principal",
            reverse("pupils:detail", args=[BENCH_PUPIL]),
        ),
        Page("dashboard", "bench_principal", reverse("reporting:dashboard")),
        Page("parent's sessions", "bench_parent_0", reverse("training:upcoming")),
        # The path is filled in per request: each books a session it has not booked yet.
        Page("booking POST", "bench_parent_*", "/training/sessions/{pk}/book/", "POST"),
    ] + ([Page("trust dashboard", "bench_trust_lead", reverse("trust:dashboard"))] if trust else [])


def queries_per_request(page: Page, *, session_pk: int | None = None) -> int:
    """How many SQL queries one request for the page makes, through the test client."""
    from django.contrib.auth import get_user_model

    username = page.username.replace("*", "0")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        if page.method == "POST":
            response = client.post(page.path.format(pk=session_pk), {"guests": 0})
        else:
            response = client.get(page.path)
    if response.status_code not in (200, 302):
        raise RuntimeError(f"{page.name}: {response.status_code}")
    return len(captured)


def pages_as_json(**options) -> list[dict]:
    return [asdict(page) for page in pages(**options)]
