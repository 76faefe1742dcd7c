"""pandera schemas generated from the data contract.

Columns arrive normalised but untyped (object dtype): values that could not be read
are still the text the user typed. Each column gets checks named with stable codes
(``bad-value``, ``not-allowed``, ``out-of-range``, ``unknown-reference``,
``unknown-item``, ``not-on-scale``); :mod:`evalkit.inputs.validate` turns pandera's failure
cases into problems with file, sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import pandas as pd
import pandera.pandas as pa

from evalkit.inputs.contract import ColumnSpec, TableSpec
from evalkit.inputs.normalise import is_valid, map_unique, token

# Check names are also problem codes.
BAD_VALUE = "bad-value"
NOT_ALLOWED = "not-allowed"
OUT_OF_RANGE = "out-of-range"
UNKNOWN_REFERENCE = "unknown-reference"
REASON_MISSING = "reason-missing"
UNKNOWN_ITEM = "unknown-item"
NOT_ON_SCALE = "not-on-scale"


def _valid_mask(series: pd.Series, test: Callable[[object], bool]) -> pd.Series:
    """Boolean mask from a per-value test, evaluated once per distinct value."""
    return map_unique(series, test).astype(bool)


def _type_check(spec: ColumnSpec) -> pa.Check:
    name = NOT_ALLOWED if spec.kind == "enum" else BAD_VALUE
    return pa.Check(lambda s: _valid_mask(s, lambda v: is_valid(v, spec)), name=name)


def _range_check(spec: ColumnSpec) -> pa.Check:
    low = -float("inf") if spec.minimum is None else spec.minimum
    high = float("inf") if spec.maximum is None else spec.maximum

    def _within_bounds(series: pd.Series) -> pd.Series:
        # Values of the wrong type are reported by the type check, not here.
        return _valid_mask(
            series,
            lambda v: not isinstance(v, int | float) or not is_valid(v, spec) or low <= v <= high,
        )

    return pa.Check(_within_bounds, name=OUT_OF_RANGE)


def column_schema(spec: ColumnSpec, references: Collection[str] | None = None) -> pa.Column:
    """Build the pandera column for one contract column."""
    checks = [_type_check(spec)]
    if spec.minimum is not None or spec.maximum is not None:
        checks.append(_range_check(spec))
    if references is not None:
        known = frozenset(references)
        checks.append(
            pa.Check(
                lambda s: _valid_mask(
                    s, lambda v: v is None or not is_valid(v, spec) or v in known
                ),
                name=UNKNOWN_REFERENCE,
            )
        )
    return pa.Column(
        object,
        checks=checks,
        nullable=not spec.required,
        unique=spec.unique,
        required=False,
        coerce=False,
    )


def _reason_when_out_of_scope(frame: pd.DataFrame) -> pd.Series:
    if "in_scope" not in frame or "out_of_scope_reason" not in frame:
        return pd.Series(True, index=frame.index)
    return frame["in_scope"].map(lambda v: v is not False) | frame["out_of_scope_reason"].notna()


def _item_check(items: Mapping[str, Collection[str]]) -> pa.Check:
    def _item_known(frame: pd.DataFrame) -> pd.Series:
        frameworks = frame["framework_id"]
        item_ids = frame["item_id"]
        return pd.Series(
            [
                f not in items or i is None or str(i) in items[f]
                for f, i in zip(frameworks, item_ids, strict=True)
            ],
            index=frame.index,
        )

    return pa.Check(_item_known, name=UNKNOWN_ITEM)


def _scale_check(value_column: str, tokens: Mapping[str, Collection[str]]) -> pa.Check:
    accepted = {f"{f}|{t}" for f, toks in tokens.items() for t in toks}  # ids are slugs

    def _answer_on_scale(frame: pd.DataFrame) -> pd.Series:
        framework = frame["framework_id"].astype(object)
        answer = frame[value_column]
        keys = framework.map(str) + "|" + map_unique(answer, token).map(str)
        known_framework = framework.isin(list(tokens))
        return ~known_framework | answer.isna() | keys.isin(accepted)

    return pa.Check(_answer_on_scale, name=NOT_ON_SCALE)


def table_schema(
    spec: TableSpec,
    references: Mapping[str, Collection[str]] | None = None,
    framework_items: Mapping[str, Collection[str]] | None = None,
    scale_tokens: Mapping[str, Collection[str]] | None = None,
) -> pa.DataFrameSchema:
    """Build the schema for one table.

    Args:
        spec: the table's contract.
        references: ``"table.column"`` -> the ids that exist, for foreign keys.
        framework_items: framework id -> its item ids (frameworks outside the mapping
            are reported as unknown references by the framework_id column check).
        scale_tokens: framework id -> every accepted answer token on its scale.
    """
    references = references or {}
    columns = {
        col.name: column_schema(col, references.get(col.references) if col.references else None)
        for col in spec.columns
    }
    checks: list[pa.Check] = []
    if spec.name == "partnerships":
        checks.append(pa.Check(_reason_when_out_of_scope, name=REASON_MISSING))
    names = spec.column_names
    if framework_items is not None and "framework_id" in names:
        checks.append(_item_check(framework_items))
    if scale_tokens is not None and "framework_id" in names:
        value_column = "response" if "response" in names else "status"
        checks.append(_scale_check(value_column, scale_tokens))
    unique = list(spec.key) if len(spec.key) > 1 else None
    return pa.DataFrameSchema(columns, checks=checks, unique=unique, strict=False, name=spec.name)
