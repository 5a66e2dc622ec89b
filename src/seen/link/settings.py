"""Compile the comparison model and its parameters into a Splink `SettingsCreator`.

All records of a run sit in one table with an integer `rid`, so Splink sees a
`dedupe_only` job keyed on `rid`; which pairs are comparable (across sources, and within a
source unless it is duplicate-free) is decided by candidate generation and by the EM
blocking rules, which is what `link_and_dedupe` with a source column would decide, with
integer join keys instead of concatenated strings.
"""

from __future__ import annotations

from typing import Any

from splink import SettingsCreator
from splink.comparison_library import CustomComparison

from seen.link.model import COMPARISONS, LevelSQL, LinkModel, render

RETAINED = ["source_dataset", "record_id"]


def comparison_level_dicts(model: LinkModel, sql: LevelSQL) -> list[CustomComparison]:
    comparisons = []
    for comparison in COMPARISONS:
        params = {p.key: p for p in model.comparisons[comparison.name]}
        levels: list[Any] = []
        for level in comparison.levels:
            if level.condition is None:
                entry: dict[str, Any] = {"sql_condition": "ELSE", "label_for_charts": level.label}
            else:
                entry = {
                    "sql_condition": render(level.condition, sql, model.dice_thresholds),
                    "label_for_charts": level.label,
                }
            if level.is_null:
                entry["is_null_level"] = True
            else:
                entry["m_probability"] = params[level.key].m
                entry["u_probability"] = params[level.key].u
                if level.neutral or level.m_of:
                    entry["fix_m_probability"] = True
            if level.tf_column:
                entry["tf_adjustment_column"] = level.tf_column
                entry["tf_adjustment_weight"] = 1.0
            levels.append(entry)
        comparisons.append(
            CustomComparison(
                comparison_levels=levels,
                output_column_name=comparison.name,
                comparison_description=comparison.description,
            )
        )
    return comparisons


def splink_settings(model: LinkModel, sql: LevelSQL) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="rid",
        comparisons=list(comparison_level_dicts(model, sql)),
        blocking_rules_to_generate_predictions=[],
        probability_two_random_records_match=model.probability_two_random_records_match,
        retain_matching_columns=True,  # gamma columns come only with these
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=list(RETAINED),
        em_convergence=0.0001,
        max_iterations=25,
    )


def trained_m_values(settings_dict: dict[str, Any]) -> dict[str, list[float | None]]:
    """m of every scored level, by comparison, from a Splink settings dictionary."""
    out: dict[str, list[float | None]] = {}
    for comparison in settings_dict["comparisons"]:
        name = comparison["output_column_name"]
        out[name] = [
            level.get("m_probability")
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
        ]
    return out
