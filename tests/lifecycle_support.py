"""What the late-joiner and check-in tests share: files a coordinator would upload."""

from __future__ import annotations

import io

import pandas as pd

from mentoring.services.members import load_member_files

SAMPLE = "sample_data/members.csv"
ID, EMAIL, NAME = "ALA member ID", "Email Address", "Full name"
ROLE = "Would you like to mentor, be mentored, or both?"
PAST = (
    "Who have you been paired with before? (names or emails)",
    "My first choice mentor is:",
    "My second choice mentor is:",
)
FIRST = ("Ada", "Bram", "Cleo", "Dov", "Esme", "Fenn", "Gus", "Hana", "Ivo", "Jude")
LAST = ("Latecomer", "Newfield")


def newcomers_csv(n_mentees: int = 15, n_mentors: int = 5) -> bytes:
    """A file of ``n_mentees + n_mentors`` new members in the sample's own columns: sample
    rows with new ids, emails and names, and no past partners or wished-for mentors."""
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    role = raw[ROLE].str.strip().str.casefold()
    rows = pd.concat(
        [raw[role == "mentee"].head(n_mentees), raw[role == "mentor"].head(n_mentors)],
        ignore_index=True,
    )
    for k in range(len(rows)):
        first, last = FIRST[k % len(FIRST)], LAST[k // len(FIRST)]
        rows.loc[k, ID] = str(9_900_001 + k)
        rows.loc[k, EMAIL] = f"{first.lower()}.{last.lower()}@example.org"
        rows.loc[k, NAME] = f"{first} {last}"
        for column in PAST:
            rows.loc[k, column] = ""
    out = io.StringIO()
    rows.to_csv(out, index=False)
    return out.getvalue().encode()


def newcomer_ids(data: bytes) -> list[str]:
    """The member ids the app reads from a newcomers file."""
    return load_member_files([("late.csv", data)]).people["member_id"].astype(str).tolist()


def checkin_csv(pairs: pd.DataFrame, mentee_by_email: dict[str, str] | None = None) -> bytes:
    """A check-in file for ``pairs`` (mentee_id, mentor_id, status): the mentee by email when
    ``mentee_by_email`` knows it, the mentor by id, the status in the coordinator's words."""
    words = {"ended": "Ended", "change": "Wants a change", "continuing": "Continuing"}
    emails = mentee_by_email or {}
    table = pd.DataFrame(
        {
            "Mentee email": [emails.get(e, e) for e in pairs["mentee_id"]],
            "Mentor ID": pairs["mentor_id"].tolist(),
            "Outcome": [words[s] for s in pairs["status"]],
        }
    )
    out = io.StringIO()
    table.to_csv(out, index=False)
    return out.getvalue().encode()
