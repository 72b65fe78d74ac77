"""Score components for every mentee x mentor pair, computed in row blocks.

Each component is in [0, 1] and explains itself (see ``mentoring.outputs.explain``):

- ``interests``: cosine similarity of IDF-weighted interest tags (rare shared tags count more);
- ``goals``: share of what the mentee seeks that the mentor offers (directional);
- ``community``: same library type, shared divisions and round tables, same chapter;
- ``diversity``: share of the identities the mentee asked a mentor to share that the mentor has;
- ``logistics``: time-zone distance, compatible meeting mode, a shared language;
- ``experience``: the mentor is usefully more senior (years, else career stage);
- ``preference``: the mentee named this mentor (first choice 1.0, then 0.75, 0.5, 0.25).

The form's own questions (``config.criteria``, else the criteria the reader left in
``people.attrs["criteria"]``) count inside these components: each criterion is a *part* of its
``component`` (see :mod:`mentoring.engine.criteria`), and a component's value is the weighted
mean of its parts the mentee answered, the fixed part above counting with weight 1 when the
mentee has an answer for it. With no criteria nothing changes and nothing extra is computed.

A component *drops out for a mentee* who gave no answer it could use (no interests, no
identity preference, no named mentors, ...): the total is then the weighted mean of the
components that mentee has, so nobody is penalised for leaving an optional question blank.
A mentor who left a field blank scores 0 on a set-overlap component and a neutral 0.5 on a
logistics or experience part. Nothing loops over pairs in Python: every block is a handful of
sparse-times-dense products and broadcasts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mentoring.engine.criteria import Part, build_parts, criterion_key, part_block, part_pairs
from mentoring.model.config import COMPONENTS, MatchConfig
from mentoring.model.people import CAREER_STAGES, MULTI_VALUED_COLUMNS
from mentoring.model.questions import Criterion, criterion_from_dict

__all__ = [
    "Features",
    "build_features",
    "cohort_criteria",
    "score_block",
    "score_pairs",
    "tag_matrix",
    "total_from_components",
]

_STAGE_YEARS = {"student": 0.0, "new professional": 2.0, "mid-career": 10.0, "senior": 20.0}


_STAGE_YEARS["retired"] = 25.0


assert set(_STAGE_YEARS) == set(CAREER_STAGES)


_MODE_CODES = {"in person": 0, "online": 1, "either": 2}


_PREFERENCE_BY_RANK = np.array([1.0, 0.75, 0.5, 0.25])


@dataclass(frozen=True, eq=False)
class Features:
    """Everything scoring and the rules need, computed once per cohort.

    Rows are mentees (members with role mentee or both), columns are mentors (mentor or both),
    each side in people-table order. Matrices are CSR; per-member vectors are numpy arrays.
    ``criteria`` holds one :class:`mentoring.engine.criteria.Part` per criterion of the form;
    ``present`` then says whether a mentee has any part of a component, ``base_present`` whether
    they have its fixed part (None when there are no criteria).
    """

    mentee_ids: tuple[str, ...]
    mentor_ids: tuple[str, ...]
    mentee_index: np.ndarray
    mentor_index: np.ndarray
    weights: dict[str, float]
    present: dict[str, np.ndarray]
    interests_e: sp.csr_matrix
    interests_r_t: np.ndarray
    seeks_e: sp.csr_matrix
    seeks_count_e: np.ndarray
    offers_r_t: np.ndarray
    community_e: sp.csr_matrix
    community_r_t: np.ndarray
    community_parts_e: np.ndarray
    identity_pref_e: sp.csr_matrix
    identity_pref_count_e: np.ndarray
    identities_r_t: np.ndarray
    timezone_e: np.ndarray
    timezone_r: np.ndarray
    mode_e: np.ndarray
    mode_r: np.ndarray
    languages_e: sp.csr_matrix
    languages_r_t: np.ndarray
    has_languages_e: np.ndarray
    has_languages_r: np.ndarray
    seniority_e: np.ndarray
    seniority_r: np.ndarray
    logistics_codes: tuple[np.ndarray, np.ndarray, np.ndarray]
    experience_codes: tuple[np.ndarray, np.ndarray, np.ndarray]
    preference: sp.csr_matrix
    institution_e: np.ndarray
    institution_r: np.ndarray
    past_partners: sp.csr_matrix
    self_column: np.ndarray
    capacity: np.ndarray
    priority: np.ndarray
    criteria: tuple[Part, ...] = ()
    base_present: dict[str, np.ndarray] | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.mentee_ids), len(self.mentor_ids)


def tag_matrix(
    left: pd.Series, right: pd.Series, *, idf: bool = False
) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
    """One-hot matrices of tag tuples over a shared vocabulary.

    Parameters
    ----------
    left, right : pandas.Series
        Cells are tuples of tags.
    idf : bool
        Weight each tag by its inverse document frequency over both sides and normalise rows to
        unit length, so that ``left @ right.T`` is the IDF-weighted cosine.

    Returns
    -------
    (left_matrix, right_matrix, vocabulary)

    Examples
    --------
    >>> a, b, vocab = tag_matrix(pd.Series([("x", "y")]), pd.Series([("y",), ()]))
    >>> vocab, (a @ b.T).toarray().tolist()
    (['x', 'y'], [[1.0, 0.0]])
    """
    left_cells, right_cells = left.tolist(), right.tolist()
    vocabulary = sorted({tag for cell in (*left_cells, *right_cells) for tag in cell})
    position = {tag: k for k, tag in enumerate(vocabulary)}
    a, b = _one_hot(left_cells, position), _one_hot(right_cells, position)
    return *_weighted(a, b, idf, vocabulary), vocabulary


def _tag_matrix_of_members(
    cells: pd.Series, left: np.ndarray, right: np.ndarray, *, idf: bool = False
) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
    """:func:`tag_matrix` of ``cells.iloc[left]`` and ``cells.iloc[right]``, one question asked of
    both sides: a member on both sides (role "both") is read once, not once per side."""
    members = np.union1d(left, right)
    member_cells = cells.iloc[members].tolist()
    vocabulary = sorted({tag for cell in member_cells for tag in cell})
    whole = _one_hot(member_cells, {tag: k for k, tag in enumerate(vocabulary)})
    a = whole[np.searchsorted(members, left)]
    b = whole[np.searchsorted(members, right)]
    return *_weighted(a, b, idf, vocabulary), vocabulary


def _one_hot(cells: list[tuple[str, ...]], position: dict[str, int]) -> sp.csr_matrix:
    lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    cols = np.fromiter(
        (position[tag] for cell in cells for tag in cell),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    rows = np.repeat(np.arange(len(cells)), lengths)
    matrix = sp.csr_matrix((np.ones(cols.size), (rows, cols)), shape=(len(cells), len(position)))
    # A tag given twice in one cell counts once.
    matrix.data[:] = 1.0
    return matrix


def _weighted(
    a: sp.csr_matrix, b: sp.csr_matrix, idf: bool, vocabulary: list[str]
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    if idf and vocabulary:
        documents = a.shape[0] + b.shape[0]
        frequency = np.asarray(a.sum(axis=0)).ravel() + np.asarray(b.sum(axis=0)).ravel()
        weight = sp.diags(np.log((1.0 + documents) / (1.0 + frequency)) + 1.0)
        a, b = _unit_rows(a @ weight), _unit_rows(b @ weight)
    return a.tocsr(), b.tocsr()


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms) @ matrix


def _has(cells: pd.Series) -> np.ndarray:
    return np.fromiter((len(c) > 0 for c in cells), dtype=bool, count=len(cells))


def _codes_of_members(
    answers: pd.Series, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``answers.iloc[left]`` and ``answers.iloc[right]`` (text, case and spacing
    folded), shared by both sides; -1 for blank. Each distinct answer is folded once: 200,000
    members name a few thousand institutions."""
    members = np.union1d(left, right)
    which, distinct = pd.factorize(answers.iloc[members])
    folded = [" ".join(str(answer).casefold().split()) for answer in distinct]
    code = {label: k for k, label in enumerate(sorted(set(folded) - {""}))}
    code[""] = -1
    by_answer = np.array([code[f] for f in folded], dtype=np.int64)
    return (
        by_answer[which[np.searchsorted(members, left)]],
        by_answer[which[np.searchsorted(members, right)]],
    )


