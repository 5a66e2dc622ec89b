"""The Fellegi-Sunter comparison model over encoded columns, free of any SQL dialect.

Each comparison is an ordered list of levels (first match wins, as in Splink). A level's
condition is a small expression tree rendered to SQL by `render` with the backend's filter
similarity and near-set functions (`LevelSQL`), so the same model runs on DuckDB and on
Spark. `LinkModel`
holds the trained parameters (m and u per level, and the prior) and round-trips
through JSON; the level structure itself is code, identified by `MODEL_VERSION`.

Bloom filters have a fixed weight (128 of 1,024 bits set), so their similarity, 1 - (bits
that differ) / 256, is their Dice coefficient |a & b| / 128: 1.0 for equal names, about
0.1-0.35 for unrelated names, about 0.6-0.9 for one typo. Filters are salted with the year of birth
and the other name (`FILTER_SALT`), so a name's filter is comparable only within a family:
the exact-token levels come first for that reason, and a given-name typo shows only where
the family name and year agree.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from seen.domain.encoding import ENCODING_VERSION
from seen.errors import InvalidInput

MODEL_FORMAT: Final = "seen-link-model"
MODEL_VERSION: Final = 5
ENCODING: Final = ENCODING_VERSION
DEFAULT_DICE_THRESHOLDS: Final = (0.72, 0.62, 0.52)

# A condition: ("eq", col) | ("cross", col_a, col_b) | ("dice", col, level index)
# | ("near", col): two near sets share an element | ("distinct", col): the values differ,
# or one is missing | ("ne", col): both present and different | ("and", cond, ...)
# | ("or", cond, ...) | ("null", col)
Condition = tuple[Any, ...]


class LevelSQL(Protocol):
    """The engine-specific SQL a condition needs (every `Backend` provides it)."""

    def similarity_at_least(self, left: str, right: str, threshold: float) -> str: ...

    def shares_element(self, left: str, right: str) -> str: ...


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    condition: Condition | None  # None: the else level
    m_default: float
    is_null: bool = False
    tf_column: str | None = None
    neutral: bool = False  # weight fixed at 0 (m = u): the evidence is counted elsewhere
    # Not trained: m is the product of these levels' m ("comparison.level"), for a level that
    # stands in for them when they cannot be seen (NAMES_POSTCODE).
    m_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]

    @property
    def scored_levels(self) -> tuple[Level, ...]:
        """The levels that carry parameters (all but the null level), in order."""
        return tuple(level for level in self.levels if not level.is_null)


def _null(col: str) -> Level:
    return Level("null", f"{col} missing on either side", ("null", col), 0.0, is_null=True)


def _else(m: float) -> Level:
    return Level("else", "all other comparisons", None, m)


def _dice_levels(col: str, ms: Sequence[float]) -> tuple[Level, ...]:
    return tuple(
        Level(f"dice_{i}", f"Dice of {col} at or above threshold {i + 1}", ("dice", col, i), m)
        for i, m in enumerate(ms)
    )


def _exact(col: str, m: float, tf: bool = False) -> Level:
    return Level("exact", f"{col} equal", ("eq", col), m, tf_column=col if tf else None)


def _near(col: str, m: float, label: str) -> Level:
    return Level("near", label, ("near", col), m)


def _both_null(exact: str, near: str) -> Level:
    """Null when neither the exact token nor the near set can be compared: a mistyped NHS
    number has a near set but no token (its check digit fails)."""
    return Level(
        "null",
        f"{exact} and {near} missing on either side",
        ("and", ("null", exact), ("null", near)),
        0.0,
        is_null=True,
    )


def _identifier(name: str, col: str, near: str, description: str) -> Comparison:
    return Comparison(
        name,
        description,
        (
            _both_null(col, near),
            _exact(col, 0.95),
            _near(near, 0.02, "within one typo: the near sets share an element"),
            _else(0.03),
        ),
    )


# Names are salted with the year of birth (docs/encoding.md): two records born in different
# years (or one with no year) cannot show equal names or a typo, only names seen through a
# token without the year (a swap does carry the year; tok_names_postcode does not). Their
# difference is then the year's, which date_of_birth weighs: the name comparisons are null
# (weight 0) instead of "all other comparisons", which counted it again (about 2.5 bits a
# name on FEBRL4). Placed after the levels that can still hold across years.
YEARS_DIFFER: Final = Level(
    "years_differ",
    "born in different years (or one year missing): the year-salted names cannot be compared",
    ("distinct", "tok_dob_year"),
    0.0,
    is_null=True,
)


# Reached only when the year-salted name tokens differ: both names equal (or swapped), seen
# through the one name token without the year, so that a typo in the year of birth does not
# make the same names look unrelated. One piece of evidence about both names: given_name
# weighs it, family_name gives it weight 0. Its m is that of both names equal (trained, it
# would be the share of matches whose year differs, which date_of_birth weighs already, and
# EM sees few such pairs). Its u is the share of pairs with equal names among pairs at one
# postcode born in different years (UNLIKE_AMONG): mostly siblings, some of whom share both
# names (a synthetic partnership of 5,000 children: 50 households in 1,564 with two or more),
# and which a product of the names' u would take for strangers. No term frequencies: a value
# is nearly always held by one child's records alone, so its frequency counts the match.
NAMES_POSTCODE: Final = Level(
    "names_postcode",
    "both names and the postcode equal, the year not",
    ("eq", "tok_names_postcode"),
    # Outside the comparison's shares of matches (which the other levels' m sum to): the
    # default is the product of the default m of m_of, so that EM sees what prediction will.
    0.64,
    m_of=("given_name.exact", "family_name.exact"),
)

# Each name's filter is salted with the other name (FILTER_SALT), so when both names are
# mistyped neither filter can show it: both comparisons fall to "else" together far more often
# than independence predicts (FEBRL4: 7.8% of true matches, where the two "else" shares
# multiply to 1.8%), and the model took two bits too many off such pairs. This level splits
# family_name's "else" by whether the given names differ too; training gives both halves the
# unsplit "else"'s u and turns EM's shares of matches into m given that the given name is at
# "else", or is not (`NAMES_JOINTLY`, `train._names_jointly`): the two names' weights then
# add up to their joint evidence. Reached only when the family names are unrelated and the
# years equal, where a given-name filter cannot reach a similarity level (its salt, the
# family token, differs), so unequal given tokens mean the given name is at "else".
BOTH_NAMES_DIFFER: Final = Level(
    "given_differs",
    "family names unrelated, and the given names differ too",
    ("ne", "tok_given"),
    0.03,
)
NAMES_JOINTLY: Final = ("family_name", "given_differs", "given_name", "else")
"""(comparison, level, other comparison, other level): the level's m is conditional on the
other level, and its comparison's "else" m on the other level not holding."""

