"""The total score of a block as one sparse product, for the solver's many passes over pairs.

The total is a weighted mean of components, and a component with form criteria is itself a
weighted mean of parts; both weights depend on the mentee only. So the total is a sum of terms
``beta_t[i] * value_t[i, j]`` with a per-mentee coefficient ``beta_t``. Most values are
products of a mentee-side sparse matrix and a mentor-side dense one (shared tags), or gathers
from a table of distinct answers, which are the same product with one-hot rows. Folding each
``beta_t`` into its mentee rows and stacking every such term side by side turns the total into
*one* ``left[rows] @ right`` that accumulates in place: no block per component, no weighted
mean over blocks. The few terms that are not linear (free text's floor, availability, the
joint grid) are added one by one.

:func:`total_block` equals ``score_block(features, rows)["score"]`` up to rounding (the
per-component clip at 1 only ever removes rounding). Nothing here is cached beyond the life of
one :class:`mentoring.engine.scoring.Features`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp

from mentoring.engine.criteria import (
    Part,
    free_text_block,
    free_text_product,
    free_text_value,
    part_block,
)
from mentoring.engine.memo import PerObject
from mentoring.model.config import COMPONENTS

# ``Features`` (mentoring.engine.scoring) is read, not imported: scoring imports this module.
Features = Any

__all__ = [
    "Ahead",
    "Estimate",
    "TotalPlan",
    "estimate_block",
    "prepare_estimate",
    "total_block",
    "total_plan",
]

# Entries of the stacked mentor side (float64): 400 MB. A table of distinct answers with more
# rows than fit is gathered block by block instead.
_DENSE_BUDGET = 50_000_000


@dataclass(frozen=True, eq=False)
class _Other:
    """A term outside the product: ``beta`` per mentee times ``block(rows, cols)``, each value
    at most ``largest`` in size. A term whose block is ``finish(product(rows))``, with a dense
    product cheaper per row for many rows at once, gives both (see :func:`prepare_estimate`)."""

    beta: np.ndarray
    block: Callable[[np.ndarray, Any], np.ndarray]
    largest: float
    product: Callable[[np.ndarray], np.ndarray] | None = None
    finish: Callable[[np.ndarray], np.ndarray] | None = None


@dataclass(frozen=True, eq=False)
class TotalPlan:
    """The total score as ``left @ right`` plus the terms that are not linear.

    ``left`` is ``n_mentees x D`` (CSR, coefficients folded in), ``right`` is ``D x n_mentors``;
    ``others`` are the terms that are not linear; ``preference`` is the named-mentor
    component, sparse, coefficient folded in.
    """

    left: sp.csr_matrix
    right: np.ndarray
    others: tuple[_Other, ...]
    preference: sp.csr_matrix | None


_PLANS: PerObject[Features, TotalPlan] = PerObject()


def total_plan(features: Features) -> TotalPlan:
    """The plan of :func:`total_block` for these features, built once and kept with them.

    Examples
    --------
    >>> from mentoring.reading.synthetic import random_people
    >>> from mentoring.engine.scoring import build_features
    >>> from mentoring.model.config import MatchConfig
    >>> f = build_features(random_people(6, 3, seed=2), MatchConfig())
    >>> plan = total_plan(f)
    >>> plan.left.shape[0] == f.shape[0], plan.right.shape[1] == f.shape[1]
    (True, True)
    """
    return _PLANS.get(features, lambda: _build(features))


def total_block(features: Features, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
    """The total score of mentee ``rows`` against every mentor (or mentors ``cols``), before
    any rule.

    Parameters
    ----------
    features : Features
    rows : numpy.ndarray of int
        Mentee positions.
    cols : numpy.ndarray of int, optional
        Mentor positions; each value is the same as in the block of every mentor (the sums run
        in the same order).

    Returns
    -------
    numpy.ndarray
        float64, ``len(rows) x n_mentors`` (or ``len(cols)``), in [0, 1].

    Examples
    --------
    >>> from mentoring.reading.synthetic import random_people
    >>> from mentoring.engine.scoring import build_features, score_block
    >>> from mentoring.model.config import MatchConfig
    >>> f = build_features(random_people(30, 12, seed=4), MatchConfig())
    >>> rows = np.arange(30)
    >>> bool(np.allclose(total_block(f, rows), score_block(f, rows)["score"]))
    True
    >>> bool(np.array_equal(total_block(f, rows, np.array([5, 2])), total_block(f, rows)[:, [5, 2]]))
    True
    """
    plan = total_plan(features)
    rows = np.asarray(rows, dtype=np.int64)
    some: np.ndarray | slice = slice(None) if cols is None else np.asarray(cols, dtype=np.int64)
    width = features.shape[1] if cols is None else len(cols)
    if plan.right.shape[0]:
        if cols is None:
            right = plan.right
        else:
            # A few mentors' columns of the right side, read as rows of its mentor-major copy:
            # each a cache miss per term otherwise.
            right = np.ascontiguousarray(_mentor_major(features)[some].T)
        out = np.asarray(plan.left[rows] @ right, dtype=np.float64)
    else:
        out = np.zeros((rows.size, width))
    return _finish_total(plan, rows, some, out)


def _finish_total(
    plan: TotalPlan,
    rows: np.ndarray,
    some: np.ndarray | slice,
    out: np.ndarray,
    kept: list[np.ndarray | None] | None = None,
    made: tuple[np.ndarray | None, ...] = (),
) -> np.ndarray:
    """Add the terms outside the product and the named mentors to the product ``out`` of mentee
    ``rows`` and mentors ``some``, in place, and clip it to [0, 1]. ``kept`` receives each other
    term's block, coefficient applied (None for a term no row has); ``made`` holds, per other
    term, its product for these rows already made (None: make it here), which is overwritten."""
    for at, other in enumerate(plan.others):
        coefficient = other.beta[rows]
        if not coefficient.any():
            if kept is not None:
                kept.append(None)
            continue
        product = made[at] if at < len(made) else None
        if product is not None and other.finish is not None:
            value = other.finish(product)
        else:
            value = other.block(rows, some)
        # Free text stays float32 (mentoring.engine.criteria.free_text_block) up to the sum.
        value *= coefficient.astype(value.dtype)[:, None]
        out += value
        if kept is not None:
            kept.append(value)
    if plan.preference is not None:
        named = plan.preference[rows]
        named = (named if isinstance(some, slice) else named[:, some]).tocoo()
        np.add.at(out, (named.row, named.col), named.data.astype(out.dtype))
    np.clip(out, 0.0, 1.0, out=out)
    return out


@dataclass(frozen=True, eq=False)
class _Estimate:
    """The product of :class:`TotalPlan` in float32 (its right side cut into tiles of
    consecutive mentors), per mentee a bound on how far the float32 total can be from
    :func:`total_block`'s."""

    left: sp.csr_matrix
    tiles: tuple[np.ndarray, ...]
    error: np.ndarray

    def product(self, rows: np.ndarray, width: int) -> np.ndarray:
        """``left[rows] @ right`` in float32, tile by tile.

        Each pair's terms are summed in the same order whatever the tile, so the cells are those
        of one product. A row of the sparse side reads one row of the right side per term: a
        whole row of a wide cohort's right side left the cache before the block's next row asked
        for it again; a tile's rows stay. With 75,800 mentors, tiles of 8,192 mentors took the
        whole first pass from 86-88 s to 80-89 s (median 87.2 -> 84.7, three runs each).
        """
        if not self.tiles:
            return np.zeros((rows.size, width), dtype=np.float32)
        left = self.left[rows]
        if len(self.tiles) == 1:
            return np.asarray(left @ self.tiles[0], dtype=np.float32)
        out = np.empty((rows.size, width), dtype=np.float32)
        start = 0
        for tile in self.tiles:
            out[:, start : start + tile.shape[1]] = left @ tile
            start += tile.shape[1]
        return out


