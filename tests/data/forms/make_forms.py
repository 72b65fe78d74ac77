"""Generate the signup-form corpus in this folder: realistic exports, each with an answer key.

Run ``python tests/data/forms/make_forms.py`` from the repository root (or from anywhere: it writes
next to itself). The output is deterministic: the same script writes byte-identical files, xlsx
included (zip timestamps and document properties are pinned). Only the standard library and
openpyxl are used. Every person, email address, phone number, id and organisation is invented.

See README.md in this folder for what each file imitates and for the answer-key format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import string
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20260214
PINNED = dt.datetime(2026, 1, 5, 9, 0, 0)

# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------

FIRST = [
    "Adaeze",
    "Aurelio",
    "Bartholomew",
    "Beatriz",
    "Calliope",
    "Cassius",
    "Delphine",
    "Desmond",
    "Eilidh",
    "Emeric",
    "Fenella",
    "Florian",
    "Gwendolyn",
    "Gideon",
    "Hyacinth",
    "Hamish",
    "Ines",
    "Ignatius",
    "Jovanka",
    "Jericho",
    "Kalinda",
    "Kester",
    "Leocadia",
    "Lysander",
    "Marisol",
    "Mungo",
    "Noor",
    "Nikolai",
    "Oriana",
    "Osric",
    "Perpetua",
    "Peregrine",
    "Quilla",
    "Quentin",
    "Rosamund",
    "Rafferty",
    "Saoirse",
    "Severin",
    "Tamsin",
    "Thaddeus",
    "Ulrike",
    "Urban",
    "Valentina",
    "Vesper",
    "Wilhelmina",
    "Wystan",
    "Xiomara",
    "Xavi",
    "Yolanda",
    "Yusuf",
    "Zenobia",
    "Zephyr",
    "Anouk",
    "Bram",
    "Carys",
    "Dario",
    "Elowen",
    "Fitzgerald",
    "Grazia",
    "Hollis",
    "Isolde",
    "Jasper",
    "Kenji",
    "Liesel",
    "Magnus",
    "Nerys",
    "Odalys",
    "Pascoe",
    "Rhiannon",
    "Sigrid",
    "Tobiah",
    "Umaima",
    "Verity",
    "Wendell",
    "Yara",
    "Zoltan",
    "Amara",
    "Benedikt",
    "Chiamaka",
    "Dagny",
    "Esperanza",
    "Faustino",
    "Ghislaine",
    "Hartley",
    "Ilse",
    "Jolyon",
    "Keziah",
    "Lorcan",
    "Marguerite",
    "Niamh",
    "Ottoline",
    "Priya",
    "Radomir",
    "Seraphina",
    "Tarquin",
    "Uchenna",
    "Vivienne",
]

LAST = [
    "Abernethy-Vale",
    "Ashgrove",
    "Blackthorn",
    "Brightwater",
    "Calloway-Sable",
    "Carrowmore",
    "Dunleavy",
    "Ellingham",
    "Fairweather",
    "Fenwick-Oduya",
    "Galbraith",
    "Greenhalgh",
    "Hawthorne-Ibe",
    "Hollowell",
    "Ironside",
    "Juniperberry",
    "Kettleborough",
    "Kingsmere",
    "Larkspur",
    "Lowther-Nakamura",
    "Marchbanks",
    "Merriweather",
    "Nightingale-Osei",
    "Northcote",
    "Oakenshield",
    "Ormerod",
    "Pennywhistle",
    "Quarrington",
    "Ravenscroft",
    "Rookwood",
    "Saltmarsh",
    "Silverbirch",
    "Thistlewood",
    "Tregarthen",
    "Underhill-Mbeki",
    "Upwood",
    "Valecrest",
    "Wetherall",
    "Whitlock-Reyes",
    "Wolstenholme",
    "Yardley",
    "Yewdale",
    "Zeffirelli-Park",
    "Achterberg",
    "Bramblecote",
    "Castellanos-Ruiz",
    "Delacroix-Ng",
    "Etherington",
    "Foxley",
    "Gallowglass",
    "Harcourt-Addo",
    "Inchbald",
    "Jessamine",
    "Kilbride",
    "Lindqvist-Amadi",
    "Moorcroft",
    "Nethercott",
    "Okonkwo-Hale",
    "Pemberton-Sato",
    "Quillfeather",
    "Rushbrooke",
    "Starling-Mendez",
    "Tolliver",
    "Umberleigh",
    "Vantongeren",
    "Winterbourne",
    "Xanthopoulos",
    "Youngblood",
    "Zamorano-Fitch",
    "Applethwaite",
    "Birchenough",
    "Coldharbour",
    "Dimbleby-Oyelaran",
    "Eaglestone",
    "Fothergill",
    "Gatenby",
    "Heathcote-Lim",
    "Isherwood",
    "Jaramillo-Stowe",
    "Kirkpatrick-Obi",
    "Littlejohn",
    "Mossop",
    "Noakes-Varga",
    "Ottershaw",
    "Pilkington-Rao",
    "Rainsford",
    "Sowerbutts",
    "Tunnicliffe",
    "Vickerstaff",
    "Waddingham",
    "Yelverton",
]

_used_names: set[tuple[str, str]] = set()


class P(dict):
    """A person: a dict whose keys read as attributes (missing keys read as None)."""

    def __getattr__(self, key):
        return self.get(key)

    def __setattr__(self, key, value):
        self[key] = value

    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other


def new_name(rng: random.Random) -> tuple[str, str]:
    while True:
        name = (rng.choice(FIRST), rng.choice(LAST))
        if name not in _used_names:
            _used_names.add(name)
            return name


def slug(text: str) -> str:
    return re.sub(r"[^a-z]+", "", text.lower())


def email_of(p: P, domain: str, style: str = "dot") -> str:
    first, last = slug(p.first), slug(p.last)
    if style == "initial":
        return f"{first[0]}{last}@{domain}"
    if style == "under":
        return f"{first}_{last}@{domain}"
    return f"{first}.{last}@{domain}"


def cohort(rng, n_mentor, n_mentee, n_both, rare, common, n_planted=5, per=2, k=(1, 3)):
    """People with topics. Planted pair i shares ``per`` rare options nobody else holds."""
    assert len(rare) >= per * n_planted
    people = []
    for role, n in (("mentor", n_mentor), ("mentee", n_mentee), ("both", n_both)):
        for _ in range(n):
            first, last = new_name(rng)
            people.append(P(first=first, last=last, role=role, plant=None, partner=None))
    mentors = [p for p in people if p.role == "mentor"]
    mentees = [p for p in people if p.role == "mentee"]
    pairs = []
    for i in range(n_planted):
        mentor, mentee = mentors[i], mentees[i]
        shared = list(rare[per * i : per * i + per])
        c = rng.sample(common, 1)
        mentee.topics = shared + c
        mentor.topics = shared + c + rng.sample([x for x in common if x not in c], 1)
        mentee.plant = mentor.plant = i
        mentee.partner, mentor.partner = mentor, mentee
        pairs.append((mentee, mentor))
    for p in people:
        if p.topics is None:
            p.topics = rng.sample(common, rng.randint(*k))
    rng.shuffle(people)
    return people, pairs


def is_mentor(p: P) -> bool:
    return p.role in ("mentor", "both")


def is_mentee(p: P) -> bool:
    return p.role in ("mentee", "both")


def ordered(chosen, options):
    return [o for o in options if o in chosen]


def mess(rng: random.Random, text, p: float = 0.15):
    """Trailing or leading space, lower or upper case, now and then."""
    if not text or not isinstance(text, str):
        return text
    r = rng.random()
    if r < p * 0.35:
        return text + " "
    if r < p * 0.6 and "@" in text:  # Capitalised.Address@example.org
        local, domain = text.split("@", 1)
        return ".".join(w.capitalize() for w in local.split(".")) + "@" + domain
    if r < p * 0.6:
        return text.lower()
    if r < p * 0.8:
        return " " + text
    if r < p:
        return text.upper() if len(text) < 12 else text + "  "
    return text


WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def apart_from_partner(pairs, attribute: str) -> None:
    """A planted mentee works somewhere else than their mentor: the default rule forbids pairs
    from the same institution, so a pair that breaks it is no best pair at all."""
    for mentee, mentor in pairs:
        if getattr(mentee, attribute) == getattr(mentor, attribute):
            others = sorted(
                {getattr(p, attribute) for p, _ in pairs} | {getattr(mentor, attribute)}
            )
            choices = [v for v in others if v != getattr(mentor, attribute)]
            setattr(
                mentee, attribute, choices[0] if choices else f"{getattr(mentor, attribute)} annex"
            )


def capacity_text(rng: random.Random, n: int, planted: bool = False):
    if planted:
        return rng.choice([str(n), str(n), f"{n} "])
    return rng.choice(
        [
            str(n),
            str(n),
            str(n),
            WORDS[n],
            f"up to {n}",
            f"{WORDS[n]}, maybe {WORDS[n + 1]}",
            f"{n} max",
            f"{n}-{n + 1}",
        ]
    )


def tick(rng: random.Random, start: dt.datetime, lo=600, hi=30000) -> dt.datetime:
    return start + dt.timedelta(seconds=rng.randint(lo, hi))


def stamps(rng, people, start):
    t = start
    for p in people:
        t = tick(rng, t)
        p.ts = t


def us_12h(t: dt.datetime) -> str:
    hour = t.hour % 12 or 12
    return f"{t:%m/%d/%Y} {hour}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'}"


def ip(rng: random.Random) -> str:
    net = rng.choice(["192.0.2", "198.51.100", "203.0.113"])
    return f"{net}.{rng.randint(1, 254)}"


def hexid(rng: random.Random, n: int, alphabet=string.ascii_lowercase + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def phone(rng: random.Random) -> str:
    a, b = rng.randint(200, 989), rng.randint(100, 199)
    return rng.choice(
        [f"({a}) 555-0{b}", f"{a}-555-0{b}", f"+1 {a} 555 0{b}", f"{a}.555.0{b}", f"{a}5550{b}"]
    )


# ---------------------------------------------------------------------------------------------
# Columns, sheets, writers, keys
# ---------------------------------------------------------------------------------------------


class Col:
    def __init__(
        self,
        header,
        use,
        fn=None,
        field=None,
        kind=None,
        pairs_with=None,
        raw=None,
        group=None,
        option=None,
        const=None,
    ):
        self.header, self.use, self.field, self.kind = header, use, field, kind
        self.pairs_with, self.raw, self.group, self.option = pairs_with, raw, group, option
        self.fn = fn if fn is not None else (lambda p: const)

    def key(self, sheet, index):
        out = {"sheet": sheet, "col": index, "header": self.header, "use": self.use}
        if self.raw is not None:
            out["raw_headers"] = self.raw
        if self.field:
            out["field"] = self.field
        if self.use in ("question", "availability", "acceptability", "wants_shared_identity"):
            out["kind"] = self.kind
            out["pairs_with"] = list(self.pairs_with or [])
        if self.group:
            out["group"] = self.group
        if self.option:
            out["option"] = self.option
        return out


class Sheet:
    def __init__(self, name, cols, people, hidden=False, before=None):
        self.name, self.cols, self.people = name, cols, people
        self.hidden = hidden
        self.before = before or []  # extra sheets (name, rows, hidden) written before this one

    def header_rows(self):
        if any(c.raw is not None for c in self.cols):
            depth = max(len(c.raw) for c in self.cols if c.raw is not None)
            return [
                [(c.raw or [c.header] + [""] * (depth - 1))[r] for c in self.cols]
                for r in range(depth)
            ]
        return [[c.header for c in self.cols]]

    def rows(self):
        return [[c.fn(p) for c in self.cols] for p in self.people]


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def write_csv(path: Path, sheet: Sheet, encoding="utf-8"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in sheet.header_rows() + sheet.rows():
        w.writerow([cell_text(v) for v in row])
    path.write_bytes(buf.getvalue().encode(encoding))


def write_xlsx(path: Path, sheets: list[Sheet], date_format="m/d/yyyy h:mm:ss"):
    import openpyxl  # imported here so that pytest's doctest collection stays cheap

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        for name, rows, hidden in sheet.before:
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
            if hidden:
                ws.sheet_state = "hidden"
        ws = wb.create_sheet(sheet.name)
        for row in sheet.header_rows() + sheet.rows():
            ws.append(row)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = date_format
        if sheet.hidden:
            ws.sheet_state = "hidden"
    # the first visible sheet must be active, or Excel complains about a hidden active sheet
    wb.active = next(i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible")
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.active
    wb.properties.creator = "mentoring test corpus"
    wb.properties.created = PINNED
    buf = io.BytesIO()
    wb.save(buf)
    pin_zip(buf.getvalue(), path)


def pin_zip(data: bytes, path: Path):
    """Rewrite an xlsx with fixed entry timestamps and document dates, so output is stable."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2026-01-05T09:00:00Z",
                    body,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 5, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    path.write_bytes(out.getvalue())


def member_id(p: P) -> str:
    return p.key


def build_key(
    file,
    layout,
    fmt,
    sheets,
    pairs,
    member_key,
    ordinal=None,
    forbidden=None,
    notes=None,
    extra=None,
    presented_row=1,
    encoding=None,
):
    cols = []
    for s in sheets:
        cols += [c.key(s.name, i) for i, c in enumerate(s.cols)]
    people = [p for s in sheets for p in s.people]
    roles = {
        "mentors": sum(p.role == "mentor" for p in people),
        "mentees": sum(p.role == "mentee" for p in people),
        "both": sum(p.role == "both" for p in people),
    }
    header_rows = len(sheets[0].header_rows())
    key = {
        "file": file,
        "layout": layout,
        "format": fmt,
        "encoding": encoding,
        "member_sheets": [s.name for s in sheets],
        "header_rows": header_rows,
        "presented_header_row": presented_row,
        "member_rows": len(people),
        "member_key": member_key,
        "columns": cols,
        "roles": roles,
        "planted_pairs": [[member_id(a), member_id(b)] for a, b in pairs],
        "ordinal_levels": ordinal or {},
        "forbidden_by_grid": forbidden or [],
    }
    if fmt != "csv":
        key.pop("encoding")
    if extra:
        key.update(extra)
    if notes:
        key["notes"] = notes
    return key


