"""Independent checks of an assignment: at matrix level and at the level of named pairs.

The audit never trusts the code that produced an answer: :func:`audit_assignment` re-reads the
score matrix and capacities, and :func:`audit_result` recomputes every rule from the people table
and the configuration alone (it deliberately imports neither ``rules`` nor ``scoring``).

>>> import numpy as np
>>> audit_assignment(np.array([[1.0, np.nan]]), [1, 1], np.array([1])).ok
False
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from mentoring.model import AuditReport

__all__ = ["audit_assignment"]


def audit_assignment(
    scores: Any,
    capacity: Any,
    assignment: Any,
    *,
    forbidden_ok: bool = False,
) -> AuditReport:
    """Check a column-per-row assignment against its score matrix and capacities.

    Parameters
    ----------
    scores : array_like or scipy sparse matrix/array, shape (n_rows, n_cols)
        Dense: ``NaN``/``-inf`` forbidden. Sparse: a missing entry forbidden.
    capacity : array_like of int, shape (n_cols,), or None
        Places per column (None: 1 each).
    assignment : array_like of int, shape (n_rows,)
        Column per row, -1 for unassigned.
    forbidden_ok : bool
        Do not report forbidden pairs (for assignments made on other scores).

    Returns
    -------
    mentoring.model.AuditReport
        ``ok`` when every row has at most one valid column, no column is over capacity and no
        forbidden pair is used; ``problems`` lists each failure as a sentence.

    Examples
    --------
    >>> import numpy as np
    >>> report = audit_assignment(np.ones((3, 1)), [2], np.array([0, 0, 0]))
    >>> report.ok, report.problems
    (False, ('column 0 has 3 rows assigned but capacity 2',))
    """
    if sp.issparse(scores):
        csr = sp.csr_array(scores)
        n, m = csr.shape
    else:
        arr = np.asarray(scores, dtype=np.float64)
        if arr.ndim != 2:
            raise ValueError(f"expected a 2-D score matrix, got an array of shape {arr.shape}")
        n, m = arr.shape
    cap = np.ones(m, dtype=np.int64) if capacity is None else np.asarray(capacity)
    a = np.asarray(assignment)
    problems: list[str] = []
    checked = ["shape", "one column per row", "capacity"]
    if a.ndim != 1 or a.shape[0] != n:
        return AuditReport(
            ok=False,
            problems=(f"expected an assignment of {n} rows, got shape {a.shape}",),
            checked=("shape",),
        )
    if cap.shape != (m,):
        return AuditReport(
            ok=False,
            problems=(f"expected {m} capacities, got shape {cap.shape}",),
            checked=("shape",),
        )
    if not np.issubdtype(a.dtype, np.integer):
        problems.append(f"expected integer column indices, got dtype {a.dtype}")
        return AuditReport(ok=False, problems=tuple(problems), checked=("shape",))
    bad = np.flatnonzero((a < -1) | (a >= m))
    for i in bad[:20].tolist():
        problems.append(f"row {i} is assigned to column {int(a[i])}, which does not exist")
    valid = np.flatnonzero((a >= 0) & (a < m))
    load = np.bincount(a[valid], minlength=m)
    for j in np.flatnonzero(load > cap)[:20].tolist():
        problems.append(f"column {j} has {int(load[j])} rows assigned but capacity {int(cap[j])}")
    if not forbidden_ok:
        checked.append("no forbidden pair")
        if sp.issparse(scores):
            coo = sp.coo_array(csr)
            coo.sum_duplicates()
            stored = coo.row.astype(np.int64) * m + coo.col.astype(np.int64)
            order = np.argsort(stored, kind="stable")
            stored = stored[order]
            query = valid.astype(np.int64) * m + a[valid].astype(np.int64)
            if stored.size:
                pos = np.minimum(np.searchsorted(stored, query), stored.size - 1)
                present = stored[pos] == query
                values = np.asarray(coo.data, dtype=np.float64)[order][pos]
            else:
                present = np.zeros(query.size, dtype=bool)
                values = np.zeros(query.size)
            forbidden = ~present | np.isnan(values) | (values == -np.inf)
        else:
            values = arr[valid, a[valid]]
            forbidden = np.isnan(values) | (values == -np.inf)
        for i in valid[forbidden][:20].tolist():
            problems.append(f"row {i} is assigned to column {int(a[i])}, a forbidden pair")
    return AuditReport(ok=not problems, problems=tuple(problems), checked=tuple(checked))
