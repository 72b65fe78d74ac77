"""Criteria from the form's own questions, scored in blocks like the fixed components.

A :class:`~mentoring.model.questions.Criterion` compares a mentee's answer with a mentor's
(see the value conventions in :mod:`mentoring.model.questions`). :func:`build_parts` turns each
criterion into a :class:`Part` once per cohort: sparse tag matrices, dense text embeddings or
small tables over the distinct answers. Then, for any block of mentee rows,
:func:`part_block` gives its value in [0, 1] against every mentor, :func:`part_pairs` the same
values for a list of pairs, and :func:`forbid_block` / :func:`forbid_pairs` the pairs its hard
rule excludes. Nothing loops over pairs in Python.

Values by kind (``d`` = mentor level - mentee level, ``range`` = number of levels - 1):

- ``overlap``: IDF-weighted cosine of the two tag sets (rare shared answers count more);
- ``seeks_offers``: IDF-weighted share of the mentee's wanted tags that the mentor offers;
- ``same``: 1 when the normalised answers are equal, else 0;
- ``ordinal``, ``mentor_above``: 0 below (d < 0), 0.5 level (d = 0), 1 at one or two levels
  above, then 0.25 less per further level down to 0.25; ``closer``: 1 - |d| / range;
  ``any``: no score, only the rule ``min_above <= d <= max_above``;
- ``availability``: shared slots / the smaller number of slots;
- ``free_text``: cosine of the two answers' embeddings, rescaled to [0, 1]
  (:func:`mentoring.engine.freetext.rescale`);
- ``acceptability``: the grid level for the other's attribute: yes 1, middle ``middle_score``,
  "No" 0 and a hard rule; ``joint``: the best option both rated above "No", scored by the
  lower of the two levels, and no such option is a hard rule;
- ``shared_identity``: only for mentees whose wish is "yes": 1 when the mentor's attribute
  equals the mentee's, else 0.

A part *drops out* for a mentee with no usable answer (``Part.present`` False). A mentor with no
answer scores 0 on ``overlap``, ``seeks_offers``, ``same``, ``free_text`` and
``shared_identity``, and a neutral 0.5 on ``ordinal``, ``availability`` and ``acceptability``
(never excluded by a rule).

>>> import pandas as pd
>>> from mentoring.model.questions import Criterion
>>> e = pd.DataFrame({"q:grade": [3.0, float("nan")]})
>>> r = pd.DataFrame({"q:grade": [4.0, 2.0, 6.0]})
>>> c = Criterion("grade", "ordinal", "q:grade", "q:grade", levels=tuple("ABCDEFG"),
...               min_above=1)
>>> (part,) = build_parts(e, r, (c,))
>>> part_block(part, slice(None)).tolist(), part.present.tolist()
([[1.0, 0.0, 0.75], [0.5, 0.5, 0.5]], [True, False])
>>> forbid_block(part, slice(None)).tolist()
[[False, True, False], [False, False, False]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mentoring.engine.memo import PerObject
from mentoring.model.questions import Criterion, decode_acceptability

__all__ = [
    "NEUTRAL",
    "Part",
    "build_parts",
    "criterion_key",
    "forbid_block",
    "forbid_pairs",
    "free_text_block",
    "free_text_pairs",
    "free_text_product",
    "free_text_value",
    "level_names",
    "normalise",
    "ordinal_value",
    "part_block",
    "part_pairs",
]

NEUTRAL = 0.5
"""The value against a mentor who left an ordinal, availability or acceptability answer blank."""

Rows = np.ndarray | slice

_ALL = slice(None)


def criterion_key(name: str) -> str:
    """The key of a criterion's own values in :func:`mentoring.engine.scoring.score_pairs`.

    >>> criterion_key("site")
    'criterion:site'
    """
    return f"criterion:{name}"


def normalise(value: Any) -> str:
    """A ``same``-style answer: case-folded, spaces collapsed, ``""`` when blank.

    >>> normalise("  Fort   Washington "), normalise(None), normalise(float("nan"))
    ('fort washington', '', '')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return " ".join(str(value).casefold().split())


