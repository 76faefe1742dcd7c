"""Missing values told apart from present ones, with and without pandas loaded."""

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from evalkit.values import is_missing


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
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [[True, True, False, False], False]