# Tokens whose u is counted among pairs that agree on another column (here the postcode,
# weighed by its own comparison) and were born in different years (the level is reached only
# then; different years also keep most true matches out when u is counted on all pairs).
UNLIKE_AMONG: Final = {"tok_names_postcode": "tok_postcode"}

COMPARISONS: Final = (
    Comparison(
        "given_name",
        "first given name: canonical token, swap with the family name, Dice of bf_given",
        (
            _null("tok_given"),
            _exact("tok_given", 0.80, tf=True),
            Level("swapped", "given and family names swapped", ("eq", "tok_names_sorted"), 0.01),
            NAMES_POSTCODE,
            YEARS_DIFFER,
            *_dice_levels("bf_given", (0.06, 0.03, 0.02)),
            _else(0.08),
        ),
    ),
    Comparison(
        "middle_name",
        "middle names: Dice of bf_middle",
        (
            _null("bf_middle"),
            Level("exact", "bf_middle equal", ("eq", "bf_middle"), 0.85),
            YEARS_DIFFER,
            *_dice_levels("bf_middle", (0.05, 0.03)),
            _else(0.07),
        ),
    ),
    Comparison(
        "family_name",
        "family name: token, swap, a shared part of a multi-part name, Dice of bf_family",
        (
            _null("tok_family"),
            _exact("tok_family", 0.80, tf=True),
            # A swap is one piece of evidence about both names: given_name weighs it.
            Level(
                "swapped",
                "given and family names swapped (weighed by given_name)",
                ("eq", "tok_names_sorted"),
                0.01,
                neutral=True,
            ),
            Level(
                "names_postcode",
                "both names and the postcode equal, the year not (weighed by given_name)",
                ("eq", "tok_names_postcode"),
                0.01,
                neutral=True,
            ),
            # Part tokens are computed under the tok_family field, so a part of one
            # record's name can be compared with the other's whole name (Smith-Jones, Smith).
            Level(
                "part",
                "a part of a multi-part family name equals a part or the whole of the other",
                (
                    "or",
                    ("eq", "tok_family_first_part"),
                    ("eq", "tok_family_last_part"),
                    ("cross", "tok_family_first_part", "tok_family"),
                    ("cross", "tok_family_last_part", "tok_family"),
                    ("cross", "tok_family_first_part", "tok_family_last_part"),
                ),
                0.02,
            ),
            YEARS_DIFFER,
            *_dice_levels("bf_family", (0.05, 0.03, 0.02)),
            BOTH_NAMES_DIFFER,
            _else(0.03),
        ),
    ),
    Comparison(
        "date_of_birth",
        "date of birth: exact, day and month transposed, partial agreement",
        (
            _null("tok_dob_year"),
            # No token holds the date alone (docs/encoding.md): equal dates show as equal
            # date tokens with the given or the family name, or with the two swapped (both
            # are values of one field, tok_name_dob), or with the postcode, or with both
            # names' Soundex codes (so that typos in both names, neither one seen by a
            # filter, still show an equal date: FEBRL4 has a few).
            Level(
                "exact",
                "date of birth equal (with the given name, the family name, the postcode or "
                "the names' Soundex codes)",
                (
                    "or",
                    ("eq", "tok_given_dob"),
                    ("eq", "tok_family_dob"),
                    ("cross", "tok_given_dob", "tok_family_dob"),
                    ("eq", "tok_postcode_dob"),
                    ("eq", "tok_soundex_dob"),
                ),
                0.85,
            ),
            # tok_dob_transposed is computed under the tok_soundex_dob field, with the
            # Soundex codes of both names (docs/encoding.md), so that it cannot tell the hub
            # a stranger's date of birth.
            Level(
                "transposed",
                "day and month transposed (and the names' Soundex codes equal)",
                ("cross", "tok_soundex_dob", "tok_dob_transposed"),
                0.01,
            ),
            Level(
                "year_month",
                "year and month equal",
                ("and", ("eq", "tok_dob_year"), ("eq", "tok_dob_month")),
                0.07,
            ),
            Level("year", "year equal", ("eq", "tok_dob_year"), 0.03),
            _else(0.04),
        ),
    ),
    Comparison("sex", "sex", (_null("tok_sex"), _exact("tok_sex", 0.97), _else(0.03))),
    Comparison(
        "postcode",
        "postcode: full, within one typo, sector, district",
        (
            _both_null("tok_postcode", "near_postcode"),
            _exact("tok_postcode", 0.70, tf=True),
            _near(
                "near_postcode", 0.03, "postcode within one typo (the near sets share an element)"
            ),
            Level("sector", "postcode sector equal", ("eq", "tok_postcode_sector"), 0.04),
            Level("district", "postcode district equal", ("eq", "tok_postcode_district"), 0.04),
            _else(0.19),
        ),
    ),
    _identifier("nhs_number", "tok_nhs", "near_nhs", "NHS number: token, within one typo"),
    _identifier("upn", "tok_upn", "near_upn", "unique pupil number: token, within one typo"),
)

