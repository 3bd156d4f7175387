"""A bounded HTTP client loop (standard library only) and the statistics of its timings.

Each burst sends a fixed number of requests from a fixed number of threads and stops;
nothing here runs for longer than its requests take.
"""

import http.cookiejar
import re
import statistics
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One logged-in user: a cookie jar and an opener that does not follow redirects."""

    def __init__(self, base_url: str, *, timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, bytes]:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(self.base_url + path, data=body)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            return error.code, error.read()

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def login(self, username: str, password: str) -> None:
        status, page = self.request("/accounts/login/")
        token = CSRF_INPUT.search(page.decode()).group(1)
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(self.base_url + "/accounts/login/", data=body)
        try:
            self.opener.open(request, timeout=self.timeout)
            raise RuntimeError(f"log-in as {username} did not redirect")
        except urllib.error.HTTPError as error:
            if error.code != 302:
                raise RuntimeError(f"log-in as {username}: HTTP {error.code}") from error
        if not any(c.name == "sessionid" for c in self.cookies):
            raise RuntimeError(f"log-in as {username}: no session cookie (secure cookies?)")


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    wall: float = 0.0  # summed over bursts
    errors: int = 0

    def add(self, other: "Timings") -> None:
        self.seconds += other.seconds
        self.wall += other.wall
        self.errors += other.errors

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 95)

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.wall if self.wall else 0.0


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def burst(send: Callable[[int, int], int], *, requests: int, threads: int, ok=(200,)) -> Timings:
    """``requests`` calls of ``send(thread, n)`` (returning an HTTP status) from
    ``threads`` threads; each thread sends its share one after another."""
    timings = [Timings() for _ in range(threads)]

    def work(thread: int) -> None:
        for n in range(thread, requests, threads):
            started = time.perf_counter()
            status = send(thread, n)
            timings[thread].seconds.append(time.perf_counter() - started)
            if status not in ok:
                timings[thread].errors += 1

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    total = Timings(wall=time.perf_counter() - started)
    for part in timings:
        total.add(part)
    total.wall = time.perf_counter() - started
    return total
