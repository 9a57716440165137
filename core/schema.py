"""Every table the pipeline produces, declared once: its columns, their types and meaning.

The columns are declared in core/data/tables.json (one line each, with what it holds); this
module reads and checks them. `TABLES[name]` lists the columns in order; `validate(name, df)` checks a DataFrame at the
boundary (extract, store, export) and returns it with the declared column order and dtypes.
The dashboard shows `describe(name)` as the column help of each table.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from core.data import load_json
from core.errors import SchemaError


@dataclass(frozen=True)
class Column:
    """One table column: its name, pandas dtype and what it holds."""

    name: str
    dtype: Literal["string", "Int64", "Float64", "boolean"]
    doc: str


DTYPES = frozenset({"string", "Int64", "Float64", "boolean"})


def _tables(data: dict, part: str = "tables") -> dict[str, tuple[Column, ...]]:
    """The Column tuples of every table in `data[part]` (core/data/tables.json); a bare name is a
    shared column. Raises SchemaError on an unknown shared column or dtype."""
    shared = {name: Column(name, *spec) for name, spec in data["shared"].items()}
    out = {}
    for table, specs in data.get(part, {}).items():
        cols = []
        for spec in specs:
            if isinstance(spec, str) and spec not in shared:
                raise SchemaError(f"table {table}: no shared column named {spec!r}")
            col = shared[spec] if isinstance(spec, str) else Column(*spec)
            if col.dtype not in DTYPES:
                raise SchemaError(f"table {table}, column {col.name}: unknown dtype {col.dtype!r}")
            cols.append(col)
        out[table] = tuple(cols)
    return out


# The declarations are data (core/data/tables.json): one line per column, with its meaning.
_DATA = load_json("tables.json")
# The eight corpus tables every extraction and store holds.
TABLES: dict[str, tuple[Column, ...]] = _tables(_DATA)
# Logs the store keeps beside them (the analysts' corrections), declared and checked the same way.
LOGS: dict[str, tuple[Column, ...]] = _tables(_DATA, "logs")
DECLARED: dict[str, tuple[Column, ...]] = {**TABLES, **LOGS}


def columns(name: str) -> list[str]:
    """The column names of table `name`, in order."""
    return [c.name for c in DECLARED[name]]


def describe(name: str) -> dict[str, str]:
    """Column name -> documentation, for table `name`."""
    return {c.name: c.doc for c in DECLARED[name]}


def empty(name: str) -> pd.DataFrame:
    """An empty DataFrame with the columns and dtypes of table `name`."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in DECLARED[name]})


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """`df` with table `name`'s columns in order, coerced to their dtypes.

    Raises SchemaError when a column is missing, an extra column is present, or a value cannot
    be coerced; never drops or invents data.
    """
    if name not in DECLARED:
        raise SchemaError(f"no table named {name!r}")
    want = columns(name)
    missing = [c for c in want if c not in df.columns]
    extra = [c for c in df.columns if c not in want]
    if missing or extra:
        raise SchemaError(f"table {name}: missing columns {missing}, unexpected columns {extra}")
    out = df[want].copy()
    for col in DECLARED[name]:
        try:
            if col.dtype == "string":
                out[col.name] = out[col.name].astype("string")
            else:
                out[col.name] = out[col.name].astype(col.dtype)
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"table {name}, column {col.name}: {exc}") from exc
    return out.reset_index(drop=True)
