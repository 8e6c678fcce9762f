"""Retention periods: every kind of record registers how it is purged once its time is up.

`manage.py purge_expired` (enqueued daily by `manage.py scheduler`) calls every purger.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Purger:
    name: str
    description: str
    purge: Callable[[], int]


_purgers: dict[str, Purger] = {}


def register_purger(*, name: str, description: str) -> Callable:
    """Decorate a function returning the number of records it deleted."""

    def decorator(func: Callable[[], int]) -> Callable[[], int]:
        _purgers[name] = Purger(name=name, description=description, purge=func)
        return func

    return decorator


def purgers() -> list[Purger]:
    return sorted(_purgers.values(), key=lambda p: p.name)