COMPARISON_NAMES: Final = tuple(c.name for c in COMPARISONS)


def render(condition: Condition, sql: LevelSQL, thresholds: Sequence[float]) -> str:
    """SQL for a condition over Splink's `col_l` / `col_r` naming."""
    op = condition[0]
    if op == "eq":
        return f"{condition[1]}_l = {condition[1]}_r"
    if op == "null":
        return f"({condition[1]}_l IS NULL OR {condition[1]}_r IS NULL)"
    if op == "distinct":
        return f"{condition[1]}_l IS DISTINCT FROM {condition[1]}_r"
    if op == "ne":
        return f"{condition[1]}_l <> {condition[1]}_r"
    if op == "cross":
        a, b = condition[1], condition[2]
        return f"({a}_l = {b}_r OR {b}_l = {a}_r)"
    if op == "dice":
        col, index = condition[1], condition[2]
        return sql.similarity_at_least(f"{col}_l", f"{col}_r", thresholds[index])
    if op == "near":
        return sql.shares_element(f"{condition[1]}_l", f"{condition[1]}_r")
    if op in ("and", "or"):
        joiner = f" {op.upper()} "
        return "(" + joiner.join(render(c, sql, thresholds) for c in condition[1:]) + ")"
    raise ValueError(f"unknown condition {op!r}")


