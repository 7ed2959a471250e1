"""`cleanup --all-runs --older-than AGE`: what a scheduled sweeper may remove.

A sweeper runs unattended (daily, in CI) against an account where a live run may be
under way at that very moment: it must remove only what the project's tags mark
*and* what is older than any run can last, so it never pulls an endpoint from under
a run in progress. The age is AWS's own creation time of each resource (SageMaker's
``CreationTime``, S3's ``CreationDate``), not the run id's clock: a resource whose
creation time is not known is kept, and said so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cleanup import Leftover

_AGE = re.compile(r"^(\d+)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_UNIT_WORDS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def parse_age(text: str) -> dt.timedelta:
    """``30m``, ``12h``, ``2d``: an age (argparse type; a bad value is a usage error)."""
    match = _AGE.match(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not an age: a whole number and a unit, s, m, h or d (12h, 2d)"
        )
    return dt.timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2]])


def describe_age(age: dt.timedelta) -> str:
    """An age as a person says it: ``12 hours``, ``2 days``, ``90 seconds``."""
    seconds = int(age.total_seconds())
    for unit in ("d", "h", "m"):
        if seconds and seconds % _UNIT_SECONDS[unit] == 0:
            count = seconds // _UNIT_SECONDS[unit]
            return f"{count} {_UNIT_WORDS[unit]}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def older_than(
    leftovers: list[Leftover],
    age: dt.timedelta,
    say: Callable[[str], None],
    now: dt.datetime | None = None,
) -> list[Leftover]:
    """The leftovers created more than ``age`` ago; each one kept is named, with why."""
    moment = now or dt.datetime.now(dt.timezone.utc)
    chosen = []
    for item in leftovers:
        if item.created is None:
            say(f"Kept {item.describe()}: its creation time is unknown")
        elif moment - item.created <= age:
            say(f"Kept {item.describe()}: younger than {describe_age(age)}")
        else:
            chosen.append(item)
    return chosen
