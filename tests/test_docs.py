"""Generated reference pages must match what the code generates."""

from __future__ import annotations

import pytest

from evalkit.docs import rendered_pages
from small_portfolio import ROOT


@pytest.mark.parametrize("name", sorted(rendered_pages()))
def test_generated_doc_is_current(name):
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == rendered_pages()[name], f"docs/{name} is stale: run `make docs`"


def test_data_contract_lists_every_column():
    from evalkit.inputs.contract import TABLES

    text = rendered_pages()["data-contract.md"]
    for spec in TABLES:
        assert f"## `{spec.name}`" in text
        for col in spec.columns:
            assert f"| `{col.name}` | {col.display_label} |" in text