def emit(file, layout, sheets, pairs, member_key, fmt=None, encoding="utf-8", **kw):
    fmt = fmt or file.rsplit(".", 1)[1]
    path = HERE / file
    date_format = kw.pop("date_format", "m/d/yyyy h:mm:ss")
    if fmt == "csv":
        assert len(sheets) == 1
        write_csv(path, sheets[0], encoding)
    else:
        write_xlsx(path, sheets, date_format)
    key = build_key(file, layout, fmt, sheets, pairs, member_key, encoding=encoding, **kw)
    check(key, sheets, pairs)
    stem = file.rsplit(".", 1)[0]
    (HERE / f"{stem}.key.json").write_text(
        json.dumps(key, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return key


def check(key, sheets, pairs):
    people = [p for s in sheets for p in s.people]
    n = len(people)
    assert 20 <= n <= 60 or key.get("companion"), (key["file"], n)
    keys = [p.key for p in people]
    assert len(set(keys)) == len(keys), key["file"]
    assert all(k and k == k.strip() for k in keys), key["file"]
    assert len(pairs) >= 5
    forbidden = {tuple(x) for x in key["forbidden_by_grid"]}
    seen = set()
    for mentee, mentor in pairs:
        assert is_mentee(mentee) and is_mentor(mentor)
        assert (mentee.key, mentor.key) not in forbidden
        assert mentor.key not in seen  # one planted mentee per mentor: capacity is never an issue
        seen.add(mentor.key)
        assert (mentor.cap or 0) >= 1, (key["file"], mentor.key)
        if mentee.level is not None:
            assert mentor.level > mentee.level, (key["file"], mentee.key, mentor.key)
    headers = [(c["sheet"], c["header"]) for c in key["columns"]]
    assert len(set(headers)) == len(headers), ("duplicate presented header", key["file"])


def site_forbidden(people, sites, attr="grid"):
    """Pairs with no site that neither of them answered "No" for."""
    out = []
    for mentee in people:
        if not is_mentee(mentee):
            continue
        for mentor in people:
            if mentor is mentee or not is_mentor(mentor):
                continue
            ok = any(mentee[attr].get(s) != "No" and mentor[attr].get(s) != "No" for s in sites)
            if not ok:
                out.append([mentee.key, mentor.key])
    return out


def rng_for(name: str) -> random.Random:
    return random.Random(f"{SEED}-{name}")


def assign_caps(rng, people, lo=1, hi=3):
    for p in people:
        p.cap = rng.randint(lo, hi) if is_mentor(p) else None


def topics_text(p, options, sep=", ", other=None):
    parts = ordered(p.topics, options)
    if other:
        parts.append(other)
    return sep.join(parts) if parts else None


OTHER_TOPICS = [
    "Podcasting",
    "Other: zine libraries",
    "board games collections",
    "Other: Makerspaces",
    "knitting circles for staff wellbeing",
    "Other: union organising",
]


def qjson(obj) -> str:
    return json.dumps(obj, separators=(",", ":"))


def rare_of(p, rare):
    return [t for t in rare if t in p.topics]


def sprinkle_other(rng, people, p=0.12):
    for person in people:
        if person.plant is None and rng.random() < p:
            person.other = rng.choice(OTHER_TOPICS)


# 1. Google Forms CSV ---------------------------------------------------------------------------


def google_forms_sites():
    name = "google_forms_health_sciences.csv"
    rng = rng_for(name)
    common = [
        "Career planning",
        "Leadership and management",
        "Diversity, equity, and inclusion",
        "Work-life balance",
        "Networking",
        "Instruction",
    ]
    rare = [
        "Systematic review searching",
        "Clinical informatics",
        "Grant writing",
        "Consumer health outreach",
        "Data management plans",
        "Evidence synthesis tools",
        "Copyright and licensing",
        "Nursing education support",
        "Veterinary medicine collections",
        "Bioinformatics support",
        "Hospital library budgets",
        "Accreditation standards",
    ]
    options = common[:3] + rare[:6] + common[3:] + rare[6:]
    sites = ["Fort Washington", "Harbor View", "Millbrook", "Cedar Falls", "North Ridge"]
    answers = ["Definitely yes", "Not my first preference, but I'd make it work", "No"]
    people, pairs = cohort(rng, 12, 16, 4, rare, common, n_planted=5)
    assign_caps(rng, people)
    sprinkle_other(rng, people)
    stamps(rng, people, dt.datetime(2026, 1, 12, 8, 30))
    strict = set(rng.sample([p for p in people if p.plant is None], 6))
    for p in people:
        p.key = email_of(p, rng.choice(["example.org", "example.edu"]))
        p.site = rng.choice(sites)
        p.grid = {}
        for s in sites:
            if s == p.site:
                p.grid[s] = answers[0]
            elif p in strict:
                p.grid[s] = "No"
            else:
                p.grid[s] = rng.choices(answers + [""], weights=[4, 3, 3, 1])[0]
    for mentee, mentor in pairs:
        mentee.grid[mentor.site] = rng.choice(answers[:2])
    generic = [
        "Someone to talk to about my career.",
        "general advice",
        "Networking!",
        "Not sure yet",
        "To grow as a leader",
        "",
        "",
        "Support with my new role",
        "Perspective from outside my own library.",
    ]
    role = {"mentor": "Mentor", "mentee": "Mentee", "both": "Either – I'm happy to do both"}
    for mentee, mentor in pairs:
        a, b = (t.lower() for t in rare_of(mentee, rare))
        mentee.hope = f"I'd love help with {a}, and with {b} too."
        mentor.hope = f"Happy to share what I know about {a} and {b}."
    q_topics = "Which topics would you like to cover? (Check all that apply)"
    grid_q = "Which sites could you travel to?"
    cols = [
        Col(
            "Timestamp",
            "ignored",
            lambda p: f"{p.ts:%Y/%m/%d} {us_12h(p.ts).split(' ', 1)[1]} EST",
            field="timestamp",
        ),
        Col("Email Address", "email", lambda p: mess(rng, p.key, 0.2)),
        Col("Full name", "name", lambda p: mess(rng, f"{p.first} {p.last}", 0.1)),
        Col(
            "Would you like to be a mentor or a mentee?", "role", lambda p: mess(rng, role[p.role])
        ),
        Col(
            "Which library or site do you work at most of the time?",
            "question",
            lambda p: p.site,
            kind="same",
            field="location",
        ),
        Col(
            "Job title",
            "other",
            lambda p: rng.choice(
                [
                    "Clinical librarian",
                    "Library assistant",
                    "Outreach librarian",
                    "Informationist",
                    "Head of library services",
                    "Research support librarian",
                    "Knowledge manager",
                ]
            ),
            field="job_title",
        ),
        Col(
            q_topics,
            "question",
            lambda p: topics_text(p, options, other=p.other),
            kind="overlap",
            field="interests",
        ),
    ]
    for s in sites:
        cols.append(
            Col(
                f"{grid_q} [{s}]",
                "acceptability",
                lambda p, s=s: p.grid[s],
                kind="acceptability",
                group=grid_q,
                option=s,
                field="site",
            )
        )
    cols += [
        Col(
            "How many mentees would you be able to take on? (Mentors only)",
            "capacity",
            lambda p: capacity_text(rng, p.cap, p.plant is not None) if p.cap else None,
        ),
        Col(
            "What would you most like to get from the programme?",
            "question",
            lambda p: p.hope if p.hope is not None else rng.choice(generic),
            kind="free_text",
            field="free_text",
        ),
        Col(
            "Is there anything else we should know?",
            "other",
            lambda p: rng.choice(
                ["", "", "", "", "I'm part-time (Tue-Thu)", "n/a", "Prefer afternoons"]
            ),
            field="free_text",
        ),
    ]
    sheet = Sheet(None, cols, people)
    forbidden = site_forbidden(people, sites)
    return emit(
        name,
        "google_forms_csv",
        [sheet],
        pairs,
        {"sheet": None, "header": "Email Address", "normalise": "strip+lower"},
        forbidden=forbidden,
        extra={
            "forbidden_rule": (
                "a (mentee, mentor) pair is forbidden when, for every site in the grid, at "
                "least one of the two answered 'No' (blank counts as not 'No')"
            ),
            "multi_select_separator": ", ",
        },
        notes=[
            "Checkbox answers are joined with ', ' and the option 'Diversity, equity, "
            "and inclusion' contains commas itself: split against the known option "
            "labels, not on every comma.",
            "Google Forms appends 'Other' free text verbatim (no 'Other:' prefix) after "
            "the ticked options; OTHER_TOPICS also include 'Other: ...' style values.",
        ],
    )


# 2. Google Sheets workbook -----------------------------------------------------------------------


def google_sheets_gender():
    name = "google_sheets_prairie_library.xlsx"
    rng = rng_for(name)
    common = [
        "Reference services",
        "Youth services",
        "Leadership",
        "Collection development",
        "Programming and events",
        "Technology",
    ]
    rare = [
        "Bookmobile and outreach vehicles",
        "Seed libraries",
        "Library of things",
        "Tribal library partnerships",
        "Prison and jail library services",
        "Genealogy and local history",
        "Oral history projects",
        "Rural broadband advocacy",
        "Summer reading for teens",
        "Board and trustee relations",
    ]
    options = common + rare
    people, pairs = cohort(rng, 14, 18, 3, rare, common)
    assign_caps(rng, people)
    stamps(rng, people, dt.datetime(2026, 2, 2, 7, 45))
    genders = ["Woman", "Man", "Non-binary", "Prefer not to say"]
    for p in people:
        p.key = email_of(
            p,
            rng.choice(["example.org", "example.net", "prairielib.example"]),
            rng.choice(["dot", "initial"]),
        )
        p.gender = rng.choices(genders + [None], weights=[10, 6, 2, 1, 1])[0]
        p.same_gender = rng.choices(["Yes", "No", "No preference", None], weights=[3, 3, 5, 1])[0]
        p.years = rng.randint(0, 30)
        p.lib = rng.choice(["Public", "Academic", "School", "Special", "Public", "Public"])
    for i, (mentee, mentor) in enumerate(pairs):
        mentee.gender = mentor.gender = ["Woman", "Man", "Non-binary", "Woman", "Man"][i]
        mentee.same_gender = ["Yes", "Yes", "Yes", "No preference", "No"][i]
        mentor.same_gender = "No preference"
        mentee.years, mentor.years = rng.randint(0, 3), rng.randint(12, 28)
        mentee.lib = mentor.lib
    employers = [
        "Prairie Hills Public Library",
        "Bison Creek Library District",
        "Plainsview College Library",
        "Wheatland County Libraries",
        "Sodbuster Elementary",
        "Red Mesa University Libraries",
    ]
    for p in people:
        p.employer = rng.choice(employers)
    apart_from_partner(pairs, "employer")
    role = {
        "mentor": "I'd like to be a mentor",
        "mentee": "I'd like a mentor",
        "both": "Both / either",
    }
    gq = "Would you like to be matched with someone of similar gender?"
    cols = [
        Col("Timestamp", "ignored", lambda p: p.ts, field="timestamp"),
        Col("Email Address", "email", lambda p: mess(rng, p.key)),
        Col("Name", "name", lambda p: mess(rng, f"{p.first} {p.last}", 0.1)),
        Col(
            "Are you signing up as a mentor or a mentee?", "role", lambda p: mess(rng, role[p.role])
        ),
        Col(
            "What kind of library do you work in?",
            "question",
            lambda p: mess(rng, p.lib),
            kind="same",
            field="library_type",
        ),
        Col("Your library or employer", "organisation", lambda p: p.employer),
        Col(
            "How do you describe your gender?",
            "identity",
            lambda p: mess(rng, p.gender),
            field="gender",
        ),
        Col(
            gq,
            "wants_shared_identity",
            lambda p: p.same_gender,
            kind="shared_identity",
            field="gender",
        ),
        Col(
            "Areas of interest",
            "question",
            lambda p: topics_text(p, options),
            kind="overlap",
            field="interests",
        ),
        Col(
            "Years working in libraries",
            "question",
            lambda p: (
                p.years
                if rng.random() < 0.7
                else rng.choice([f"about {p.years}", f"{p.years} years", f"{p.years}+"])
            ),
            kind="ordinal",
            field="years_experience",
        ),
        Col(
            "How many mentees could you take? (mentors)",
            "capacity",
            lambda p: (
                (p.cap if rng.random() < 0.7 else capacity_text(rng, p.cap, p.plant is not None))
                if p.cap
                else None
            ),
        ),
    ]
    sheet = Sheet("Form Responses 1", cols, people)
    return emit(
        name,
        "google_sheets_xlsx",
        [sheet],
        pairs,
        {"sheet": "Form Responses 1", "header": "Email Address", "normalise": "strip+lower"},
        extra={"multi_select_separator": ", "},
        notes=[
            "Timestamps are real datetime cells; capacity and years mix numbers and text.",
            "Planted mentees who answered 'Yes' to the gender question share the "
            "planted mentor's gender.",
        ],
    )


# 3. Microsoft Forms workbook ---------------------------------------------------------------------


def microsoft_forms():
    name = "microsoft_forms_fabrikam.xlsx"
    rng = rng_for(name)
    common = [
        "Presenting to senior leaders",
        "Career planning",
        "Managing a team",
        "Work-life balance",
        "Networking inside Fabrikam",
    ]
    rare = [
        "SAP migration projects",
        "Pricing strategy",
        "Supplier diversity programmes",
        "Patent filings",
        "Returning from parental leave",
        "Moving from sales into product",
        "Regulatory submissions (FDA)",
        "Mainframe modernisation",
        "ESG reporting",
        "International assignments",
    ]
    options = common + rare
    levels = [
        "Associate",
        "Senior Associate",
        "Manager",
        "Senior Manager",
        "Director",
        "Vice President",
    ]
    people, pairs = cohort(rng, 18, 22, 0, rare, common)
    assign_caps(rng, people)
    units = ["Finance", "Supply Chain", "Sales", "R&D", "HR", "IT", "Legal", "Marketing"]
    for p in people:
        p.wwid = None
    wwids = rng.sample(range(10_000_000, 99_999_999), len(people))
    for p, w in zip(people, wwids, strict=True):
        p.key = str(w)
        p.mail = email_of(p, "fabrikam.example.com")
        p.unit = rng.choice(units)
        p.level = rng.randint(2, 5) if p.role == "mentor" else rng.randint(0, 3)
        p.office = rng.choice(["Redmond", "Dublin", "Singapore", "Austin", "Remote"])
    for mentee, mentor in pairs:
        mentee.level = rng.randint(0, 2)
        mentor.level = rng.randint(mentee.level + 2, 5)
        mentee.office = mentor.office
        mentee.unit = rng.choice([u for u in units if u != mentor.unit])
    mentors = [p for p in people if p.role == "mentor"]
    mentees = [p for p in people if p.role == "mentee"]
    for part, start in (
        (mentors, dt.datetime(2026, 1, 19, 9)),
        (mentees, dt.datetime(2026, 1, 20, 9)),
    ):
        stamps(rng, part, start)
        for i, p in enumerate(part, 1):
            p.n = i
            p.done = p.ts + dt.timedelta(seconds=rng.randint(95, 1400))
    for mentee, mentor in pairs:
        a, b = rare_of(mentee, rare)
        mentor.text = f"Years of hands-on work in {a.lower()}; I also advise on {b.lower()}."
        mentee.text = f"Build real experience in {a.lower()} and {b.lower()}"
    mq = "Which areas can you mentor others in?"
    eq = "Which areas would you like to develop?"
    mt = "Briefly describe the experience you bring"
    et = "What is your biggest development goal this year?"

    def ms_multi(p):
        return "".join(t + ";" for t in ordered(p.topics, options))

    def meta(owner_email, owner_name):
        return [
            Col("ID", "ignored", lambda p: p.n, field="response_id"),
            Col("Start time", "ignored", lambda p: p.ts, field="timestamp"),
            Col("Completion time", "ignored", lambda p: p.done, field="timestamp"),
            Col("Email", "ignored", const=owner_email, field="submitter"),
            Col("Name", "ignored", const=owner_name, field="submitter"),
        ]

    common_cols = [
        Col("WWID", "id", lambda p: int(p.key)),
        Col("Company email address", "email", lambda p: mess(rng, p.mail, 0.1)),
        Col("Full name", "name", lambda p: f"{p.first} {p.last}"),
        Col("Business unit", "organisation", lambda p: p.unit),
        Col("Job level", "question", lambda p: levels[p.level], kind="ordinal", field="grade"),
        Col("Office location", "question", lambda p: p.office, kind="same", field="location"),
    ]
    generic_m = [
        "15 years in the business, happy to help.",
        "Various roles in finance and ops.",
        "People leader for 8 years.",
        "",
        "I've moved teams several times.",
    ]
    generic_e = [
        "Grow my network",
        "Get promoted",
        "Become a better presenter",
        "",
        "Figure out my next move",
    ]
    mentor_cols = (
        meta("anonymous", "anonymous")
        + common_cols
        + [
            Col(mq, "question", ms_multi, kind="seeks_offers", pairs_with=[eq], field="interests"),
            Col("How many mentees can you support this year?", "capacity", lambda p: p.cap),
            Col(
                mt,
                "question",
                lambda p: p.text or rng.choice(generic_m),
                kind="free_text",
                pairs_with=[et],
                field="free_text",
            ),
        ]
    )
    mentee_cols = (
        meta("mentoring.office@fabrikam.example.com", "Mentoring Office")
        + [
            Col("Last modified time", "ignored", const=None, field="timestamp"),
        ]
        + common_cols
        + [
            Col(eq, "question", ms_multi, kind="seeks_offers", pairs_with=[mq], field="interests"),
            Col(
                et,
                "question",
                lambda p: p.text or rng.choice(generic_e),
                kind="free_text",
                pairs_with=[mt],
                field="free_text",
            ),
        ]
    )
    for p in people:
        p.level_name = levels[p.level]
    sheets = [Sheet("Mentors", mentor_cols, mentors), Sheet("Mentees", mentee_cols, mentees)]
    return emit(
        name,
        "microsoft_forms_xlsx",
        sheets,
        pairs,
        {"sheet": None, "header": "WWID", "normalise": "str(int)"},
        ordinal={"Job level": levels},
        extra={
            "role_from_sheet": {"Mentors": "mentor", "Mentees": "mentee"},
            "multi_select_separator": ";",
        },
        notes=[
            "No role column: the role comes from the sheet name.",
            "Email/Name are the exporter and identical on every row of a sheet; the "
            "member email is 'Company email address' and the member id is WWID.",
            "Multi-selects end with a trailing ';' as Microsoft Forms writes them.",
            "'Last modified time' exists on the Mentees sheet only and is empty.",
        ],
    )


# 4. Qualtrics CSV --------------------------------------------------------------------------------


def qualtrics():
    name = "qualtrics_archives_museums.csv"
    rng = rng_for(name)
    common = [
        "Career planning",
        "Digital preservation",
        "Exhibitions",
        "Leadership",
        "Community engagement",
    ]
    rare = [
        "Audiovisual migration",
        "Born-digital forensics",
        "Repatriation and NAGPRA",
        "Conservation science",
        "Rights and reproductions",
        "Oral history indexing",
        "Natural history specimens",
        "Textile collections",
        "Map and atlas collections",
        "Web archiving at scale",
    ]
    options = common[:2] + rare + common[2:]
    stages = [
        "Student",
        "Early career (0-5 years)",
        "Mid-career (6-15 years)",
        "Senior (16+ years)",
    ]
    people, pairs = cohort(rng, 12, 17, 4, rare, common)
    assign_caps(rng, people)
    stamps(rng, people, dt.datetime(2026, 1, 26, 10, 0))
    nums = rng.sample(range(100, 9999), len(people))
    tzs = ["Mountain Time", "Pacific Time", "Central Time", "Alaska Time"]
    for p, n in zip(people, nums, strict=True):
        p.key = f"WAMN-{n:04d}"
        p.email = email_of(p, rng.choice(["example.org", "museum.example", "archives.example"]))
        p.level = rng.randint(2, 3) if p.role == "mentor" else rng.randint(0, 2)
        p.tz = rng.choice(tzs)
        p.dur = rng.randint(120, 2400)
        p.rid = "R_" + hexid(rng, 15, string.ascii_letters + string.digits)
        p.lat = f"{rng.uniform(31.5, 48.9):.4f}"
        p.lon = f"{rng.uniform(-123.9, -104.1):.4f}"
        if p.plant is None and rng.random() < 0.15:
            p.other = rng.choice(["Podcasting", "Union organising", "Grant writing for small orgs"])
    for mentee, mentor in pairs:
        mentee.level = rng.randint(0, 1)
        mentor.level = rng.randint(mentee.level + 1, 3)
        mentee.tz = mentor.tz
    for mentee, mentor in pairs:
        a, b = (t.lower() for t in rare_of(mentee, rare))
        mentee.goal = f"I want to get better at {a}, and learn the basics of {b}."
        mentor.goal = f"I've spent years on {a} and {b} and would like to pass that on."
    role = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}
    tzq = "America/Denver"

    def meta(code, text, imp, fn, field):
        return Col(text, "ignored", fn, field=field, raw=[code, text, qjson(imp)])

    def fmt(t):
        return t.strftime("%Y-%m-%d %H:%M:%S")

    cols = [
        meta(
            "StartDate",
            "Start Date",
            {"ImportId": "startDate", "timeZone": tzq},
            lambda p: fmt(p.ts),
            "timestamp",
        ),
        meta(
            "EndDate",
            "End Date",
            {"ImportId": "endDate", "timeZone": tzq},
            lambda p: fmt(p.ts + dt.timedelta(seconds=p.dur)),
            "timestamp",
        ),
        meta("Status", "Response Type", {"ImportId": "status"}, lambda p: "IP Address", "status"),
        meta("IPAddress", "IP Address", {"ImportId": "ipAddress"}, lambda p: ip(rng), "ip"),
        meta("Progress", "Progress", {"ImportId": "progress"}, lambda p: "100", "progress"),
        meta(
            "Duration (in seconds)",
            "Duration (in seconds)",
            {"ImportId": "duration"},
            lambda p: str(p.dur),
            "duration",
        ),
        meta("Finished", "Finished", {"ImportId": "finished"}, lambda p: "True", "finished"),
        meta(
            "RecordedDate",
            "Recorded Date",
            {"ImportId": "recordedDate", "timeZone": tzq},
            lambda p: fmt(p.ts + dt.timedelta(seconds=p.dur + 1)),
            "timestamp",
        ),
        meta(
            "ResponseId", "Response ID", {"ImportId": "_recordId"}, lambda p: p.rid, "response_id"
        ),
        meta(
            "RecipientLastName",
            "Recipient Last Name",
            {"ImportId": "recipientLastName"},
            lambda p: "",
            "recipient",
        ),
        meta(
            "RecipientFirstName",
            "Recipient First Name",
            {"ImportId": "recipientFirstName"},
            lambda p: "",
            "recipient",
        ),
        meta(
            "RecipientEmail",
            "Recipient Email",
            {"ImportId": "recipientEmail"},
            lambda p: "",
            "recipient",
        ),
        meta(
            "ExternalReference",
            "External Data Reference",
            {"ImportId": "externalDataReference"},
            lambda p: "",
            "recipient",
        ),
        meta(
            "LocationLatitude",
            "Location Latitude",
            {"ImportId": "locationLatitude"},
            lambda p: p.lat,
            "geo",
        ),
        meta(
            "LocationLongitude",
            "Location Longitude",
            {"ImportId": "locationLongitude"},
            lambda p: p.lon,
            "geo",
        ),
        meta(
            "DistributionChannel",
            "Distribution Channel",
            {"ImportId": "distributionChannel"},
            lambda p: "anonymous",
            "channel",
        ),
        meta(
            "UserLanguage",
            "User Language",
            {"ImportId": "userLanguage"},
            lambda p: "EN",
            "language",
        ),
    ]

    def q(code, text, use, fn, **kw):
        imp = {"ImportId": "QID" + code[1:]}
        return Col(text, use, fn, raw=[code, text, qjson(imp)], **kw)

    cols += [
        q("Q1", "Please enter your full name", "name", lambda p: mess(rng, f"{p.first} {p.last}")),
        q("Q2", "Email address", "email", lambda p: mess(rng, p.email)),
        q("Q3", "WAMN member number (e.g. WAMN-0123)", "id", lambda p: p.key),
        q("Q4", "Which role are you applying for?", "role", lambda p: role[p.role]),
    ]
    q5 = "Which areas would you like to focus on? (Select all that apply)"
    for i, opt in enumerate(options, 1):
        cols.append(
            q(
                f"Q5_{i}",
                f"{q5} - {opt}",
                "question",
                (lambda o: lambda p: o if o in p.topics else "")(opt),
                kind="overlap",
                field="interests",
                group=q5,
                option=opt,
            )
        )
    k = len(options) + 1
    cols.append(
        q(
            f"Q5_{k}",
            f"{q5} - Other (please specify)",
            "question",
            lambda p: "Other (please specify)" if p.other else "",
            kind="overlap",
            field="interests",
            group=q5,
            option="Other (please specify)",
        )
    )
    cols.append(
        q(
            f"Q5_{k}_TEXT",
            f"{q5} - Other (please specify) - Text",
            "question",
            lambda p: p.other or "",
            kind="overlap",
            field="interests",
            group=q5,
            option="Other (please specify) - Text",
        )
    )
    cols += [
        q(
            "Q6",
            "Which time zone are you in?",
            "question",
            lambda p: p.tz,
            kind="same",
            field="timezone",
        ),
        q(
            "Q7",
            "Which career stage best describes you?",
            "question",
            lambda p: stages[p.level],
            kind="ordinal",
            field="career_stage",
        ),
        q(
            "Q8",
            "If mentoring, how many mentees could you work with?",
            "capacity",
            lambda p: capacity_text(rng, p.cap, p.plant is not None) if p.cap else "",
        ),
        q(
            "Q9",
            "Tell us a little about your goals for the programme",
            "question",
            lambda p: (
                p.goal
                or rng.choice(
                    [
                        "",
                        "Grow my network",
                        "Give back",
                        "Learn new skills",
                        "Build confidence",
                        "Meet people in the region",
                    ]
                )
            ),
            kind="free_text",
            field="free_text",
        ),
    ]
    for c in cols:  # Qualtrics ImportIds for text entry questions carry _TEXT
        if c.raw[0] in ("Q1", "Q2", "Q3", "Q8", "Q9"):
            c.raw[2] = qjson({"ImportId": f"QID{c.raw[0][1:]}_TEXT"})
    sheet = Sheet(None, cols, people)
    return emit(
        name,
        "qualtrics_csv",
        [sheet],
        pairs,
        {"sheet": None, "header": "WAMN member number (e.g. WAMN-0123)"},
        encoding="utf-8-sig",
        presented_row=2,
        ordinal={"Which career stage best describes you?": stages},
        notes=[
            "Three header rows: 1 = export codes (StartDate, Q5_3), 2 = question text "
            "(the presented header), 3 = ImportId JSON. Data starts on row 4.",
            "The multi-select Q5 is one column per option; a cell holds the option "
            "text or is blank. Q5_N_TEXT holds the 'Other' free text.",
            "UTF-8 with a byte-order mark, as Qualtrics writes it.",
        ],
    )


# 5. SurveyMonkey CSV and XLSX ------------------------------------------------------------------


def surveymonkey(fmt):
    name = f"surveymonkey_{'coastal_cooperative.csv' if fmt == 'csv' else 'school_librarians.xlsx'}"
    rng = rng_for(name)
    if fmt == "csv":
        common = [
            "Reference",
            "Leadership",
            "Instruction",
            "Marketing the library",
            "Work-life balance",
        ]
        rare = [
            "Interlibrary loan workflows",
            "Maritime history collections",
            "Hurricane preparedness and recovery",
            "Spanish-language outreach",
            "E-rate and funding",
            "Bookbinding and repair",
            "Local government relations",
            "Music and performing arts",
            "Serials cancellations",
            "Patent and trademark help",
        ]
        people, pairs = cohort(rng, 13, 18, 3, rare, common)
    else:
        common = [
            "Collaborating with teachers",
            "Information literacy",
            "Budgeting",
            "Advocacy",
            "Reading promotion",
        ]
        rare = [
            "Graphic novels in the curriculum",
            "Makerspaces and robotics",
            "Book challenges and reconsideration",
            "Serving English language learners",
            "Library media for special education",
            "Podcasting with students",
            "AP research support",
            "Braille and accessible formats",
            "Esports clubs",
            "Weeding old nonfiction",
        ]
        people, pairs = cohort(rng, 10, 14, 2, rare, common)
    options = common + rare
    assign_caps(rng, people)
    stamps(rng, people, dt.datetime(2026, 2, 9, 8, 0))
    ids = rng.sample(range(10000, 99999), len(people))
    for p, n in zip(people, ids, strict=True):
        p.rid = str(rng.randint(114_000_000_00, 114_999_999_99))
        p.collector = rng.choice(["432117650", "432117650", "432119981"])
        p.dur = rng.randint(90, 1500)
        p.email = email_of(p, rng.choice(["example.org", "example.com", "k12.example"]))
        p.key = f"CRLC-{n}" if fmt == "csv" else p.email
        p.libtype = rng.choice(["Public", "Academic", "School", "Special", "Public"])
        p.libother = None
        if rng.random() < 0.1:
            p.libtype, p.libother = (
                "Other (please specify)",
                rng.choice(["Prison library", "Hospital library", "museum library"]),
            )
        p.level = rng.randint(0, 3) if fmt == "xlsx" else None
        p.school = rng.choice(
            [
                "Tidewater Middle School",
                "Harbor Heights High",
                "Lighthouse Elementary",
                "Seagrass K-8",
                "Dune Ridge High School",
            ]
        )
        if p.plant is None and rng.random() < 0.15:
            p.other = rng.choice(["podcasts", "Genealogy", "escape rooms", "board games"])
    if fmt == "xlsx":
        for mentee, mentor in pairs:
            mentee.level, mentor.level = rng.randint(0, 1), rng.randint(2, 3)
        for p in people:
            if p.role == "mentor" and p.plant is None:
                p.level = rng.randint(1, 3)
    apart_from_partner(pairs, "school")
    role_q = "Are you joining as a mentor or a mentee?"
    role = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both / happy either way"}
    cols = []

    def add(q, label, use, fn, **kw):
        presented = q if label in ("", "Response", "Open-Ended Response") else f"{q} - {label}"
        cols.append(Col(presented, use, fn, raw=[q, label], **kw))

    start = (lambda p: us_12h(p.ts)) if fmt == "csv" else (lambda p: p.ts)
    end = (
        (lambda p: us_12h(p.ts + dt.timedelta(seconds=p.dur)))
        if fmt == "csv"
        else (lambda p: p.ts + dt.timedelta(seconds=p.dur))
    )
    add(
        "Respondent ID",
        "",
        "ignored",
        lambda p: p.rid if fmt == "csv" else int(p.rid),
        field="response_id",
    )
    add(
        "Collector ID",
        "",
        "ignored",
        lambda p: p.collector if fmt == "csv" else int(p.collector),
        field="collector",
    )
    add("Start Date", "", "ignored", start, field="timestamp")
    add("End Date", "", "ignored", end, field="timestamp")
    add("IP Address", "", "ignored", lambda p: ip(rng), field="ip")
    if fmt == "csv":  # email-invitation collector: the contact fields hold the member's own data
        add("Email Address", "", "email", lambda p: p.email)
        add("First Name", "", "first_name", lambda p: p.first)
        add("Last Name", "", "last_name", lambda p: p.last)
        add("Custom Data 1", "", "id", lambda p: p.key)
    else:  # web-link collector: the contact fields are empty
        for h in ("Email Address", "First Name", "Last Name", "Custom Data 1"):
            add(h, "", "ignored", lambda p: None, field="collector_contact")
        cq = "Your contact details"
        add(cq, "Name", "name", lambda p: mess(rng, f"{p.first} {p.last}"))
        add("", "School", "organisation", lambda p: p.school)
        add("", "Email Address", "email", lambda p: mess(rng, p.email))
        cols[-2].header, cols[-1].header = f"{cq} - School", f"{cq} - Email Address"
    add(role_q, "Response", "role", lambda p: mess(rng, role[p.role]))
    if fmt == "csv":
        lq = "What type of library do you work in?"
        add(lq, "Response", "question", lambda p: p.libtype, kind="same", field="library_type")
        add(
            "",
            "Other (please specify)",
            "question",
            lambda p: p.libother,
            kind="same",
            field="library_type",
        )
        cols[-1].header = f"{lq} - Other (please specify)"
    else:
        add(
            "How many years have you been a school librarian?",
            "Response",
            "question",
            lambda p: ["0-2", "3-5", "6-10", "More than 10"][p.level],
            kind="ordinal",
            field="years_experience",
        )
    tq = (
        "Which topics interest you? (Select all that apply)"
        if fmt == "csv"
        else "Which areas would you like support with, or could you support others with?"
    )
    for i, opt in enumerate(options + ["Other (please specify)"]):
        if opt.startswith("Other"):

            def fn(p):
                return p.other
        else:

            def fn(p, o=opt):
                return o if o in p.topics else None

        add(
            tq if i == 0 else "",
            opt,
            "question",
            fn,
            kind="overlap",
            field="interests",
            group=tq,
            option=opt,
        )
        cols[-1].header = f"{tq} - {opt}"
    add(
        "How many mentees could you take on?",
        "Response",
        "capacity",
        lambda p: capacity_text(rng, p.cap, p.plant is not None) if p.cap else None,
    )
    add(
        "Anything else you'd like your match to know?",
        "Open-Ended Response",
        "other",
        lambda p: rng.choice(
            [None, None, None, "Evenings are best", "I job-share", "New to the area!"]
        ),
        field="free_text",
    )
    sheet = Sheet(None if fmt == "csv" else "Sheet", cols, people)
    ordinal = (
        {"How many years have you been a school librarian?": ["0-2", "3-5", "6-10", "More than 10"]}
        if fmt == "xlsx"
        else None
    )
    mk = (
        {"sheet": None, "header": "Custom Data 1"}
        if fmt == "csv"
        else {
            "sheet": "Sheet",
            "header": "Your contact details - Email Address",
            "normalise": "strip+lower",
        }
    )
    return emit(
        name,
        f"surveymonkey_{fmt}",
        [sheet],
        pairs,
        mk,
        presented_row=1,
        ordinal=ordinal,
        date_format="mm/dd/yyyy hh:mm:ss AM/PM",
        notes=[
            "Two header rows: row 1 holds the question over its first column (blank "
            "over the following option columns), row 2 holds 'Response', "
            "'Open-Ended Response' or the option/field label. The presented header "
            "is row 1 (forward-filled over blanks) joined with ' - ' and the row-2 "
            "label, unless the label is blank, 'Response' or 'Open-Ended Response'.",
            "Multi-select columns hold the option label or are blank; the 'Other "
            "(please specify)' column holds the free text.",
        ]
        + (
            [
                "Email-invitation collector: Email Address, First Name and Last Name are "
                "the member's own; Custom Data 1 carries the cooperative's member id."
            ]
            if fmt == "csv"
            else [
                "Web-link collector: Email Address, First Name, Last Name and Custom Data 1 "
                "are empty on every row; the member's details come from the 'Your contact "
                "details' question (a SurveyMonkey contact-information block)."
            ]
        ),
    )


# 6. Typeform and JotForm CSVs ------------------------------------------------------------------


def typeform():
    name = "typeform_digital_humanities.csv"
    rng = rng_for(name)
    common = [
        "Project management",
        "Grant writing",
        "Teaching with technology",
        "Publishing and peer review",
        "Careers beyond academia",
    ]
    rare = [
        "Text encoding (TEI)",
        "GIS and spatial humanities",
        "Network analysis",
        "Sound studies and audio archives",
        "3D modelling and photogrammetry",
        "Handwritten text recognition",
        "Linked open data",
        "Minimal computing",
        "Game studies",
        "Computational stylometry",
    ]
    options = common + rare
    people, pairs = cohort(rng, 11, 15, 4, rare, common)
    assign_caps(rng, people)
    stamps(rng, people, dt.datetime(2026, 1, 14, 15, 0))
    tzs = ["UTC", "UTC+1 (CET)", "UTC-5 (US Eastern)", "UTC-8 (US Pacific)", "UTC+10 (AEST)"]
    nums = rng.sample(range(1000, 9999), len(people))
    for p, n in zip(people, nums, strict=True):
        p.key = f"ADHP{n}"
        p.email = email_of(p, rng.choice(["example.org", "example.ac.uk", "dh.example"]))
        p.tz = rng.choice(tzs)
        p.token = hexid(rng, 32)
        p.net = hexid(rng, 10)
        p.dur = rng.randint(60, 900)
        if p.plant is None and rng.random() < 0.15:
            p.other = rng.choice(["Digital pedagogy in prisons", "Podcasting", "Zines"])
    for mentee, mentor in pairs:
        mentee.tz = mentor.tz
    role = {"mentor": "Mentor", "mentee": "Be mentored", "both": "Both"}
    cols = [
        Col("#", "ignored", lambda p: p.token, field="response_id"),
        Col("What's your name?", "name", lambda p: mess(rng, f"{p.first} {p.last}")),
        Col("Thanks! And your email address?", "email", lambda p: mess(rng, p.email)),
        Col("Are you here to mentor, be mentored, or both?", "role", lambda p: role[p.role]),
    ]
    group = "Which of these would you like to talk about? (choose as many as you like)"
    for opt in options:
        cols.append(
            Col(
                opt,
                "question",
                (lambda o: lambda p: o if o in p.topics else "")(opt),
                kind="overlap",
                field="interests",
                group=group,
                option=opt,
            )
        )
    cols.append(
        Col(
            "Other",
            "question",
            lambda p: p.other or "",
            kind="overlap",
            field="interests",
            group=group,
            option="Other",
        )
    )
    cols += [
        Col(
            "Which time zone do you work in?",
            "question",
            lambda p: p.tz,
            kind="same",
            field="timezone",
        ),
        Col(
            "How many people could you mentor at once?",
            "capacity",
            lambda p: str(p.cap) if p.cap else "",
        ),
        Col(
            "Anything you'd like your match to know about you?",
            "other",
            lambda p: rng.choice(
                [
                    "",
                    "",
                    "I'm a night owl",
                    "I use they/them pronouns",
                    "Happy to meet in person in Leeds",
                    "Only Fridays, sorry",
                ]
            ),
            field="free_text",
        ),
        Col("member_id", "id", lambda p: p.key),
        Col(
            "Start Date (UTC)", "ignored", lambda p: f"{p.ts:%Y-%m-%d %H:%M:%S}", field="timestamp"
        ),
        Col(
            "Submit Date (UTC)",
            "ignored",
            lambda p: f"{p.ts + dt.timedelta(seconds=p.dur):%Y-%m-%d %H:%M:%S}",
            field="timestamp",
        ),
        Col("Network ID", "ignored", lambda p: p.net, field="network_id"),
        Col("Tags", "ignored", lambda p: "", field="tags"),
    ]
    sheet = Sheet(None, cols, people)
    return emit(
        name,
        "typeform_csv",
        [sheet],
        pairs,
        {"sheet": None, "header": "member_id"},
        notes=[
            "Typeform writes a multiple-selection question as one column per choice "
            "headed by the choice label alone (the question text is not in the "
            "file); 'group' in the key names the question for reference only.",
            "'member_id' is a Typeform hidden field filled from the invitation link.",
        ],
    )


def jotform():
    name = "jotform_records_managers.csv"
    rng = rng_for(name)
    common = [
        "Retention schedules",
        "Career advice",
        "Leadership",
        "Networking",
        "Certification exam prep",
    ]
    rare = [
        "E-discovery and legal holds",
        "Microsoft 365 governance",
        "Healthcare records",
        "Vital records digitisation",
        "Email archiving (Capstone)",
        "FOIA request handling",
        "Records centre operations",
        "Privacy impact assessments",
        "Disaster recovery",
        "Engineering drawings",
    ]
    options = common + rare
    people, pairs = cohort(rng, 12, 14, 3, rare, common)
    assign_caps(rng, people)
    stamps(rng, people, dt.datetime(2026, 2, 16, 9, 0))
    nums = rng.sample(range(200000, 299999), len(people))
    regions = ["Northeast", "Southeast", "Midwest", "Southwest", "West", "Canada"]
    for p, n in zip(people, nums, strict=True):
        p.key = str(n)
        p.email = email_of(
            p,
            rng.choice(["example.com", "example.gov", "records.example"]),
            rng.choice(["dot", "under"]),
        )
        p.region = rng.choice(regions)
        p.sid = str(rng.randint(6_100_000_000_000_000_000, 6_199_999_999_999_999_999))
    for mentee, mentor in pairs:
        mentee.region = mentor.region
    role = {"mentor": "Be a mentor", "mentee": "Be a mentee", "both": "Both"}
    cols = [
        Col("Submission Date", "ignored", lambda p: f"{p.ts:%Y-%m-%d %H:%M:%S}", field="timestamp"),
        Col("First Name", "first_name", lambda p: mess(rng, p.first)),
        Col("Last Name", "last_name", lambda p: mess(rng, p.last, 0.1)),
        Col("E-mail", "email", lambda p: mess(rng, p.email)),
        Col(
            "Phone Number",
            "ignored",
            lambda p: phone(rng) if rng.random() < 0.85 else "",
            field="phone",
        ),
        Col("Membership Number", "id", lambda p: p.key),
        Col("I would like to", "role", lambda p: mess(rng, role[p.role])),
        Col(
            "Areas of expertise or interest",
            "question",
            lambda p: topics_text(p, options, sep="\n"),
            kind="overlap",
            field="interests",
        ),
        Col("Region", "question", lambda p: p.region, kind="same", field="region"),
        Col(
            "Number of mentees (mentors only)",
            "capacity",
            lambda p: capacity_text(rng, p.cap, p.plant is not None) if p.cap else "",
        ),
        Col(
            "Comments",
            "other",
            lambda p: rng.choice(["", "", "", "Thanks!", "n/a", "I'm retiring next year"]),
            field="free_text",
        ),
        Col("Submission ID", "ignored", lambda p: p.sid, field="response_id"),
        Col("Submission IP", "ignored", lambda p: ip(rng), field="ip"),
    ]
    sheet = Sheet(None, cols, people)
    return emit(
        name,
        "jotform_csv",
        [sheet],
        pairs,
        {"sheet": None, "header": "Membership Number"},
        extra={"multi_select_separator": "\n"},
        notes=[
            "JotForm's Full Name field is exported as 'First Name' and 'Last Name'.",
            "Checkbox answers are separated by newlines inside one quoted cell.",
            "Submission ID is a 19-digit number: unique but a response id, not the member id.",
        ],
    )


# 7. Coordinator workbooks: an Instructions sheet first; a hidden first sheet ------------------


def excel_instructions():
    name = "excel_city_library_staff.xlsx"
    rng = rng_for(name)
    common = [
        "Customer service",
        "Reader development",
        "Digital skills",
        "Events",
        "Supervising staff",
    ]
    rare = [
        "Home library service",
        "Local studies archive",
        "Welcoming refugees and ESOL",
        "Dementia-friendly libraries",
        "Code clubs",
        "Business and IP centre",
        "Mobile library routes",
        "Library stock procurement",
        "Health information",
        "Prison library secondment",
    ]
    grades = [
        "Library Assistant",
        "Senior Library Assistant",
        "Librarian",
        "Senior Librarian",
        "Service Manager",
    ]
    people, pairs = cohort(rng, 10, 14, 3, rare, common)
    assign_caps(rng, people, 1, 2)
    nums = rng.sample(range(10000, 99999), len(people))
    teams = [
        "Central Library",
        "Northgate Branch",
        "Riverside Branch",
        "Mobile & Outreach",
        "Stock Team",
        "Learning & Skills",
    ]
    for p, n in zip(people, nums, strict=True):
        p.key = f"S{n}"
        p.team = rng.choice(teams)
        p.level = rng.randint(1, 4) if is_mentor(p) else rng.randint(0, 2)
    for mentee, mentor in pairs:
        mentee.level, mentor.level = rng.randint(0, 1), rng.randint(2, 4)
        mentee.team = rng.choice([t for t in teams if t != mentor.team])
    role = {
        "mentor": ["Mentor", "MENTOR", "mentor "],
        "mentee": ["Mentee", "mentee", "Mentee "],
        "both": ["Mentor & mentee", "both", "Either"],
    }

    def interests(p):
        parts = ordered(p.topics, common + rare)
        sep = rng.choice([";", "; ", " ; "])
        return sep.join(t if rng.random() > 0.1 else t.lower() for t in parts)

    notes_pool = [
        None,
        None,
        None,
        "Part-time, Mon-Wed",
        "Returning from leave in March",
        "Happy to be matched across sites",
        "ask me about Welsh speakers",
    ]
    cols = [
        Col("Staff number", "id", lambda p: p.key),
        Col("Surname", "last_name", lambda p: mess(rng, p.last, 0.1)),
        Col("First name", "first_name", lambda p: mess(rng, p.first, 0.1)),
        Col("Team / site", "organisation", lambda p: p.team),
        Col("Role in scheme", "role", lambda p: rng.choice(role[p.role])),
        Col("Current grade", "question", lambda p: grades[p.level], kind="ordinal", field="grade"),
        Col(
            "Interests (separate with ;)", "question", interests, kind="overlap", field="interests"
        ),
        Col("Max mentees", "capacity", lambda p: p.cap),
        Col("Notes", "other", lambda p: rng.choice(notes_pool), field="free_text"),
    ]
    instructions = [
        ["City Libraries staff mentoring scheme 2026"],
        [],
        ["How to use this workbook"],
        ["1. Add one row per person on the 'Sign-ups' sheet."],
        ["2. Role in scheme: Mentor, Mentee, or Mentor & mentee."],
        ["3. Separate interests with a semicolon."],
        ["4. Max mentees is for mentors only; leave blank for mentees."],
        [],
        ["Questions? Email staff.development@citylibraries.example"],
    ]
    sheet = Sheet("Sign-ups", cols, people, before=[("Instructions", instructions, False)])
    return emit(
        name,
        "excel_instructions_first",
        [sheet],
        pairs,
        {"sheet": "Sign-ups", "header": "Staff number"},
        ordinal={"Current grade": grades},
        extra={"other_sheets": ["Instructions"], "multi_select_separator": ";"},
        notes=[
            "The first sheet is a page of instructions; members are on the second "
            "sheet, 'Sign-ups'. Interests use ';' with irregular spacing."
        ],
    )


def excel_hidden_sheet():
    name = "excel_health_libraries_hidden_lookups.xlsx"
    rng = rng_for(name)
    common = [
        "Literature searching",
        "Teaching critical appraisal",
        "Leadership",
        "Knowledge management",
        "Career progression",
    ]
    rare = [
        "Mental health trusts",
        "Ambulance service libraries",
        "Patient information leaflets",
        "Clinical decision support tools",
        "Library space redesign",
        "Medical student induction",
        "Horizon scanning",
        "Evidence for commissioners",
        "Rapid reviews",
        "Quality improvement methods",
    ]
    options = common + rare
    people, pairs = cohort(rng, 12, 16, 2, rare, common)
    assign_caps(rng, people)
    nums = rng.sample(range(1000, 9999), len(people))
    regions = ["North West", "Yorkshire", "Midlands", "London", "South West", "Wales", "Scotland"]
    specialisms = ["Clinical", "Academic", "Public health", "Commissioning"]
    for p, n in zip(people, nums, strict=True):
        p.key = f"HLG{n}"
        p.email = email_of(p, rng.choice(["nhs.example", "example.ac.uk", "example.org"]))
        p.region = rng.choice(regions)
        p.spec = rng.choice(specialisms)
    for mentee, mentor in pairs:
        mentee.region, mentee.spec = mentor.region, mentor.spec
    mentor_names = [f"{p.first} {p.last}" for p in people if is_mentor(p)]
    for p in people:
        if is_mentee(p) and p.plant is None and rng.random() < 0.3:
            p.prev = rng.choice(["(new)", "none", rng.choice(mentor_names)])
    role = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}
    cols = [
        Col("Member ID", "id", lambda p: p.key),
        Col("Name", "name", lambda p: mess(rng, f"{p.first} {p.last}", 0.1)),
        Col("Email", "email", lambda p: mess(rng, p.email)),
        Col("Mentor or mentee?", "role", lambda p: mess(rng, role[p.role])),
        Col("Region", "question", lambda p: p.region, kind="same", field="region"),
        Col("Sector", "question", lambda p: p.spec, kind="same", field="sector"),
        Col(
            "Interests",
            "question",
            lambda p: topics_text(p, options),
            kind="overlap",
            field="interests",
        ),
        Col("Capacity", "capacity", lambda p: p.cap),
        Col("Previous mentor (if any)", "history", lambda p: p.prev),
    ]
    lookups = [["Roles", "Regions", "Sectors", "Interests"]]
    for i in range(max(len(regions), len(options))):
        lookups.append(
            [
                ["Mentor", "Mentee", "Both"][i] if i < 3 else None,
                regions[i] if i < len(regions) else None,
                specialisms[i] if i < len(specialisms) else None,
                options[i] if i < len(options) else None,
            ]
        )
    sheet = Sheet("Responses", cols, people, before=[("Lookups", lookups, True)])
    return emit(
        name,
        "excel_hidden_first_sheet",
        [sheet],
        pairs,
        {"sheet": "Responses", "header": "Member ID"},
        extra={"other_sheets": ["Lookups (hidden)"], "multi_select_separator": ", "},
        notes=[
            "The first sheet, 'Lookups', is hidden and holds drop-down lists with a "
            "header row of its own; members are on 'Responses'."
        ],
    )


