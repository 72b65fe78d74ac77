"""Peer-to-peer matching and peer circles.

Members open to peer mentoring are scored against each other both ways (each as mentee of the
other, on a copy of the table where everyone has role ``both``), and a pair's peer score is the
mean of the two directions; a pair the rules forbid either way is forbidden.
:func:`peer_pairs` matches peers one to one (a maximum-weight matching on a general, not
bipartite, graph). :func:`form_circles` forms circles of a chosen size with shared interests and,
optionally, a mix of some field (such as library type), and reports how good they are against
an upper bound on the best possible.

Circle quality is the mean, over placed members, of each member's mean peer score with the
others in their circle (a forbidden pair inside a circle counts 0). The bound: a member in a
circle of ``s >= min_size`` has ``s - 1`` circle-mates, whose mean score cannot exceed the mean of
that member's ``min_size - 1`` best scores with anyone; the mean of these per-member ceilings
over the best-placed members bounds any circle arrangement.

>>> w = np.array([[0, .9, .1, .2], [.9, 0, .2, .1], [.1, .2, 0, .8], [.2, .1, .8, 0]])
>>> labels, quality, bound = circles_from_scores(w, min_size=2, max_size=2)
>>> labels.tolist(), round(quality, 2), round(bound, 2)
([0, 0, 1, 1], 0.85, 0.85)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from mentoring.model.config import MatchConfig

__all__ = [
    "CirclesResult",
    "circle_bound",
    "circles_from_scores",
    "form_circles",
    "peer_pairs",
    "peer_scores",
]

# Integer weights keep networkx's blossom algorithm exact (its docs warn about floats).
_SCALE = 1_000_000


# A forbidden pair inside a circle costs more than any gain in score can repay.
_FORBIDDEN_PENALTY = 10.0


_GAIN = 1e-12


def peer_scores(people: pd.DataFrame, config: MatchConfig) -> tuple[tuple[str, ...], np.ndarray]:
    """Symmetric peer scores among members open to peer mentoring.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table; members with ``open_to_peer`` True take part.
    config : MatchConfig
        Weights and rules (locked pairs and goals do not apply between peers).

    Returns
    -------
    ids : tuple of str
        Member ids, in people-table order.
    scores : numpy.ndarray
        ``len(ids) x len(ids)``, symmetric: the mean of the two directions, ``-inf`` where a
        rule forbids either direction and on the diagonal.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["a", "b"], "name": ["A", "B"], "role": ["mentee", "mentor"],
    ...     "interests": [("archives",), ("archives",)], "open_to_peer": [True, True]})],
    ...     ignore_index=True)
    >>> ids, w = peer_scores(people, MatchConfig())
    >>> ids, bool(w[0, 1] == w[1, 0]), bool(np.isinf(w[0, 0]))
    (('a', 'b'), True, True)
    """
    from mentoring.engine.cohort import score_people

    peers = people.loc[people["open_to_peer"].fillna(False).astype(bool)].copy()
    peers["role"] = "both"
    ids = tuple(str(m) for m in peers["member_id"])
    if len(ids) < 2:
        return ids, np.full((len(ids), len(ids)), -np.inf)
    cohort = score_people(
        peers.reset_index(drop=True), config.with_(locked_pairs=(), goals=(), objective="coverage")
    )
    rows = [cohort.mentee_ids.index(m) for m in ids]
    cols = [cohort.mentor_ids.index(m) for m in ids]
    s = np.asarray(cohort.scores, dtype=np.float64)[np.ix_(rows, cols)]
    w = np.where(np.isfinite(s) & np.isfinite(s.T), (s + s.T) / 2.0, -np.inf)
    np.fill_diagonal(w, -np.inf)
    return ids, w


def _names(people: pd.DataFrame) -> dict[str, str]:
    return dict(zip(people["member_id"].astype(str), people["name"].astype(str), strict=True))


def peer_pairs(people: pd.DataFrame, config: MatchConfig) -> pd.DataFrame:
    """Match members open to peer mentoring with each other, one partner each.

    As many peers as possible are paired (the coverage promise), then the total peer score is
    as high as possible; with ``config.objective == "quality"`` only the total counts. Exact:
    networkx's blossom algorithm on integer weights (scores times 10^6, rounded).

    Parameters
    ----------
    people : pandas.DataFrame
        The people table.
    config : MatchConfig
        Weights and rules.

    Returns
    -------
    pandas.DataFrame
        Columns member_id, name, partner_id, partner_name, score; one row per pair, the lower
        id first, sorted by member_id.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["a", "b", "c"], "name": ["A", "B", "C"], "role": ["mentee"] * 3,
    ...     "interests": [("archives",), ("archives",), ("outreach",)],
    ...     "open_to_peer": [True, True, True]})], ignore_index=True)
    >>> peer_pairs(people, MatchConfig())[["member_id", "partner_id"]].values.tolist()
    [['a', 'b']]
    """
    ids, w = peer_scores(people, config)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(ids)))
    for a, b in zip(*np.nonzero(np.triu(np.isfinite(w), 1)), strict=True):
        graph.add_edge(int(a), int(b), weight=int(round(w[a, b] * _SCALE)))
    matching = nx.max_weight_matching(
        graph, maxcardinality=config.objective != "quality", weight="weight"
    )
    names = _names(people)
    rows = []
    for a, b in matching:
        a, b = sorted((a, b), key=lambda k: ids[k])
        rows.append(
            {
                "member_id": ids[a],
                "name": names.get(ids[a], ids[a]),
                "partner_id": ids[b],
                "partner_name": names.get(ids[b], ids[b]),
                "score": float(w[a, b]),
            }
        )
    frame = pd.DataFrame(rows, columns=["member_id", "name", "partner_id", "partner_name", "score"])
    return frame.sort_values("member_id", ignore_index=True)


def _member_ceilings(values: np.ndarray, min_size: int) -> np.ndarray:
    n = values.shape[0]
    if n < 2:
        return np.zeros(n)
    others = np.where(np.eye(n, dtype=bool), -np.inf, values)
    k = min(min_size - 1, n - 1)
    top = -np.sort(-others, axis=1)[:, :k]
    return top.mean(axis=1)


def circle_bound(scores: Any, min_size: int, n_placed: int | None = None) -> float:
    """An upper bound on circle quality for any circles of at least ``min_size`` members.

    Parameters
    ----------
    scores : array_like, shape (n, n)
        Symmetric peer scores; ``-inf`` (forbidden) counts as 0, as in circle quality.
    min_size : int
        Smallest circle allowed.
    n_placed : int, optional
        How many members the circles hold (default: all).

    Returns
    -------
    float
        The mean of the ``n_placed`` largest per-member ceilings (each member's mean of their
        ``min_size - 1`` best scores); 0 when nobody is placed.

    Examples
    --------
    >>> circle_bound(np.array([[0, .9, .1], [.9, 0, .3], [.1, .3, 0]]), 2)
    0.7
    """
    values = _values(scores)
    n = values.shape[0] if n_placed is None else n_placed
    if n <= 0:
        return 0.0
    ceilings = np.sort(_member_ceilings(values, min_size))[::-1][:n]
    return round(float(ceilings.mean()), 12)


def _values(scores: Any) -> np.ndarray:
    w = np.array(scores, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError(f"expected a square peer score matrix, got shape {w.shape}")
    w = np.where(np.isfinite(w), w, 0.0)
    np.fill_diagonal(w, 0.0)
    return w


def _sizes(n: int, min_size: int, max_size: int) -> list[int]:
    """Circle sizes holding as many of ``n`` members as possible, as even as possible."""
    if n < min_size:
        return []
    k = math.ceil(n / max_size)
    if k * min_size > n:
        k = n // min_size
    placed = min(n, k * max_size)
    return [placed // k + (1 if c < placed % k else 0) for c in range(k)]


@dataclass
class _State:
    circle: np.ndarray
    groups: np.ndarray | None
    values: np.ndarray
    forbidden: np.ndarray
    diversity_weight: float
    k: int

    def objective(self) -> float:
        total = 0.0
        for c in range(self.k):
            members = np.flatnonzero(self.circle == c)
            s = len(members)
            if s >= 2:
                block = self.values[np.ix_(members, members)]
                total += block.sum() / (s - 1)
            total -= _FORBIDDEN_PENALTY * self.forbidden[np.ix_(members, members)].sum() / 2
            if self.groups is not None:
                total += self.diversity_weight * len(np.unique(self.groups[members]))
        return total


def _improve(state: _State, min_size: int, max_size: int) -> None:
    """Best-improvement local search over swaps and single moves between circles."""
    v, f = state.values, state.forbidden
    placed = np.flatnonzero(state.circle >= 0)
    while True:
        circ = state.circle
        members_of = np.zeros((len(circ), state.k))
        members_of[placed, circ[placed]] = 1.0
        size = members_of.sum(axis=0)
        t = v @ members_of
        tf = f @ members_of
        pair_sum = (members_of * t).sum(axis=0) / 2.0
        alpha = np.where(size > 1, 1.0 / np.maximum(size - 1, 1), 0.0)
        c = circ[placed]
        sub_v = v[np.ix_(placed, placed)]
        sub_f = f[np.ix_(placed, placed)]
        u = t[placed][:, c]
        uf = tf[placed][:, c]
        # Swap a (circle A) with b (circle B): each circle loses one member's ties, gains the other's.
        d_a = u.T - sub_v - np.diag(u)[:, None]
        d_b = u - sub_v - np.diag(u)[None, :]
        swap = 2.0 * (alpha[c][:, None] * d_a + alpha[c][None, :] * d_b)
        fa = uf.T - sub_f - np.diag(uf)[:, None]
        fb = uf - sub_f - np.diag(uf)[None, :]
        swap -= _FORBIDDEN_PENALTY * (fa + fb)
        if state.groups is not None:
            g = state.groups[placed]
            counts = np.zeros((state.k, int(state.groups.max()) + 1))
            np.add.at(counts, (c, g), 1.0)
            own = counts[c, g]
            lose_a = (own == 1)[:, None]
            gain_a = counts[c[:, None], g[None, :]] == 0
            lose_b = (own == 1)[None, :]
            gain_b = counts[c[None, :], g[:, None]] == 0
            div = -lose_a.astype(float) + gain_a - lose_b + gain_b
            div[g[:, None] == g[None, :]] = 0.0
            swap += state.diversity_weight * div
        swap[c[:, None] == c[None, :]] = -np.inf
        # Move a from A to B, when sizes allow; the circles' 1/(s-1) weights change too.
        tp = t[placed]
        old = 2.0 * pair_sum * alpha
        size_a = size[c]
        new_a = np.where(
            size_a - 1 > 1,
            2.0 * (pair_sum[c] - tp[np.arange(len(c)), c]) / np.maximum(size_a - 2, 1),
            0.0,
        )
        new_b = 2.0 * (pair_sum[None, :] + tp) / np.maximum(size[None, :], 1)
        move = (new_a - old[c])[:, None] + new_b - old[None, :]
        tfp = tf[placed]
        move -= _FORBIDDEN_PENALTY * (tfp - tfp[np.arange(len(c)), c][:, None])
        if state.groups is not None:
            move += state.diversity_weight * (
                -(own == 1)[:, None].astype(float) + (counts[:, g].T == 0)
            )
        allowed = (size_a > min_size)[:, None] & (size[None, :] < max_size)
        allowed[np.arange(len(c)), c] = False
        move[~allowed] = -np.inf
        best_swap = np.unravel_index(int(np.argmax(swap)), swap.shape) if swap.size else None
        best_move = np.unravel_index(int(np.argmax(move)), move.shape) if move.size else None
        gain_swap = swap[best_swap] if best_swap is not None else -np.inf
        gain_move = move[best_move] if best_move is not None else -np.inf
        if max(gain_swap, gain_move) <= _GAIN:
            return
        if best_swap is not None and gain_swap >= gain_move:
            a, b = placed[best_swap[0]], placed[best_swap[1]]
            state.circle[a], state.circle[b] = state.circle[b], state.circle[a]
        elif best_move is not None:
            state.circle[placed[best_move[0]]] = best_move[1]


def circles_from_scores(
    scores: Any,
    *,
    min_size: int = 4,
    max_size: int = 6,
    groups: Any = None,
    diversity_weight: float = 0.25,
    seed: int = 0,
    restarts: int = 4,
) -> tuple[np.ndarray, float, float]:
    """Circles from a symmetric peer score matrix: a seeded start, then local search.

    Each start places members in a seeded random order into circles of even sizes; the search
    then swaps members between circles, or moves one to a circle with room, while that raises
    the sum over members of their mean score with circle-mates (forbidden pairs heavily
    penalised), plus ``diversity_weight`` per distinct group in each circle when ``groups`` is
    given. The best of ``restarts`` starts is kept. When circles of ``min_size``-``max_size``
    cannot hold everyone, the members with the lowest ceilings are left out.

    Parameters
    ----------
    scores : array_like, shape (n, n)
        Symmetric peer scores, ``-inf`` for a forbidden pair.
    min_size, max_size : int
        Circle sizes allowed (``2 <= min_size <= max_size``).
    groups : array_like, shape (n,), optional
        A label per member whose mix each circle should have.
    diversity_weight : float
        Worth of one more distinct label in a circle, in units of one member's mean score.
    seed : int
        Seed of the first start; start ``r`` uses ``seed + r``.
    restarts : int
        How many starts.

    Returns
    -------
    labels : numpy.ndarray of int
        Circle of each member, -1 when left out.
    quality : float
        Mean over placed members of their mean score with circle-mates.
    bound : float
        :func:`circle_bound` for the number placed.

    Examples
    --------
    >>> w = np.ones((5, 5))
    >>> labels, quality, bound = circles_from_scores(w, min_size=2, max_size=3)
    >>> sorted(np.bincount(labels).tolist()), quality, bound
    ([2, 3], 1.0, 1.0)
    """
    if not (isinstance(min_size, int) and isinstance(max_size, int) and 2 <= min_size <= max_size):
        raise ValueError(
            f"expected whole-number sizes with 2 <= min_size <= max_size, got {min_size}-{max_size}"
        )
    raw = np.array(scores, dtype=np.float64)
    values = _values(raw)
    n = values.shape[0]
    forbidden = (~np.isfinite(raw)).astype(float)
    np.fill_diagonal(forbidden, 0.0)
    codes = None
    if groups is not None:
        labels_in = [str(g) for g in groups]
        if len(labels_in) != n:
            raise ValueError(f"expected {n} group labels (one per member), got {len(labels_in)}")
        codes = np.unique(labels_in, return_inverse=True)[1].astype(np.int64)
    sizes = _sizes(n, min_size, max_size)
    out = np.full(n, -1, dtype=np.int64)
    if not sizes:
        return out, 0.0, 0.0
    placed_count = sum(sizes)
    ceilings = _member_ceilings(values, min_size)
    keep = np.array(sorted(range(n), key=lambda a: (-ceilings[a], a))[:placed_count])
    best: tuple[float, np.ndarray] | None = None
    for r in range(max(restarts, 1)):
        rng = np.random.default_rng(seed + r)
        order = keep[rng.permutation(len(keep))]
        circle = np.full(n, -1, dtype=np.int64)
        circle[order] = np.repeat(np.arange(len(sizes)), sizes)
        state = _State(circle, codes, values, forbidden, diversity_weight, len(sizes))
        _improve(state, min_size, max_size)
        value = state.objective()
        if best is None or value > best[0] + _GAIN:
            best = (value, state.circle.copy())
    assert best is not None  # at least one restart always runs
    # Number circles by their first member, so that equal circles get equal labels.
    first = {c: int(np.flatnonzero(best[1] == c)[0]) for c in range(len(sizes))}
    rank = {c: k for k, c in enumerate(sorted(first, key=lambda c: first[c]))}
    out = np.array([rank[c] if c >= 0 else -1 for c in best[1]], dtype=np.int64)
    return out, _quality(values, out), circle_bound(raw, min_size, placed_count)


def _quality(values: np.ndarray, labels: np.ndarray) -> float:
    per_member = []
    for c in np.unique(labels[labels >= 0]):
        members = np.flatnonzero(labels == c)
        block = values[np.ix_(members, members)]
        per_member.extend(block.sum(axis=1) / (len(members) - 1))
    return round(float(np.mean(per_member)), 12) if per_member else 0.0


@dataclass(frozen=True)
class CirclesResult:
    """Peer circles and how good they are.

    ``circles``: circle, member_id, name (sorted by circle then name). ``summary``: circle,
    size, quality (mean of its members' mean scores with circle-mates), forbidden_pairs, and
    ``distinct`` (how many values of the diversity field it mixes; 0 without one). ``quality``
    is over all placed members; ``bound`` is an upper bound on the best quality any circles
    could reach, and ``ratio`` their quotient (1.0 means provably optimal). ``unplaced``:
    member_id, name, reason.
    """

    circles: pd.DataFrame
    summary: pd.DataFrame
    quality: float
    bound: float
    ratio: float
    unplaced: pd.DataFrame


def form_circles(
    people: pd.DataFrame,
    config: MatchConfig,
    *,
    min_size: int = 4,
    max_size: int = 6,
    diversity_field: str | None = None,
    seed: int = 0,
    restarts: int = 4,
) -> CirclesResult:
    """Peer circles of ``min_size``-``max_size`` members open to peer mentoring.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table; members with ``open_to_peer`` True take part.
    config : MatchConfig
        Weights and rules, as for :func:`peer_scores`.
    min_size, max_size : int
        Circle sizes allowed.
    diversity_field : str, optional
        A people column (such as ``"library_type"``) whose values each circle should mix.
    seed, restarts : int
        As for :func:`circles_from_scores`: the same seed gives the same circles.

    Returns
    -------
    CirclesResult

    Examples
    --------
    >>> from mentoring.reading.synthetic import random_people
    >>> people = random_people(10, 0, seed=2).assign(open_to_peer=True)
    >>> result = form_circles(people, MatchConfig(), min_size=3, max_size=4)
    >>> sorted(result.summary["size"].tolist()), 0 < result.ratio <= 1, len(result.unplaced)
    ([3, 3, 4], True, 0)
    """
    if diversity_field is not None and diversity_field not in people.columns:
        raise ValueError(f"expected diversity_field to be a people column, got {diversity_field!r}")
    ids, w = peer_scores(people, config)
    names = _names(people)
    groups = None
    if diversity_field is not None:
        table = people.drop_duplicates("member_id").set_index("member_id")[diversity_field]
        groups = [
            "; ".join(v) if isinstance(v, tuple) else ("" if pd.isna(v) else str(v))
            for v in table.reindex(list(ids))
        ]
    labels, quality, bound = circles_from_scores(
        w,
        min_size=min_size,
        max_size=max_size,
        groups=groups,
        seed=seed,
        restarts=restarts,
    )
    values = _values(w)
    circle_rows, summary_rows = [], []
    for c in range(int(labels.max()) + 1 if len(labels) else 0):
        members = np.flatnonzero(labels == c)
        block = values[np.ix_(members, members)]
        for a in sorted(members, key=lambda a: (names.get(ids[a], ""), ids[a])):
            circle_rows.append(
                {"circle": c + 1, "member_id": ids[a], "name": names.get(ids[a], "")}
            )
        summary_rows.append(
            {
                "circle": c + 1,
                "size": len(members),
                "quality": float(np.mean(block.sum(axis=1) / (len(members) - 1))),
                "forbidden_pairs": int(
                    np.sum(~np.isfinite(w[np.ix_(members, members)])) - len(members)
                )
                // 2,
                "distinct": len({groups[a] for a in members}) if groups is not None else 0,
            }
        )
    n = len(ids)
    unplaced_rows = []
    for a in np.flatnonzero(labels < 0):
        if n < min_size:
            reason = (
                f"Only {n} member{'s are' if n != 1 else ' is'} open to peer mentoring; a circle "
                f"needs at least {min_size}."
            )
        else:
            reason = (
                f"Circles of {min_size} to {max_size} cannot hold all {n} members; this member "
                "was left out as having the weakest best matches. Lower the minimum or raise "
                "the maximum size to place everyone."
            )
        unplaced_rows.append({"member_id": ids[a], "name": names.get(ids[a], ""), "reason": reason})
    return CirclesResult(
        circles=pd.DataFrame(circle_rows, columns=["circle", "member_id", "name"]),
        summary=pd.DataFrame(
            summary_rows, columns=["circle", "size", "quality", "forbidden_pairs", "distinct"]
        ),
        quality=quality,
        bound=bound,
        ratio=quality / bound if bound > 0 else math.nan,
        unplaced=pd.DataFrame(unplaced_rows, columns=["member_id", "name", "reason"]),
    )
