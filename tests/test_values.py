"""Missing values told apart from present ones, with and without pandas loaded."""

import math

import numpy as np
import pandas as pd
import pytest

from evalkit.values import is_missing
from inputs_helpers import fresh_json


@pytest.mark.parametrize("value", [None, math.nan, np.nan, pd.NaT, pd.NA, np.datetime64("NaT")])
def test_missing(value):
    assert is_missing(value)


@pytest.mark.parametrize(
    "value", [0, 0.0, "", "nan", False, "2024-04-01", pd.Timestamp(2024, 4, 1)]
)
def test_present(value):
    assert not is_missing(value)


def test_plain_values_are_checked_without_loading_pandas():
    code = (
        "import json, sys\n"
        "from evalkit.values import is_missing\n"
        "seen = [is_missing(None), is_missing(float('nan')), is_missing(''), is_missing(3)]\n"
        "print(json.dumps([seen, 'pandas' in sys.modules]))"
    )
    assert fresh_json(code) == [[True, True, False, False], False]