# 8. Separate mentor and mentee files with different wording ----------------------------------


def civil_service():
    mentee_file, mentor_file = "civil_service_mentees.csv", "civil_service_mentors.csv"
    rng = rng_for("civil_service")
    common = [
        "Public Speaking",
        "Stakeholder Management",
        "Leadership",
        "Career Progression",
        "Networking",
    ]
    rare = [
        "Ministerial Briefings",
        "Data Visualisation",
        "Commercial Negotiation",
        "Parliamentary Procedure",
        "Freedom of Information",
        "Behavioural Insights",
        "Spending Reviews",
        "Legislative Drafting",
        "Crisis Communications",
        "Agile Delivery",
    ]
    options = common + rare
    grades = ["AA", "AO", "EO", "HEO", "SEO", "Grade 7", "Grade 6", "SCS1"]
    professions = [
        "Policy",
        "Digital, Data and Technology",
        "Finance",
        "Operational Delivery",
        "Communications",
        "Analysis",
        "Human Resources",
        "Commercial",
    ]
    depts = {
        "Department for Coastal Affairs": "dca.example",
        "Ministry of Public Records": "mpr.example",
        "Office for Rural Transport": "ort.example",
        "Department of Digital Services": "dds.example",
        "Revenue and Duties Office": "rdo.example",
    }
    chars = [
        "Ethnicity",
        "Disability",
        "LGBTQ+",
        "Caring responsibilities",
        "Social mobility background",
    ]
    people, pairs = cohort(rng, 22, 26, 0, rare, common)
    for p in people:
        p.dept = rng.choice(list(depts))
        p.key = email_of(p, depts[p.dept])
        p.prof = rng.choice(professions)
        p.level = rng.randint(3, 7) if p.role == "mentor" else rng.randint(0, 4)
        p.chars = rng.sample(chars, rng.choice([0, 0, 1, 1, 2])) if p.role == "mentor" else []
        p.wants = rng.choices(["Yes", "No", None], weights=[2, 6, 1])[0]
        p.wants_which = rng.choice(chars) if p.wants == "Yes" else None
    for i, (mentee, mentor) in enumerate(pairs):
        mentee.level = rng.randint(1, 3)
        mentor.level = rng.randint(mentee.level + 2, 7)
        mentee.prof = mentor.prof
        mentee.dept = rng.choice([d for d in depts if d != mentor.dept])
        mentee.key = email_of(mentee, depts[mentee.dept])
        if i < 2:
            mentee.wants, mentee.wants_which = "Yes", chars[i]
            mentor.chars = [chars[i]]
        else:
            mentee.wants, mentee.wants_which = "No", None
    for p in people:  # "both" people sit in the file they signed up through
        p.file = p.role
    for p in rng.sample([p for p in people if p.plant is None], 9):
        p.role = "both"
    mentors = [p for p in people if p.file == "mentor"]
    mentees = [p for p in people if p.file == "mentee"]
    for p in mentors:
        p.cap = rng.randint(1, 3)
    for mentee, mentor in pairs:
        a, b = (t.lower() for t in rare_of(mentee, rare))
        mentor.bio = f"I've led work on {a} and on {b} across two departments."
        mentee.want = f"I've just taken on {a} and {b} and want to learn from someone who has."
    yn = {"both": "Yes", "mentor": "No", "mentee": "No"}
    me_skill, mt_skill = (
        "Skills you want to be mentored in",
        "Skills you want to help mentees improve",
    )
    me_want = "What would you like to get out of mentoring?"
    mt_bio = "Short biography"
    me_grade, mt_grade = "Your grade", "What grade are you?"
    mentee_cols = [
        Col("Timestamp", "ignored", lambda p: us_12h(p.ts), field="timestamp"),
        Col("First name", "first_name", lambda p: mess(rng, p.first, 0.1)),
        Col("Last name", "last_name", lambda p: mess(rng, p.last, 0.1)),
        Col("Email address", "email", lambda p: mess(rng, p.key)),
        Col(
            me_grade,
            "question",
            lambda p: grades[p.level],
            kind="ordinal",
            field="grade",
            pairs_with=[mt_grade],
        ),
        Col("Department", "organisation", lambda p: p.dept),
        Col(
            "Profession",
            "question",
            lambda p: p.prof,
            kind="same",
            field="profession",
            pairs_with=["Your profession"],
        ),
        Col(
            me_skill,
            "question",
            lambda p: ", ".join("Skill: " + t for t in ordered(p.topics, options)),
            kind="seeks_offers",
            field="skills",
            pairs_with=[mt_skill],
        ),
        Col(
            "I'm happy to be both a mentor and a mentee",
            "role",
            lambda p: yn[p.role],
            field="both_flag",
        ),
        Col(
            "Would you like a mentor who shares a characteristic with you?",
            "wants_shared_identity",
            lambda p: p.wants,
            kind="shared_identity",
            pairs_with=["Characteristics you identify with (optional)"],
        ),
        Col(
            "If so, which characteristic?",
            "identity",
            lambda p: p.wants_which,
            field="identity_to_match",
        ),
        Col(
            me_want,
            "question",
            lambda p: (
                p.want
                or rng.choice(
                    [
                        "Progress to the next grade",
                        "Build my network",
                        "Confidence",
                        "",
                        "Advice on a move to another department",
                    ]
                )
            ),
            kind="free_text",
            field="free_text",
            pairs_with=[mt_bio],
        ),
    ]
    mentor_cols = [
        Col("Timestamp", "ignored", lambda p: us_12h(p.ts), field="timestamp"),
        Col("First Name", "first_name", lambda p: mess(rng, p.first, 0.1)),
        Col("Surname", "last_name", lambda p: mess(rng, p.last, 0.1)),
        Col("Work email", "email", lambda p: mess(rng, p.key)),
        Col(
            mt_grade,
            "question",
            lambda p: grades[p.level],
            kind="ordinal",
            field="grade",
            pairs_with=[me_grade],
        ),
        Col("Department or agency", "organisation", lambda p: p.dept),
        Col(
            "Your profession",
            "question",
            lambda p: p.prof,
            kind="same",
            field="profession",
            pairs_with=["Profession"],
        ),
        Col(
            mt_skill,
            "question",
            lambda p: ", ".join(ordered(p.topics, options)),
            kind="seeks_offers",
            field="skills",
            pairs_with=[me_skill],
        ),
        Col(
            "I'm happy to be both a mentor and a mentee",
            "role",
            lambda p: yn[p.role],
            field="both_flag",
        ),
        Col(
            "Characteristics you identify with (optional)",
            "identity",
            lambda p: ", ".join(p.chars or []),
            field="characteristics",
        ),
        Col("How many mentees could you take on?", "capacity", lambda p: p.cap),
        Col(
            mt_bio,
            "question",
            lambda p: (
                p.bio
                or rng.choice(
                    [
                        "Twenty years in policy roles.",
                        "Line manager of a team of 12.",
                        "",
                        "Worked in three departments.",
                        "Analyst turned team leader.",
                    ]
                )
            ),
            kind="free_text",
            field="free_text",
            pairs_with=[me_want],
        ),
    ]
    stamps(rng, mentees, dt.datetime(2026, 3, 2, 9))
    stamps(rng, mentors, dt.datetime(2026, 3, 2, 9))
    out = []
    for file, cols, part, other in (
        (mentee_file, mentee_cols, mentees, mentor_file),
        (mentor_file, mentor_cols, mentors, mentee_file),
    ):
        sheet = Sheet(None, cols, part)
        header = "Email address" if part is mentees else "Work email"
        out.append(
            emit(
                file,
                "separate_mentor_mentee_csv",
                [sheet],
                pairs,
                {"sheet": None, "header": header, "normalise": "strip+lower"},
                ordinal={me_grade if part is mentees else mt_grade: grades},
                extra={
                    "companion": other,
                    "file_role": "mentee" if part is mentees else "mentor",
                    # The file's side is authoritative (issue 11): a "both" answer adds the
                    # other role only for someone who is also in the other side's file, and
                    # nobody here is in both files.
                    "roles": {
                        "mentors": 0 if part is mentees else len(part),
                        "mentees": len(part) if part is mentees else 0,
                        "both": 0,
                    },
                    "multi_select_separator": ", ",
                    "value_prefix": {me_skill: "Skill: "} if part is mentees else {},
                },
                notes=[
                    "One of a pair of files: mentees and mentors signed up through different "
                    "forms with different wording. pairs_with names headers in the companion "
                    "file; planted_pairs are [mentee email from civil_service_mentees.csv, "
                    "mentor email from civil_service_mentors.csv].",
                    "Role comes from the file, which is authoritative: 'I'm happy to be both a "
                    "mentor and a mentee' = Yes makes someone both only if they are also in the "
                    "companion file, and nobody is, so roles.both is 0 (the reader says so for "
                    "each Yes).",
                    "Mentee skills carry a 'Skill: ' prefix that mentor skills do not; the "
                    "profession 'Digital, Data and Technology' contains a comma.",
                ],
            )
        )
    return out


