"""Tables and settings to JSON text and back, exactly (dtypes, NaN, tuples), never with pickle.

>>> import pandas as pd
>>> frame = pd.DataFrame({"a": [1.5, float("nan")], "b": [("x", "y"), ()]})
>>> frame_from_json(frame_to_json(frame)).equals(frame)
True
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from mentoring.model.config import MatchConfig
from mentoring.store.records import StoreError

__all__ = ["frame_from_json", "frame_to_json"]

_FRAME_FORMAT = 1


def frame_to_json(frame: pd.DataFrame) -> str:
    """A table as JSON text that :func:`frame_from_json` turns back into an identical table.

    Column order and dtypes are kept: ``bool``, numpy integers and floats (NaN and infinities
    included), the nullable ``Int64``/``boolean``/``Float64``, ``str``/``string``, and ``object``
    columns whose cells are text, numbers, booleans, ``None``, ``pd.NA``, or tuples, lists and
    dicts of those (tuples come back as tuples). The index is kept too, and so is ``attrs``
    (where the reader keeps a form's criteria): values of the same plain kinds, and objects
    with a ``to_dict()`` method such as :class:`~mentoring.model.questions.Criterion`, which
    come back as that dict.

    Parameters
    ----------
    frame : pandas.DataFrame
        Column names must be unique strings.

    Returns
    -------
    str
        Plain ASCII JSON (no NaN literals), safe to store and to read back anywhere.

    Raises
    ------
    TypeError
        When a column or cell holds something else (a date, an arbitrary object).

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["a"], "tags": [("x", "y")], "n": pd.array([None], "Int64")})
    >>> back = frame_from_json(frame_to_json(frame))
    >>> back.loc[0, "tags"], back["n"].dtype
    (('x', 'y'), Int64Dtype())
    >>> from mentoring.model.questions import Criterion
    >>> frame.attrs["criteria"] = (Criterion("site", "same", "q:site", "q:site"),)
    >>> frame_from_json(frame_to_json(frame)).attrs["criteria"][0]["mentee_column"]
    'q:site'
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    names = list(frame.columns)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"expected column names as str, got {name!r}")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise TypeError(f"expected unique column names, got duplicates: {', '.join(duplicated)}")
    columns = [
        {
            "name": name,
            "dtype": str(frame.dtypes.iloc[position]),
            "values": _encode_series(frame.iloc[:, position], name),
        }
        for position, name in enumerate(names)
    ]
    payload = {
        "format": _FRAME_FORMAT,
        "index": _encode_index(frame.index),
        "columns_dtype": str(frame.columns.dtype),
        "columns": columns,
    }
    if frame.attrs:
        # Only when there are any, so a table without attrs is written as it always was.
        payload["attrs"] = _encode_attrs(frame.attrs)
    return json.dumps(payload, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def frame_from_json(text: str) -> pd.DataFrame:
    """The table :func:`frame_to_json` wrote, with its columns, dtypes, index and tuples.

    Parameters
    ----------
    text : str
        JSON written by :func:`frame_to_json`.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> frame = pd.DataFrame({"score": [0.5, float("nan")], "ok": [True, False]})
    >>> frame_from_json(frame_to_json(frame)).equals(frame)
    True
    """
    payload = json.loads(text)
    if not isinstance(payload, dict) or payload.get("format") != _FRAME_FORMAT:
        raise StoreError(
            "A stored table is in a format this version of mentoring does not know. "
            "Update mentoring, or ask whoever created the database which version they used."
        )
    index = _decode_index(payload["index"])
    data = {
        position: _decode_series(column["values"], column["dtype"], index)
        for position, column in enumerate(payload["columns"])
    }
    frame = pd.DataFrame(data, index=index)
    names = [column["name"] for column in payload["columns"]]
    frame.columns = pd.Index(names, dtype=payload.get("columns_dtype", "object"))
    if payload.get("attrs"):
        frame.attrs = {key: _decode_cell(value) for key, value in payload["attrs"].items()}
    return frame


def _encode_attrs(attrs: dict[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if not isinstance(key, str):
            raise TypeError(f"expected the table's attrs keys as str, got {key!r}")
        try:
            out[key] = _encode_cell(_attr_plain(value), f"attrs[{key!r}]", 0)
        except TypeError as exc:
            raise TypeError(f"cannot store the table's attrs[{key!r}]: {exc}") from exc
    return out


def _attr_plain(value: Any) -> Any:
    # A criterion (or any record with to_dict) is kept as its plain values.
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, pd.DataFrame | pd.Series):
        return _attr_plain(to_dict())
    if isinstance(value, tuple):
        return tuple(_attr_plain(v) for v in value)
    if isinstance(value, list):
        return [_attr_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _attr_plain(v) for k, v in value.items()}
    return value


def _encode_index(index: pd.Index) -> dict[str, Any]:
    name = index.name
    if name is not None and not isinstance(name, str):
        raise TypeError(f"expected the index name as str or None, got {name!r}")
    if isinstance(index, pd.RangeIndex):
        return {"range": [index.start, index.stop, index.step], "name": name}
    series = index.to_series(index=pd.RangeIndex(len(index)))
    return {"dtype": str(index.dtype), "values": _encode_series(series, "the index"), "name": name}


def _decode_index(data: dict[str, Any]) -> pd.Index:
    if "range" in data:
        return pd.RangeIndex(*data["range"], name=data["name"])
    values = _decode_series(data["values"], data["dtype"], pd.RangeIndex(len(data["values"])))
    return pd.Index(values, name=data["name"])


def _encode_series(series: pd.Series, name: str) -> list[Any]:
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind == "b":
            return [bool(v) for v in series.to_numpy()]
        if dtype.kind in "iu":
            return [int(v) for v in series.to_numpy()]
        if dtype.kind == "f":
            return [_encode_float(float(v)) for v in series.to_numpy()]
        if dtype.kind == "O":
            return [_encode_cell(v, name, row) for row, v in enumerate(series.to_numpy())]
    elif isinstance(dtype, pd.StringDtype):
        return [None if pd.isna(v) else str(v) for v in series.to_numpy(dtype=object)]
    elif isinstance(dtype, pd.BooleanDtype):
        return [None if v is pd.NA else bool(v) for v in series.to_numpy(dtype=object)]
    elif isinstance(dtype, pd.core.arrays.integer.IntegerDtype):
        return [None if v is pd.NA else int(v) for v in series.to_numpy(dtype=object)]
    elif isinstance(dtype, pd.core.arrays.floating.FloatingDtype):
        return [
            None if pd.isna(v) else _encode_float(float(v)) for v in series.to_numpy(dtype=object)
        ]
    raise TypeError(
        f"cannot store column {name!r}: expected text, numbers, booleans or tuples, "
        f"got dtype {dtype}"
    )


def _encode_float(value: float) -> float | str | None:
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _decode_float(value: float | str | None) -> float:
    if value is None:
        return math.nan
    return float(value)


def _encode_cell(value: Any, name: str, row: int) -> Any:
    # Tagged one-key dicts keep apart what JSON alone would merge (tuple vs list, NaN vs None).
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | np.integer) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else {"$f": repr(value)}
    if value is pd.NA:
        return {"$na": 1}
    if isinstance(value, tuple):
        return {"$t": [_encode_cell(v, name, row) for v in value]}
    if isinstance(value, list):
        return {"$l": [_encode_cell(v, name, row) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"$d": {k: _encode_cell(v, name, row) for k, v in value.items()}}
    raise TypeError(
        f"cannot store column {name!r}, row {row}: expected text, a number, a boolean, None "
        f"or a tuple of them, got {type(value).__name__}"
    )


def _decode_cell(value: Any) -> Any:
    if isinstance(value, dict):
        (tag, inner), *_ = value.items()
        if tag == "$t":
            return tuple(_decode_cell(v) for v in inner)
        if tag == "$l":
            return [_decode_cell(v) for v in inner]
        if tag == "$d":
            return {k: _decode_cell(v) for k, v in inner.items()}
        if tag == "$f":
            return float(inner)
        return pd.NA
    return value


def _decode_series(values: list[Any], dtype_name: str, index: pd.Index) -> pd.Series:
    dtype = pd.api.types.pandas_dtype(dtype_name)
    if isinstance(dtype, np.dtype):
        if dtype.kind == "f":
            array = np.array([_decode_float(v) for v in values], dtype=dtype)
        elif dtype.kind == "O":
            # Filled one by one: handing numpy a list of equal-length tuples would build a 2-D array.
            array = np.empty(len(values), dtype=object)
            for position, value in enumerate(values):
                array[position] = _decode_cell(value)
        else:
            array = np.array(values, dtype=dtype)
        return pd.Series(array, index=index, dtype=dtype, copy=False)
    if isinstance(dtype, pd.core.arrays.floating.FloatingDtype):
        values = [None if v is None else float(v) for v in values]
    return pd.Series(pd.array(values, dtype=dtype), index=index)


def _config_to_json(config: MatchConfig) -> str:
    if not isinstance(config, MatchConfig):
        raise TypeError(f"expected a MatchConfig, got {type(config).__name__}")
    return _dumps(config.to_dict())


def _config_from_json(text: str) -> MatchConfig:
    data = json.loads(text)
    # An empty goal list needs no goal parser; skipping it keeps old settings readable alone.
    if not data.get("goals"):
        data.pop("goals", None)
    return MatchConfig.from_dict(data)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, default=_plain, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | frozenset | set):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    raise TypeError(f"expected plain values (text, numbers, lists), got {type(value).__name__}")
