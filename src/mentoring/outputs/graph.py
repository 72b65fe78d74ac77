"""The bipartite candidate graph: members as nodes, allowed pairs as edges.

It serves explanation, pictures and network statistics, never the solver: for a large cohort
it holds only the edges a picture needs (the matched pairs and each mentee's alternatives).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from mentoring.model.config import COMPONENTS

__all__ = ["candidate_graph", "matched_subgraph", "mentor_loads"]


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
    for member in people[["member_id", "name", "role", "capacity"]].itertuples(index=False):
        capacity = None if pd.isna(member.capacity) else int(member.capacity)
        common = {"member_id": str(member.member_id), "name": str(member.name), "role": member.role}
        if member.role in ("mentee", "both"):
            graph.add_node(f"mentee:{member.member_id}", bipartite=0, capacity=1, **common)
        if member.role in ("mentor", "both"):
            graph.add_node(f"mentor:{member.member_id}", bipartite=1, capacity=capacity, **common)
    attributes = [c for c in ("score", "matched", *COMPONENTS) if c in edges.columns]
    records = edges[["mentee_id", "mentor_id", *attributes]].to_dict("records")
    graph.add_edges_from(
        (
            f"mentee:{r['mentee_id']}",
            f"mentor:{r['mentor_id']}",
            {k: (bool(r[k]) if k == "matched" else float(r[k])) for k in attributes},
        )
        for r in records
    )
    return graph


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