# 9. Trilingual Google Form ---------------------------------------------------------------------


def trilingual():
    name = "google_forms_trilingual.csv"
    rng = rng_for(name)
    common = [
        "Leadership / Leadership / Liderazgo",
        "Diversité, équité et inclusion / Diversity, equity and inclusion / "
        "Diversidad, equidad e inclusión",
        "Services au public / Public services / Servicios al público",
        "Technologies / Technology / Tecnología",
        "Carrière / Career development / Desarrollo profesional",
    ]
    rare = [
        "Catalogage / Cataloguing / Catalogación",
        "Bibliothèques autochtones / Indigenous libraries / Bibliotecas indígenas",
        "Littérature jeunesse / Children's literature / Literatura infantil",
        "Archives sonores / Sound archives / Archivos sonoros",
        "Bibliothèques rurales / Rural libraries / Bibliotecas rurales",
        "Préservation numérique / Digital preservation / Preservación digital",
        "Droit d'auteur / Copyright / Derechos de autor",
        "Alphabétisation des adultes / Adult literacy / Alfabetización de adultos",
        "Bibliothèques musicales / Music libraries / Bibliotecas musicales",
        "Données ouvertes / Open data / Datos abiertos",
        "Bibliothèques de prison / Prison libraries / Bibliotecas penitenciarias",
    ]
    options = common[:2] + rare[:5] + common[2:] + rare[5:]
    langs = ["Français", "English", "Español"]
    spoken = [
        "Français / French / Francés",
        "Anglais / English / Inglés",
        "Espagnol / Spanish / Español",
        "Créole haïtien / Haitian Creole / Criollo haitiano",
        "Portugais / Portuguese / Portugués",
    ]
    countries = {
        "Français": ["Canada", "Haïti", "France", "Québec, Canada", "Sénégal"],
        "English": ["Canada", "USA", "United States", "Jamaica", "Belize"],
        "Español": ["México", "Mexico", "Guatemala", "Colombia", "Estados Unidos"],
    }
    people, pairs = cohort(rng, 10, 14, 4, rare, common)
    assign_caps(rng, people)
    stamps(rng, people, dt.datetime(2026, 2, 4, 9, 0))
    for p in people:
        p.key = email_of(
            p, rng.choice(["example.org", "example.ca", "example.mx", "biblio.example"])
        )
        p.lang = rng.choices(langs, weights=[3, 5, 3])[0]
    planted_langs = ["Español", "Français", "Español", "Français", "English"]
    for (mentee, mentor), lang in zip(pairs, planted_langs, strict=True):
        mentee.lang = mentor.lang = lang
    for p in people:
        own = {"Français": 0, "English": 1, "Español": 2}[p.lang]
        extra = rng.sample([s for i, s in enumerate(spoken) if i != own], rng.choice([0, 1, 1, 2]))
        p.spoken = ordered([spoken[own]] + extra, spoken)
        p.country = rng.choice(countries[p.lang])
    role_opts = {
        "mentor": "Mentor(e) / Mentor / Mentor(a)",
        "mentee": "Mentoré(e) / Mentee / Mentorado(a)",
        "both": "Les deux / Both / Ambos",
    }
    cap_words = {
        "Français": {1: "un", 2: "deux", 3: "trois"},
        "English": {1: "one", 2: "two", 3: "three"},
        "Español": {1: "uno", 2: "dos", 3: "tres"},
    }
    hopes = {
        "Français": [
            "Élargir mon réseau professionnel.",
            "Des conseils pour ma carrière.",
            "Apprendre d'une personne expérimentée.",
        ],
        "English": [
            "Grow my network.",
            "Career advice.",
            "Learn from someone experienced.",
            "Confidence in leading a team.",
        ],
        "Español": [
            "Ampliar mi red profesional.",
            "Consejos para mi carrera.",
            "Aprender de alguien con experiencia.",
        ],
    }
    planted_text = {
        "Français": "Je veux approfondir {a} et {b}.",
        "English": "I want to go deeper into {a} and {b}.",
        "Español": "Quiero profundizar en {a} y {b}.",
    }
    idx = {"Français": 0, "English": 1, "Español": 2}
    for mentee, mentor in pairs:
        a, b = (t.split(" / ")[idx[mentee.lang]].lower() for t in rare_of(mentee, rare))
        mentee.hope = planted_text[mentee.lang].format(a=a, b=b)
        mentor.hope = {
            "Français": f"J'ai une longue expérience en {a} et en {b}.",
            "English": f"Long experience in {a} and {b}.",
            "Español": f"Tengo larga experiencia en {a} y {b}.",
        }[mentor.lang]
    q_lang = "Quelle langue préférez-vous? / Which language do you prefer? / ¿Qué idioma prefiere?"
    cols = [
        Col("Horodateur", "ignored", lambda p: f"{p.ts:%d/%m/%Y %H:%M:%S}", field="timestamp"),
        Col("Adresse e-mail", "email", lambda p: mess(rng, p.key)),
        Col(
            "Nom complet / Full name / Nombre completo",
            "name",
            lambda p: mess(rng, f"{p.first} {p.last}", 0.1),
        ),
        Col(
            "Je souhaite être... / I would like to be... / Me gustaría ser...",
            "role",
            lambda p: role_opts[p.role],
        ),
        Col(q_lang, "question", lambda p: p.lang, kind="same", field="language"),
        Col(
            "Autres langues parlées / Other languages spoken / Otros idiomas que habla",
            "question",
            lambda p: ", ".join(p.spoken),
            kind="overlap",
            field="languages",
        ),
        Col(
            "Pays / Country / País",
            "question",
            lambda p: mess(rng, p.country),
            kind="same",
            field="country",
        ),
        Col(
            "Thèmes d'intérêt / Topics of interest / Temas de interés",
            "question",
            lambda p: topics_text(p, options),
            kind="overlap",
            field="interests",
        ),
        Col(
            "Combien de mentorés pouvez-vous accompagner? / How many mentees can you take? / "
            "¿Cuántos mentorados puede acompañar?",
            "capacity",
            lambda p: (
                (
                    str(p.cap)
                    if p.plant is not None or rng.random() < 0.5
                    else cap_words[p.lang][p.cap]
                )
                if p.cap
                else ""
            ),
        ),
        Col(
            "Qu'attendez-vous du programme? / What do you hope to get from the programme? / "
            "¿Qué espera del programa?",
            "question",
            lambda p: p.hope or rng.choice(hopes[p.lang] + [""]),
            kind="free_text",
            field="free_text",
        ),
    ]
    sheet = Sheet(None, cols, people)
    return emit(
        name,
        "google_forms_csv_trilingual",
        [sheet],
        pairs,
        {"sheet": None, "header": "Adresse e-mail", "normalise": "strip+lower"},
        extra={
            "multi_select_separator": ", ",
            "option_labels": {"Thèmes d'intérêt / Topics of interest / Temas de interés": options},
        },
        notes=[
            "Headers and option labels are trilingual 'Français / English / Español'; "
            "the form owner's locale is French, so Google wrote 'Horodateur' and "
            "'Adresse e-mail' for Timestamp and Email Address, and dates as "
            "dd/mm/yyyy.",
            "One interest option contains commas in all three languages; split "
            "against option_labels.",
            "Free-text answers and capacity words are in the respondent's language "
            "(deux, dos, two).",
        ],
    )


