"""A one-page board report: coverage and mean score by group as charts, against any goal
targets, with small groups suppressed; as a PNG or PDF page and as an HTML page.

Only figures :func:`mentoring.outputs.report.group_report` shows are drawn: a group whose
counts read "<5" or "hidden" is left out of the charts and counted in a footnote.

>>> from mentoring.outputs.report import _example
>>> result, people = _example()
>>> board_png(result, people, "Spring cohort", ["library_type"])[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from typing import Any

import pandas as pd

from mentoring.model.results import MatchResult
from mentoring.outputs.report import group_report

__all__ = ["board_figure", "board_html", "board_pdf", "board_png", "shown_groups"]

_LABELS = {
    "library_type": "Library type",
    "career_stage": "Career stage",
    "divisions": "Division",
    "chapter": "State chapter",
    "meeting_mode": "Meeting mode",
    "languages": "Language",
    "priority": "Priority program",
    "open_to_peer": "Open to peer mentoring",
    "identities": "Self-described identity",
}


def shown_groups(result: MatchResult, people: pd.DataFrame, field: str) -> tuple[pd.DataFrame, int]:
    """The groups of one field whose coverage and mean score may be published, and how many
    groups were left out because they are small.

    Examples
    --------
    >>> from mentoring.outputs.report import _example
    >>> result, people = _example()
    >>> shown, hidden = shown_groups(result, people, "library_type")
    >>> shown["group"].tolist(), hidden
    (['academic', 'public'], 3)
    """
    report = group_report(result, people, field)
    ok = report["coverage"].map(lambda v: isinstance(v, float))
    shown = report.loc[ok].copy()
    shown["coverage"] = shown["coverage"].astype(float)
    shown["mean_score"] = pd.to_numeric(shown["mean_score"], errors="coerce")
    return shown.reset_index(drop=True), int((~ok).sum())


def _targets(result: MatchResult, field: str) -> tuple[float | None, float | None]:
    coverage = parity = None
    for goal in result.config.goals:
        data = goal.to_dict()
        if data.get("field") != field:
            continue
        if data["kind"] == "group_coverage":
            coverage = float(data["min_fraction"])
        elif data["kind"] == "group_score_parity":
            parity = float(data["tolerance"])
    return coverage, parity


def board_figure(
    result: MatchResult, people: pd.DataFrame, program: str, fields: Sequence[str]
) -> Any:
    """The board page as a matplotlib figure (A4 landscape): headline, then per field (at most
    three) coverage and mean score by group, goal targets drawn as dashed lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fields = list(fields)[:3]
    figure = plt.figure(figsize=(11.69, 8.27), dpi=100)
    stats = result.stats
    figure.suptitle(f"{program}: mentoring matches", fontsize=15, x=0.03, ha="left")
    figure.text(
        0.03,
        0.905,
        f"{stats.n_matched} of {stats.n_mentees} mentees matched \u00b7 mean pair score "
        f"{stats.mean_score:.2f} \u00b7 {stats.mentors_at_capacity} of {stats.n_mentors} mentors "
        "at capacity. Groups with fewer than 5 mentees are not shown.",
        fontsize=10,
    )
    if not fields:
        figure.text(0.03, 0.5, "The member files hold no field to group by.", fontsize=11)
        return figure
    grid = figure.add_gridspec(len(fields), 2, top=0.85, bottom=0.08, hspace=0.7, wspace=0.45)
    for row, field in enumerate(fields):
        shown, hidden = shown_groups(result, people, field)
        coverage_goal, parity = _targets(result, field)
        label = _LABELS.get(field, field)
        left = figure.add_subplot(grid[row, 0])
        left.barh(shown["group"], shown["coverage"] * 100, color="#1f5f99")
        left.set_xlim(0, 100)
        left.set_title(f"{label}: mentees matched (%)", fontsize=10, loc="left")
        if coverage_goal is not None:
            left.axvline(coverage_goal * 100, color="#c0392b", linestyle="--", label="goal")
            left.legend(fontsize=8, loc="lower right")
        right = figure.add_subplot(grid[row, 1])
        right.barh(shown["group"], shown["mean_score"].fillna(0), color="#3c8d5a")
        right.set_xlim(0, 1)
        right.set_title(f"{label}: mean pair score", fontsize=10, loc="left")
        if parity is not None:
            mean = float(stats.mean_score)
            for edge in (mean - parity, mean + parity):
                right.axvline(edge, color="#c0392b", linestyle="--")
        for axes in (left, right):
            axes.invert_yaxis()
            axes.tick_params(labelsize=8)
        if hidden:
            left.annotate(
                f"{hidden} small group(s) not shown",
                (0, -0.28),
                xycoords="axes fraction",
                fontsize=8,
                color="#555555",
            )
    return figure


def _save(figure: Any, fmt: str) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    plt.close(figure)
    return buffer.getvalue()


def board_png(
    result: MatchResult, people: pd.DataFrame, program: str, fields: Sequence[str]
) -> bytes:
    """:func:`board_figure` as a PNG image."""
    return _save(board_figure(result, people, program, fields), "png")


def board_pdf(
    result: MatchResult, people: pd.DataFrame, program: str, fields: Sequence[str]
) -> bytes:
    """:func:`board_figure` as a one-page PDF.

    Examples
    --------
    >>> from mentoring.outputs.report import _example
    >>> result, people = _example()
    >>> board_pdf(result, people, "Spring", ["library_type"])[:5]
    b'%PDF-'
    """
    return _save(board_figure(result, people, program, fields), "pdf")


def board_html(
    result: MatchResult, people: pd.DataFrame, program: str, fields: Sequence[str]
) -> str:
    """The board page as one self-contained HTML file: the chart and a table per field.

    Every text is escaped, so member answers and group names are shown as written.

    Examples
    --------
    >>> from mentoring.outputs.report import _example
    >>> result, people = _example()
    >>> page = board_html(result, people, "<Spring>", ["library_type"])
    >>> "&lt;Spring&gt;" in page and "<Spring>" not in page
    True
    """
    picture = base64.b64encode(board_png(result, people, program, fields)).decode("ascii")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(program)}: mentoring matches</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
        "padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
        "</style></head><body>",
        f"<h1>{html.escape(program)}: mentoring matches</h1>",
        f"<img alt='Coverage and mean score by group' src='data:image/png;base64,{picture}' "
        "style='width:100%'>",
    ]
    for field in list(fields)[:3]:
        report = group_report(result, people, field)
        parts.append(f"<h2>{html.escape(_LABELS.get(field, field))}</h2><table>")
        parts.append("<tr><th>Group</th><th>Mentees</th><th>Matched</th><th>Coverage</th>"
                     "<th>Mean score</th></tr>")  # fmt: skip
        for row in report.to_dict("records"):
            coverage = row["coverage"]
            mean = row["mean_score"]
            cells = [
                row["group"],
                row["mentees"],
                row["matched"],
                f"{coverage:.0%}" if isinstance(coverage, float) else coverage,
                f"{mean:.2f}" if isinstance(mean, float) and mean == mean else mean,
            ]
            parts.append(
                "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"
            )
        parts.append("</table>")
    parts.append(
        "<p>Counts from 1 to 4 read &ldquo;&lt;5&rdquo; and figures that would reveal them "
        "&ldquo;hidden&rdquo;.</p></body></html>"
    )
    return "".join(parts)
