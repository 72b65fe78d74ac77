"""Unit tests of the store: each call, round trips, dtype exactness, migrations, paths."""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from contextlib import closing
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentoring.store.base as base_module
import mentoring.store.schema as schema_module
from mentoring.model.config import MatchConfig, Weights
from mentoring.model.errors import Issue, MentoringError
from mentoring.model.people import PEOPLE_COLUMNS, empty_people
from mentoring.model.results import MatchStats
from mentoring.store.codec import frame_from_json, frame_to_json
from mentoring.store.db import DECISION_COLUMNS, Store
from mentoring.store.records import (
    DecisionConflictError,
    ProgramNotFoundError,
    StoreBusyError,
    StoreError,
)
from mentoring.store.schema import SCHEMA_VERSION, default_db_path, migrate

FLOAT_COLUMNS = ("years_experience", "timezone")
BOOL_COLUMNS = ("priority", "open_to_peer")
TUPLE_COLUMNS = (
    "interests",
    "offers",
    "seeks",
    "divisions",
    "languages",
    "identities",
    "identity_preference",
    "past_partners",
    "preferred_mentors",
)


def people_frame(rows: list[dict]) -> pd.DataFrame:
    """A people table with the canonical dtypes, built column by column from row dicts."""
    data = {}
    for column in PEOPLE_COLUMNS:
        values = [row[column] for row in rows]
        if column in FLOAT_COLUMNS:
            data[column] = pd.Series(values, dtype=float)
        elif column == "capacity":
            data[column] = pd.Series(pd.array(values, dtype="Int64"))
        elif column in BOOL_COLUMNS:
            data[column] = pd.Series(values, dtype=bool)
        else:
            cells = np.empty(len(values), dtype=object)
            for position, value in enumerate(values):
                cells[position] = value
            data[column] = pd.Series(cells, dtype=object)
    return pd.DataFrame(data, columns=list(PEOPLE_COLUMNS))


def person(member_id: str, name: str = "", email: str = "", **changes) -> dict:
    row = {c: "" for c in PEOPLE_COLUMNS}
    row.update({c: () for c in TUPLE_COLUMNS})
    row.update(
        member_id=member_id,
        name=name or f"Person {member_id}",
        email=email or f"{member_id}@example.org",
        role="both",
        years_experience=math.nan,
        timezone=-5.0,
        capacity=None,
        priority=False,
        open_to_peer=True,
    )
    row.update(changes)
    return row


tags = st.lists(st.text(min_size=1, max_size=6), max_size=3).map(lambda x: tuple(sorted(set(x))))
any_float = st.floats(allow_nan=True, allow_infinity=True)
people_rows = st.fixed_dictionaries(
    {
        **{c: st.text(max_size=10) for c in PEOPLE_COLUMNS},
        **{c: tags for c in TUPLE_COLUMNS},
        **{c: any_float for c in FLOAT_COLUMNS},
        **{c: st.booleans() for c in BOOL_COLUMNS},
        "capacity": st.one_of(st.none(), st.integers(-(2**62), 2**62)),
    }
)
people_tables = st.lists(people_rows, max_size=6, unique_by=lambda r: r["member_id"]).map(
    people_frame
)
TEXT_COLUMNS = tuple(
    c
    for c in PEOPLE_COLUMNS
    if c not in (*TUPLE_COLUMNS, *FLOAT_COLUMNS, *BOOL_COLUMNS, "capacity")
)


def with_str_text(people: pd.DataFrame) -> pd.DataFrame:
    """The people table as ``load_people`` builds it under pandas 3: text columns as ``str``."""
    return people.astype({c: "str" for c in TEXT_COLUMNS})


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "m.sqlite3")


@pytest.fixture
def program_id(store: Store) -> int:
    return store.create_program("Spring 2026").id


def sample_people() -> pd.DataFrame:
    return people_frame(
        [
            person("e1", interests=("cataloging", "metadata"), capacity=None, priority=True),
            person("m1", years_experience=12.5, capacity=2, past_partners=("e1",)),
            person("m2", preferred_mentors=("m1", "e1")),
        ]
    )


def sample_pairs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mentee_id": ["e1", "m2"],
            "mentee_name": ["Person e1", "Person m2"],
            "mentor_id": ["m1", "m1"],
            "score": [0.75, 0.5],
            "reasons": [("shared: cataloging",), ()],
            "locked": [False, True],
        }
    )


def sample_unmatched() -> pd.DataFrame:
    return pd.DataFrame(
        {"member_id": ["x9"], "name": ["Person x9"], "role": ["mentee"], "reason": ["no mentor"]},
        dtype=object,
    )


def assert_exact(back: pd.DataFrame, frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(back, frame, check_exact=True)
    for column in frame.columns:
        if frame[column].dtype == object:
            assert [type(v) for v in back[column]] == [type(v) for v in frame[column]], column


# ---------------------------------------------------------------- tables as JSON


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_tables)
def test_people_table_round_trips_exactly(people: pd.DataFrame) -> None:
    assert_exact(frame_from_json(frame_to_json(people)), people)