# 10. University research mentoring ------------------------------------------------------------


def research():
    name = "university_research_mentoring.csv"
    rng = rng_for(name)
    areas = [
        "Life sciences",
        "Physical sciences",
        "Engineering",
        "Social sciences",
        "Humanities",
        "Health and medicine",
    ]
    levels = [
        "Undergraduate",
        "Master's student",
        "PhD student",
        "Postdoctoral researcher",
        "Assistant Professor",
        "Associate Professor",
        "Professor",
    ]
    # each planted topic: (area, mentee focus, mentor focus); the distinctive words are shared
    planted = [
        (
            "Life sciences",
            "My PhD looks at coral reef soundscapes: I record reef acoustics with hydrophones and want "
            "to use machine learning to track how reef noise changes after bleaching events.",
            "I lead the marine acoustics group. We study coral reef soundscapes with hydrophone "
            "arrays and have built classifiers for reef noise before and after bleaching.",
        ),
        (
            "Humanities",
            "I work on medieval manuscript palaeography, especially Insular scripts in Irish gospel "
            "books, and I am learning multispectral imaging of palimpsests.",
            "Palaeographer: Insular scripts, Irish gospel books and multispectral imaging of "
            "palimpsests in medieval manuscripts.",
        ),
        (
            "Engineering",
            "Soft robotics for prosthetic hands, with pneumatic actuators and tactile sensing. I "
            "would like advice on clinical trials with amputees.",
            "My lab builds soft robotic prosthetic hands (pneumatic actuators, tactile sensing) and "
            "has run two clinical trials with amputees.",
        ),
        (
            "Social sciences",
            "Informal settlement upgrading and land tenure in Nairobi; participatory mapping with "
            "residents' associations.",
            "Urban geographer working on informal settlement upgrading, land tenure and "
            "participatory mapping in East African cities, mostly Nairobi and Kampala.",
        ),
        (
            "Health and medicine",
            "Antimicrobial resistance surveillance in wastewater, using metagenomics to track "
            "resistance genes across hospital catchments.",
            "Wastewater metagenomics for antimicrobial resistance surveillance; I advise public "
            "health agencies on hospital catchment sampling.",
        ),
        (
            "Physical sciences",
            "Exoplanet atmospheres from transmission spectroscopy, with a focus on JWST retrievals "
            "of hot Jupiters.",
            "I model exoplanet atmospheres and run JWST transmission spectroscopy retrievals, "
            "mainly for hot Jupiters and sub-Neptunes.",
        ),
    ]
    generic = {
        "Life sciences": [
            "Plant cell biology and root development.",
            "Population genetics of freshwater fish.",
        ],
        "Physical sciences": [
            "Condensed matter physics, thin films.",
            "Atmospheric chemistry and aerosols.",
        ],
        "Engineering": [
            "Structural engineering of timber buildings.",
            "Power electronics for electric vehicles.",
        ],
        "Social sciences": [
            "Labour economics and minimum wage policy.",
            "Political participation of young voters.",
        ],
        "Humanities": ["Twentieth-century American poetry.", "Philosophy of language."],
        "Health and medicine": [
            "Cardiovascular epidemiology in older adults.",
            "Nursing workforce retention.",
        ],
    }
    people = []
    for role, n in (("mentor", 14), ("mentee", 20), ("both", 3)):
        for _ in range(n):
            f, last = new_name(rng)
            people.append(P(first=f, last=last, role=role, plant=None))
    mentors = [p for p in people if p.role == "mentor"]
    mentees = [p for p in people if p.role == "mentee"]
    pairs = []
    for i, (area, me_text, mt_text) in enumerate(planted):
        mentee, mentor = mentees[i], mentors[i]
        mentee.area = mentor.area = area
        mentee.focus, mentor.focus = me_text, mt_text
        mentee.level, mentor.level = rng.randint(1, 3), rng.randint(4, 6)
        mentee.plant = mentor.plant = i
        pairs.append((mentee, mentor))
    for p in people:
        if p.plant is None:
            p.area = rng.choice(areas)
            p.focus = rng.choice(generic[p.area])
            p.level = (
                rng.randint(4, 6)
                if p.role == "mentor"
                else (rng.randint(3, 4) if p.role == "both" else rng.randint(0, 3))
            )
    rng.shuffle(people)
    assign_caps(rng, people)
    stamps(rng, people, dt.datetime(2026, 1, 8, 9, 0))
    depts = {
        "Life sciences": "School of Biological Sciences",
        "Physical sciences": "Department of Physics and Astronomy",
        "Engineering": "School of Engineering",
        "Social sciences": "School of Social Sciences",
        "Humanities": "Faculty of Arts and Humanities",
        "Health and medicine": "Medical School",
    }
    for p in people:
        p.key = email_of(p, "northmoor.example.ac.uk", rng.choice(["dot", "initial"]))
        p.dept = depts[p.area]
        p.orcid = (
            None
            if p.level < 2 and rng.random() < 0.8
            else "-".join(f"{rng.randint(0, 9999):04d}" for _ in range(3)).join(["0000-", ""])
        )
        p.scholar = (
            f"https://scholar.google.com/citations?user={hexid(rng, 12, string.ascii_letters)}"
            f"&hl=en"
            if p.level >= 3 and rng.random() < 0.8
            else None
        )
        p.extra = rng.choice(["Yes", "No", "Maybe"]) if is_mentor(p) else None
    for p in people:  # a few stray ORCIDs pasted as URLs
        if p.orcid and rng.random() < 0.2:
            p.orcid = "https://orcid.org/" + p.orcid
    role = {"mentor": "Mentor", "mentee": "Mentee (applicant)", "both": "Both"}
    statements = [
        "I am committed to supporting researchers from under-represented groups.",
        "As a first-generation academic I know how opaque academia can be.",
        "I run our department's widening participation summer school.",
        "",
        "Inclusive supervision matters to me.",
    ]
    cols = [
        Col(
            "Timestamp",
            "ignored",
            lambda p: f"{p.ts.month}/{p.ts.day}/{p.ts.year} {p.ts:%H:%M:%S}",
            field="timestamp",
        ),
        Col("Email Address", "email", lambda p: mess(rng, p.key, 0.1)),
        Col("Full name", "name", lambda p: mess(rng, f"{p.first} {p.last}", 0.1)),
        Col("Are you applying as a mentor or a mentee?", "role", lambda p: role[p.role]),
        Col(
            "I confirm I am a current member of Northmoor University",
            "ignored",
            const="Yes",
            field="confirmation",
        ),
        Col("Department / School", "organisation", lambda p: p.dept),
        Col(
            "Career level",
            "question",
            lambda p: levels[p.level],
            kind="ordinal",
            field="career_level",
        ),
        Col(
            "Broad research area", "question", lambda p: p.area, kind="same", field="research_area"
        ),
        Col(
            "Describe your research focus (a few sentences)",
            "question",
            lambda p: p.focus,
            kind="free_text",
            field="research_focus",
        ),
        Col("Google Scholar profile (URL)", "ignored", lambda p: p.scholar, field="url"),
        Col("ORCID iD", "ignored", lambda p: p.orcid, field="orcid"),
        Col(
            "How many applicants would you be willing to work with this cycle?",
            "capacity",
            lambda p: capacity_text(rng, p.cap, p.plant is not None) if p.cap else None,
        ),
        Col(
            "Would you be willing to take an additional mentee?",
            "other",
            lambda p: p.extra,
            field="extra_capacity",
        ),
        Col("Diversity statement", "other", lambda p: rng.choice(statements), field="statement"),
        Col("Please confirm you can meet monthly", "ignored", const="yes", field="confirmation"),
    ]
    sheet = Sheet(None, cols, people)
    return emit(
        name,
        "google_forms_csv_research",
        [sheet],
        pairs,
        {"sheet": None, "header": "Email Address", "normalise": "strip+lower"},
        ordinal={"Career level": levels},
        notes=[
            "Planted pairs share a distinctive research focus (free text) and broad "
            "area; they share no multi-select, so only the free text finds them.",
            "ORCID iD is blank for most undergraduates and master's students, so it "
            "is not the member id; it is an external identifier and is ignored.",
            "'Would you be willing to take an additional mentee?' (Yes/No/Maybe) is "
            "marked other/extra_capacity: it is not the capacity number.",
            "The two confirmation columns are constant ('Yes', 'yes').",
        ],
    )


