"""What the layer's training and batch transform jobs share: each runs in a thread of
its own, can be held before it starts (for tests that must catch it running), and is
cancelled when the server resets or stops. One place for it, so the two kinds of job
cannot drift apart in how a reset or a shutdown ends them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

# A job's FailureReason when the layer itself broke (logged), for either kind of job.
INTERNAL_FAILURE = "InternalServerError: We encountered an internal error.  Please try again."


class ThreadedJob(Protocol):
    """A job record the registry can start, cancel and wait for."""

    arn: str
    name: str
    cancelled: bool
    thread: threading.Thread | None


Job = TypeVar("Job", bound=ThreadedJob)


class JobThreads(Generic[Job]):
    """The jobs by ARN, under one lock (a Condition: job threads wait on it)."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._jobs: dict[str, Job] = {}
        self._held = False

    def _launch(self, job: Job, run: Callable[[Job], None], kind: str) -> None:
        """Record ``job`` and start ``run(job)`` in a thread named after it."""
        job.thread = threading.Thread(
            target=run, args=(job,), name=f"{kind}-{job.name}", daemon=True
        )
        with self._lock:
            self._jobs[job.arn] = job
        job.thread.start()

    def knows(self, arn: str) -> bool:
        with self._lock:
            return arn in self._jobs

    @property
    def held(self) -> bool:
        """Whether new jobs are being kept from starting."""
        with self._lock:
            return self._held

    def hold(self, held: bool) -> None:
        """Keep new and waiting jobs from starting (True) or let them run (False)."""
        with self._lock:
            self._held = held
            self._lock.notify_all()

    def reset(self) -> None:
        """Forget every job; running threads end without writing anything."""
        with self._lock:
            for job in self._jobs.values():
                job.cancelled = True
            self._jobs.clear()
            self._held = False
            self._lock.notify_all()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Cancel every job and wait (at most ``timeout`` in all) for their threads."""
        with self._lock:
            threads = [job.thread for job in self._jobs.values() if job.thread is not None]
        self.reset()
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
