"""Config fields that carry their own doc line and range, and the checks that read them.

Keeping the doc and the range on the field means validation, the manifest and the parameter
table in docs/synthetic.md cannot drift apart (a test compares the table with the fields).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from seen.domain.records import Problem


def rate(default: float, doc: str, hi: float = 1.0, lo: float = 0.0) -> Any:
    """A float field; a probability unless `hi` says otherwise."""
    return dataclasses.field(default=default, metadata={"doc": doc, "min": lo, "max": hi})


def count(default: int, doc: str, lo: int, hi: int) -> Any:
    return dataclasses.field(default=default, metadata={"doc": doc, "min": lo, "max": hi})


def day_range(doc: str, lo: dt.date, hi: dt.date) -> dict[str, Any]:
    """Metadata for a date field."""
    return {"doc": doc, "min": lo, "max": hi}


def group_doc(doc: str) -> dict[str, Any]:
    """Metadata for a nested dataclass of further fields (a mapping in YAML)."""
    return {"doc": doc}


def value_problem(f: dataclasses.Field[Any], value: object) -> str | None:
    """Why `value` cannot go in field `f`, or None when it can."""
    default = f.default
    if isinstance(default, dt.date):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            return "must be a date written YYYY-MM-DD"
    elif isinstance(value, bool):
        return "must be a number, not true/false"
    elif isinstance(default, int):
        if not isinstance(value, int):
            return f"must be a whole number, not {value!r}"
    elif isinstance(default, float) and (not isinstance(value, int | float) or value != value):
        return f"must be a number, not {value!r}"
    lo, hi = f.metadata.get("min"), f.metadata.get("max")
    if lo is not None and hi is not None and not lo <= value <= hi:
        return f"must be between {lo} and {hi}, not {value}"
    return None


def dataclass_problems(obj: Any, source: str, prefix: str = "") -> list[Problem]:
    """Every field of `obj` (and of nested dataclasses) holding a value it cannot hold."""
    found: list[Problem] = []
    for f in dataclasses.fields(obj):
        key = prefix + f.name
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            found.extend(dataclass_problems(value, source, key + "."))
            continue
        message = value_problem(f, value)
        if message:
            found.append(Problem(source, key, key, message))
    return found


def problem_summary(problems: list[Problem]) -> str:
    return "invalid synthetic partnership configuration: " + "; ".join(
        f"{p.file}: {p.field}: {p.message}" for p in problems
    )


def plain(obj: Any) -> dict[str, Any]:
    """Field values in field order, dates as ISO text, nested dataclasses as mappings."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            out[f.name] = plain(value)
        elif isinstance(value, dt.date):
            out[f.name] = value.isoformat()
        else:
            out[f.name] = value
    return out