def _seniority(side: pd.DataFrame) -> np.ndarray:
    years = pd.to_numeric(side["years_experience"], errors="coerce").to_numpy(float)
    from_stage = side["career_stage"].map(_STAGE_YEARS).to_numpy(float)
    return np.where(np.isnan(years), from_stage, years)


def build_features(people: pd.DataFrame, config: MatchConfig) -> Features:
    """Precompute the matrices and vectors that every score block and rule check reads.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table (``mentoring.model.people.PEOPLE_COLUMNS``).
    config : MatchConfig
        Weights and the default capacity are read from it.

    Returns
    -------
    Features

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["a", "b"], "name": ["A", "B"], "role": ["mentee", "mentor"]})])
    >>> build_features(people, MatchConfig()).shape
    (1, 1)
    """
    criteria = cohort_criteria(people, config)
    people = people.reset_index(drop=True)
    for column in sorted(MULTI_VALUED_COLUMNS):
        people[column] = pd.Series(
            [
                v if type(v) is tuple else tuple(v) if isinstance(v, tuple | list) else ()
                for v in people[column].tolist()
            ],
            index=people.index,
            dtype=object,
        )
    for column in ("library_type", "chapter", "institution", "career_stage", "meeting_mode"):
        people[column] = people[column].fillna("").astype(str)
    role = people["role"].astype(str)
    mentee_index = np.flatnonzero(role.isin(["mentee", "both"]).to_numpy())
    mentor_index = np.flatnonzero(role.isin(["mentor", "both"]).to_numpy())
    e = people.iloc[mentee_index].reset_index(drop=True)
    r = people.iloc[mentor_index].reset_index(drop=True)
    mentee_ids = tuple(e["member_id"].astype(str))
    mentor_ids = tuple(r["member_id"].astype(str))
    mentor_position = {m: j for j, m in enumerate(mentor_ids)}
    mentee_position = {m: i for i, m in enumerate(mentee_ids)}

    interests_e, interests_r, _ = _tag_matrix_of_members(
        people["interests"], mentee_index, mentor_index, idf=True
    )
    seeks_e, offers_r, _ = tag_matrix(e["seeks"], r["offers"])

    community_e, community_r, community_vocabulary = _tag_matrix_of_members(
        _community_cells(people), mentee_index, mentor_index
    )
    parts_e = np.stack(
        [
            (e["library_type"] != "").to_numpy(),
            _has(e["divisions"]),
            (e["chapter"] != "").to_numpy(),
        ],
        axis=1,
    ).astype(float)
    division_count = np.maximum(np.array([len(d) for d in e["divisions"]], dtype=float), 1.0)
    # Each shared tag adds its part's weight: library type and chapter count 1, divisions share
    # one unit among all the mentee's divisions.
    community_e = _weight_division_columns(community_e, community_vocabulary, division_count)

    pref_e, identities_r, _ = tag_matrix(e["identity_preference"], r["identities"])
    languages_e, languages_r, _ = _tag_matrix_of_members(
        people["languages"], mentee_index, mentor_index
    )

    preference = _preference_matrix(e["preferred_mentors"], mentor_position, len(r))
    past = _past_partner_matrix(e, r, mentee_position, mentor_position)
    institution_e, institution_r = _codes_of_members(
        people["institution"], mentee_index, mentor_index
    )
    self_column = np.array([mentor_position.get(m, -1) for m in mentee_ids], dtype=np.int64)

    capacity = pd.to_numeric(r["capacity"], errors="coerce").to_numpy(float)
    capacity = np.where(np.isnan(capacity), config.default_capacity, capacity)
    capacity = np.maximum(capacity, 0).astype(np.int64)

    timezone_e = pd.to_numeric(e["timezone"], errors="coerce").to_numpy(float)
    timezone_r = pd.to_numeric(r["timezone"], errors="coerce").to_numpy(float)
    mode_e = e["meeting_mode"].map(_MODE_CODES).fillna(-1).to_numpy(np.int64)
    mode_r = r["meeting_mode"].map(_MODE_CODES).fillna(-1).to_numpy(np.int64)
    seniority_e, seniority_r = _seniority(e), _seniority(r)
    logistics_codes = _logistics_table(
        timezone_e, mode_e, e["languages"], timezone_r, mode_r, r["languages"]
    )
    experience_codes = _experience_table(seniority_e, seniority_r)

    present = {
        "interests": _has(e["interests"]),
        "goals": _has(e["seeks"]),
        "community": parts_e.sum(axis=1) > 0,
        "diversity": _has(e["identity_preference"]),
        "logistics": ~np.isnan(timezone_e) | (mode_e >= 0) | _has(e["languages"]),
        "experience": ~np.isnan(seniority_e),
        "preference": np.diff(preference.indptr) > 0,
    }
    parts = build_parts(e, r, criteria) if criteria else ()
    base_present = None
    if parts:
        base_present = present
        present = dict(present)
        for part in parts:
            component = part.criterion.component
            present[component] = present[component] | part.present
    return Features(
        mentee_ids=mentee_ids,
        mentor_ids=mentor_ids,
        mentee_index=mentee_index,
        mentor_index=mentor_index,
        weights=config.weights.normalised(),
        present=present,
        interests_e=interests_e,
        interests_r_t=_dense_t(interests_r),
        seeks_e=seeks_e,
        seeks_count_e=np.asarray(seeks_e.sum(axis=1)).ravel(),
        offers_r_t=_dense_t(offers_r),
        community_e=community_e,
        community_r_t=_dense_t(community_r),
        community_parts_e=parts_e.sum(axis=1),
        identity_pref_e=pref_e,
        identity_pref_count_e=np.asarray(pref_e.sum(axis=1)).ravel(),
        identities_r_t=_dense_t(identities_r),
        timezone_e=timezone_e,
        timezone_r=timezone_r,
        mode_e=mode_e,
        mode_r=mode_r,
        languages_e=languages_e,
        languages_r_t=_dense_t(languages_r),
        has_languages_e=_has(e["languages"]),
        has_languages_r=_has(r["languages"]),
        seniority_e=seniority_e,
        seniority_r=seniority_r,
        logistics_codes=logistics_codes,
        experience_codes=experience_codes,
        preference=preference,
        institution_e=institution_e,
        institution_r=institution_r,
        past_partners=past,
        self_column=self_column,
        capacity=capacity,
        priority=e["priority"].fillna(False).astype(bool).to_numpy(),
        criteria=parts,
        base_present=base_present,
    )