object_cells = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), any_float, st.text(max_size=5)),
    lambda inner: st.one_of(st.tuples(inner, inner), st.lists(inner, max_size=3)),
    max_leaves=6,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_tables.map(with_str_text))
def test_people_table_with_str_text_columns_round_trips_exactly(people: pd.DataFrame) -> None:
    assert_exact(frame_from_json(frame_to_json(people)), people)


def test_regression_pandas3_str_column_labels_keep_their_dtype() -> None:
    # pandas 3 labels columns with a "str" Index; restoring them as object failed assert_frame_equal.
    frame = pd.DataFrame({"member_id": ["a"]})
    assert frame.columns.dtype == "str"
    assert frame_from_json(frame_to_json(frame)).columns.dtype == frame.columns.dtype
    labelled_object = frame.set_axis(pd.Index(["member_id"], dtype=object), axis=1)
    assert frame_from_json(frame_to_json(labelled_object)).columns.dtype == object


@settings(max_examples=60, deadline=None)
@given(st.lists(object_cells, max_size=5))
def test_object_cells_round_trip_with_their_types(cells: list) -> None:
    array = np.empty(len(cells), dtype=object)
    for position, cell in enumerate(cells):
        array[position] = cell
    frame = pd.DataFrame({"cell": pd.Series(array, dtype=object)})
    back = frame_from_json(frame_to_json(frame))
    assert repr(back["cell"].tolist()) == repr(frame["cell"].tolist())


def test_empty_people_table_round_trips_with_its_dtypes() -> None:
    assert_exact(frame_from_json(frame_to_json(empty_people())), empty_people())


def test_other_dtypes_and_index_round_trip() -> None:
    frame = pd.DataFrame(
        {
            "text": pd.Series(["a", None], dtype="str"),
            "string": pd.Series(["b", None], dtype="string"),
            "flag": pd.Series([True, None], dtype="boolean"),
            "real": pd.Series([1.5, None], dtype="Float64"),
            "small": np.array([1, 255], dtype=np.uint8),
            "single": np.array([0.1, -np.inf], dtype=np.float32),
            "mixed": pd.Series([{"k": (1, 2.5)}, pd.NA], dtype=object),
        },
        index=pd.Index(["r1", "r2"], name="row"),
    )
    assert_exact(frame_from_json(frame_to_json(frame)), frame)
    shifted = frame.iloc[::-1]
    assert_exact(frame_from_json(frame_to_json(shifted)), shifted)


def test_json_is_plain_ascii_without_nan_literals() -> None:
    text = frame_to_json(pd.DataFrame({"x": [math.nan, math.inf], "name": ["Zoë", "李"]}))
    assert text.isascii()
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"when": [datetime(2026, 1, 1)]}), "column 'when'"),
        (pd.DataFrame({"x": pd.Series([object()], dtype=object)}), "got object"),
        (pd.DataFrame([[1, 2]], columns=["a", "a"]), "unique column names"),
        (pd.DataFrame({0: [1]}), "column names as str"),
    ],
)
def test_unstorable_frames_are_refused_with_the_reason(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        frame_to_json(frame)


def test_frame_to_json_wants_a_dataframe() -> None:
    with pytest.raises(TypeError, match="expected a pandas DataFrame, got list"):
        frame_to_json([1, 2])


# ---------------------------------------------------------------- paths and schema


def test_default_path_prefers_mentoring_db(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MENTORING_DB", str(tmp_path / "a" / "b.sqlite3"))
    assert default_db_path() == tmp_path / "a" / "b.sqlite3"
    assert (tmp_path / "a").is_dir()


def test_default_path_uses_xdg_data_home_then_home(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MENTORING_DB", raising=False)
    monkeypatch.setattr(schema_module.sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "mentoring" / "mentoring.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "share" / "mentoring" / "mentoring.sqlite3"
    assert default_db_path() == expected
    assert expected.parent.is_dir()


def test_store_defaults_to_the_default_path(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MENTORING_DB", str(tmp_path / "env.sqlite3"))
    assert Store().path == tmp_path / "env.sqlite3"


def test_the_split_store_keeps_its_public_names_in_db(tmp_path: Path) -> None:
    import mentoring.store.db as db

    assert set(db.__all__) <= set(vars(db))
    assert db.DEFAULT_PROGRAM_NAME == "My first program"
    assert db.RUN_COLUMNS[0] == "run_id" and db.UPLOAD_COLUMNS[0] == "upload_id"
    assert db.REVIEW_COLUMNS == ("status", "version", "updated_at", "by")
    store = Store(tmp_path / "m.sqlite3")
    assert store == Store(tmp_path / "m.sqlite3") and repr(store).startswith("Store(")
    with pytest.raises(AttributeError):
        store.path = tmp_path / "other.sqlite3"  # type: ignore[misc]


def test_a_zero_byte_file_is_migrated_to_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    store = Store(path)
    assert store.list_programs() == ()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"programs", "member_sets", "uploads", "settings", "runs", "decisions"} <= tables


def test_migrate_is_a_no_op_on_a_current_file(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)) as conn:
        assert migrate(conn) == 0
        assert migrate(conn) == SCHEMA_VERSION


def test_a_failing_migration_step_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (("CREATE TABLE first_step (x)", "CREATE TABLE broken ("),)
    monkeypatch.setattr(schema_module, "_MIGRATIONS", broken)
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", 1)
    with closing(sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)) as conn:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def test_many_first_visits_at_once_create_one_default_program(tmp_path: Path) -> None:
    store = Store(tmp_path / "fresh.sqlite3")
    found: list = []
    errors: list[BaseException] = []

    def visit() -> None:
        try:
            found.append(store.ensure_default_program())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(found)) == 1
    assert len(store.list_programs()) == 1


def test_every_connection_sets_the_safety_pragmas(store: Store) -> None:
    with closing(store._connect()) as conn:
        pragma = {
            name: conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
        }
        secure_delete = conn.execute("PRAGMA secure_delete").fetchone()[0]
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 1,
        "busy_timeout": 10000,
        "foreign_keys": 1,
    }
    assert secure_delete == 1


