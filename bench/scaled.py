"""Scaled out: Celery workers and one beat beside the web processes, and what their logs
say about the tasks (standard library only; bench/run.py starts and stops them).

A task queued through the outbox has the id ``outbox-<message id>``; each worker logs
``Task <name>[<id>] received`` and ``... succeeded`` at INFO. Counted over every
worker's log, each outbox task must have succeeded exactly once: never twice (two
workers, or a redelivery, doing it again) and never not at all (lost).
"""

import re
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

TASK_LINE = re.compile(r"Task (\S+)\[(outbox-\d+)\] (received|succeeded)")


class Celery:
    """``celery -A overstone worker`` (or ``beat``) in the background, logging to a file."""

    def __init__(self, env: dict, cwd: Path, log: Path, *argv: str):
        self.log = log
        log.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "overstone", *argv, "--loglevel", "INFO",
             "--logfile", str(log)],
            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    @classmethod
    def worker(cls, env: dict, cwd: Path, folder: Path, name: str) -> "Celery":
        return cls(env, cwd, folder / f"{name}.log", "worker", "--hostname", f"{name}@%h",
                   "--pool", "threads", "--concurrency", "4")  # fmt: skip

    @classmethod
    def beat(cls, env: dict, cwd: Path, folder: Path) -> "Celery":
        return cls(env, cwd, folder / "beat.log", "beat", "--schedule",
                   str(folder / "celerybeat-schedule"))  # fmt: skip

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # a warm shutdown: finish, then stop
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class TaskCounts:
    tasks: int  # outbox messages
    succeeded_once: int
    succeeded_twice_or_more: int  # done twice
    never_succeeded: int  # lost, or not yet done
    received_twice_or_more: int  # delivered again (then skipped or done again)
    by_worker: dict[str, int]  # successes per worker log

    def __str__(self) -> str:
        workers = ", ".join(f"{name} {count}" for name, count in sorted(self.by_worker.items()))
        return (
            f"outbox tasks {self.tasks}: succeeded once {self.succeeded_once}, done twice or "
            f"more {self.succeeded_twice_or_more}, never done {self.never_succeeded}, "
            f"delivered twice or more {self.received_twice_or_more}; done by worker: {workers}"
        )


def task_counts(task_ids: list[str], logs: list[Path]) -> TaskCounts:
    received, succeeded, by_worker = Counter(), Counter(), Counter()
    for log in logs:
        text = log.read_text(errors="replace") if log.exists() else ""
        for _, task_id, event in TASK_LINE.findall(text):
            if event == "received":
                received[task_id] += 1
            else:
                succeeded[task_id] += 1
                by_worker[log.stem] += 1
    return TaskCounts(
        tasks=len(task_ids),
        succeeded_once=sum(1 for t in task_ids if succeeded[t] == 1),
        succeeded_twice_or_more=sum(1 for t in task_ids if succeeded[t] > 1),
        never_succeeded=sum(1 for t in task_ids if not succeeded[t]),
        received_twice_or_more=sum(1 for t in task_ids if received[t] > 1),
        by_worker=dict(by_worker),
    )