def cohort_criteria(people: pd.DataFrame, config: MatchConfig) -> tuple[Criterion, ...]:
    """The criteria a match scores: ``config.criteria``, else those in ``people.attrs``.

    Examples
    --------
    >>> people = pd.DataFrame({"q:site": ["a"]})
    >>> people.attrs["criteria"] = [{"name": "site", "kind": "same",
    ...     "mentee_column": "q:site", "mentor_column": "q:site"}]
    >>> [c.name for c in cohort_criteria(people, MatchConfig())]
    ['site']
    """
    if config.criteria:
        return tuple(config.criteria)
    return tuple(criterion_from_dict(c) for c in people.attrs.get("criteria", ()) or ())


def _dense_t(matrix: sp.csr_matrix) -> np.ndarray:
    # A sparse block times a dense, transposed right side is several times faster than a
    # sparse-sparse product at scale (measured in performance.md).
    return np.ascontiguousarray(matrix.T.toarray(), dtype=np.float32)


def _community_cells(side: pd.DataFrame) -> pd.Series:
    # Members share a few thousand combinations of answers: each is spelt out once.
    made: dict[tuple, tuple[str, ...]] = {}
    cells = []
    for key in zip(side["library_type"], side["divisions"], side["chapter"], strict=True):
        try:
            tags = made.get(key)
        except TypeError:  # a division that cannot be hashed is spelt out where it stands
            cells.append(_community_tags(*key))
            continue
        if tags is None:
            tags = made[key] = _community_tags(*key)
        cells.append(tags)
    return pd.Series(cells, dtype=object)