def test_a_file_from_a_newer_version_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer version of mentoring.*Update mentoring"):
        Store(path).list_programs()


def test_a_folder_in_place_of_the_file_is_refused_with_advice(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    with pytest.raises(StoreError, match="Could not use the mentoring database .*free space"):
        Store(tmp_path / "db").list_programs()


def test_a_file_that_is_not_a_database_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(b"name,email\n" * 500)
    with pytest.raises(StoreError, match="not a readable mentoring database.*MENTORING_DB"):
        Store(path).list_programs()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"path": 3}, "database path as str or Path"),
        ({"busy_timeout": -1}, "busy_timeout >= 0"),
        ({"attempts": 0}, "attempts as a whole number >= 1"),
    ],
)
def test_store_arguments_are_checked(tmp_path: Path, kwargs: dict, message: str) -> None:
    kwargs.setdefault("path", tmp_path / "m.sqlite3")
    with pytest.raises((TypeError, ValueError), match=message):
        Store(**kwargs)


def test_a_long_held_lock_gives_a_plain_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    program = Store(path).create_program("A")
    quick = Store(path, busy_timeout=0.05, attempts=2)
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreBusyError) as caught:
            quick.set_decision(program.id, "e1", "m1", "approved")
        holder.execute("ROLLBACK")
    message = str(caught.value)
    assert "database is locked" not in message
    assert message.startswith("The mentoring database is busy") and "try again" in message
    assert isinstance(caught.value, MentoringError)
    assert quick.set_decision(program.id, "e1", "m1", "approved").version == 1


def test_a_brief_lock_is_waited_out_without_error(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    program = Store(path).create_program("A")
    patient = Store(path, busy_timeout=0.01, attempts=8)
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        calls = []
        real_sleep = base_module.time.sleep

        def release_then_sleep(seconds: float) -> None:
            calls.append(seconds)
            if holder.in_transaction:
                holder.execute("ROLLBACK")
            real_sleep(seconds)

        base_module.time.sleep = release_then_sleep
        try:
            decision = patient.set_decision(program.id, "e1", "m1", "locked")
        finally:
            base_module.time.sleep = real_sleep
    assert decision.version == 1
    assert calls, "the first attempt should have met the lock and backed off"


# ---------------------------------------------------------------- programs


def test_programs_are_created_listed_fetched_and_renamed(store: Store) -> None:
    first = store.create_program("Spring 2026")
    second = store.create_program("  Fall   2026 ")
    assert second.name == "Fall 2026"
    assert store.list_programs() == (first, second)
    assert store.get_program(first.id) == first
    renamed = store.rename_program(first.id, "Spring cohort")
    assert renamed == replace(first, name="Spring cohort")
    assert store.get_program(first.id).name == "Spring cohort"
    assert store.rename_program(first.id, "spring COHORT").name == "spring COHORT"


def test_program_names_must_be_unique_ignoring_case(store: Store) -> None:
    store.create_program("Spring 2026")
    with pytest.raises(StoreError, match="'spring 2026' already exists. Choose another name."):
        store.create_program("spring 2026")
    other = store.create_program("Fall")
    with pytest.raises(StoreError, match="already exists"):
        store.rename_program(other.id, "SPRING 2026")


@pytest.mark.parametrize("name", ["", "   "])
def test_a_blank_program_name_is_refused(store: Store, name: str) -> None:
    with pytest.raises(StoreError, match="A program needs a name"):
        store.create_program(name)


def test_a_very_long_program_name_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="under 200 characters"):
        store.create_program("x" * 201)


