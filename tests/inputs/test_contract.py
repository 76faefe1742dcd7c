"""The data contract: column headings, expected values and the tables' own consistency."""

from __future__ import annotations

import pytest

from evalkit.inputs.contract import (
    INCORPORATED_FORMS,
    KIND_EXPECTED,
    LEGAL_FORMS,
    TABLES,
    ColumnSpec,
    column_words,
    table,
)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("in_kind_gbp", "In kind (£)"),
        ("lead_officer", "Lead officer"),
        ("council_cash_gbp", "Council cash (£)"),
        ("tier", "Tier"),
        ("officer_days_per_year", "Officer days per year"),
    ],
)
def test_column_words(name, words):
    assert column_words(name) == words


def test_display_label_is_the_label_else_the_name_in_words():
    partnerships = table("partnerships")
    assert partnerships.column("name").display_label == "Partnership"
    assert partnerships.column("council_cash_gbp").display_label == "Cash (£)"
    assert partnerships.column("lead_officer").display_label == "Lead officer"
    assert ColumnSpec("x_gbp", "money", False, "", "").display_label == "X (£)"


def test_display_labels_are_unique_within_each_table():
    for spec in TABLES:
        labels = [c.display_label for c in spec.columns]
        assert len(labels) == len(set(labels)), spec.name


@pytest.mark.parametrize(
    ("table_name", "column", "expected"),
    [
        ("risks", "likelihood", "a whole number from 1 to 5"),
        ("partnerships", "tier", "one of: strategic, significant, operational"),
        (
            "partnerships",
            "council_cash_gbp",
            "an amount in pounds (e.g. 1250000, £1,250,000, £1.2m or £5k; - or nil for 0)"
            " of at least 0",
        ),
        ("partnerships", "name", "text"),
    ],
)
def test_expected_value_for_messages(table_name, column, expected):
    assert table(table_name).column(column).expected == expected


def test_unknown_column_or_table_is_a_key_error():
    with pytest.raises(KeyError, match="no_such"):
        table("partnerships").column("no_such")
    with pytest.raises(KeyError):
        table("no_such")


def test_every_kind_and_key_is_described():
    for spec in TABLES:
        assert set(spec.key) <= set(spec.column_names), spec.name
        for col in spec.columns:
            assert col.kind in KIND_EXPECTED
            assert (col.kind == "enum") == bool(col.allowed), f"{spec.name}.{col.name}"
            assert set(col.aliases.values()) <= set(col.allowed), f"{spec.name}.{col.name}"


def test_references_point_at_unique_columns_of_earlier_tables():
    """Validation reads tables in TABLES order, so a parent must come before its children."""
    seen: dict[str, set[str]] = {"frameworks": {"framework_id"}}  # loaded from YAML
    for spec in TABLES:
        for col in spec.columns:
            if col.references:
                parent, parent_column = col.references.split(".")
                assert parent_column in seen.get(parent, set()), f"{spec.name}.{col.name}"
        seen[spec.name] = {c.name for c in spec.columns if c.unique}


def test_incorporated_forms_are_the_four_company_forms():
    assert INCORPORATED_FORMS == {
        "company limited by guarantee",
        "company limited by shares",
        "limited liability partnership",
        "community interest company",
    }
    assert INCORPORATED_FORMS < set(LEGAL_FORMS)
