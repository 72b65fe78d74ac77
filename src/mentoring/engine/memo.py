"""A value kept per object (a cohort's features, a criterion's part), built once however many
scoring threads ask for it at the same moment, and dropped with the object."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["PerObject"]

Key = TypeVar("Key")
Value = TypeVar("Value")


class PerObject(Generic[Key, Value]):
    """Values by object identity, each built once.

    A value already built is read without the lock: the two scoring threads ask for it on
    every block, and a lock held by a thread the interpreter just paused kept the other
    waiting for a whole switch interval.

    Examples
    --------
    >>> class Cohort:
    ...     pass
    >>> built, cohort = [], Cohort()
    >>> plans = PerObject()
    >>> plans.get(cohort, lambda: built.append(1) or "plan"), plans.get(cohort, lambda: "again")
    ('plan', 'plan')
    >>> built
    [1]
    """

    def __init__(self) -> None:
        self._values: weakref.WeakKeyDictionary[Key, Value] = weakref.WeakKeyDictionary()
        self._building = threading.Lock()

    def get(self, key: Key, build: Callable[[], Value]) -> Value:
        """The value kept for ``key``, built by ``build()`` the first time."""
        found = self._values.get(key)
        if found is None:
            with self._building:
                found = self._values.get(key)
                if found is None:
                    found = self._values[key] = build()
        return found