def test_ensure_default_program_creates_once_then_returns_the_oldest(store: Store) -> None:
    first = store.ensure_default_program()
    assert first.name == "My first program"
    store.create_program("Another")
    assert store.ensure_default_program() == first
    assert len(store.list_programs()) == 2


def test_unknown_program_ids_get_a_clear_error(store: Store) -> None:
    for call in (
        lambda: store.get_program(42),
        lambda: store.load_members(42),
        lambda: store.set_decision(42, "e1", "m1", "approved"),
        lambda: store.latest_run(42),
        lambda: store.purge_program(42),
    ):
        with pytest.raises(ProgramNotFoundError, match="There is no program 42.*Reload the page"):
            call()


def test_program_ids_must_be_integers(store: Store) -> None:
    with pytest.raises(TypeError, match="expected program_id as int, got '1'"):
        store.get_program("1")
    with pytest.raises(TypeError, match="expected program_id as int, got True"):
        store.get_program(True)


def test_ids_are_never_reused_after_a_purge(store: Store) -> None:
    first = store.create_program("A")
    store.purge_program(first.id)
    assert store.create_program("B").id != first.id


# ---------------------------------------------------------------- members


def test_members_round_trip_with_issues_mapping_and_upload_record(
    store: Store, program_id: int
) -> None:
    people = sample_people()
    issues = [
        Issue(
            "a.csv", 3, "Capacity", "capacity_unparsed", "could not read 'lots'", "warning", "m1"
        ),
        Issue("a.csv", None, None, "missing_column", "no Email column", "info"),
    ]
    mappings = {"a.csv": {"Full name": "name", "Capacity": "capacity"}}
    store.save_members(program_id, people, issues, mappings, ["a.csv", "b.xlsx"])
    back, back_issues, back_mappings = store.load_members(program_id)
    assert_exact(back, people)
    assert back_issues == tuple(issues)
    assert back_mappings == mappings
    uploads = store.list_uploads(program_id)
    assert uploads[["sources", "n_members", "n_issues"]].values.tolist() == [
        [("a.csv", "b.xlsx"), 3, 2]
    ]


def test_regression_form_criteria_were_dropped_by_the_store(store: Store, program_id: int) -> None:
    # The reader keeps a form's criteria in people.attrs; the store used to drop them, so the
    # app matched a form without its own questions. They come back as Criterion.to_dict().
    from mentoring.engine.scoring import cohort_criteria
    from mentoring.model.questions import Criterion
    from mentoring.services.members import load_member_files

    form = Path(__file__).parent / "data" / "forms" / "university_research_mentoring.csv"
    report = load_member_files([(form.name, form.read_bytes())])
    people = report.people
    assert people.attrs["criteria"] and all(
        isinstance(c, Criterion) for c in people.attrs["criteria"]
    )
    questions = [c for c in people.columns if c.startswith("q:")]
    store.save_members(program_id, people, report.issues, {}, [form.name])
    back = store.load_members(program_id)[0]
    assert_exact(back, people)
    assert back[questions].equals(people[questions])
    assert back.attrs["criteria"] == tuple(c.to_dict() for c in report.criteria)
    assert cohort_criteria(back, MatchConfig()) == cohort_criteria(people, MatchConfig())
    # Saved again as it came back, the fingerprint does not move (runs stay fresh).
    digest = store.members_digest(program_id)
    store.save_members(program_id, back, report.issues, {}, [form.name])
    assert store.members_digest(program_id) == digest
    # A run's snapshot of the members keeps them too.
    run = store.save_run(
        program_id, sample_pairs(), sample_unmatched(), {}, MatchConfig(), people=back
    )
    assert run.members_digest == digest
    assert store.latest_run(program_id).people.attrs == back.attrs


def test_table_attrs_round_trip_and_unstorable_attrs_are_refused() -> None:
    frame = pd.DataFrame({"a": [1]})
    frame.attrs = {"criteria": ({"name": "x", "levels": ["a", "b"]},), "n": 2, "f": 0.5}
    back = frame_from_json(frame_to_json(frame))
    assert back.attrs == frame.attrs
    assert isinstance(back.attrs["criteria"], tuple)
    assert '"attrs"' not in frame_to_json(pd.DataFrame({"a": [1]}))
    frame.attrs = {"when": datetime(2026, 1, 1)}
    with pytest.raises(TypeError, match="attrs"):
        frame_to_json(frame)


def test_saving_members_replaces_the_set_and_keeps_every_upload(
    store: Store, program_id: int
) -> None:
    store.save_members(program_id, sample_people(), [], {}, ["first.csv"])
    smaller = sample_people().iloc[:1].reset_index(drop=True)
    store.save_members(program_id, smaller, [], {}, ["second.csv"])
    assert store.load_members(program_id)[0]["member_id"].tolist() == ["e1"]
    assert store.list_uploads(program_id)["sources"].tolist() == [("second.csv",), ("first.csv",)]


