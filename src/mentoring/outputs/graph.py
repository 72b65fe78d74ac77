"""The bipartite candidate graph (members as nodes, allowed pairs as edges), and which groups
of mentees met which groups of mentors (:func:`group_flows`).

It serves explanation, pictures and network statistics, never the solver: for a large cohort
it holds only the edges a picture needs (the matched pairs and each mentee's alternatives).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx
import pandas as pd

from mentoring.model.config import COMPONENTS

__all__ = [
    "candidate_graph",
    "group_flow_figure",
    "group_flows",
    "matched_subgraph",
    "mentor_loads",
]


def candidate_graph(people: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """Build the candidate graph.

    Parameters
    ----------
    people : pandas.DataFrame
        The people table; every member becomes a node (``"mentee:<id>"`` on side 0 for members
        who can be mentored, ``"mentor:<id>"`` on side 1 for members who can mentor).
    edges : pandas.DataFrame
        Columns ``mentee_id``, ``mentor_id``, ``score``, ``matched`` and any of the score
        components; one row per allowed pair to draw.

    Returns
    -------
    networkx.Graph
        Node attributes ``bipartite`` (0 mentee side, 1 mentor side), ``member_id``, ``name``,
        ``role``, ``capacity``; edge attributes ``score``, ``matched`` and the components.

    Examples
    --------
    >>> people = pd.DataFrame({"member_id": ["e", "r"], "name": ["E", "R"],
    ...                        "role": ["mentee", "mentor"], "capacity": [pd.NA, 2]})
    >>> edges = pd.DataFrame({"mentee_id": ["e"], "mentor_id": ["r"], "score": [0.5],
    ...                       "matched": [True]})
    >>> g = candidate_graph(people, edges)
    >>> sorted(g.nodes), g.edges["mentee:e", "mentor:r"]["score"]
    (['mentee:e', 'mentor:r'], 0.5)
    """
    graph = nx.Graph()
    ids = people["member_id"].astype(str).tolist()
    names = people["name"].astype(str).tolist()
    roles = people["role"].tolist()
    capacities = [None if pd.isna(c) else int(c) for c in people["capacity"].tolist()]
    graph.add_nodes_from(_member_nodes(ids, names, roles, capacities))
    attributes = [c for c in ("score", "matched", *COMPONENTS) if c in edges.columns]
    # Column lists, not a dict per row: at 40,000 edges the records were half the time.
    values = [
        edges[c].to_numpy(dtype=bool if c == "matched" else float).tolist() for c in attributes
    ]
    graph.add_edges_from(
        (f"mentee:{e}", f"mentor:{r}", dict(zip(attributes, row, strict=True)))
        for e, r, *row in zip(
            edges["mentee_id"].tolist(), edges["mentor_id"].tolist(), *values, strict=True
        )
    )
    return graph


def _member_nodes(
    ids: list[str], names: list[str], roles: list[str], capacities: list[int | None]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A node per side each member can take, in the people table's order."""
    for member_id, name, role, capacity in zip(ids, names, roles, capacities, strict=True):
        common = {"member_id": member_id, "name": name, "role": role}
        if role in ("mentee", "both"):
            yield f"mentee:{member_id}", {"bipartite": 0, "capacity": 1, **common}
        if role in ("mentor", "both"):
            yield f"mentor:{member_id}", {"bipartite": 1, "capacity": capacity, **common}


def matched_subgraph(graph: nx.Graph) -> nx.Graph:
    """Only the matched pairs and the members in them (a copy).

    Examples
    --------
    >>> g = nx.Graph([("a", "b", {"matched": True}), ("a", "c", {"matched": False})])
    >>> sorted(matched_subgraph(g).edges)
    [('a', 'b')]
    """
    kept = [(u, v) for u, v, matched in graph.edges(data="matched") if matched]
    return graph.edge_subgraph(kept).copy()