def _community_tags(library_type: str, divisions: tuple, chapter: str) -> tuple[str, ...]:
    tags = [f"division:{d}" for d in divisions]
    if library_type:
        tags.append("library type:" + " ".join(library_type.casefold().split()))
    if chapter:
        tags.append("chapter:" + " ".join(chapter.casefold().split()))
    return tuple(tags)


def _weight_division_columns(
    matrix: sp.csr_matrix, vocabulary: list[str], division_count: np.ndarray
) -> sp.csr_matrix:
    matrix = matrix.tocoo()
    is_division = np.array([t.startswith("division:") for t in vocabulary], dtype=bool)
    data = matrix.data.copy()
    if len(vocabulary):
        division_entry = is_division[matrix.col]
        data[division_entry] /= division_count[matrix.row[division_entry]]
    return sp.csr_matrix((data, (matrix.row, matrix.col)), shape=matrix.shape)


def _preference_matrix(
    choices: pd.Series, mentor_position: dict[str, int], n_mentors: int
) -> sp.csr_matrix:
    rows, cols, values = [], [], []
    for i, chosen in enumerate(choices):
        seen: set[int] = set()
        for mentor_id in chosen:
            j = mentor_position.get(str(mentor_id))
            if j is None or j in seen:
                continue
            seen.add(j)
            rows.append(i)
            cols.append(j)
            values.append(_PREFERENCE_BY_RANK[min(len(seen) - 1, len(_PREFERENCE_BY_RANK) - 1)])
    return sp.csr_matrix((values, (rows, cols)), shape=(len(choices), n_mentors))