def test_loading_members_before_any_upload_gives_an_empty_people_table(
    store: Store, program_id: int
) -> None:
    people, issues, mappings = store.load_members(program_id)
    assert_exact(people, empty_people())
    assert (issues, mappings) == ((), {})


def test_members_of_programs_are_kept_apart(store: Store, program_id: int) -> None:
    other = store.create_program("Other").id
    store.save_members(program_id, sample_people(), [], {}, [])
    assert store.load_members(other)[0].empty


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((pd.DataFrame({"name": ["x"]}),), "expected people with columns member_id"),
        (([{"member_id": "x"}],), "expected people as a pandas DataFrame, got list"),
        ((sample_people(), ["not an issue"]), "expected issues as Issue objects, got str"),
        ((sample_people(), [], {"a": object()}), "expected mappings as a dict of plain values"),
        ((sample_people(), [], {}, "a.csv"), "expected sources as a list of file names"),
    ],
)
def test_save_members_checks_its_arguments(
    store: Store, program_id: int, args: tuple, message: str
) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        store.save_members(program_id, *args)
    assert store.list_uploads(program_id).empty


# ---------------------------------------------------------------- settings


def test_settings_round_trip(store: Store, program_id: int) -> None:
    assert store.load_settings(program_id) is None
    config = MatchConfig(
        weights=Weights(interests=5, diversity=0),
        objective="quality",
        max_timezone_difference=3.5,
        forbidden_pairs=(("e1", "m2"),),
        locked_pairs=(("e2", "m1"),),
    )
    store.save_settings(program_id, config)
    assert store.load_settings(program_id) == config
    store.save_settings(program_id, MatchConfig())
    assert store.load_settings(program_id) == MatchConfig()


def test_settings_with_diversity_goals_round_trip(store: Store, program_id: int) -> None:
    from mentoring.model.goals import IdentityShare, PriorityCovered

    config = MatchConfig(goals=(PriorityCovered(), IdentityShare(0.5)))
    store.save_settings(program_id, config)
    assert store.load_settings(program_id) == config


def test_save_settings_wants_a_match_config(store: Store, program_id: int) -> None:
    with pytest.raises(TypeError, match="expected a MatchConfig, got dict"):
        store.save_settings(program_id, {"objective": "quality"})


# ---------------------------------------------------------------- runs


def test_runs_round_trip_and_the_latest_is_the_newest(store: Store, program_id: int) -> None:
    assert store.latest_run(program_id) is None
    stats = MatchStats(
        n_mentees=2, n_mentors=1, n_matched=np.int64(2), n_priority=1, n_priority_matched=1,
        total_score=np.float64(1.25), mean_score=0.625, worst_score=0.5, mentor_places=2,
        mentors_at_capacity=1, n_feasible_pairs=3, seconds=0.01, certified=True, bound=1.25,
    )  # fmt: skip
    config = MatchConfig(objective="quality", locked_pairs=(("m2", "m1"),))
    first = store.save_run(program_id, sample_pairs(), sample_unmatched(), stats, config)
    second = store.save_run(program_id, sample_pairs().iloc[:1], sample_unmatched(), {}, config)
    latest = store.latest_run(program_id)
    assert latest.id == second.id > first.id
    again = store.get_run(program_id, first.id)
    assert_exact(again.pairs, sample_pairs())
    assert_exact(again.unmatched, sample_unmatched())
    assert again.stats["n_matched"] == 2 and again.stats["total_score"] == 1.25
    assert again.config == config
    assert again.created_at == first.created_at
    runs = store.list_runs(program_id)
    assert runs[["run_id", "n_pairs", "n_unmatched"]].values.tolist() == [
        [second.id, 1, 1],
        [first.id, 2, 1],
    ]


def test_get_run_of_another_program_is_refused(store: Store, program_id: int) -> None:
    run = store.save_run(program_id, sample_pairs(), sample_unmatched(), {}, MatchConfig())
    other = store.create_program("Other").id
    with pytest.raises(StoreError, match=f"Program {other} has no run {run.id}"):
        store.get_run(other, run.id)


def test_a_new_run_clears_pending_decisions_but_keeps_the_others(
    store: Store, program_id: int
) -> None:
    for mentee, status in [
        ("e1", "approved"),
        ("e2", "rejected"),
        ("e3", "locked"),
        ("e4", "pending"),
    ]:
        store.set_decision(program_id, mentee, "m1", status)
    store.save_run(program_id, sample_pairs(), sample_unmatched(), {}, MatchConfig())
    kept = store.decisions(program_id)
    assert kept[["mentee_id", "status"]].values.tolist() == [
        ["e1", "approved"],
        ["e2", "rejected"],
        ["e3", "locked"],
    ]