def columns_used(condition: Condition | None) -> set[str]:
    if condition is None:
        return set()
    op = condition[0]
    if op in ("eq", "ne", "null", "dice", "near", "distinct"):
        return {condition[1]}
    if op == "cross":
        return {condition[1], condition[2]}
    return set().union(*(columns_used(c) for c in condition[1:]))


def reachable(condition: Condition | None, present: set[str]) -> bool:
    """Whether a condition can hold when only the columns in `present` have values."""
    if condition is None:
        return True
    op = condition[0]
    if op in ("eq", "ne", "dice", "near"):
        return condition[1] in present
    if op == "cross":
        return condition[1] in present and condition[2] in present
    if op in ("null", "distinct"):
        return True
    parts = [reachable(c, present) for c in condition[1:]]
    return all(parts) if op == "and" else any(parts)


# What each filter is salted with besides the year (docs/encoding.md): the token of the
# other name, which itself carries the year, so records sharing it share the salt.
FILTER_SALT: Final = {"bf_given": "tok_family", "bf_middle": "tok_family", "bf_family": "tok_given"}


# The date tokens (docs/encoding.md): each carries a name or the postcode as well as the date
# of birth, so that a date the hub learns does not spread to everyone born that day.
DATE_TOKENS: Final = frozenset(
    {"tok_given_dob", "tok_family_dob", "tok_postcode_dob", "tok_soundex_dob"}
)


def uses_bloom(level: Level) -> bool:
    return bool(columns_used(level.condition) & FILTER_SALT.keys())


# Token columns salted with the year of birth (docs/encoding.md): two records agree on them
# only when born the same year.
YEAR_SALTED: Final = frozenset(
    {"tok_given", "tok_family", "tok_family_first_part", "tok_family_last_part", "tok_names_sorted"}
)


def salt_column(level: Level) -> str | None:
    """What two records must share for the level to be reachable: for a filter level the
    salt's token column, for a level on year-salted tokens `tok_dob_year`, else None. Such
    levels' u is counted among pairs sharing it, so the shared part is not counted twice."""
    used = columns_used(level.condition)
    filters = sorted(used & FILTER_SALT.keys())
    if filters:
        return FILTER_SALT[filters[0]]
    if used and used <= YEAR_SALTED:
        return "tok_dob_year"
    return None


def comparison_columns() -> list[str]:
    cols: set[str] = set()
    for comparison in COMPARISONS:
        for level in comparison.levels:
            cols |= columns_used(level.condition)
    return sorted(cols)


@dataclass(frozen=True)
class LevelParameters:
    key: str
    m: float
    u: float

    @property
    def match_weight(self) -> float:
        return math.log2(self.m / self.u)


JSONValue = str | int | float | bool | None | list[Any] | dict[str, Any]


