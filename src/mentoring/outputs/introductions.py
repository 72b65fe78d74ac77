"""Introduction emails a coordinator can send: editable templates with placeholders, previewed
per pair, as a mail-merge CSV and as one ``.eml`` file per pair in a zip. Nothing is sent.

Member answers fill the placeholders as plain text; a template can only name the placeholders
of :data:`PLACEHOLDERS`, so a typo is caught before hundreds of emails are made.

>>> render("Hello {mentee_first_name}!", {"mentee_first_name": "Ada"})
'Hello Ada!'
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP

import pandas as pd

__all__ = [
    "DEFAULT_BODY",
    "DEFAULT_SUBJECT",
    "INTRODUCTION_COLUMNS",
    "PLACEHOLDERS",
    "introduction_fields",
    "introductions",
    "introductions_csv",
    "introductions_zip",
    "render",
    "template_problems",
]

PLACEHOLDERS: dict[str, str] = {
    "mentee_name": "The mentee's full name",
    "mentee_first_name": "The mentee's first name",
    "mentee_email": "The mentee's email address",
    "mentor_name": "The mentor's full name",
    "mentor_first_name": "The mentor's first name",
    "mentor_email": "The mentor's email address",
    "reasons": "Why they were paired, in plain words",
    "program": "The program's name",
    "coordinator": "Your name, as typed below the template",
}
"""Every placeholder a template may use, with what it is replaced by."""

DEFAULT_SUBJECT = "Introducing your {program} mentoring partner"
"""The subject line offered at first."""

DEFAULT_BODY = """Dear {mentee_first_name} and {mentor_first_name},

Welcome to {program}! We are delighted to introduce you to each other.

{mentee_name} ({mentee_email}) will be mentored by {mentor_name} ({mentor_email}).
Why we paired you: {reasons}.

Please arrange a first conversation in the next two weeks. Reply to this email if you have
any questions.