def _past_partner_matrix(
    e: pd.DataFrame,
    r: pd.DataFrame,
    mentee_position: dict[str, int],
    mentor_position: dict[str, int],
) -> sp.csr_matrix:
    pairs = set()
    for i, partners in enumerate(e["past_partners"]):
        for partner in partners:
            j = mentor_position.get(str(partner))
            if j is not None:
                pairs.add((i, j))
    for j, partners in enumerate(r["past_partners"]):
        for partner in partners:
            row = mentee_position.get(str(partner))
            if row is not None:
                pairs.add((row, j))
    rows = [p[0] for p in pairs]
    cols = [p[1] for p in pairs]
    return sp.csr_matrix(
        (np.ones(len(pairs), dtype=bool), (rows, cols)), shape=(len(e), len(r)), dtype=bool
    )


def score_block(
    features: Features, rows: np.ndarray | slice | None = None, *, total_only: bool = False
) -> dict[str, np.ndarray]:
    """Every component for a block of mentee rows against all mentors.

    Parameters
    ----------
    features : Features
        From :func:`build_features`.
    rows : array of int, slice or None
        Mentee positions (``None``: all of them).
    total_only : bool
        Return only ``"score"``, computing only the components with a positive weight.

    Returns
    -------
    dict
        Component name -> float64 array ``len(rows) x n_mentors`` in [0, 1] (``COMPONENTS``
        order), plus ``"score"``: the weighted total over the components each mentee has.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e", "r"], "name": ["E", "R"], "role": ["mentee", "mentor"],
    ...     "interests": [("archives", "outreach"), ("archives",)]})])
    >>> block = score_block(build_features(people, MatchConfig()))
    >>> round(float(block["interests"][0, 0]), 3), round(float(block["score"][0, 0]), 3)
    (0.58, 0.58)
    """
    if rows is None:
        rows = slice(None)
    f = features
    if total_only:
        from mentoring.engine.fused import total_block

        return {"score": total_block(f, np.arange(f.shape[0])[rows])}
    out = {name: _COMPONENT_BLOCKS[name](f, rows) for name in COMPONENTS}
    # Products of unit vectors and overlap shares can exceed 1 by rounding only; the table
    # lookups are exact.
    for name in ("interests", "goals", "community", "diversity"):
        if name in out:
            np.minimum(out[name], 1.0, out=out[name])
    if f.criteria:
        _merge_parts(f, out, rows, lambda part: part_block(part, rows))
    present = {k: v[rows] for k, v in f.present.items()}
    out["score"] = total_from_components(out, f.weights, present)
    return out


def _shares(counts: np.ndarray) -> np.ndarray:
    return np.maximum(counts, 1.0)[:, None]


