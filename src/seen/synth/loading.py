"""Read a synthetic partnership configuration from YAML, with command-line overrides on top.

Every problem in the file is collected and reported at once, each naming the file and the key.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

import yaml

from seen.domain.records import Problem
from seen.errors import InvalidInput
from seen.synth._fields import problem_summary, value_problem
from seen.synth.config import SynthConfig


def load_config(path: Path | None, **overrides: Any) -> SynthConfig:
    """The configuration in `path` (YAML; None for the defaults) with `overrides` applied.

    Overrides whose value is None are ignored, so a command line can pass its options through
    unchanged. Unknown keys and bad values raise InvalidInput naming the file and key.
    """
    source = str(path) if path is not None else "configuration"
    raw = _read_yaml(path) if path is not None else {}
    problems: list[Problem] = []
    values = _convert(SynthConfig, raw, source, "", problems)
    given = {key: value for key, value in overrides.items() if value is not None}
    values.update(_convert(SynthConfig, given, "overrides", "", problems, values))
    if problems:
        raise InvalidInput(problem_summary(problems), problems)
    try:
        return SynthConfig(**values)
    except InvalidInput as exc:
        # Cross-field rules are checked by SynthConfig itself: name the file in its problems.
        renamed = [dataclasses.replace(p, file=source) for p in exc.problems]
        raise InvalidInput(problem_summary(renamed), renamed) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read configuration file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"configuration file {path} is not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"configuration file {path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidInput(f"configuration file {path} must be a mapping of setting: value")
    return data


def _convert(
    cls: Any,
    raw: Mapping[Any, Any],
    source: str,
    prefix: str,
    problems: list[Problem],
    base: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Checked keyword arguments for `cls` from a mapping; problems appended, not raised."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = prefix + str(key)
        f = fields.get(str(key))
        if f is None:
            known = ", ".join(sorted(fields))
            problems.append(Problem(source, name, name, f"unknown setting; known: {known}"))
            continue
        if f.default_factory is not dataclasses.MISSING:
            out[f.name] = _convert_group(f, value, source, name, problems, base)
            continue
        if isinstance(f.default, dt.date) and isinstance(value, str):
            with contextlib.suppress(ValueError):  # value_problem reports what is left
                value = dt.date.fromisoformat(value)
        message = value_problem(f, value)
        if message:
            problems.append(Problem(source, name, name, message))
        else:
            out[f.name] = float(value) if isinstance(f.default, float) else value
    return out


def _convert_group(
    f: dataclasses.Field[Any],
    value: object,
    source: str,
    name: str,
    problems: list[Problem],
    base: Mapping[str, Any] | None,
) -> Any:
    factory = cast(Callable[[], Any], f.default_factory)
    default = factory()
    if base is not None and f.name in base:
        default = base[f.name]  # overrides refine what the file set
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return value
    if not isinstance(value, Mapping):
        problems.append(Problem(source, name, name, "must be a mapping of setting: value"))
        return default
    changes = _convert(type(default), value, source, name + ".", problems)
    return dataclasses.replace(default, **changes)
