"""What a destructive action on a program will do, in one sentence the coordinator confirms.

Each function reads the store and names exactly what the action removes or replaces, so the
confirmation box never says less than the action does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mentoring.store.db import Store

__all__ = ["deletion_summary", "removal_summary", "replacement_summary"]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def removal_summary(store: Store, program_id: int, member_id: str) -> str:
    """What removing one member everywhere will do.

    Parameters
    ----------
    store : mentoring.store.db.Store
    program_id : int
    member_id : str

    Returns
    -------
    str

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from mentoring.store.db import Store
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> program = store.create_program("A")
    >>> store.save_members(program.id, pd.DataFrame({"member_id": ["e1"], "name": ["Eve"]}))
    >>> text = removal_summary(store, program.id, "e1")
    >>> text.startswith("This removes Eve (e1) from the members, from 0 runs and from 0 decisions")
    True
    >>> "misspellings of their name included" in text
    True
    """
    people = store.load_members(program_id)[0]
    names = dict(zip(people["member_id"].astype(str), people["name"].astype(str), strict=True))
    runs = 0
    for run_id in store.list_runs(program_id)["run_id"]:
        run = store.get_run(program_id, int(run_id))
        ids = set(run.pairs.get("mentee_id", [])) | set(run.pairs.get("mentor_id", []))
        runs += int(member_id in ids or member_id in set(run.unmatched.get("member_id", [])))
    decisions = store.decisions(program_id)
    involved = (decisions["mentee_id"] == member_id) | (decisions["mentor_id"] == member_id)
    decided = int(involved.sum())
    return (
        f"This removes {names.get(member_id, member_id)} ({member_id}) from the members, from "
        f"{_n(runs, 'run')} and from {_n(decided, 'decision')}, with every mention of them in "
        "other members' answers and in the problems found while reading the files "
        "(misspellings of their name included), and cannot be undone."
    )


def deletion_summary(store: Store, program_id: int) -> str:
    """What deleting a whole program will do.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store.db import Store
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> deletion_summary(store, store.create_program("Spring").id)
    'This deletes \u201cSpring\u201d with its 0 members, 0 runs and 0 decisions, and cannot be undone.'
    """
    program = store.get_program(program_id)
    members = len(store.load_members(program_id)[0])
    runs = len(store.list_runs(program_id))
    decisions = len(store.decisions(program_id))
    return (
        f"This deletes \u201c{program.name}\u201d with its {_n(members, 'member')}, "
        f"{_n(runs, 'run')} and {_n(decisions, 'decision')}, and cannot be undone."
    )


def replacement_summary(store: Store, program_id: int, what: str) -> str:
    """What loading new members over the existing ones will do; ``""`` when there are none.

    Parameters
    ----------
    store : mentoring.store.db.Store
    program_id : int
    what : str
        What replaces them ("the sample cohort", "the 2 files above").

    Returns
    -------
    str

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mentoring.store.db import Store
    >>> store = Store(Path(tempfile.mkdtemp()) / "m.sqlite3")
    >>> replacement_summary(store, store.create_program("A").id, "the sample cohort")
    ''
    """
    members = len(store.load_members(program_id)[0])
    if not members:
        return ""
    program = store.get_program(program_id)
    runs = len(store.list_runs(program_id))
    text = f"This replaces the {_n(members, 'member')} of \u201c{program.name}\u201d with {what}."
    if runs:
        text += (
            f" Its {_n(runs, 'run')} and your decisions stay in the history, marked out of "
            "date until you press Re-solve."
        )
    return text