_ESTIMATES: PerObject[Features, _Estimate] = PerObject()
_MENTOR_MAJOR: PerObject[Features, np.ndarray] = PerObject()


def _mentor_major(features: Features) -> np.ndarray:
    """The plan's right side mentor by mentor: row j is column j of ``right``."""
    return _MENTOR_MAJOR.get(features, lambda: np.ascontiguousarray(total_plan(features).right.T))


# float32's unit roundoff, doubled for the float64 sums it is compared with and for margin.
_ROUNDOFF = 2.0**-23

# Mentors per tile of the estimate's right side, about (see _Estimate.product).
_TILE_MENTORS = 8192


def _estimate_plan(features: Features) -> _Estimate:
    return _ESTIMATES.get(features, lambda: _build_estimate(total_plan(features)))


def _build_estimate(plan: TotalPlan) -> _Estimate:
    """The float32 plan and its error bound.

    A sum of t rounded terms is off by at most about t roundoffs times the sum of the terms'
    sizes (each term's two factors rounded to float32 adds two more), and every later addition
    (the other terms, named mentors) one roundoff of the running size; clipping to [0, 1] never
    widens a gap. The bound counts each mentee's terms and sizes.
    """
    left = plan.left
    if plan.right.shape[0]:
        largest = np.abs(plan.right).max(axis=1)
        size = np.asarray(abs(left) @ largest, dtype=np.float64).ravel()
    else:
        size = np.zeros(left.shape[0])
    terms = np.diff(left.indptr).astype(np.float64) + 3.0
    for other in plan.others:
        size = size + np.abs(other.beta) * other.largest
        terms += 1.0
    if plan.preference is not None:
        size = size + np.asarray(abs(plan.preference).sum(axis=1), dtype=np.float64).ravel()
        terms += np.diff(plan.preference.indptr)
    width = plan.right.shape[1] if plan.right.shape[0] else 0
    # Tiles of equal width: a narrow last tile, and the copy of each tile into the block, cost
    # more than they save (10,000 mentors in one tile: 1.45 ns a pair on two threads, against
    # 1.92 in tiles of 8,192 and 1,808).
    edges = np.linspace(0, width, max(1, round(width / _TILE_MENTORS)) + 1).round().astype(int)
    tiles = tuple(
        np.ascontiguousarray(plan.right[:, start:end], dtype=np.float32)
        for start, end in zip(edges[:-1], edges[1:], strict=True)
        if end > start
    )
    return _Estimate(left.astype(np.float32), tiles, _ROUNDOFF * terms * size)