def ordinal_value(value: Any) -> float:
    """An ordinal answer as a float (NaN when blank or not a number).

    >>> ordinal_value("3"), ordinal_value(None)
    (3.0, nan)
    """
    try:
        out = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return out


def level_names(criterion: Criterion, value: float) -> str:
    """The form's word for an ordinal value: its level when it names one, else the number.

    >>> c = Criterion("grade", "ordinal", "q:g", "q:g", levels=("EO", "HEO", "SEO"))
    >>> level_names(c, 1.0), level_names(c, 7.5)
    ('HEO', '7.5')
    """
    k = int(value) if float(value).is_integer() else -1
    if 0 <= k < len(criterion.levels):
        return str(criterion.levels[k])
    return f"{value:g}"


@dataclass(frozen=True, eq=False)
class Part:
    """One criterion, ready to score any block of mentee rows.

    Attributes
    ----------
    criterion : Criterion
    present : numpy.ndarray of bool
        Per mentee: an answer this part can use (and a positive weight).
    mode : str
        ``"product"`` (``left[rows] @ right_t``, then ``post``), ``"equal"`` (equal codes),
        ``"lookup"`` (``table[code_e, code_r]``) or ``"joint"`` (two products).
    left, right_t : sparse or dense matrices
        ``"product"``/``"joint"``: mentee rows and the transposed mentor side.
    left1, right1_t : sparse or dense matrices
        ``"joint"``: the options rated at least the middle answer (``left``/``right_t``: yes).
    code_e, code_r : numpy.ndarray of int
        ``"equal"``/``"lookup"``: codes of each member's answer (-1 blank for ``"equal"``).
    table, forbid : numpy.ndarray
        ``"lookup"``: value and hard-rule tables indexed by (code_e, code_r).
    count_e, count_r : numpy.ndarray
        ``availability``: number of slots per member.
    blank_r : numpy.ndarray of bool
        Mentors with no answer (``free_text``, ``joint``).
    answered : numpy.ndarray of bool
        Per mentee: an answer, whatever the weight (the hard rules read it).
    """

    criterion: Criterion
    present: np.ndarray
    mode: str
    left: Any = None
    right_t: Any = None
    left1: Any = None
    right1_t: Any = None
    code_e: Any = None
    code_r: Any = None
    table: Any = None
    forbid: Any = None
    count_e: Any = None
    count_r: Any = None
    blank_r: Any = None
    answered: Any = None

    @property
    def has_rule(self) -> bool:
        """Whether this part can exclude pairs."""
        if self.mode == "joint":
            return True
        return self.forbid is not None and bool(self.forbid.any())


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple | list | set | frozenset):
        return tuple(sorted({normalise(v) for v in value} - {""}))
    if isinstance(value, str) and value.strip():
        return tuple(sorted({normalise(v) for v in value.split(";")} - {""}))
    return ()


def _one_hot(
    left: Sequence[tuple[str, ...]], right: Sequence[tuple[str, ...]]
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    vocabulary = sorted({t for cell in (*left, *right) for t in cell})
    position = {t: k for k, t in enumerate(vocabulary)}

    def matrix(cells: Sequence[tuple[str, ...]]) -> sp.csr_matrix:
        rows = np.repeat(np.arange(len(cells)), [len(c) for c in cells])
        cols = np.fromiter((position[t] for c in cells for t in c), dtype=np.int64, count=len(rows))
        data = np.ones(len(rows), dtype=np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(cells), len(vocabulary)))

    return matrix(left), matrix(right)


