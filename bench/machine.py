"""How fast this shared machine is right now, for reading a benchmark run beside another.

The same code on the same 2-core machine ran a quarter slower from one half hour to the next
(200,000 members from files to pairs: 186 s, then 253 s and 250 s). Each benchmark times two
fixed jobs before and after its rows, one for each kind of work the pipeline does: a float32
product (BLAS, both cores) and a sort with a Python key (the interpreter).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np


def speed_check() -> dict[str, float]:
    """Seconds of a fixed float32 product (20 products of 2,000 x 2,000) and of a fixed sort
    (2 million integers, five times, by a Python key).

    Examples
    --------
    >>> sorted(speed_check())
    ['product', 'sort']
    """
    square = np.random.default_rng(0).random((2000, 2000), dtype=np.float32)
    began = time.perf_counter()
    for _ in range(20):
        square @ square
    product = time.perf_counter() - began
    numbers = list(range(2_000_000))
    began = time.perf_counter()
    for _ in range(5):
        sorted(numbers, key=lambda n: -n)
    return {"product": product, "sort": time.perf_counter() - began}


def described(before: dict[str, Any], after: dict[str, Any]) -> str:
    """The two checks in a sentence.

    Examples
    --------
    >>> described({"product": 1.6, "sort": 0.9}, {"product": 2.0, "sort": 1.2})
    'Machine check (a fixed float32 product / a fixed Python sort): 1.60 / 0.90 s before, 2.00 / 1.20 s after.'
    """
    return (
        "Machine check (a fixed float32 product / a fixed Python sort): "
        f"{before['product']:.2f} / {before['sort']:.2f} s before, "
        f"{after['product']:.2f} / {after['sort']:.2f} s after."
    )
