"""Dataset metadata (dataset.yaml) and reading prepared tables back with their types."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from evalkit.errors import InputFileError
from evalkit.inputs.dataset import (
    DEFAULT_INVENTED_NOTICE,
    DatasetInfo,
    input_hashes,
    load_dataset_meta,
    load_tables,
    read_dataset_info,
)


def test_no_dataset_file_means_real_data_with_defaults(tmp_path):
    assert read_dataset_info(tmp_path) == DatasetInfo()
    assert DatasetInfo().notice is None


def test_invented_data_always_has_a_notice(tmp_path):
    (tmp_path / "dataset.yaml").write_text("title: Test\ninvented: true\n", encoding="utf-8")
    info = read_dataset_info(tmp_path)
    assert (info.title, info.invented, info.notice) == ("Test", True, DEFAULT_INVENTED_NOTICE)


@pytest.mark.parametrize(("text", "fragment"), [("a: [1", "not valid YAML"), ("- 1\n", "mapping")])
def test_unusable_dataset_file_is_refused(tmp_path, text, fragment):
    (tmp_path / "dataset.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match=fragment):
        read_dataset_info(tmp_path)


def test_input_hashes_skip_hidden_and_excel_lock_files(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"x,y\n")
    (tmp_path / ".hidden").write_bytes(b"")
    (tmp_path / "~$portfolio.xlsx").write_bytes(b"")
    assert input_hashes(tmp_path) == {"a.csv": hashlib.sha256(b"x,y\n").hexdigest()}


def test_unprepared_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputFileError, match="evalkit prepare"):
        load_tables(tmp_path)
    with pytest.raises(InputFileError, match="evalkit prepare"):
        load_dataset_meta(tmp_path)


def test_prepared_tables_come_back_typed(portfolio_csv, tmp_path):
    from evalkit.config import Settings
    from evalkit.inputs.prepare import prepare

    processed = tmp_path / "processed"
    result = prepare(Settings().with_paths(raw_dir=portfolio_csv, processed_dir=processed))
    assert result.report.valid
    tables = load_tables(processed, ["partnerships", "swot"])
    assert set(tables) == {"partnerships", "swot"}
    parts = tables["partnerships"].set_index("partnership_id")
    assert parts.loc["csp", "council_cash_gbp"] == 120000.0
    assert parts.loc["csp", "next_review_due"] == pd.Timestamp(2024, 4, 1)
    assert parts["in_scope"].dtype == "boolean" and not parts.loc["roads", "in_scope"]
    assert bool(parts.loc["csp", "incorporated"]) is False  # a joint committee
    assert tables["swot"].empty and "category" in tables["swot"]  # absent: empty, typed
    meta = load_dataset_meta(processed)
    assert sorted(meta["input_files"]) == sorted(p.name for p in portfolio_csv.iterdir())


def test_input_hashes_name_every_raw_file_and_interim_table_by_its_path(tmp_path):
    import hashlib

    from evalkit.inputs.dataset import input_hashes

    raw, interim = tmp_path / "raw", tmp_path / "interim"
    files = {
        raw / "portfolio.xlsx": b"register",
        raw / "survey" / "forms.xlsx": b"export",
        raw / "survey" / ".hidden": b"no",
        raw / "~$portfolio.xlsx": b"lock",
        interim / "survey" / "forms" / "responses.csv": b"answers",
        interim / "survey" / "forms" / "coverage.json": b"a note, not a table",
    }
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def sha(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    assert input_hashes(raw, interim) == {
        "portfolio.xlsx": sha(b"register"),
        "survey/forms.xlsx": sha(b"export"),
        "interim/survey/forms/responses.csv": sha(b"answers"),
    }
    assert input_hashes(raw) == {
        "portfolio.xlsx": sha(b"register"),
        "survey/forms.xlsx": sha(b"export"),
    }
    assert input_hashes(raw, tmp_path / "missing") == input_hashes(raw)