@pytest.mark.parametrize(
    ("pairs", "unmatched", "message"),
    [
        (pd.DataFrame({"mentee_id": []}), sample_unmatched(), "expected pairs with columns"),
        (sample_pairs(), pd.DataFrame({"name": []}), "expected unmatched with columns member_id"),
    ],
)
def test_save_run_checks_its_tables(
    store: Store, program_id: int, pairs: pd.DataFrame, unmatched: pd.DataFrame, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        store.save_run(program_id, pairs, unmatched, {}, MatchConfig())


def test_save_run_checks_stats_and_config(store: Store, program_id: int) -> None:
    with pytest.raises(TypeError, match="expected stats as a dict or dataclass, got list"):
        store.save_run(program_id, sample_pairs(), sample_unmatched(), [1], MatchConfig())
    with pytest.raises(TypeError, match="expected a MatchConfig, got NoneType"):
        store.save_run(program_id, sample_pairs(), sample_unmatched(), {}, None)


# ---------------------------------------------------------------- decisions


def test_each_change_of_a_decision_raises_its_version(store: Store, program_id: int) -> None:
    assert store.get_decision(program_id, "e1", "m1").version == 0
    first = store.set_decision(program_id, "e1", "m1", "approved", expected_version=0, by="kim")
    second = store.set_decision(program_id, "e1", "m1", "locked", expected_version=1, by="lee")
    assert (first.version, second.version) == (1, 2)
    assert store.get_decision(program_id, "e1", "m1") == second
    assert second.by == "lee" and second.status == "locked"


def test_two_coordinators_editing_one_pair_the_stale_one_is_told(
    store: Store, program_id: int
) -> None:
    seen_by_kim = store.get_decision(program_id, "e1", "m1")
    seen_by_lee = store.get_decision(program_id, "e1", "m1")
    store.set_decision(program_id, "e1", "m1", "approved", expected_version=seen_by_kim.version)
    with pytest.raises(DecisionConflictError) as caught:
        store.set_decision(program_id, "e1", "m1", "rejected", expected_version=seen_by_lee.version)
    assert str(caught.value) == (
        "This pair was changed by another coordinator (now: approved). "
        "Reload to see their decision."
    )
    assert caught.value.current.status == "approved"
    assert store.get_decision(program_id, "e1", "m1").status == "approved"


def test_a_conflict_names_who_made_the_change_when_known(store: Store, program_id: int) -> None:
    store.set_decision(program_id, "e1", "m1", "rejected", by="Kim (ALA)")
    with pytest.raises(DecisionConflictError, match=r"changed by Kim \(ALA\) \(now: rejected\)"):
        store.set_decision(program_id, "e1", "m1", "approved", expected_version=0)


def test_decisions_are_listed_sorted_with_documented_columns(store: Store, program_id: int) -> None:
    store.set_decision(program_id, "e2", "m1", "rejected")
    store.set_decision(program_id, "e1", "m2", "approved", by="kim")
    store.set_decision(program_id, "e1", "m1", "pending")
    frame = store.decisions(program_id)
    assert tuple(frame.columns) == DECISION_COLUMNS
    assert frame["version"].dtype == np.int64
    assert frame[["mentee_id", "mentor_id", "status"]].values.tolist() == [
        ["e1", "m1", "pending"],
        ["e1", "m2", "approved"],
        ["e2", "m1", "rejected"],
    ]
    empty = store.decisions(store.create_program("Other").id)
    assert tuple(empty.columns) == DECISION_COLUMNS and empty.empty


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"status": "maybe"}, ValueError, "expected status as one of pending, approved"),
        ({"mentee_id": ""}, TypeError, "expected mentee_id as non-empty str"),
        ({"mentor_id": 7}, TypeError, "expected mentor_id as non-empty str, got 7"),
        ({"expected_version": "1"}, TypeError, "expected expected_version as int or None"),
        ({"by": None}, TypeError, "expected by as str"),
    ],
)
def test_set_decision_checks_its_arguments(
    store: Store, program_id: int, kwargs: dict, error: type, message: str
) -> None:
    call = {"mentee_id": "e1", "mentor_id": "m1", "status": "approved", **kwargs}
    by = call.pop("by", "")
    expected = call.pop("expected_version", None)
    with pytest.raises(error, match=message):
        store.set_decision(program_id, **call, expected_version=expected, by=by)


def test_set_decisions_writes_all_at_once(store: Store, program_id: int) -> None:
    store.set_decision(program_id, "e1", "m1", "approved")
    done = store.set_decisions(
        program_id, [("e1", "m2", "locked", 0), ("e1", "m1", "rejected", 1)], by="kim"
    )
    assert [(d.mentor_id, d.status, d.version, d.by) for d in done] == [
        ("m2", "locked", 1, "kim"),
        ("m1", "rejected", 2, "kim"),
    ]
    assert store.kept_and_forbidden(program_id) == ((("e1", "m2"),), (("e1", "m1"),))