# 11. Library association (ALA-style, worded differently from sample_data) ---------------------


def library_association():
    name = "library_association_mentor_connect.csv"
    rng = rng_for(name)
    common = [
        "Leadership and management",
        "Diversity, equity and inclusion",
        "Advocacy",
        "Instruction",
        "Collection development",
        "Outreach",
    ]
    rare = [
        "Cataloging and metadata",
        "Intellectual freedom",
        "Grant writing",
        "Digital collections",
        "Accessibility",
        "Systems and technology",
        "Archives",
        "Research and assessment",
        "Youth services",
        "Makerspaces",
        "Government documents",
        "Law librarianship",
    ]
    options = sorted(common + rare)
    stages = [
        "LIS student",
        "New professional (under 5 years)",
        "Mid-career (5-15 years)",
        "Senior (15+ years)",
        "Retired",
    ]
    people, pairs = cohort(rng, 14, 20, 5, rare, common, n_planted=6)
    assign_caps(rng, people)
    sprinkle_other(rng, people, 0.1)
    stamps(rng, people, dt.datetime(2026, 2, 10, 8, 0))
    libtypes = ["Academic", "Public", "School", "Special", "Public", "Academic"]
    divisions = ["ACRL", "ALSC", "YALSA", "PLA", "AASL", "Core", "RUSA", "NMRT", "GODORT", "LLAMA"]
    chapters = [
        "Keystone Library Association",
        "Bluegrass Library Association",
        "Cascadia Library Association",
        "Gulf Coast Library Association",
        "Great Lakes Library Association",
    ]
    tzs = ["Eastern", "Central", "Mountain", "Pacific"]
    modes = ["Video calls", "In person at conferences", "Either"]
    nums = rng.sample(range(1_000_000, 9_999_999), len(people))
    races = [
        "Black or African American",
        "Hispanic or Latino/a/x",
        "Asian American",
        "White",
        "American Indian or Alaska Native",
        "Multiracial",
        "Prefer not to say",
    ]
    employers = [
        "Lakeshore State University Libraries",
        "Tri-County Library District",
        "Maple Grove Public Schools",
        "Harbor City Public Library",
        "Juniper College Library",
        "Federal Reserve Research Library (fictional)",
        "Riverbend Law Library",
    ]
    for p, n in zip(people, nums, strict=True):
        p.key = str(n)
        p.email = email_of(p, rng.choice(["example.org", "example.edu", "library.example"]))
        p.lib = rng.choice(libtypes)
        p.divs = rng.sample(divisions, rng.choice([0, 1, 1, 2, 3]))
        p.chapter = rng.choice(chapters)
        p.tz = rng.choice(tzs)
        p.mode = rng.choice(modes)
        p.langs = ["English"] + (
            rng.sample(["Spanish", "Mandarin", "ASL", "French"], 1) if rng.random() < 0.2 else []
        )
        p.level = rng.randint(2, 4) if p.role == "mentor" else rng.randint(0, 2)
        p.race = rng.choice(races + [None, None])
        p.gender = rng.choice(["Woman", "Man", "Non-binary", None])
        p.share = rng.choice(["Yes", "No", "No preference", None]) if is_mentee(p) else None
        p.spectrum = "Yes" if is_mentee(p) and rng.random() < 0.2 else rng.choice(["No", None])
        p.employer = rng.choice(employers)
    planted_lang = [["English", "Spanish"], ["English", "ASL"], None, None, None, None]
    for i, (mentee, mentor) in enumerate(pairs):
        mentee.level, mentor.level = rng.randint(0, 1), rng.randint(2, 3)
        mentee.lib, mentee.tz, mentee.mode = mentor.lib, mentor.tz, "Either"
        mentee.employer = rng.choice([e for e in employers if e != mentor.employer])
        if planted_lang[i]:
            mentee.langs = mentor.langs = planted_lang[i]
        mentee.share = "No preference"
    mentor_names = [f"{p.first} {p.last}" for p in people if is_mentor(p)]
    for mentee, mentor in pairs[:3]:
        mentee.first_choice = f"{mentor.first} {mentor.last}"
    for p in people:
        if is_mentee(p) and p.plant is None and rng.random() < 0.15:
            p.history = rng.choice(mentor_names)
    role = {
        "mentor": ["Mentor", "mentor", "MENTOR"],
        "mentee": ["Mentee", "mentee", "Protégé"],
        "both": ["Both", "Either", "both"],
    }
    interests_q = "Topics I'd like to focus on"

    def interests(p):
        parts = ordered(p.topics, options)
        if p.other:
            parts.append(p.other if p.other.startswith("Other:") else "Other: " + p.other)
        return rng.choice([";", "; "]).join(parts)

    cols = [
        Col("Submitted", "ignored", lambda p: f"{p.ts:%m/%d/%Y %H:%M}", field="timestamp"),
        Col("Membership #", "id", lambda p: p.key),
        Col("First and last name", "name", lambda p: mess(rng, f"{p.first} {p.last}", 0.1)),
        Col("Preferred email", "email", lambda p: mess(rng, p.email)),
        Col("I am signing up as a", "role", lambda p: rng.choice(role[p.role])),
        Col(
            "Library setting",
            "question",
            lambda p: mess(rng, p.lib),
            kind="same",
            field="library_type",
        ),
        Col("Employer", "organisation", lambda p: p.employer),
        Col(
            "Divisions / round tables I belong to",
            "question",
            lambda p: ", ".join(p.divs),
            kind="overlap",
            field="divisions",
        ),
        Col("Chapter affiliation", "question", lambda p: p.chapter, kind="same", field="chapter"),
        Col(
            "Where are you in your career?",
            "question",
            lambda p: stages[p.level],
            kind="ordinal",
            field="career_stage",
        ),
        Col("Your time zone (US)", "question", lambda p: p.tz, kind="same", field="timezone"),
        Col("Meeting preference", "question", lambda p: p.mode, kind="same", field="meeting_mode"),
        Col(
            "Languages you are comfortable mentoring in",
            "question",
            lambda p: ", ".join(p.langs),
            kind="overlap",
            field="language",
        ),
        Col(interests_q, "question", interests, kind="overlap", field="interests"),
        Col(
            "Max number of mentees (mentors only)",
            "capacity",
            lambda p: capacity_text(rng, p.cap, p.plant is not None) if p.cap else None,
        ),
        Col("Race / ethnicity (optional)", "identity", lambda p: p.race, field="race_ethnicity"),
        Col("Gender (optional)", "identity", lambda p: p.gender, field="gender"),
        Col(
            "Would you prefer a mentor who shares part of your identity?",
            "wants_shared_identity",
            lambda p: p.share,
            kind="shared_identity",
        ),
        Col("Are you a Spectrum Scholar?", "priority", lambda p: p.spectrum),
        Col("Past mentoring partner(s), if any", "history", lambda p: p.history),
        Col("Mentor you'd most like to work with (optional)", "choices", lambda p: p.first_choice),
    ]
    sheet = Sheet(None, cols, people)
    return emit(
        name,
        "association_csv",
        [sheet],
        pairs,
        {"sheet": None, "header": "Membership #"},
        ordinal={"Where are you in your career?": stages},
        extra={"multi_select_separator": ";"},
        notes=[
            "Interests are joined with ';' or '; '; 'Other: ...' answers are kept in "
            "the cell. Divisions are joined with ', '.",
            "Three planted mentees also name their planted mentor as first choice.",
        ],
    )


