"""Telling a missing value from a present one, without loading pandas to do it.

A value can only be pandas' ``NA`` or ``NaT``, or NumPy's ``NaT``, once pandas or NumPy
is loaded; until then a missing value is ``None`` or a float NaN. So the build's main
process, which reads ``summary.json`` files, checks them without loading pandas.
"""

from __future__ import annotations

import math
import sys
from typing import Any


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas' NA."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if "pandas" in sys.modules or "numpy" in sys.modules:
        import pandas as pd

        return bool(pd.isna(value))
    return False