_COMPONENT_BLOCKS = {
    "interests": lambda f, rows: _product(f.interests_e[rows], f.interests_r_t),
    "goals": lambda f, rows: (
        _product(f.seeks_e[rows], f.offers_r_t) / _shares(f.seeks_count_e[rows])
    ),
    "community": lambda f, rows: (
        _product(f.community_e[rows], f.community_r_t) / _shares(f.community_parts_e[rows])
    ),
    "diversity": lambda f, rows: (
        _product(f.identity_pref_e[rows], f.identities_r_t) / _shares(f.identity_pref_count_e[rows])
    ),
    "logistics": lambda f, rows: _lookup(f.logistics_codes, rows),
    "experience": lambda f, rows: _lookup(f.experience_codes, rows),
    "preference": lambda f, rows: f.preference[rows].toarray(),
}


def score_pairs(
    features: Features, rows: np.ndarray, cols: np.ndarray, *, chunk: int = 20_000
) -> dict[str, np.ndarray]:
    """Every component and the total for a list of (mentee row, mentor column) pairs.

    The cost grows with the number of pairs, not with the cohort: this is how the pairs and
    alternatives of a national cohort are explained without scoring every pair again.

    Parameters
    ----------
    features : Features
    rows, cols : numpy.ndarray of int
        Mentee positions and mentor positions, one pair per index.
    chunk : int
        Pairs per step (bounds the memory of the gathered mentor columns).

    Returns
    -------
    dict
        Component name -> float64 array of one value per pair, plus ``"score"``; equal to the
        corresponding entries of :func:`score_block`. With criteria, also each criterion's own
        value under :func:`mentoring.engine.criteria.criterion_key` (NaN where the mentee left
        it blank), for reasons.

    Examples
    --------
    >>> from mentoring.model.people import empty_people
    >>> people = pd.concat([empty_people(), pd.DataFrame({
    ...     "member_id": ["e", "r"], "name": ["E", "R"], "role": ["mentee", "mentor"],
    ...     "interests": [("archives", "outreach"), ("archives",)]})])
    >>> f = build_features(people, MatchConfig())
    >>> round(float(score_pairs(f, np.array([0]), np.array([0]))["score"][0]), 3)
    0.58
    """
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    names = (*COMPONENTS, "score")
    out = {name: np.zeros(len(rows)) for name in names}
    f = features
    for start in range(0, len(rows), chunk):
        r, c = rows[start : start + chunk], cols[start : start + chunk]
        part = {
            "interests": _rowwise(f.interests_e[r], f.interests_r_t, c),
            "goals": _rowwise(f.seeks_e[r], f.offers_r_t, c) / np.maximum(f.seeks_count_e[r], 1.0),
            "community": _rowwise(f.community_e[r], f.community_r_t, c)
            / np.maximum(f.community_parts_e[r], 1.0),
            "diversity": _rowwise(f.identity_pref_e[r], f.identities_r_t, c)
            / np.maximum(f.identity_pref_count_e[r], 1.0),
            "logistics": f.logistics_codes[2][f.logistics_codes[0][r], f.logistics_codes[1][c]],
            "experience": f.experience_codes[2][f.experience_codes[0][r], f.experience_codes[1][c]],
            "preference": np.asarray(f.preference[r, c], dtype=np.float64).ravel(),
        }
        for name in ("interests", "goals", "community", "diversity"):
            np.minimum(part[name], 1.0, out=part[name])
        if f.criteria:
            own = _merge_parts(f, part, r, lambda p, r=r, c=c: part_pairs(p, r, c))
            for key, values in own.items():
                out.setdefault(key, np.full(len(rows), np.nan))[start : start + chunk] = values
        total = total_from_components(
            {k: v[:, None] for k, v in part.items()},
            f.weights,
            {k: v[r] for k, v in f.present.items()},
        )
        for name, values in part.items():
            out[name][start : start + chunk] = values
        out["score"][start : start + chunk] = total[:, 0]
    return out