# 12. Corporate programme ----------------------------------------------------------------------


def corporate():
    name = "corporate_mentoring_northwind.csv"
    rng = rng_for(name)
    functions = [
        "Engineering",
        "Finance",
        "Marketing",
        "Operations",
        "Legal",
        "People",
        "Sales",
        "Product",
    ]
    levels = ["Analyst", "Associate", "Manager", "Senior Manager", "Director"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    slots = ["Morning", "Lunchtime", "Afternoon"]
    tzs = ["GMT", "CET", "EST", "IST (UTC+5:30)", "SGT", "PST"]
    people = []
    for role, n in (("mentor", 16), ("mentee", 22), ("both", 2)):
        for _ in range(n):
            f, last = new_name(rng)
            people.append(P(first=f, last=last, role=role, plant=None))
    mentors = [p for p in people if p.role == "mentor"]
    mentees = [p for p in people if p.role == "mentee"]
    stories = [
        (
            "I'm an engineer and want to move into product management.",
            "I moved from engineering into product management six years ago.",
            "Engineering",
            "Product",
        ),
        (
            "Preparing to lead my first team after coming back from parental leave.",
            "Led teams through two parental leaves of my own; I coach returning parents.",
            "People",
            "People",
        ),
        (
            "Want to understand how to get an international posting to Singapore.",
            "Did a three-year international posting in Singapore and now hire for the APAC office.",
            "Operations",
            "Operations",
        ),
        (
            "I'd like to build skills in M&A due diligence.",
            "Ran M&A due diligence for eleven acquisitions.",
            "Finance",
            "Legal",
        ),
        (
            "Hoping to get into pricing and revenue management from sales.",
            "Built the pricing and revenue management function after fifteen years in sales.",
            "Sales",
            "Sales",
        ),
    ]
    generic_hope = [
        "Become a better leader.",
        "Career advice.",
        "Expand my network.",
        "Confidence speaking up in meetings.",
        "Not sure yet!",
        "",
    ]
    generic_share = [
        "15 years across several functions.",
        "Managing people.",
        "Happy to talk about anything career-related.",
        "",
        "Balancing work and family.",
    ]
    ids = rng.sample(range(100000, 999999), len(people))
    for p, n in zip(people, ids, strict=True):
        p.key = f"E{n}"
        p.email = email_of(p, "northwind.example")
        p.func = rng.choice(functions)
        p.level = rng.randint(2, 4) if p.role == "mentor" else rng.randint(0, 2)
        p.tz = rng.choice(tzs)
        p.avail = {(d, s) for d in days for s in slots if rng.random() < 0.3}
        p.importance = rng.randint(1, 5) if is_mentee(p) else None
        p.outside = rng.randint(1, 5) if is_mentor(p) else None
        p.hope = rng.choice(generic_hope) if is_mentee(p) else None
        p.share = rng.choice(generic_share) if is_mentor(p) else None
    pairs = []
    for i, (hope, share, mentee_func, mentor_func) in enumerate(stories):
        mentee, mentor = mentees[i], mentors[i]
        mentee.hope, mentor.share = hope, share
        mentee.func, mentor.func = mentee_func, mentor_func
        mentee.importance = 1 if mentee_func != mentor_func else 4
        mentee.level, mentor.level = rng.randint(0, 1), rng.randint(2, 4)
        mentee.tz = mentor.tz
        both = {(rng.choice(days), rng.choice(slots)) for _ in range(2)}
        mentee.avail |= both
        mentor.avail |= both
        mentee.plant = mentor.plant = i
        pairs.append((mentee, mentor))
    rng.shuffle(people)
    assign_caps(rng, people, 1, 2)
    stamps(rng, people, dt.datetime(2026, 1, 6, 9, 0))
    mentor_ids = [p.key for p in people if is_mentor(p)]
    for p in people:
        if is_mentee(p):
            picks = [] if rng.random() < 0.4 else rng.sample(mentor_ids, rng.randint(1, 3))
            if p.plant is not None:
                partner = pairs[p.plant][1].key
                picks = [partner] + [x for x in picks if x != partner][:2]
            p.prefs = picks
    role = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}
    hope_q = "What do you hope to get out of mentoring? (mentees)"
    share_q = "What experience can you share? (mentors)"
    cols = [
        Col("Timestamp", "ignored", lambda p: us_12h(p.ts), field="timestamp"),
        Col("Employee ID", "id", lambda p: p.key),
        Col("Name", "name", lambda p: mess(rng, f"{p.first} {p.last}", 0.1)),
        Col("Work email", "email", lambda p: mess(rng, p.email)),
        Col("Joining as", "role", lambda p: role[p.role]),
        Col("Function", "question", lambda p: p.func, kind="same", field="function"),
        Col("Level", "question", lambda p: levels[p.level], kind="ordinal", field="grade"),
        Col("Time zone", "question", lambda p: p.tz, kind="same", field="timezone"),
    ]
    for d in days:
        for s in slots:
            cols.append(
                Col(
                    f"{d} [{s}]",
                    "availability",
                    lambda p, d=d, s=s: "Available" if (d, s) in p.avail else "",
                    kind="availability",
                    group="When are you usually free to meet?",
                    option=f"{d} {s}",
                    field="timeslot",
                )
            )
    cols += [
        Col(
            "How important is it that your mentor is in your function? 1-5",
            "other",
            lambda p: p.importance,
            field="importance_weight",
        ),
        Col(
            "How comfortable are you mentoring someone outside your function? 1-5",
            "other",
            lambda p: p.outside,
            field="likert",
        ),
        Col(
            "Preferred mentors (up to 3 employee IDs, separated by spaces)",
            "choices",
            lambda p: " ".join(p.prefs or []),
        ),
        Col(
            hope_q,
            "question",
            lambda p: p.hope,
            kind="free_text",
            field="free_text",
            pairs_with=[share_q],
        ),
        Col(
            share_q,
            "question",
            lambda p: p.share,
            kind="free_text",
            field="free_text",
            pairs_with=[hope_q],
        ),
        Col("How many mentees can you take? (mentors)", "capacity", lambda p: p.cap),
    ]
    sheet = Sheet(None, cols, people)
    no_overlap = [
        [a.key, b.key]
        for a in people
        if is_mentee(a)
        for b in people
        if is_mentor(b) and b is not a and not (a.avail & b.avail)
    ]
    return emit(
        name,
        "corporate_csv",
        [sheet],
        pairs,
        {"sheet": None, "header": "Employee ID"},
        ordinal={"Level": levels},
        extra={"no_shared_availability": no_overlap},
        notes=[
            "Availability grid: one column per day and slot, 'Available' or blank. "
            "no_shared_availability lists (mentee, mentor) pairs with no common slot; "
            "planted pairs always share at least one slot.",
            "Preferred mentors are employee ids separated by spaces; planted mentees "
            "name their planted mentor first.",
            "The importance Likert (1-5) weights the Function question; it is 'other' "
            "with field importance_weight. Where a planted pair crosses functions the "
            "mentee answered 1.",
        ],
    )