def test_set_decisions_with_one_stale_version_writes_nothing(store: Store, program_id: int) -> None:
    store.set_decision(program_id, "e2", "m1", "rejected", by="lee")
    before = store.decisions(program_id)
    with pytest.raises(DecisionConflictError, match=r"changed by lee \(now: rejected\)"):
        store.set_decisions(program_id, [("e1", "m1", "approved", 0), ("e2", "m1", "approved", 0)])
    pd.testing.assert_frame_equal(store.decisions(program_id), before)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ("e1,m1,approved", "expected changes as a list of tuples, got str"),
        ([("e1", "m1")], "expected \\(mentee_id, mentor_id, status"),
        ([("e1", "m1", "ok")], "expected status as one of"),
        ([("e1", "m1", "approved"), ("e1", "m1", "rejected")], "expected each pair once"),
    ],
)
def test_set_decisions_checks_its_changes(
    store: Store, program_id: int, changes, message: str
) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        store.set_decisions(program_id, changes)
    assert store.decisions(program_id).empty


def test_kept_and_forbidden_feed_a_re_solve(store: Store, program_id: int) -> None:
    store.set_decision(program_id, "e2", "m1", "locked")
    store.set_decision(program_id, "e1", "m1", "approved")
    store.set_decision(program_id, "e1", "m2", "rejected")
    store.set_decision(program_id, "m2", "m1", "pending")
    locked, forbidden = store.kept_and_forbidden(program_id)
    assert locked == (("e1", "m1"), ("e2", "m1"))
    assert forbidden == (("e1", "m2"),)
    config = MatchConfig(locked_pairs=locked, forbidden_pairs=forbidden)
    assert (config.locked_pairs, config.forbidden_pairs) == (locked, forbidden)


def test_kept_and_forbidden_leave_out_members_no_longer_uploaded(
    store: Store, program_id: int
) -> None:
    store.set_decision(program_id, "e1", "m1", "approved")
    store.set_decision(program_id, "gone", "m1", "approved")
    store.set_decision(program_id, "e1", "gone", "rejected")
    store.save_members(program_id, sample_people(), [], {}, [])
    assert store.kept_and_forbidden(program_id) == ((("e1", "m1"),), ())


def test_review_table_joins_the_latest_pairs_with_their_decisions(
    store: Store, program_id: int
) -> None:
    assert store.review_table(program_id).empty
    store.save_run(program_id, sample_pairs(), sample_unmatched(), {}, MatchConfig())
    store.set_decision(program_id, "m2", "m1", "approved", by="kim")
    table = store.review_table(program_id)
    assert table.columns.tolist() == [
        *sample_pairs().columns,
        "status",
        "version",
        "updated_at",
        "by",
    ]
    assert table[["mentee_id", "status", "version", "by"]].values.tolist() == [
        ["e1", "pending", 0, ""],
        ["m2", "approved", 1, "kim"],
    ]
    assert table["version"].dtype == np.int64


# ---------------------------------------------------------------- forgetting (logic)


def test_delete_member_removes_them_from_every_table(store: Store, program_id: int) -> None:
    people = people_frame(
        [
            person("e1", name="Ada Byron", notes="wants to meet Carla Diaz"),
            person("m1", name="Carla Diaz", email="carla@lib.org", past_partners=("e1",)),
            person("m2", preferred_mentors=("m1", "e1"), notes="knows CARLA DIAZ well"),
            person("m10", name="Carla Diaz-Moreno"),
        ]
    )
    issues = [
        Issue("a.csv", 3, "Email", "dup", "carla@lib.org appears twice", "error", "m1"),
        Issue("a.csv", None, None, "note", "Carla Diaz and Ada Byron share an email", "info"),
    ]
    store.save_members(program_id, people, issues, {}, ["a.csv"])
    store.save_settings(program_id, MatchConfig(forbidden_pairs=(("e1", "m1"), ("e1", "m2"))))
    pairs = pd.DataFrame(
        {
            "mentee_id": ["e1", "m2"],
            "mentee_name": ["Ada Byron", "Person m2"],
            "mentor_id": ["m1", "m10"],
            "mentor_name": ["Carla Diaz", "Carla Diaz-Moreno"],
            "reasons": [("shared: metadata",), ("second choice after Carla Diaz (m1)",)],
        }
    )
    unmatched = pd.DataFrame(
        {"member_id": ["m1"], "name": ["Carla Diaz"], "reason": ["mentor m1 is full"]}, dtype=object
    )
    store.save_run(program_id, pairs, unmatched, {}, MatchConfig(locked_pairs=(("e1", "m1"),)))
    store.set_decision(program_id, "e1", "m1", "approved")
    store.set_decision(program_id, "m2", "m10", "approved")

    assert store.delete_member(program_id, "m1") > 0

    back, back_issues, _ = store.load_members(program_id)
    assert back["member_id"].tolist() == ["e1", "m2", "m10"]
    assert back["notes"].tolist() == [
        "wants to meet [removed member]",
        "knows [removed member] well",
        "",
    ]
    assert back["name"].tolist() == ["Ada Byron", "Person m2", "Carla Diaz-Moreno"]
    assert back["preferred_mentors"].tolist() == [(), ("e1",), ()]
    assert back["past_partners"].tolist() == [(), (), ()]
    assert [i.message for i in back_issues] == ["[removed member] and Ada Byron share an email"]
    run = store.latest_run(program_id)
    assert run.pairs["mentor_id"].tolist() == ["m10"]
    assert run.pairs["reasons"].tolist() == [("second choice after [removed member] (m1)",)]
    # Ada's mentor is gone: she is listed as unmatched in that run, with the reason.
    assert run.unmatched["member_id"].tolist() == ["e1"]
    assert "mentor was removed" in run.unmatched["reason"].iloc[0]
    assert run.config.locked_pairs == ()
    assert run.note == "A member was removed after this run."
    assert store.list_runs(program_id)[["n_pairs", "n_unmatched"]].values.tolist() == [[1, 1]]
    assert store.load_settings(program_id).forbidden_pairs == (("e1", "m2"),)
    assert store.decisions(program_id)["mentor_id"].tolist() == ["m10"]