def _merge_parts(f: Features, out: dict[str, np.ndarray], rows, value_of) -> dict[str, np.ndarray]:
    """Fold each criterion into its component: the weighted mean of the parts a mentee has.

    ``out`` holds the fixed components for ``rows`` (blocks, or one value per pair); it is
    updated in place. Returns each criterion's own values (NaN where the mentee has no answer),
    keyed by :func:`mentoring.engine.criteria.criterion_key`.
    """
    assert f.base_present is not None
    own: dict[str, np.ndarray] = {}
    for name in COMPONENTS:
        parts = [p for p in f.criteria if p.criterion.component == name]
        if not parts or name not in out:
            continue
        weight = f.base_present[name][rows].astype(float)
        terms: list[tuple[np.ndarray, np.ndarray]] = [(out[name], weight)] if weight.any() else []
        denominator = weight.copy()
        for part in parts:
            w = part.present[rows] * part.criterion.weight
            value = value_of(part)
            if value.ndim == 1:
                own[criterion_key(part.criterion.name)] = np.where(
                    part.present[rows], value, np.nan
                )
            if w.any():
                terms.append((value, w))
                denominator = denominator + w
        out[name] = _weighted_mean(terms, denominator, out[name])
    return own


def _weighted_mean(
    terms: list[tuple[np.ndarray, np.ndarray]], denominator: np.ndarray, empty: np.ndarray
) -> np.ndarray:
    """Sum of ``value * weight`` over the terms, over ``denominator``, per row (0 where none).

    The common case of one free-text question on a form with nothing else in its component is
    a single term: its values are returned as they are, with no pass over the block.
    """
    if not terms:
        return np.zeros_like(empty)
    shared = len(terms) == 1 and np.all(terms[0][1] == denominator)
    if shared:
        value, w = terms[0]
        used = w > 0
        return value if used.all() else value * used.reshape(-1, *([1] * (value.ndim - 1)))
    scale = 1.0 / np.where(denominator > 0, denominator, 1.0)
    shape = (-1, *([1] * (terms[0][0].ndim - 1)))
    total = np.multiply(terms[0][0], (terms[0][1] * scale).reshape(shape))
    scratch = np.empty_like(total)
    for value, w in terms[1:]:
        np.multiply(value, (w * scale).reshape(shape), out=scratch)
        total += scratch
    return total