# 13. Contact-heavy form: first/last names, years, LinkedIn, uploads, phones --------------------


def contact_details():
    name = "data_network_contact_details.csv"
    rng = rng_for(name)
    common = [
        "Career switching",
        "Leadership",
        "Public speaking",
        "Building a portfolio",
        "Job interviews",
    ]
    rare = [
        "Causal inference",
        "Geospatial analysis",
        "Survival analysis",
        "Natural language processing",
        "Sports analytics",
        "Clinical trial statistics",
        "Data engineering on a budget",
        "Actuarial exams",
        "Survey sampling",
        "Time series forecasting",
    ]
    options = common + rare
    people, pairs = cohort(rng, 12, 18, 2, rare, common)
    assign_caps(rng, people)
    stamps(rng, people, dt.datetime(2026, 2, 20, 12, 0))
    for p in people:
        p.key = email_of(
            p,
            rng.choice(["example.com", "example.net", "example.io"]),
            rng.choice(["dot", "initial", "under"]),
        )
        p.years = rng.randint(8, 25) if p.role == "mentor" else rng.randint(0, 6)
        p.linkedin = (
            f"https://www.linkedin.com/in/{slug(p.first)}-{slug(p.last)}-"
            f"{hexid(rng, 6, string.digits + 'abcdef')}"
            if rng.random() < 0.75
            else ""
        )
        p.cv = (
            f"https://drive.google.com/open?id={hexid(rng, 33, string.ascii_letters + string.digits + '-_')}"
            if rng.random() < 0.5
            else ""
        )
        p.phone = phone(rng) if rng.random() < 0.9 else ""
        p.city = rng.choice(
            ["Manchester", "Leeds", "Sheffield", "Newcastle", "Liverpool", "Remote"]
        )
    for mentee, mentor in pairs:
        mentee.years, mentor.years = rng.randint(0, 3), rng.randint(10, 22)
        mentee.city = mentor.city
    role = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}

    def years(p):
        y = p.years
        return rng.choice([str(y), str(y), str(y), f"{y} years", f"{y}+", f"~{y}"])

    cols = [
        Col("Timestamp", "ignored", lambda p: f"{p.ts:%d/%m/%Y %H:%M:%S}", field="timestamp"),
        Col("First name", "first_name", lambda p: mess(rng, p.first)),
        Col("Last name", "last_name", lambda p: mess(rng, p.last)),
        Col("Email", "email", lambda p: mess(rng, p.key)),
        Col("Phone number", "ignored", lambda p: p.phone, field="phone"),
        Col("Mentor or mentee?", "role", lambda p: mess(rng, role[p.role])),
        Col(
            "Years of experience in data roles",
            "question",
            years,
            kind="ordinal",
            field="years_experience",
        ),
        Col(
            "Which city are you based in?",
            "question",
            lambda p: p.city,
            kind="same",
            field="location",
        ),
        Col(
            "Topics (pick any)",
            "question",
            lambda p: topics_text(p, options),
            kind="overlap",
            field="interests",
        ),
        Col("LinkedIn profile URL", "ignored", lambda p: p.linkedin, field="url"),
        Col("Upload your CV (optional)", "ignored", lambda p: p.cv, field="file_upload"),
        Col(
            "How many mentees could you support?",
            "capacity",
            lambda p: capacity_text(rng, p.cap, p.plant is not None) if p.cap else "",
        ),
    ]
    sheet = Sheet(None, cols, people)
    return emit(
        name,
        "contact_details_csv",
        [sheet],
        pairs,
        {"sheet": None, "header": "Email", "normalise": "strip+lower"},
        extra={"multi_select_separator": ", "},
        notes=[
            "Years of experience is numeric with stray text ('7 years', '5+', '~3'); "
            "it is an ordinal question without a level list. Planted mentors have at "
            "least 7 more years than their mentees.",
            "Phone numbers use the fictional 555-01xx range; URLs and upload links are ignored.",
        ],
    )


# 14. One column per role: the same question asked in a mentor and a mentee section ------------


def split_sections():
    name = "split_role_sections.csv"
    rng = rng_for(name)
    common = ["Career progression", "Leadership", "Networking", "Confidence", "Work-life balance"]
    rare = [
        "Museum education",
        "Volunteer management",
        "Heritage lottery bids",
        "Collections care for textiles",
        "Accessible tours",
        "Schools programmes",
        "Retail and gift shops",
        "Visitor research",
        "Historic gardens",
        "Community curation",
    ]
    options = common + rare
    people, pairs = cohort(rng, 12, 16, 5, rare, common)
    assign_caps(rng, people)
    stamps(rng, people, dt.datetime(2026, 3, 9, 9, 0))
    regions = ["North", "Midlands", "South West", "London", "Scotland", "Wales"]
    formats = ["Online", "In person", "Either"]
    for p in people:
        p.key = email_of(p, rng.choice(["example.org", "museums.example"]))
        p.region = rng.choice(regions)
        p.fmt = rng.choice(formats)
        # "both" people answer both sections, with their mentoring and learning topics
        p.learn = p.topics if is_mentee(p) else None
        p.teach = p.topics if is_mentor(p) else None
        if p.role == "both":
            p.learn = rng.sample(common, 2)
    for mentee, mentor in pairs:
        mentee.region, mentee.fmt = mentor.region, rng.choice(["Either", mentor.fmt])
    role = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}
    mq = "Mentor section: which areas could you mentor in?"
    eq = "Mentee section: which areas would you like mentoring in?"
    mr, er = "Mentor section: which region are you in?", "Mentee section: which region are you in?"
    mf = "Mentor section: how would you like to meet?"
    ef = "Mentee section: how would you like to meet?"
    cols = [
        Col("Timestamp", "ignored", lambda p: us_12h(p.ts), field="timestamp"),
        Col("Email Address", "email", lambda p: mess(rng, p.key)),
        Col("Your name", "name", lambda p: mess(rng, f"{p.first} {p.last}", 0.1)),
        Col(
            "Are you signing up as a mentor, a mentee, or both?",
            "role",
            lambda p: mess(rng, role[p.role]),
        ),
        Col(
            mq,
            "question",
            lambda p: topics_text(p, options) if p.teach else None,
            kind="seeks_offers",
            field="interests",
            pairs_with=[eq],
        ),
        Col(
            mr,
            "question",
            lambda p: p.region if is_mentor(p) else None,
            kind="same",
            field="region",
            pairs_with=[er],
        ),
        Col(
            mf,
            "question",
            lambda p: p.fmt if is_mentor(p) else None,
            kind="same",
            field="meeting_mode",
            pairs_with=[ef],
        ),
        Col(
            "Mentor section: how many mentees could you take?",
            "capacity",
            lambda p: capacity_text(rng, p.cap, p.plant is not None) if p.cap else None,
        ),
        Col(
            eq,
            "question",
            lambda p: ", ".join(ordered(p.learn, options)) if p.learn else None,
            kind="seeks_offers",
            field="interests",
            pairs_with=[mq],
        ),
        Col(
            er,
            "question",
            lambda p: p.region if is_mentee(p) else None,
            kind="same",
            field="region",
            pairs_with=[mr],
        ),
        Col(
            ef,
            "question",
            lambda p: p.fmt if is_mentee(p) else None,
            kind="same",
            field="meeting_mode",
            pairs_with=[mf],
        ),
    ]
    sheet = Sheet(None, cols, people)
    return emit(
        name,
        "one_column_per_role_csv",
        [sheet],
        pairs,
        {"sheet": None, "header": "Email Address", "normalise": "strip+lower"},
        extra={"multi_select_separator": ", "},
        notes=[
            "Each question is asked twice, once in the mentor section and once in the "
            "mentee section; the other section is blank for single-role members and "
            "both are filled for 'Both'. pairs_with links the two copies.",
            "'Either' is compatible with both 'Online' and 'In person'.",
        ],
    )


# ---------------------------------------------------------------------------------------------

BUILDERS = [
    google_forms_sites,
    google_sheets_gender,
    microsoft_forms,
    qualtrics,
    lambda: surveymonkey("csv"),
    lambda: surveymonkey("xlsx"),
    typeform,
    jotform,
    excel_instructions,
    excel_hidden_sheet,
    civil_service,
    trilingual,
    research,
    library_association,
    corporate,
    contact_details,
    split_sections,
]


def main():
    _used_names.clear()
    keys = []
    for build in BUILDERS:
        out = build()
        keys += out if isinstance(out, list) else [out]
    for key in keys:
        print(
            f"{key['file']:48} {key['layout']:30} rows={key['member_rows']:3} "
            f"planted={len(key['planted_pairs'])} forbidden={len(key['forbidden_by_grid'])}"
        )
    total = sum(f.stat().st_size for f in HERE.iterdir() if f.is_file())
    print(f"{len(keys)} files, folder size {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
