"""mentoring.engine.memo: one value per object, however many threads ask at once."""

from __future__ import annotations

import gc
import threading
import time

from mentoring.engine.memo import PerObject


class _Cohort:
    pass


def test_threads_asking_at_once_get_one_value_built_once():
    kept: PerObject[_Cohort, list[int]] = PerObject()
    cohort, builds, got = _Cohort(), [], []
    start = threading.Barrier(8)

    def build() -> list[int]:
        builds.append(1)
        time.sleep(0.05)  # long enough for every other thread to arrive meanwhile
        return [len(builds)]

    def ask() -> None:
        start.wait()
        got.append(kept.get(cohort, build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == [1]
    assert len(got) == 8 and all(value is got[0] for value in got)


def test_a_value_goes_with_its_object_and_each_object_has_its_own():
    kept: PerObject[_Cohort, str] = PerObject()
    first, second = _Cohort(), _Cohort()
    assert kept.get(first, lambda: "first") == "first"
    assert kept.get(second, lambda: "second") == "second"
    del first
    gc.collect()
    assert len(kept._values) == 1