@pytest.mark.parametrize(
    ("member_id", "scrubbed"),
    [("carla.diaz", True), ("cd-7", True), ("1", False), ("m1", False)],
)
def test_only_identifying_ids_are_scrubbed_from_free_text(
    store: Store, program_id: int, member_id: str, scrubbed: bool
) -> None:
    people = people_frame(
        [person(member_id, name="Carla Diaz"), person("x", notes=f"rank 1 after {member_id}")]
    )
    store.save_members(program_id, people, [], {}, [])
    store.delete_member(program_id, member_id)
    notes = store.load_members(program_id)[0]["notes"].tolist()
    assert notes == (
        ["rank 1 after [removed member]"] if scrubbed else [f"rank 1 after {member_id}"]
    )


def test_delete_member_keeps_str_dtypes_of_the_people_table(store: Store, program_id: int) -> None:
    people = with_str_text(
        people_frame([person("carla", name="Carla Diaz"), person("x", notes="likes Carla Diaz")])
    )
    store.save_members(program_id, people, [], {}, [])
    store.delete_member(program_id, "carla")
    expected = people.iloc[1:].reset_index(drop=True)
    expected["notes"] = pd.Series(["likes [removed member]"], dtype="str")
    back = store.load_members(program_id)[0].reset_index(drop=True)
    assert_exact(back, expected)


def test_a_real_match_round_trips_and_its_member_can_be_forgotten(
    store: Store, program_id: int
) -> None:
    from mentoring.pipeline import match
    from mentoring.reading.synthetic import random_people

    people = random_people(12, 8, seed=7)
    result = match(people, MatchConfig())
    store.save_members(program_id, people, result.issues, {}, ["synthetic.csv"])
    store.save_run(program_id, result.pairs, result.unmatched, result.stats, result.config)
    assert_exact(store.load_members(program_id)[0], people)
    run = store.latest_run(program_id)
    assert_exact(run.pairs, result.pairs)
    assert_exact(run.unmatched, result.unmatched)
    assert run.config == result.config
    mentee = result.pairs["mentee_id"].iloc[0]
    store.delete_member(program_id, mentee)
    assert mentee not in set(store.load_members(program_id)[0]["member_id"])
    assert mentee not in set(store.latest_run(program_id).pairs["mentee_id"])


def test_deleting_an_unknown_member_changes_nothing(store: Store, program_id: int) -> None:
    store.save_members(program_id, sample_people(), [], {}, [])
    assert store.delete_member(program_id, "nobody") == 0
    assert_exact(store.load_members(program_id)[0], sample_people())


def test_delete_member_wants_an_id(store: Store, program_id: int) -> None:
    with pytest.raises(TypeError, match="expected member_id as non-empty str"):
        store.delete_member(program_id, "")


def test_purge_program_leaves_other_programs_alone(store: Store, program_id: int) -> None:
    other = store.create_program("Other").id
    for pid in (program_id, other):
        store.save_members(pid, sample_people(), [], {}, ["a.csv"])
        store.save_settings(pid, MatchConfig())
        store.save_run(pid, sample_pairs(), sample_unmatched(), {}, MatchConfig())
        store.set_decision(pid, "e1", "m1", "approved")
    store.purge_program(program_id)
    assert [p.id for p in store.list_programs()] == [other]
    assert_exact(store.load_members(other)[0], sample_people())
    assert len(store.decisions(other)) == 1
    with closing(sqlite3.connect(store.path)) as conn:
        for table in ("member_sets", "uploads", "settings", "runs", "decisions"):
            count = conn.execute(
                f"SELECT count(*) FROM {table} WHERE program_id = ?", (program_id,)
            ).fetchone()[0]
            assert count == 0, table