@dataclass(frozen=True, eq=False)
class Estimate:
    """A block of :func:`estimate_block`: ``block`` (float32, mentee ``rows`` against every
    mentor), per row a bound on how far each cell is from :func:`total_block`'s (``error``), and
    the terms outside the product as the block computed them, so that :meth:`exact` scores the
    block's pairs as :func:`total_block` does."""

    features: Any
    rows: np.ndarray
    block: np.ndarray
    error: np.ndarray
    others: tuple[np.ndarray | None, ...]

    def exact(self, local: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The exact totals of the pairs (``rows[local]``, ``cols``), float64: each pair's terms
        summed in the order the block sums them, so each equals its cell of
        :func:`total_block`."""
        local = np.asarray(local, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        plan = total_plan(self.features)
        left = plan.left[self.rows[local]].tocoo()
        # Mentor-major, each pair's terms lie side by side instead of a row of the product apart;
        # one flat gather costs half of a gather by (mentor, term).
        by_mentor = _mentor_major(self.features)
        at = cols[left.row] * by_mentor.shape[1]
        at += left.col
        values = left.data * by_mentor.reshape(-1).take(at)
        out = np.bincount(left.row, weights=values, minlength=local.size).astype(np.float64)
        for value in self.others:
            if value is not None:
                out += value[local, cols]
        if plan.preference is not None:
            out += np.asarray(plan.preference[self.rows[local], cols], dtype=np.float64).ravel()
        np.clip(out, 0.0, 1.0, out=out)
        return out


@dataclass(frozen=True, eq=False)
class Ahead:
    """What :func:`prepare_estimate` made for a run of mentee ``rows``: per term outside the
    product, its dense product for all of them (None for a term made block by block)."""

    rows: np.ndarray
    products: tuple[np.ndarray | None, ...]

    def slices(self, rows: np.ndarray) -> tuple[np.ndarray | None, ...]:
        """Each product's rows for ``rows``, a run of consecutive rows among ``self.rows``."""
        first = int(np.searchsorted(self.rows, rows[0])) if rows.size else 0
        inside = self.rows[first : first + rows.size]
        if not np.array_equal(inside, rows):
            raise ValueError("expected rows to be a run of the rows the estimate was prepared for")
        return tuple(
            None if product is None else product[first : first + rows.size]
            for product in self.products
        )


def prepare_estimate(features: Features, rows: np.ndarray) -> Ahead:
    """The dense products of :func:`estimate_block` for a run of ``rows`` (sorted), made at once.

    A product with free text's embeddings reads every mentor's embedding however few its rows:
    with 75,800 mentors and 256 dimensions, 52 rows at once cost 8.9 ns a pair and 208 rows 5.8
    (one thread). Blocks small enough to stay in the cache, as the first pass wants them, then
    take their slice of it: ``estimate_block(features, block, ahead)``.

    Examples
    --------
    >>> from mentoring.reading.synthetic import random_people
    >>> from mentoring.engine.scoring import build_features
    >>> from mentoring.model.config import MatchConfig
    >>> from mentoring.model.questions import Criterion
    >>> people = random_people(30, 12, seed=4)
    >>> people["q:hope"] = ["grants", "rare books", "", "storytime", "outreach", "data"] * 7
    >>> config = MatchConfig(criteria=(Criterion("hope", "free_text", "q:hope", "q:hope"),))
    >>> f = build_features(people, config)
    >>> ahead = prepare_estimate(f, np.arange(10, 30))
    >>> block = np.arange(14, 22)
    >>> bool(np.array_equal(estimate_block(f, block, ahead).block, estimate_block(f, block).block))
    True
    """
    rows = np.asarray(rows, dtype=np.int64)
    products = tuple(
        other.product(rows) if other.product is not None and other.beta[rows].any() else None
        for other in total_plan(features).others
    )
    return Ahead(rows, products)


def estimate_block(features: Features, rows: np.ndarray, ahead: Ahead | None = None) -> Estimate:
    """:func:`total_block` of ``rows`` against every mentor in float32, with a bound per row on
    how far each cell can be from :func:`total_block`'s and the exact totals of its pairs.

    Half the memory traffic of every pass over the block: the solver's first pass only ranks
    the cells, and reads the exact total of the few pairs it keeps (:meth:`Estimate.exact`).
    With ``ahead`` (:func:`prepare_estimate` of a run of rows holding ``rows``), its products
    are used, and overwritten, instead of made again.

    Examples
    --------
    >>> from mentoring.reading.synthetic import random_people
    >>> from mentoring.engine.scoring import build_features, MatchConfig
    >>> f, rows = build_features(random_people(30, 12, seed=4), MatchConfig()), np.arange(30)
    >>> found, exact = estimate_block(f, rows), total_block(f, rows)
    >>> found.block.dtype.name, bool(np.all(np.abs(found.block - exact) <= found.error[:, None]))
    ('float32', True)
    >>> bool(np.array_equal(found.exact(np.array([0, 7]), np.array([3, 11])), exact[[0, 7], [3, 11]]))
    True
    """
    plan = total_plan(features)
    estimate = _estimate_plan(features)
    rows = np.asarray(rows, dtype=np.int64)
    out = estimate.product(rows, features.shape[1])
    kept: list[np.ndarray | None] = []
    made = () if ahead is None else ahead.slices(rows)
    block = _finish_total(plan, rows, slice(None), out, kept, made)
    return Estimate(features, rows, block, estimate.error[rows], tuple(kept))


def _coefficients(f: Features) -> dict[str, np.ndarray]:
    """Per component, each mentee's share of the total (as ``total_from_components`` weighs)."""
    used = {}
    for name, weight in f.weights.items():
        if weight > 0 and name in COMPONENTS:
            share = f.present[name].astype(float) * weight
            if share.any():
                used[name] = share
    denominator = sum(used.values(), np.zeros(f.shape[0]))
    safe = np.where(denominator > 0, denominator, 1.0)
    return {name: share / safe for name, share in used.items()}


def _terms(f: Features, name: str, alpha: np.ndarray) -> list[tuple[np.ndarray, str | Part]]:
    """(coefficient, term) for a component: its fixed part and its criteria's parts."""
    parts = [p for p in f.criteria if p.criterion.component == name]
    if not parts:
        return [(alpha, name)]
    assert f.base_present is not None
    base = f.base_present[name].astype(float)
    terms: list[tuple[np.ndarray, str | Part]] = [(base, name)] if base.any() else []
    denominator = base.copy()
    for part in parts:
        w = part.present * part.criterion.weight
        if w.any():
            terms.append((w, part))
            denominator = denominator + w
    safe = np.where(denominator > 0, denominator, 1.0)
    return [(alpha * w / safe, term) for w, term in terms]


def _one_hot(codes: np.ndarray, size: int) -> sp.csr_matrix:
    known = codes >= 0
    return sp.csr_matrix(
        (np.ones(int(known.sum())), (np.flatnonzero(known), codes[known])),
        shape=(codes.size, size),
    )


@dataclass(frozen=True, eq=False)
class _Linear:
    """A term as ``left @ right``; ``block(rows, cols)`` computes the same values without
    ``right``, each at most ``largest`` in size."""

    left: sp.csr_matrix
    right_rows: int
    right: Callable[[], np.ndarray]
    block: Callable[[np.ndarray, Any], np.ndarray]
    largest: float


def _largest(values: np.ndarray) -> float:
    return float(np.abs(values).max(initial=0.0))


def _largest_row_sum(matrix: sp.csr_matrix) -> float:
    sums = np.asarray(abs(matrix).sum(axis=1)).ravel()
    return float(sums.max(initial=0.0))


def _product_term(left: sp.csr_matrix, right: np.ndarray) -> _Linear:
    left = sp.csr_matrix(left)
    return _Linear(
        left,
        right.shape[0],
        lambda: np.asarray(right, dtype=np.float64),
        lambda rows, cols: np.asarray(left[rows] @ right[:, cols], dtype=np.float64),
        _largest_row_sum(left) * _largest(right),
    )


def _table_term(code_e: np.ndarray, code_r: np.ndarray, table: np.ndarray) -> _Linear:
    table = np.asarray(table, dtype=np.float64)
    return _Linear(
        _one_hot(code_e, table.shape[0]),
        table.shape[0],
        lambda: table[:, code_r],
        lambda rows, cols: table[np.ix_(code_e[rows], code_r[cols])],
        _largest(table),
    )


def _fixed_linear(f: Features, name: str) -> _Linear | None:
    """A fixed component as a linear term, or None for preference."""
    shares = {
        "goals": f.seeks_count_e,
        "community": f.community_parts_e,
        "diversity": f.identity_pref_count_e,
    }
    products = {
        "interests": (f.interests_e, f.interests_r_t),
        "goals": (f.seeks_e, f.offers_r_t),
        "community": (f.community_e, f.community_r_t),
        "diversity": (f.identity_pref_e, f.identities_r_t),
    }
    if name in products:
        left, right = products[name]
        if name in shares:
            left = sp.diags(1.0 / np.maximum(shares[name], 1.0)) @ left
        return _product_term(left, right)
    if name in ("logistics", "experience"):
        return _table_term(*(f.logistics_codes if name == "logistics" else f.experience_codes))
    return None


def _part_linear(part: Part) -> _Linear | None:
    """A criterion's part as a linear term, or None when its value is not linear."""
    if part.mode == "equal":
        # Blank (-1) on either side never matches: it indexes the last, all-zero, code.
        size = int(max(part.code_e.max(initial=-1), part.code_r.max(initial=-1))) + 1
        same = np.eye(size + 1)
        same[size, size] = 0.0
        blank = size
        return _table_term(
            np.where(part.code_e < 0, blank, part.code_e),
            np.where(part.code_r < 0, blank, part.code_r),
            same,
        )
    if part.mode == "lookup":
        return _table_term(part.code_e, part.code_r, part.table)
    linear = part.mode == "product" and part.criterion.kind not in ("free_text", "availability")
    if linear and sp.issparse(part.left):
        return _product_term(part.left, part.right_t)
    return None


def _build(f: Features) -> TotalPlan:
    n, m = f.shape
    lefts: list[sp.csr_matrix] = []
    rights: list[np.ndarray] = []
    others: list[_Other] = []
    preference = None
    budget = _DENSE_BUDGET
    for name, alpha in _coefficients(f).items():
        for beta, term in _terms(f, name, alpha):
            if isinstance(term, str) and term == "preference":
                preference = sp.csr_matrix(sp.diags(beta) @ f.preference)
                continue
            linear = _fixed_linear(f, term) if isinstance(term, str) else _part_linear(term)
            if linear is None:
                assert isinstance(term, Part)
                if term.criterion.kind == "free_text":
                    others.append(
                        _Other(
                            beta,
                            partial(free_text_block, term),
                            1.0,
                            partial(free_text_product, term),
                            partial(free_text_value, term),
                        )
                    )
                else:
                    others.append(_Other(beta, partial(part_block, term), 1.0))
            elif linear.right_rows * m <= budget:
                budget -= linear.right_rows * m
                lefts.append(sp.csr_matrix(sp.diags(beta) @ linear.left))
                rights.append(linear.right())
            else:
                others.append(_Other(beta, linear.block, linear.largest))
    left = sp.hstack(lefts, format="csr") if lefts else sp.csr_matrix((n, 0))
    # A row's terms are summed in the order of its indices, and the stack leaves them unsorted:
    # scipy sorts them in place the first time some operation wants them sorted, after which
    # the same pair summed differently (a last-bit difference between the estimate's exact
    # totals and total_block's). Sorted from the start, every product sums them in one order.
    left.sort_indices()
    right = np.ascontiguousarray(np.vstack(rights)) if rights else np.zeros((0, m))
    return TotalPlan(left, right, tuple(others), preference)