def _rowwise(left: sp.csr_matrix, right_t: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Row k of ``left`` dotted with mentor column ``cols[k]`` of the dense right side."""
    if right_t.shape[0] == 0 or left.shape[0] == 0:
        return np.zeros(left.shape[0])
    coo = left.tocoo()
    values = coo.data * right_t[coo.col, cols[coo.row]]
    return np.bincount(coo.row, weights=values, minlength=left.shape[0]).astype(np.float64)


def _product(left: sp.csr_matrix, right_t: np.ndarray) -> np.ndarray:
    if right_t.shape[0] == 0:
        return np.zeros((left.shape[0], right_t.shape[1]))
    return np.asarray(left @ right_t, dtype=np.float64)


def _factorize(keys: list) -> tuple[np.ndarray, list]:
    position: dict = {}
    codes = np.fromiter(
        (position.setdefault(k, len(position)) for k in keys), dtype=np.int64, count=len(keys)
    )
    return codes, list(position)


def _lookup(codes: tuple[np.ndarray, np.ndarray, np.ndarray], rows) -> np.ndarray:
    """Gather a component from its table of distinct answer combinations."""
    code_e, code_r, table = codes
    return table[np.ix_(code_e[rows], code_r)]


def _logistics_table(
    timezone_e: np.ndarray,
    mode_e: np.ndarray,
    languages_e: pd.Series,
    timezone_r: np.ndarray,
    mode_r: np.ndarray,
    languages_r: pd.Series,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Logistics depends only on a member's (time zone, mode, languages) combination.

    A cohort has few distinct combinations, so the component is a small table gathered per
    block: about fifteen times cheaper than broadcasting every part over every pair.
    """

    def keys(timezone, mode, languages):
        return [
            (None if np.isnan(t) else float(t), int(m), tuple(lang))
            for t, m, lang in zip(timezone, mode, languages, strict=True)
        ]

    code_e, unique_e = _factorize(keys(timezone_e, mode_e, languages_e))
    code_r, unique_r = _factorize(keys(timezone_r, mode_r, languages_r))

    def column(unique, k):
        return [u[k] for u in unique]

    tz_e = np.array([np.nan if t is None else t for t in column(unique_e, 0)], dtype=float)
    tz_r = np.array([np.nan if t is None else t for t in column(unique_r, 0)], dtype=float)
    md_e = np.array(column(unique_e, 1), dtype=np.int64)
    md_r = np.array(column(unique_r, 1), dtype=np.int64)
    lang_e, lang_r, _ = tag_matrix(
        pd.Series(column(unique_e, 2), dtype=object), pd.Series(column(unique_r, 2), dtype=object)
    )
    has_e = np.asarray(lang_e.sum(axis=1)).ravel() > 0
    has_r = np.asarray(lang_r.sum(axis=1)).ravel() > 0

    total = np.zeros((len(unique_e), len(unique_r)))
    count = np.zeros(len(unique_e))

    known = ~np.isnan(tz_e)
    distance = np.abs(tz_e[:, None] - tz_r[None, :])
    # Twelve hours apart is the far side of the world: no shared working hours at all.
    timezone = np.where(np.isnan(distance), 0.5, 1.0 - np.minimum(distance, 12.0) / 12.0)
    total += np.where(known[:, None], timezone, 0.0)
    count += known

    known = md_e >= 0
    compatible = (md_e[:, None] == md_r[None, :]) | (md_e[:, None] == 2) | (md_r[None, :] == 2)
    mode = np.where(md_r[None, :] < 0, 0.5, compatible.astype(float))
    total += np.where(known[:, None], mode, 0.0)
    count += known

    shared = np.asarray((lang_e @ lang_r.T).toarray()) > 0
    language = np.where(has_r[None, :], shared.astype(float), 0.5)
    total += np.where(has_e[:, None], language, 0.0)
    count += has_e

    return code_e, code_r, total / np.maximum(count, 1.0)[:, None]


def _experience_table(
    seniority_e: np.ndarray, seniority_r: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Experience from a table over the distinct seniority values of each side."""
    code_e, unique_e = _factorize([None if np.isnan(v) else float(v) for v in seniority_e])
    code_r, unique_r = _factorize([None if np.isnan(v) else float(v) for v in seniority_r])
    values_e = np.array([np.nan if v is None else v for v in unique_e], dtype=float)
    values_r = np.array([np.nan if v is None else v for v in unique_r], dtype=float)
    gap = values_r[None, :] - values_e[:, None]
    table = np.where(np.isnan(gap), 0.5, np.clip(0.5 + gap / 10.0, 0.0, 1.0))
    return code_e, code_r, table


def total_from_components(
    components: dict[str, np.ndarray],
    weights: dict[str, float],
    present: dict[str, np.ndarray],
) -> np.ndarray:
    """The weighted mean of the components each mentee has answers for.

    Parameters
    ----------
    components : dict
        Component name -> ``rows x mentors`` array.
    weights : dict
        Component name -> weight (any positive scale).
    present : dict
        Component name -> boolean per row: the mentee gave an answer this component can use.

    Returns
    -------
    numpy.ndarray
        ``rows x mentors`` scores in [0, 1]; 0 for a mentee with no usable answer at all.

    Examples
    --------
    >>> c = {"interests": np.array([[1.0]]), "goals": np.array([[0.0]])}
    >>> w = {"interests": 1.0, "goals": 1.0}
    >>> total_from_components(c, w, {"interests": np.array([True]), "goals": np.array([False])})
    array([[1.]])
    """
    first = next(iter(components.values()))
    numerator = np.zeros(first.shape)
    scratch = np.empty(first.shape)
    denominator = np.zeros(first.shape[0])
    for name, weight in weights.items():
        if weight <= 0 or name not in components:
            continue
        used = present[name].astype(float) * weight
        if not used.any():
            continue
        if used.min() == used.max():
            np.multiply(components[name], used[0], out=scratch)
        else:
            np.multiply(components[name], used[:, None], out=scratch)
        numerator += scratch
        denominator += used
    numerator /= np.where(denominator > 0, denominator, 1.0)[:, None]
    return numerator