def _idf(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    documents = a.shape[0] + b.shape[0]
    frequency = np.asarray(a.sum(axis=0)).ravel() + np.asarray(b.sum(axis=0)).ravel()
    out: np.ndarray = np.log((1.0 + documents) / (1.0 + frequency)) + 1.0
    return out


def _scale_rows(matrix: sp.csr_matrix, factor: np.ndarray) -> sp.csr_matrix:
    return sp.csr_matrix(sp.diags(factor) @ matrix)


def _dense_t(matrix: sp.csr_matrix) -> np.ndarray:
    return np.ascontiguousarray(matrix.T.toarray(), dtype=np.float32)


def _tag_part(c: Criterion, e: pd.DataFrame, r: pd.DataFrame) -> Part:
    left_cells = [_tags(v) for v in e[c.mentee_column]]
    right_cells = [_tags(v) for v in r[c.mentor_column]]
    a, b = _one_hot(left_cells, right_cells)
    present = np.diff(a.indptr) > 0
    if c.kind == "availability":
        return Part(
            c,
            present,
            "product",
            left=a,
            right_t=_dense_t(b),
            count_e=np.diff(a.indptr).astype(float),
            count_r=np.diff(b.indptr).astype(float),
        )
    weight = sp.diags(_idf(a, b))
    a = sp.csr_matrix(a @ weight)
    if c.kind == "overlap":
        b = sp.csr_matrix(b @ weight)
        norm_b = np.sqrt(np.asarray(b.multiply(b).sum(axis=1)).ravel())
        b = _scale_rows(b, 1.0 / np.where(norm_b > 0, norm_b, 1.0))
        norm_a = np.sqrt(np.asarray(a.multiply(a).sum(axis=1)).ravel())
    else:  # seeks_offers: the IDF-weighted share of the wanted tags offered
        norm_a = np.asarray(a.sum(axis=1)).ravel()
    a = _scale_rows(a, 1.0 / np.where(norm_a > 0, norm_a, 1.0))
    return Part(c, present, "product", left=a.tocsr(), right_t=_dense_t(b))


def _free_text_part(c: Criterion, e: pd.DataFrame, r: pd.DataFrame) -> Part:
    from mentoring.engine.freetext import COSINE_FLOOR, COSINE_STRONG, embed_texts

    texts = [*e[c.mentee_column].tolist(), *r[c.mentor_column].tolist()]
    vectors = embed_texts(texts)
    left, right = vectors[: len(e)], vectors[len(e) :]
    # The rescale's slope is folded into the mentee side, so a block is one float32 product,
    # one subtraction and one clip (see _finish): the same numbers as freetext.rescale.
    slope = np.float32(1.0 / (COSINE_STRONG - COSINE_FLOOR))
    return Part(
        c,
        np.any(left != 0, axis=1),
        "product",
        left=np.ascontiguousarray(left * slope),
        right_t=np.ascontiguousarray(right.T),
        blank_r=~np.any(right != 0, axis=1),
    )


def _codes(left: Iterable[str], right: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """Shared integer codes of normalised answers; -1 for blank."""
    a, b = list(left), list(right)
    code = {v: k for k, v in enumerate(sorted(set(a) | set(b) - {""}))}
    code[""] = -1
    return (
        np.fromiter((code[v] for v in a), dtype=np.int64, count=len(a)),
        np.fromiter((code[v] for v in b), dtype=np.int64, count=len(b)),
    )


def _same_part(c: Criterion, e: pd.DataFrame, r: pd.DataFrame) -> Part:
    code_e, code_r = _codes(map(normalise, e[c.mentee_column]), map(normalise, r[c.mentor_column]))
    present = code_e >= 0
    if c.kind == "shared_identity":
        wish = np.array([normalise(v) == "yes" for v in e[c.wish_column]], dtype=bool)
        present &= wish
    return Part(c, present, "equal", code_e=code_e, code_r=code_r)


def _factorize(values: Sequence[Any]) -> tuple[np.ndarray, list[Any]]:
    position: dict[Any, int] = {}
    codes = np.fromiter(
        (position.setdefault(v, len(position)) for v in values), dtype=np.int64, count=len(values)
    )
    return codes, list(position)


def ordinal_score(c: Criterion, d: np.ndarray, span: float) -> np.ndarray:
    """The ``ordinal`` value of level differences ``d`` (mentor - mentee), NaN = unknown.

    >>> c = Criterion("g", "ordinal", "q:g", "q:g")
    >>> ordinal_score(c, np.array([-1, 0, 0.5, 1, 2, 3, 4, 9, np.nan]), 10).tolist()
    [0.0, 0.5, 0.75, 1.0, 1.0, 0.75, 0.5, 0.25, 0.5]
    """
    with np.errstate(invalid="ignore"):
        if c.direction == "closer":
            value = 1.0 - np.abs(d) / max(span, 1.0)
        else:
            above = np.maximum(0.25, 1.0 - 0.25 * (d - 2.0))
            value = np.where(d < 0, 0.0, np.where(d < 1, 0.5 + 0.5 * d, np.minimum(above, 1.0)))
    out: np.ndarray = np.where(np.isnan(d), NEUTRAL, np.clip(value, 0.0, 1.0))
    return out


def ordinal_excluded(c: Criterion, d: np.ndarray) -> np.ndarray:
    """Where the rule ``min_above <= d <= max_above`` fails (never for an unknown ``d``).

    >>> c = Criterion("g", "ordinal", "q:g", "q:g", min_above=1, max_above=2)
    >>> ordinal_excluded(c, np.array([0.0, 1.0, 2.0, 3.0, np.nan])).tolist()
    [True, False, False, True, False]
    """
    out = np.zeros(d.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        if c.min_above is not None:
            out |= d < c.min_above - 1e-9
        if c.max_above is not None:
            out |= d > c.max_above + 1e-9
    return out


def _ordinal_part(c: Criterion, e: pd.DataFrame, r: pd.DataFrame) -> Part:
    values_e = np.array([ordinal_value(v) for v in e[c.mentee_column]], dtype=float)
    values_r = np.array([ordinal_value(v) for v in r[c.mentor_column]], dtype=float)
    code_e, unique_e = _factorize([None if np.isnan(v) else v for v in values_e])
    code_r, unique_r = _factorize([None if np.isnan(v) else v for v in values_r])
    u_e = np.array([np.nan if v is None else v for v in unique_e], dtype=float)
    u_r = np.array([np.nan if v is None else v for v in unique_r], dtype=float)
    d = u_r[None, :] - u_e[:, None]
    known = np.concatenate([values_e, values_r])
    known = known[~np.isnan(known)]
    if len(c.levels) > 1:
        span = float(len(c.levels) - 1)
    else:
        span = float(known.max() - known.min()) if len(known) else 1.0
    present = ~np.isnan(values_e) & (c.direction != "any")
    return Part(
        c,
        present,
        "lookup",
        code_e=code_e,
        code_r=code_r,
        table=ordinal_score(c, d, span),
        forbid=ordinal_excluded(c, d),
    )


def _grid(value: Any) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, tuple | list):
        return ()
    return tuple(decode_acceptability(value).items())


def _level_score(c: Criterion, level: np.ndarray) -> np.ndarray:
    """Grid level to value: -1 unknown 0.5, 0 "No" 0, 1 ``middle_score``, 2 and up 1."""
    out: np.ndarray = np.select(
        [level < 0, level == 0, level == 1], [NEUTRAL, 0.0, c.middle_score], 1.0
    )
    return out


def _acceptability_part(c: Criterion, e: pd.DataFrame, r: pd.DataFrame) -> Part:
    if c.joint:
        return _joint_part(c, e, r)
    grid_column, attribute_column = c.mentee_column, c.mentor_column
    grid_side, attribute_side = (e, r) if not c.reverse else (r, e)
    if c.reverse:
        grid_column, attribute_column = c.mentor_column, c.mentee_column
    grid_code, grids = _factorize([_grid(v) for v in grid_side[grid_column]])
    attributes = [normalise(v) for v in attribute_side[attribute_column]]
    attribute_code, values = _factorize(attributes)
    level = np.full((len(grids), len(values)), -1, dtype=np.int64)
    for g, grid in enumerate(grids):
        answers = dict(grid)
        for a, value in enumerate(values):
            if value and value in answers:
                level[g, a] = answers[value]
    table, forbid = _level_score(c, level), level == 0
    if not c.reverse:
        answered = np.array([bool(g) for g in grids], dtype=bool)[grid_code]
        return Part(
            c,
            answered,
            "lookup",
            code_e=grid_code,
            code_r=attribute_code,
            table=table,
            forbid=forbid,
            answered=answered,
        )
    answered = np.array([bool(v) for v in values], dtype=bool)[attribute_code]
    return Part(
        c,
        answered,
        "lookup",
        code_e=attribute_code,
        code_r=grid_code,
        table=table.T.copy(),
        forbid=forbid.T.copy(),
        answered=answered,
    )


def _joint_part(c: Criterion, e: pd.DataFrame, r: pd.DataFrame) -> Part:
    grids_e = [_grid(v) for v in e[c.mentee_column]]
    grids_r = [_grid(v) for v in r[c.mentor_column]]

    def at_least(grids: list[tuple[tuple[str, int], ...]], level: int) -> list[tuple[str, ...]]:
        return [tuple(o for o, lv in g if lv >= level) for g in grids]

    yes_e, yes_r = _one_hot(at_least(grids_e, 2), at_least(grids_r, 2))
    ok_e, ok_r = _one_hot(at_least(grids_e, 1), at_least(grids_r, 1))
    answered = np.array([bool(g) for g in grids_e], dtype=bool)
    return Part(
        c,
        answered,
        "joint",
        answered=answered,
        left=yes_e,
        right_t=_dense_t(yes_r),
        left1=ok_e,
        right1_t=_dense_t(ok_r),
        blank_r=np.array([not g for g in grids_r], dtype=bool),
    )


_BUILDERS = {
    "overlap": _tag_part,
    "seeks_offers": _tag_part,
    "availability": _tag_part,
    "free_text": _free_text_part,
    "same": _same_part,
    "shared_identity": _same_part,
    "ordinal": _ordinal_part,
    "acceptability": _acceptability_part,
}


def build_parts(
    mentees: pd.DataFrame, mentors: pd.DataFrame, criteria: Iterable[Criterion]
) -> tuple[Part, ...]:
    """One :class:`Part` per criterion whose columns the people table has.

    Parameters
    ----------
    mentees, mentors : pandas.DataFrame
        The mentee rows and the mentor rows of the people table, in scoring order.
    criteria : iterable of Criterion

    Returns
    -------
    tuple of Part
        A criterion with a column missing on either side is left out; one with weight 0 is kept
        (its rule still applies) but never present in the score.
    """
    parts = []
    for c in criteria:
        if any(col not in mentees.columns or col not in mentors.columns for col in c.columns):
            continue
        part = _BUILDERS[c.kind](c, mentees, mentors)
        if c.weight <= 0:
            part = Part(**{**part.__dict__, "present": np.zeros_like(part.present)})
        parts.append(part)
    return tuple(parts)


def _product(left: Any, right_t: np.ndarray) -> np.ndarray:
    if right_t.shape[0] == 0 or left.shape[0] == 0:
        return np.zeros((left.shape[0], right_t.shape[1]))
    return np.asarray(left @ right_t, dtype=np.float64)


def _rowwise(left: Any, right_t: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Row k of ``left`` dotted with column ``cols[k]`` of ``right_t``."""
    if right_t.shape[0] == 0 or left.shape[0] == 0:
        return np.zeros(left.shape[0])
    if not sp.issparse(left):
        gathered = right_t[:, cols].T
        dot: np.ndarray = np.einsum("ij,ij->i", left, gathered)
        return dot
    coo = left.tocoo()
    values = coo.data * right_t[coo.col, cols[coo.row]]
    return np.bincount(coo.row, weights=values, minlength=left.shape[0]).astype(np.float64)


def _finish(part: Part, raw: np.ndarray, count_e: Any, count_r: Any, blank_r: Any) -> np.ndarray:
    """Turn the raw product into the part's value (shapes broadcast: block or pair list)."""
    kind = part.criterion.kind
    if kind == "free_text":
        from mentoring.engine.freetext import COSINE_FLOOR, COSINE_STRONG

        raw -= np.float32(COSINE_FLOOR / (COSINE_STRONG - COSINE_FLOOR))
        np.clip(raw, 0.0, 1.0, out=raw)
        return raw
    if kind == "availability":
        both = np.maximum(np.minimum(count_e, count_r), 1.0)
        return np.where(count_r > 0, np.minimum(raw / both, 1.0), NEUTRAL)
    return np.minimum(raw, 1.0, out=raw)


def part_block(part: Part, rows: Rows, cols: Rows = _ALL) -> np.ndarray:
    """The part's value for mentee ``rows`` against mentor ``cols`` (every mentor by default):
    float64 in [0, 1].

    Rows where the part is not present hold a value too (ignored by the total).
    """
    if part.mode == "equal":
        ce = part.code_e[rows]
        return ((ce[:, None] == part.code_r[cols][None, :]) & (ce[:, None] >= 0)).astype(np.float64)
    if part.mode == "lookup":
        return np.asarray(
            part.table[np.ix_(part.code_e[rows], part.code_r[cols])], dtype=np.float64
        )
    if part.mode == "joint":
        yes = _product(part.left[rows], part.right_t[:, cols]) > 0
        ok = _product(part.left1[rows], part.right1_t[:, cols]) > 0
        value = np.where(yes, 1.0, np.where(ok, part.criterion.middle_score, 0.0))
        value[:, part.blank_r[cols]] = NEUTRAL
        return value
    if part.criterion.kind == "free_text":
        return free_text_block(part, rows, cols).astype(np.float64)
    raw = _product(part.left[rows], part.right_t[:, cols])
    count_e = None if part.count_e is None else part.count_e[rows][:, None]
    count_r = None if part.count_r is None else part.count_r[cols][None, :]
    return _finish(part, raw, count_e, count_r, None)


def free_text_block(part: Part, rows: Rows, cols: Rows = _ALL) -> np.ndarray:
    """A free-text part's value for mentee ``rows`` against mentor ``cols``, in float32: half
    the memory traffic of a float64 block, which at a national cohort's width is the cost."""
    return free_text_value(part, free_text_product(part, rows, cols))


def free_text_product(part: Part, rows: Rows, cols: Rows = _ALL) -> np.ndarray:
    """The product behind :func:`free_text_block`, before :func:`free_text_value`.

    A dense product whose mentor side is as wide as the cohort costs less per pair the more
    mentee rows it takes at once (BLAS repacks that side at every call), so a caller scoring
    many blocks in a row can make it for several blocks and finish each block's slice.
    """
    if isinstance(cols, slice):
        return np.asarray(part.left[rows] @ part.right_t[:, cols])
    # A few mentors' embeddings, read as rows of the mentor-major copy (a cache miss per
    # dimension otherwise), laid out as right_t's columns so that the product sums as before.
    some = np.ascontiguousarray(_mentor_major(part)[cols].T)
    return np.asarray(part.left[rows] @ some)


def free_text_value(part: Part, raw: np.ndarray) -> np.ndarray:
    """:func:`free_text_block` from its product ``raw``, which it overwrites and returns.

    Examples
    --------
    >>> from mentoring.reading.synthetic import random_people
    >>> from mentoring.engine.scoring import build_features
    >>> from mentoring.model.config import MatchConfig
    >>> from mentoring.model.questions import Criterion
    >>> people = random_people(4, 3, seed=1)
    >>> mentee = people["role"] == "mentee"
    >>> people.loc[mentee, "q:hope"] = ["grant writing", "rare books", "", "storytime"]
    >>> people.loc[~mentee, "q:hope"] = ["grants", "", "children's programs"]
    >>> config = MatchConfig(criteria=(Criterion("hope", "free_text", "q:hope", "q:hope"),))
    >>> part = build_features(people, config).criteria[0]
    >>> rows = np.arange(4)
    >>> whole = free_text_block(part, rows)
    >>> bool(np.array_equal(free_text_value(part, free_text_product(part, rows)[1:3]), whole[1:3]))
    True
    """
    return _finish(part, raw, None, None, None)


_BY_MENTOR: PerObject[Part, np.ndarray] = PerObject()


def _mentor_major(part: Part) -> np.ndarray:
    """Free text's mentor embeddings mentor by mentor: row j is column j of ``right_t``."""
    return _BY_MENTOR.get(part, lambda: np.ascontiguousarray(part.right_t.T))


def free_text_pairs(part: Part, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """:func:`free_text_block` for a list of pairs, in float32 too.

    The mentors' embeddings are read from a mentor-major copy, made once per part: a pair's
    mentor is then one read instead of one cache miss per dimension (at 75,800 mentors a kept
    pair of the solver's first pass cost 2.6 us, and 0.8 us after).
    """
    raw = np.einsum("ij,ij->i", part.left[rows], _mentor_major(part)[cols])
    return _finish(part, raw, None, None, None)


def part_pairs(part: Part, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The part's value for each (mentee row, mentor column) pair; equal to :func:`part_block`."""
    if part.mode == "equal":
        ce = part.code_e[rows]
        return ((ce == part.code_r[cols]) & (ce >= 0)).astype(np.float64)
    if part.mode == "lookup":
        return np.asarray(part.table[part.code_e[rows], part.code_r[cols]], dtype=np.float64)
    if part.mode == "joint":
        yes = _rowwise(part.left[rows], part.right_t, cols) > 0
        ok = _rowwise(part.left1[rows], part.right1_t, cols) > 0
        value = np.where(yes, 1.0, np.where(ok, part.criterion.middle_score, 0.0))
        return np.where(part.blank_r[cols], NEUTRAL, value)
    if part.criterion.kind == "free_text":
        return free_text_pairs(part, rows, cols).astype(np.float64)
    raw = _rowwise(part.left[rows], part.right_t, cols)
    count_e = None if part.count_e is None else part.count_e[rows]
    count_r = None if part.count_r is None else part.count_r[cols]
    return np.asarray(_finish(part, raw, count_e, count_r, None), dtype=np.float64)


def forbid_block(part: Part, rows: Rows, cols: Rows = _ALL) -> np.ndarray | None:
    """True where the part's hard rule excludes the pair (mentee ``rows``, mentor ``cols``);
    None when it has no rule."""
    if part.mode == "lookup" and part.forbid is not None and part.forbid.any():
        return np.asarray(part.forbid[np.ix_(part.code_e[rows], part.code_r[cols])])
    if part.mode == "joint":
        ok = _product(part.left1[rows], part.right1_t[:, cols]) > 0
        answered = np.asarray(part.answered[rows])
        out: np.ndarray = ~ok & answered[:, None] & ~part.blank_r[cols][None, :]
        return out
    return None


def forbid_pairs(part: Part, rows: np.ndarray, cols: np.ndarray) -> np.ndarray | None:
    """:func:`forbid_block` for a list of pairs."""
    if part.mode == "lookup" and part.forbid is not None and part.forbid.any():
        return np.asarray(part.forbid[part.code_e[rows], part.code_r[cols]])
    if part.mode == "joint":
        ok = _rowwise(part.left1[rows], part.right1_t, cols) > 0
        out: np.ndarray = ~ok & part.answered[rows] & ~part.blank_r[cols]
        return out
    return None
