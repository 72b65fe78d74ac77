"""Store workload run in a subprocess by tests/test_store_faults.py.

``decide DB PROGRAM WORKER N``: N unconditional changes of one shared pair, N decisions on pairs
of this worker's own, and N/2 optimistic increments of a second shared pair (retrying on
conflict); prints one JSON summary line.

``kill DB PROGRAM TAG``: waits for a line on stdin, then decides new pairs forever, printing ``ack <mentee_id>`` after each call
returned, with a run saved every few decisions so that large transactions are interrupted too.
"""

from __future__ import annotations

import json
import sys

import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.store.db import Store
from mentoring.store.records import STATUSES, DecisionConflictError


def increment(store: Store, program_id: int, worker: int) -> int:
    """Raise the counter pair's version by one the optimistic way; returns conflicts met."""
    conflicts = 0
    while True:
        seen = store.get_decision(program_id, "counter-e", "counter-m")
        try:
            store.set_decision(
                program_id, "counter-e", "counter-m", "approved",
                expected_version=seen.version, by=f"w{worker}",
            )  # fmt: skip
            return conflicts
        except DecisionConflictError:
            conflicts += 1


def decide(store: Store, program_id: int, worker: int, n: int) -> None:
    conflicts = 0
    for i in range(n):
        store.set_decision(program_id, "shared-e", "shared-m", STATUSES[i % 4], by=f"w{worker}")
        store.set_decision(program_id, f"w{worker}-e{i}", "m1", "approved", by=f"w{worker}")
        if i % 2 == 0:
            conflicts += increment(store, program_id, worker)
    print(json.dumps({"worker": worker, "conflicts": conflicts}), flush=True)


def keep_writing(store: Store, program_id: int, tag: str) -> None:
    pairs = pd.DataFrame(
        {
            "mentee_id": [f"e{i}" for i in range(400)],
            "mentor_id": [f"m{i % 50}" for i in range(400)],
            "reasons": [("shared: " + "x" * 40,)] * 400,
        }
    )
    unmatched = pd.DataFrame({"member_id": ["u1"], "reason": ["no mentor"]})
    # Started ahead of its turn so that its imports overlap other rounds; wait for "go".
    sys.stdin.readline()
    i = 0
    while True:
        i += 1
        mentee = f"{tag}-{i}"
        store.set_decision(program_id, mentee, "m1", "approved")
        print(f"ack {mentee}", flush=True)
        if i % 5 == 0:
            run = store.save_run(program_id, pairs, unmatched, {"i": i}, MatchConfig())
            print(f"run {run.id}", flush=True)


def main(argv: list[str]) -> None:
    mode, path, program_id = argv[0], argv[1], int(argv[2])
    store = Store(path)
    if mode == "decide":
        decide(store, program_id, int(argv[3]), int(argv[4]))
    else:
        keep_writing(store, program_id, argv[3])


if __name__ == "__main__":
    main(sys.argv[1:])
