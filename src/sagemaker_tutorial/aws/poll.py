"""How every wait for a SageMaker resource paces its status checks.

Training jobs, endpoints and notebook instances are all polled the same way, so
the pacing is decided here once, below both ``aws/`` and ``model/`` (a notebook
instance is ``aws/``'s, a training job ``model/``'s).
"""

from __future__ import annotations

import time


class Poll:
    """Waits between status checks: short at first (a local job ends within half a
    second, and a wait that overshoots it is time the user waits for nothing), longer
    as the job goes on (a real one takes minutes), never past the deadline."""

    def __init__(self, timeout: float, first: float = 0.02, longest: float = 15.0) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self._delay = first
        self._longest = longest

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def wait(self) -> bool:
        """Sleep before the next check; False once the deadline has passed."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(self._delay, left))
        self._delay = min(self._delay * 1.5, self._longest)
        return True
