"""A bounded load of many users at once, of mixed roles, each browsing their own pages.

Every virtual user logs in, then requests its role's pages in turn with a short pause
between them, until the time is up or it has made ``max_requests``; nothing runs longer.
"""

import threading
import time
from dataclasses import dataclass, field

from bench.load import Browser, percentile

# What each role looks at, as a person in that role would during a school day.
ROLE_PAGES = {
    "principal": ["reporting:dashboard", "complaints:board", "incidents:list",
                  "reporting:report_list"],
    "slt": ["reporting:dashboard", "complaints:board", "incidents:list?severity=high"],
    "coordinator": ["incidents:list", "incidents:list?category=gambling",
                    "training:session_list", "training:induction_matrix"],
    "staff": ["home", "incidents:list", "complaints:mine", "training:induction_mine"],
    "governor": ["home", "training:meeting_list", "reporting:report_list"],
    "chair_of_governors": ["home", "complaints:escalated", "training:meeting_list"],
    "parent": ["home", "training:upcoming", "complaints:concern_list"],
    "trust_lead": ["trust:dashboard", "home"],
    "trust_executive": ["trust:dashboard"],
    "trustee": ["trust:dashboard"],
}  # fmt: skip


def role_paths() -> dict[str, list[str]]:
    """ROLE_PAGES as paths (needs Django)."""
    from django.urls import reverse

    def path(page: str) -> str:
        name, _, query = page.partition("?")
        return reverse(name) + (f"?{query}" if query else "")

    return {role: [path(page) for page in pages] for role, pages in ROLE_PAGES.items()}


@dataclass
class UserLoad:
    role: str
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def users_for(count: int, accounts: dict[str, list[str]]) -> list[tuple[str, str]]:
    """``count`` (role, username) pairs: every role at least once, then staff and parents
    in the proportions of a school's users."""
    leadership = [(role, names[0]) for role, names in accounts.items() if names]
    rest = count - len(leadership)
    staff = accounts.get("staff", [])[1 : 1 + rest // 3]
    parents = accounts.get("parent", [])[1 : 1 + rest - len(staff)]
    return leadership + [("staff", n) for n in staff] + [("parent", n) for n in parents]


def run(
    base_url: str | list[str],
    users: list[tuple[str, str]],
    paths_by_role: dict[str, list[str]],
    password: str,
    *,
    seconds: float,
    pause: float = 0.5,
    max_requests: int = 400,
) -> list[UserLoad]:
    """With several ``base_url``, each user's requests go to them in turn (as behind a
    load balancer that keeps no affinity): the session must hold in every web process."""
    urls = [base_url] if isinstance(base_url, str) else base_url
    results = [UserLoad(role) for role, _ in users]
    deadline = time.monotonic() + seconds

    def work(index: int, role: str, username: str) -> None:
        result = results[index]
        browser = Browser(urls[index % len(urls)])
        try:
            browser.login(username, password)
        except Exception as error:  # a failed log-in is an error of the run, not a crash
            result.errors.append(f"log-in: {error}")
            return
        paths = paths_by_role[role]
        for n in range(max_requests):
            if time.monotonic() >= deadline:
                break
            path = paths[(index + n) % len(paths)]
            browser.base_url = urls[(index + n) % len(urls)]
            started = time.perf_counter()
            status, _ = browser.request(path)
            result.seconds.append(time.perf_counter() - started)
            if status != 200:
                result.errors.append(f"{status} {path}")
            time.sleep(pause)

    threads = [
        threading.Thread(target=work, args=(i, role, name)) for i, (role, name) in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def summary(results: list[UserLoad], wall: float) -> str:
    lines = [
        f"{'role':<20} {'users':>5} {'requests':>8} {'median ms':>9} {'p95 ms':>7} {'errors':>6}",
        "-" * 60,
    ]
    roles = sorted({r.role for r in results})
    for role in [*roles, "all"]:
        chosen = [r for r in results if role in ("all", r.role)]
        seconds = [s for r in chosen for s in r.seconds]
        errors = sum(len(r.errors) for r in chosen)
        median = percentile(seconds, 50) * 1000 if seconds else 0
        p95 = percentile(seconds, 95) * 1000 if seconds else 0
        lines.append(
            f"{role:<20} {len(chosen):>5} {len(seconds):>8} {median:>9.1f} {p95:>7.1f} {errors:>6}"
        )
    total = sum(len(r.seconds) for r in results)
    lines.append(f"{total} requests in {wall:.0f} s: {total / wall:.1f} requests/s")
    first_errors = [e for r in results for e in r.errors][:5]
    if first_errors:
        lines.append("first errors: " + "; ".join(first_errors))
    return "\n".join(lines)