With best wishes,
{coordinator}
"""
"""The body offered at first."""

INTRODUCTION_COLUMNS: tuple[str, ...] = (
    "mentee_id",
    "mentor_id",
    "to",
    "subject",
    "body",
)
"""Columns of :func:`introductions`: one row per pair."""

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def template_problems(template: str) -> list[str]:
    """Sentences naming every unknown placeholder in a template (empty when it is fine).

    Examples
    --------
    >>> template_problems("Hi {mentee_frist_name}")
    ['{mentee_frist_name} is not a placeholder; use one of {mentee_name}, {mentee_first_name}, {mentee_email}, {mentor_name}, {mentor_first_name}, {mentor_email}, {reasons}, {program}, {coordinator}.']
    """
    if not isinstance(template, str):
        raise TypeError(f"expected the template as str, got {type(template).__name__}")
    known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    return [
        f"{{{name}}} is not a placeholder; use one of {known}."
        for name in dict.fromkeys(_PLACEHOLDER.findall(template))
        if name not in PLACEHOLDERS
    ]


def render(template: str, fields: Mapping[str, str]) -> str:
    """The template with each ``{placeholder}`` replaced by its field, as plain text.

    Text inside the fields is never read as a placeholder, so a member's answer that contains
    braces stays as typed.

    Raises
    ------
    ValueError
        When the template names an unknown placeholder.

    Examples
    --------
    >>> render("{mentor_name} meets {mentee_name}", {"mentor_name": "{x}", "mentee_name": "Bo"})
    '{x} meets Bo'
    """
    problems = template_problems(template)
    if problems:
        raise ValueError(" ".join(problems))
    return _PLACEHOLDER.sub(lambda m: str(fields.get(m.group(1), "")), template)


def _first(name: str) -> str:
    parts = str(name).split()
    return parts[0] if parts else ""


def introduction_fields(
    pair: Mapping[str, object], program: str, coordinator: str
) -> dict[str, str]:
    """The placeholder values for one row of :func:`mentoring.outputs.export.pairs_table`.

    Examples
    --------
    >>> introduction_fields({"mentee_name": "Ada Quill", "mentor_name": "Bo Ink",
    ...     "reasons": "shared interests: archives"}, "Spring", "Kim")["mentor_first_name"]
    'Bo'
    """
    values = {
        "mentee_name": str(pair.get("mentee_name", "")),
        "mentee_email": str(pair.get("mentee_email", "")),
        "mentor_name": str(pair.get("mentor_name", "")),
        "mentor_email": str(pair.get("mentor_email", "")),
        "reasons": str(pair.get("reasons", "")),
        "program": program,
        "coordinator": coordinator,
    }
    values["mentee_first_name"] = _first(values["mentee_name"])
    values["mentor_first_name"] = _first(values["mentor_name"])
    return values


def introductions(
    pairs: pd.DataFrame, subject: str, body: str, program: str, coordinator: str = ""
) -> pd.DataFrame:
    """One introduction per pair: recipients, subject and body with the placeholders filled.

    Parameters
    ----------
    pairs : pandas.DataFrame
        :func:`mentoring.outputs.export.pairs_table` (plain cells).
    subject, body : str
        Templates; see :data:`PLACEHOLDERS`.
    program, coordinator : str

    Returns
    -------
    pandas.DataFrame
        :data:`INTRODUCTION_COLUMNS`; ``to`` holds both addresses joined by ``", "`` (a missing
        one is left out).

    Examples
    --------
    >>> pairs = pd.DataFrame({"mentee_id": ["e"], "mentor_id": ["r"], "mentee_name": ["Ada"],
    ...     "mentee_email": ["ada@x.org"], "mentor_name": ["Bo"], "mentor_email": [""],
    ...     "reasons": ["shared interests"]})
    >>> introductions(pairs, "Hi {mentee_name}", "{reasons}", "Spring")[["to", "subject"]].values.tolist()
    [['ada@x.org', 'Hi Ada']]
    """
    for template in (subject, body):
        problems = template_problems(template)
        if problems:
            raise ValueError(" ".join(problems))
    rows = []
    for pair in pairs.to_dict("records"):
        fields = introduction_fields(pair, program, coordinator)
        to = ", ".join(e for e in (fields["mentee_email"], fields["mentor_email"]) if e.strip())
        rows.append(
            {
                "mentee_id": str(pair.get("mentee_id", "")),
                "mentor_id": str(pair.get("mentor_id", "")),
                "to": to,
                "subject": render(subject, fields).replace("\r", " ").replace("\n", " "),
                "body": render(body, fields),
            }
        )
    return pd.DataFrame(rows, columns=list(INTRODUCTION_COLUMNS))


def introductions_csv(table: pd.DataFrame) -> bytes:
    """The introductions as a mail-merge CSV (safe against spreadsheet formulas).

    Examples
    --------
    >>> table = pd.DataFrame({"mentee_id": ["e"], "mentor_id": ["r"], "to": ["a@x.org"],
    ...                       "subject": ["=Hi"], "body": ["Hello"]})
    >>> introductions_csv(table).decode("utf-8-sig").splitlines()[1]
    '"e","r","a@x.org","\\'=Hi","Hello"'
    """
    from mentoring.outputs.export import safe_frame_csv

    return safe_frame_csv(table)


def introductions_zip(table: pd.DataFrame, sender: str = "") -> bytes:
    """One ``.eml`` file per introduction in a zip, to open in a mail program (nothing is sent).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`introductions`.
    sender : str
        The ``From`` address, if any.

    Returns
    -------
    bytes
        A zip of ``NNN-<mentee_id>.eml`` files (and ``README.txt``).

    Examples
    --------
    >>> table = pd.DataFrame({"mentee_id": ["e/1"], "mentor_id": ["r"], "to": ["a@x.org"],
    ...                       "subject": ["Hi"], "body": ["Hello"]})
    >>> names = zipfile.ZipFile(io.BytesIO(introductions_zip(table))).namelist()
    >>> names
    ['README.txt', '001-e-1.eml']
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            "One email per pair. Open a file in your mail program, check it and send it.\n"
            "Nothing has been sent.\n",
        )
        for position, row in enumerate(table.to_dict("records"), start=1):
            message = EmailMessage(policy=SMTP)
            if sender:
                message["From"] = sender
            if row["to"]:
                message["To"] = row["to"]
            message["Subject"] = row["subject"]
            message["X-Unsent"] = "1"
            message.set_content(row["body"])
            slug = re.sub(r"[^A-Za-z0-9_.@-]+", "-", str(row["mentee_id"])).strip("-")[:40]
            archive.writestr(f"{position:03d}-{slug or 'pair'}.eml", message.as_bytes())
    return buffer.getvalue()