@dataclass(frozen=True)
class LinkModel:
    """Trained parameters of the comparison model; serialisable so later runs reuse it."""

    probability_two_random_records_match: float
    comparisons: Mapping[str, tuple[LevelParameters, ...]]
    dice_thresholds: tuple[float, ...] = DEFAULT_DICE_THRESHOLDS
    training: Mapping[str, JSONValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = _structure_problems(self)
        if problems:
            raise InvalidInput("the link model does not fit this version: " + "; ".join(problems))

    def level(self, comparison: str, key: str) -> LevelParameters:
        for params in self.comparisons[comparison]:
            if params.key == key:
                return params
        raise KeyError(f"{comparison}.{key}")

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": MODEL_FORMAT,
                "version": MODEL_VERSION,
                "encoding": ENCODING,
                "probability_two_random_records_match": self.probability_two_random_records_match,
                "dice_thresholds": list(self.dice_thresholds),
                "comparisons": {
                    name: [{"level": p.key, "m": p.m, "u": p.u} for p in levels]
                    for name, levels in self.comparisons.items()
                },
                "training": dict(self.training),
            },
            indent=2,
            sort_keys=False,
        )

    @classmethod
    def from_json(cls, text: str) -> LinkModel:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(f"the link model is not JSON: {error}") from error
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise InvalidInput(f"not a {MODEL_FORMAT} file")
        if data.get("version") != MODEL_VERSION or data.get("encoding") != ENCODING:
            raise InvalidInput(
                f"link model version {data.get('version')} for {data.get('encoding')} "
                f"cannot be used: this is version {MODEL_VERSION} for {ENCODING}"
            )
        try:
            comparisons = {
                str(name): tuple(
                    LevelParameters(str(p["level"]), float(p["m"]), float(p["u"])) for p in levels
                )
                for name, levels in data["comparisons"].items()
            }
            return cls(
                probability_two_random_records_match=float(
                    data["probability_two_random_records_match"]
                ),
                comparisons=comparisons,
                dice_thresholds=tuple(float(t) for t in data["dice_thresholds"]),
                training=dict(data.get("training", {})),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInput(f"the link model is incomplete: {error!r}") from error


def _structure_problems(model: LinkModel) -> list[str]:
    problems = []
    if not 0.0 < model.probability_two_random_records_match < 1.0:
        problems.append("the prior must be strictly between 0 and 1")
    if len(model.dice_thresholds) != len(DEFAULT_DICE_THRESHOLDS) or list(
        model.dice_thresholds
    ) != sorted(model.dice_thresholds, reverse=True):
        problems.append(f"need {len(DEFAULT_DICE_THRESHOLDS)} decreasing Dice thresholds")
    if set(model.comparisons) != set(COMPARISON_NAMES):
        problems.append(f"comparisons must be {', '.join(COMPARISON_NAMES)}")
        return problems
    for comparison in COMPARISONS:
        keys = [p.key for p in model.comparisons[comparison.name]]
        expected = [level.key for level in comparison.scored_levels]
        if keys != expected:
            problems.append(f"{comparison.name} levels must be {expected}, found {keys}")
        for p in model.comparisons[comparison.name]:
            if not (0.0 < p.m <= 1.0 and 0.0 < p.u <= 1.0):
                problems.append(f"{comparison.name}.{p.key}: m and u must be in (0, 1]")
    return problems


def default_model(prior: float = 1e-4) -> LinkModel:
    """The untrained starting point: hand-set m, and u of 1/10 per non-else level.

    Training replaces both; this is what a level keeps when the data cannot inform it
    (an identifier no source holds, say)."""
    comparisons = {}
    for comparison in COMPARISONS:
        levels = comparison.scored_levels
        u_rest = [0.1 / len(levels)] * (len(levels) - 1)
        us = [*u_rest, 1.0 - sum(u_rest)]
        comparisons[comparison.name] = tuple(
            LevelParameters(level.key, level.m_default, u)
            for level, u in zip(levels, us, strict=True)
        )
    return LinkModel(prior, comparisons, DEFAULT_DICE_THRESHOLDS, {"trained": False})


def comparison_by_name(name: str) -> Comparison:
    for comparison in COMPARISONS:
        if comparison.name == name:
            return comparison
    raise KeyError(name)


def gamma_levels(name: str) -> dict[int, str]:
    """Splink's comparison-vector value of each level of a comparison: -1 for the null
    level, then the scored levels counting down to 0 for the else level."""
    levels = comparison_by_name(name).scored_levels
    return {-1: "null", **{len(levels) - 1 - i: lv.key for i, lv in enumerate(levels)}}


def explain(model: LinkModel) -> dict[str, dict[str, float]]:
    """Match weight (log2 m/u) of every level, for reading the model without data."""
    return {
        name: {p.key: round(p.match_weight, 3) for p in levels}
        for name, levels in model.comparisons.items()
    }


def as_json_value(value: object) -> JSONValue:
    """Training notes are plain JSON: numbers, strings, lists and dicts of them."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): as_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json_value(v) for v in value]
    return str(value)
