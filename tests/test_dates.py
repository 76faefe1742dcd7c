"""Dates in words, whatever the machine's locale; plain dates need no pandas."""

import datetime

import numpy as np
import pandas as pd
import pytest

from evalkit.dates import date_words
from inputs_helpers import fresh_json


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (datetime.date(2022, 3, 15), "15 March 2022"),
        (datetime.datetime(2022, 3, 15, 0, 0), "15 March 2022"),
        (pd.Timestamp("2022-03-15 00:00:00"), "15 March 2022"),
        (pd.Timestamp("2019-06-01 23:59", tz="UTC"), "1 June 2019"),
        ("2020-02-29", "29 February 2020"),
        (datetime.date(2024, 1, 9), "9 January 2024"),
        (datetime.date(2024, 11, 30), "30 November 2024"),
        ("2025-06-30T10:00:00+00:00", "30 June 2025"),
        (" 2025-06-30 ", "30 June 2025"),
        ("30 June 2025", "30 June 2025"),
        (np.datetime64("2021-12-25"), "25 December 2021"),
    ],
)
def test_date_words(value, words):
    assert date_words(value) == words


def test_plain_dates_are_written_without_loading_pandas():
    code = (
        "import json, sys, datetime\n"
        "from evalkit.dates import date_words\n"
        "words = [date_words('2024-04-01T09:30:00'), date_words(datetime.date(2024, 4, 1))]\n"
        "print(json.dumps([words, 'pandas' in sys.modules]))"
    )
    assert fresh_json(code) == [["1 April 2024", "1 April 2024"], False]
