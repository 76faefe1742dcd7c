"""The data behind a pack's tables and charts: a CSV per table and a workbook, as on the page."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import PACK_NOTICE
from openpyxl import load_workbook

from evalkit.report.pack import appendix, downloads, risk, swot, value_for_money
from evalkit.report.pack.downloads import as_shown, shown_value, slug
from evalkit.spreadsheet import read_csv_frame, restore

HYPERLINK = '=HYPERLINK("http://x","y")'


def small_pack(make_pack, notice: str | None = PACK_NOTICE):
    """Money, risks and a SWOT, with figures the page rounds and text that looks like formulas."""
    inputs = pd.DataFrame(
        {
            "year": ["2023-24", "2024-25"],
            "cash_gbp": [1000.4, 2000.0],
            "in_kind_gbp": [0.0, 499.5],
            "officer_days": pd.array([4, 10], dtype="Int64"),
            "officer_time_gbp": [1400.0, 3500.0],
            "total_gbp": [2400.4, 5999.5],
            "partners": pd.array([2, 3], dtype="Int64"),
            "source": "finance",
        }
    )
    share = pd.DataFrame(
        {
            "year": ["2024-25"],
            "council_gbp": [1500.0],
            "partners_gbp": [4499.5],
            "partner_gbp_per_council_gbp": [2.996],
        }
    )
    indicators = pd.DataFrame(
        {
            "name": ["Victims supported", "Incidents"],
            "period": ["2024-25", "2024-25"],
            "measure": ["per victim", None],
            "actual": [480.0, 5620.0],
            "cost_per_unit": [12.499, None],
            "cost_per_improvement": [None, None],
        }
    )
    risks = pd.DataFrame(
        {
            "risk_id": ["R1", "R2"],
            "description": ["Grant ends", "Data stops"],
            "likelihood": [4, 3],
            "impact": [4, 3],
            "score": [16, 9],
            "rating": ["high", "medium"],
            "owner": ["@SUM(1)", None],
            "mitigation": ["Bid again", "-2+3"],
        }
    )
    entries = pd.DataFrame(
        {"category": ["threat", "strength"], "text": [HYPERLINK, "Shared data; good links"]}
    )
    return make_pack(
        scores={
            "vfm_inputs": inputs,
            "vfm_share": share,
            "vfm_indicators": indicators,
            "risks": risks,
        },
        tables={"swot": entries},
        notice=notice,
    )


def shown(pack) -> str:
    """The sections of the small pack, the data section and the appendix, as the notebook
    shows them."""
    sections = value_for_money.html(pack) + risk.html(pack) + swot.html(pack)
    return sections + downloads.html(pack) + appendix.html(pack)


def sheet_rows(path: Path) -> dict[str, list[list[object]]]:
    book = load_workbook(path)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def same(value: object, text: str) -> bool:
    """A downloaded value is what the page shows: blank for "—", numbers equal once read."""
    if value is None:
        return text == "—"
    value = restore(value)  # the apostrophe that keeps formula text inert
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(text.replace("£", "").replace(",", "").replace("+", "")) == value
    return value == text


def test_the_workbook_holds_each_table_of_the_page_cell_for_cell(make_pack, read_tables, tmp_path):
    pack = small_pack(make_pack)
    page = shown(pack)
    downloads.write(pack, tmp_path)
    book = sheet_rows(tmp_path / "csp-data.xlsx")

    # A contents sheet, then one sheet per table in the order the sections show them
    # (the risks rated high in the risk section, then the full register in the appendix).
    assert list(book) == [
        "Contents",
        "inputs",
        "council-and-partners",
        "unit-costs",
        "high-risks",
        "risks",
        "swot",
    ]
    assert book["Contents"][:3] == [
        [PACK_NOTICE, None, None],
        ["Sheet", "Table", "CSV file"],
        ["inputs", "Inputs (economy)", "downloads/inputs.csv"],
    ]
    tables = read_tables(page)
    titles = {row[1]: row[0] for row in book["Contents"][2:]}
    assert set(titles) == set(tables)
    for caption, rows in tables.items():
        sheet = book[titles[caption]]
        assert sheet[0] == [PACK_NOTICE] + [None] * (len(rows[0]) - 1)
        assert [str(h) for h in sheet[1]] == rows[0]  # the page's headings
        assert len(sheet) - 2 == len(rows) - 1
        for values, texts in zip(sheet[2:], rows[1:], strict=True):
            assert all(same(v, t) for v, t in zip(values, texts, strict=True)), (values, texts)

    # Worked by hand: £1,000.4 shows as £1,000; 2.996 as 3.00; £12.499 as £12.50.
    assert book["inputs"][2] == ["2023-24", 1000, 0, 4, 1400, 2400, 2]
    assert book["inputs"][3] == ["2024-25", 2000, 500, 10, 3500, 6000, 3]  # .5 to even
    assert book["council-and-partners"][2] == ["2024-25", 1500, 4500, 3.0]
    assert book["unit-costs"][1:] == [
        ["Indicator", "Period", "Measure", "Actual", "Cost (£)"],
        ["Victims supported", "2024-25", "per victim", 480, 12.5],
    ]
    assert book["risks"][3] == ["R2", "Data stops", 3, 3, 9, "medium", None, "'-2+3"]


def test_each_csv_is_the_table_with_the_notice_first(make_pack, tmp_path):
    pack = small_pack(make_pack)
    shown(pack)
    written = downloads.write(pack, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "downloads/inputs.csv",
        "downloads/council-and-partners.csv",
        "downloads/unit-costs.csv",
        "downloads/high-risks.csv",
        "downloads/risks.csv",
        "downloads/swot.csv",
        "csp-data.xlsx",
    ]
    text = (tmp_path / "downloads" / "council-and-partners.csv").read_bytes().decode("utf-8")
    assert text == (
        "\ufeff"  # so that Excel reads the file as UTF-8
        f"{PACK_NOTICE}\n"
        "Year,Council (£),Partners (£),Partner £ per council £\n"
        "2024-25,1500,4500,3.0\n"
    )


def test_real_data_has_no_notice_row(make_pack, tmp_path):
    pack = small_pack(make_pack, notice=None)
    page = shown(pack)
    downloads.write(pack, tmp_path)
    text = (tmp_path / "downloads" / "unit-costs.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Indicator,Period,Measure,Actual,Cost (£)"
    assert sheet_rows(tmp_path / "csp-data.xlsx")["unit-costs"][0][0] == "Indicator"
    assert "notice that the data is invented" not in page


def test_formula_text_stays_inert_in_every_download(make_pack, tmp_path):
    pack = small_pack(make_pack)
    shown(pack)
    downloads.write(pack, tmp_path)
    with (tmp_path / "downloads" / "swot.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[3] == ["threat", "'" + HYPERLINK]
    with (tmp_path / "downloads" / "risks.csv").open(encoding="utf-8-sig", newline="") as handle:
        risks = list(csv.reader(handle))
    assert (risks[2][6], risks[3][7]) == ("'@SUM(1)", "'-2+3")
    # evalkit reads its own files back as typed
    back = read_csv_frame(tmp_path / "downloads" / "swot.csv", skiprows=1, encoding="utf-8-sig")
    assert list(back.iloc[:, 1]) == ["Shared data; good links", HYPERLINK]
    book = load_workbook(tmp_path / "csp-data.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [t for t in texts if t.lstrip()[:1] in ("=", "+", "-", "@")]
    assert "'" + HYPERLINK in texts


def test_every_link_on_the_page_resolves_to_a_written_file(make_pack, tmp_path):
    pack = small_pack(make_pack)
    page = shown(pack)
    downloads.write(pack, tmp_path)
    soup = BeautifulSoup(page, "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a")]
    # a link under each table and each chart, then the data section's workbook and CSV files
    assert hrefs.count("downloads/inputs.csv") == 3  # chart, table (in the appendix), list
    assert "csp-data.xlsx" in hrefs
    files = [h for h in hrefs if not h.startswith("#")]
    assert [h for h in files if not (tmp_path / h).is_file()] == []
    # the links to the appendix go to a table on the same page
    anchors = [h[1:] for h in hrefs if h.startswith("#")]
    assert anchors == [
        "detail-inputs",
        "detail-council-and-partners",
        "detail-unit-costs",
        "detail-risks",
        "detail-swot",
    ]
    assert all(soup.find(id=a) is not None and soup.find(id=a).find("table") for a in anchors)


def test_each_link_names_its_table_for_screen_readers(make_pack):
    pack = small_pack(make_pack)
    page = risk.html(pack) + appendix.html(pack)
    links = BeautifulSoup(page, "html.parser").select(".download a")
    assert [a.get_text() for a in links] == [
        "Download the data behind this chart (CSV): Risk matrix",
        "Download this table (CSV): Risks rated high, with their owners and mitigations",
        "Download this table (CSV): Risks, highest first",
    ]
    assert links[2].select_one(".visually-hidden").get_text() == ": Risks, highest first"


def test_a_section_shown_twice_is_one_download(make_pack):
    pack = small_pack(make_pack)
    risk.html(pack)
    risk.html(pack)
    assert [item.slug for item in pack.downloads] == ["high-risks", "risks"]
    assert list(pack.appendix) == ["risks"]


def test_values_are_rounded_as_the_page_rounds_them():
    assert shown_value(2.675, "{:.2f}") == 2.67  # binary 2.67499…, as format() shows it
    assert shown_value(1234.5, "£{:,.0f}") == 1234  # half to even, kept whole
    assert shown_value(-0.25, "{:+.2f}") == -0.25
    assert shown_value(3.14159) == 3.1  # the page's default: one decimal
    assert shown_value(7) == 7
    assert (shown_value(True), shown_value(False)) == ("Yes", "No")
    assert shown_value(float("nan")) is None
    assert shown_value(pd.NA) is None
    assert shown_value("—") == "—"
    frame = pd.DataFrame({("Score", "mean"): [1.0]})
    assert list(as_shown(frame).columns) == ["Score – mean"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nuffield PAT", "nuffield-pat"),
        ("  ../../etc/passwd ", "etc-passwd"),
        ("", "table"),
        ("x" * 80, "x" * 60),
    ],
)
def test_slugs_are_safe_file_names(text, expected):
    assert slug(text) == expected