def mentor_loads(graph: nx.Graph) -> pd.DataFrame:
    """Mentees per mentor node in the matched pairs: columns member_id, name, load, capacity.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("mentor:r", bipartite=1, member_id="r", name="R", capacity=2)
    >>> g.add_edge("mentee:e", "mentor:r", matched=True)
    >>> mentor_loads(g).to_dict("records")
    [{'member_id': 'r', 'name': 'R', 'load': 1, 'capacity': 2}]
    """
    rows = []
    for node, data in graph.nodes(data=True):
        if data.get("bipartite") != 1:
            continue
        load = sum(1 for _, _, m in graph.edges(node, data="matched") if m)
        rows.append(
            {
                "member_id": data.get("member_id", node),
                "name": data.get("name", ""),
                "load": load,
                "capacity": data.get("capacity"),
            }
        )
    return pd.DataFrame(rows, columns=["member_id", "name", "load", "capacity"])


def group_flows(pairs: pd.DataFrame, people: pd.DataFrame, field: str) -> pd.DataFrame:
    """Which mentee groups met which mentor groups: pairs counted by both members' group.

    Rows are the mentees' groups, columns the mentors' (members who left the field blank form
    ``"(not given)"``; a multi-valued field counts the pair under the first value). Counts from
    1 to 4 read ``"<5"`` and those that would reveal them ``"hidden"``, as in every group report.

    Parameters
    ----------
    pairs : pandas.DataFrame
        ``mentee_id`` and ``mentor_id``.
    people : pandas.DataFrame
        ``member_id`` and ``field``.
    field : str

    Returns
    -------
    pandas.DataFrame
        Object cells: ``int`` or ``"<5"``/``"hidden"``.

    Examples
    --------
    >>> people = pd.DataFrame({"member_id": list("abcdefghij") + ["r", "s"],
    ...     "library_type": ["public"] * 10 + ["public", "academic"]})
    >>> pairs = pd.DataFrame({"mentee_id": list("abcdefghij"), "mentor_id": ["r"] * 5 + ["s"] * 5})
    >>> group_flows(pairs, people, "library_type").to_dict()
    {'academic': {'public': 5}, 'public': {'public': 5}}
    """
    from mentoring.outputs.report import NOT_GIVEN, suppress_small

    if field not in people.columns:
        raise ValueError(f"expected a people column, got {field!r}")

    def label(value: object) -> str:
        if isinstance(value, tuple | list):
            value = value[0] if value else ""
        text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        if isinstance(value, bool):
            text = "yes" if value else "no"
        return text.strip() or NOT_GIVEN

    groups = {str(m): label(v) for m, v in zip(people["member_id"], people[field], strict=True)}
    frame = pd.DataFrame(
        {
            "mentee": [groups.get(str(m), NOT_GIVEN) for m in pairs["mentee_id"]],
            "mentor": [groups.get(str(m), NOT_GIVEN) for m in pairs["mentor_id"]],
        }
    )
    counts = pd.crosstab(frame["mentee"], frame["mentor"]) if len(frame) else pd.DataFrame()
    counts.index.name = counts.columns.name = None
    return suppress_small(counts.astype("int64")) if counts.size else counts


def group_flow_figure(flows: pd.DataFrame, field_label: str) -> Any:
    """A picture of :func:`group_flows`: a grid of mentee groups by mentor groups, shaded by
    how many pairs join them, each cell labelled with its (possibly suppressed) count.

    Returns a matplotlib figure; the caller saves or shows it.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows, cols = len(flows.index), len(flows.columns)
    figure, axes = plt.subplots(figsize=(min(4 + 1.1 * cols, 12), min(2 + 0.45 * rows, 9)), dpi=100)
    if not rows or not cols:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "No pairs to show", ha="center", va="center")
        return figure
    values = np.array(
        [[v if isinstance(v, int) else 0 for v in flows.iloc[i]] for i in range(rows)], float
    )
    axes.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    peak = values.max() or 1.0
    for i in range(rows):
        for j in range(cols):
            cell = flows.iloc[i, j]
            dark = isinstance(cell, int) and cell > peak * 0.6
            axes.text(j, i, str(cell), ha="center", va="center", fontsize=9,
                      color="white" if dark else "#1b2a3a")  # fmt: skip
    axes.set_xticks(range(cols), [str(c) for c in flows.columns], rotation=30, ha="right")
    axes.set_yticks(range(rows), [str(r) for r in flows.index])
    axes.set_xlabel(f"Mentor's {field_label.lower()}")
    axes.set_ylabel(f"Mentee's {field_label.lower()}")
    axes.set_title(f"Pairs by {field_label.lower()}: which mentee groups met which mentor groups")
    figure.tight_layout()
    return figure
