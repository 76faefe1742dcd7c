"""The small pieces report sections share: markup that escapes, values in words."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit.report.fragments import (
    FRAMEWORK_ORDER,
    SEVERITY_WORDS,
    bullets,
    date_text,
    first_upper,
    gbp_text,
    heading,
    in_framework_order,
    is_missing,
    para,
    text_or,
    whole_text,
    yes_no,
    yes_no_text,
)


def test_heading_para_and_bullets_escape_text():
    assert heading(2, "Money & time") == "<h2>Money &amp; time</h2>"
    assert para("<b>not bold</b>") == "<p>&lt;b&gt;not bold&lt;/b&gt;</p>"
    assert bullets(["one", "Tom's"]) == "<ul><li>one</li><li>Tom&#x27;s</li></ul>"
    assert bullets([]) == "<ul></ul>"


def test_frameworks_in_shipped_order_then_the_rest_by_id():
    ids = ["zeta-local", "lga-drivers", "alpha-local", "nuffield-pat", "lga-drivers"]
    assert in_framework_order(ids) == ["nuffield-pat", "lga-drivers", "alpha-local", "zeta-local"]
    assert in_framework_order([]) == []
    assert FRAMEWORK_ORDER[0] == "nuffield-pat"


def test_severity_words():
    assert list(SEVERITY_WORDS) == ["high", "medium", "low", "info"]
    assert SEVERITY_WORDS["info"] == "For information"


@pytest.mark.parametrize("value", [None, math.nan, pd.NaT, pd.NA])
def test_missing_values(value):
    assert is_missing(value)
    assert date_text(value) == "not recorded"
    assert gbp_text(value) == "not recorded"
    assert whole_text(value) == "not recorded"
    assert yes_no_text(value) == "not recorded"
    assert text_or(value) == "not recorded"


@pytest.mark.parametrize("value", [0, 0.0, "", False, "none"])
def test_present_values_are_not_missing(value):
    assert not is_missing(value)


def test_date_text_is_day_month_year():
    assert date_text("2024-04-01") == "1 April 2024"
    assert date_text(pd.Timestamp("2025-12-31 13:45")) == "31 December 2025"


def test_money_and_whole_numbers_in_words():
    assert gbp_text(1_250_000) == "£1,250,000"
    assert gbp_text(99.6) == "£100"
    assert gbp_text(0) == "£0"
    assert whole_text(12345.0) == "12,345"
    assert whole_text(7) == "7"


def test_yes_no():
    assert yes_no_text(True) == "Yes"
    assert yes_no_text(False) == "No"
    assert yes_no_text(None, "—") == "—"
    column = pd.Series([True, False, None], dtype="boolean")
    assert yes_no(column).tolist() == ["Yes", "No", "—"]


def test_text_or_a_default_for_blanks():
    assert text_or("Lead partner") == "Lead partner"
    assert text_or("", "—") == "—"
    assert text_or(3) == "3"


def test_first_upper_capitalises_only_the_first_letter():
    assert first_upper("strategic") == "Strategic"
    assert first_upper("s75 NHS Act 2006 agreement") == "S75 NHS Act 2006 agreement"
    assert first_upper(None) == "Not recorded"
    assert first_upper("", "—") == "—"
