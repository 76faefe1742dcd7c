"""evalkit: review a council's partnerships against published evaluation frameworks."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
