"""Hostile and unreadable input files: each named, with what to do, all in one pass.

Every file here is real: workbooks written by openpyxl (then damaged in their zip), a
password-protected workbook encrypted by msoffcrypto-tool, an Excel 97-2003 workbook
written by xlwt, CSV files written in the encodings and separators offices use.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import xlwt
from openpyxl import Workbook

from evalkit.config import Settings
from evalkit.inputs.validate import Problem, validate
from inputs_helpers import (
    add_zip_member,
    peak_rss_of,
    rewrite_zip_member,
    run_evalkit,
    without_dac_override,
    write_ods,
)
from small_portfolio import HEADERS, ROWS, write_csv, write_workbook

HUGE = b'<dimension ref="A1:XFD1048576"/>'
STRAY_CELL = b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c>'


def problems_by_code(folder: Path, settings: Settings | None = None) -> dict[str, Problem]:
    """Each problem code found, with its first problem."""
    found: dict[str, Problem] = {}
    for problem in validate(folder, settings=settings).report.problems:
        found.setdefault(problem.code, problem)
    return found


def encrypt(plain: Path, out: Path, password: str = "secret") -> Path:
    with plain.open("rb") as source, out.open("wb") as target:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt(password, target)
    return out


def write_xls(path: Path, sheet: str) -> Path:
    book = xlwt.Workbook()
    book.add_sheet(sheet).write(0, 0, "partnership_id")
    book.save(str(path))
    return path


def test_every_unreadable_file_is_named_in_one_pass(portfolio_csv):
    """Seven kinds of unreadable file at once: seven problems, no exception, and the
    readable tables still checked."""
    folder = portfolio_csv
    (folder / "risks.csv").unlink()
    (folder / "risks.csv").mkdir()  # a folder with a table's name
    (folder / "memberships.csv").unlink()
    (folder / "memberships.csv").symlink_to(folder / "gone.csv")  # a broken link
    write_workbook(folder)
    encrypt(folder / "portfolio.xlsx", folder / "locked.xlsx")
    (folder / "portfolio.xlsx").unlink()
    write_xls(folder / "old.xls", "partnerships")
    (folder / "notes.xlsx").write_text("not a workbook at all\n", encoding="utf-8")
    write_ods(folder / "plans.ods", ["partnerships", "Notes"])
    rows = [list(r) for r in ROWS["organisations"]]
    rows[1][2] = "spaceship"  # an ordinary bad value is still found
    write_csv(folder / "organisations.csv", HEADERS["organisations"], rows)

    found = problems_by_code(folder)

    assert set(found) == {
        "not-a-file",
        "broken-link",
        "encrypted-workbook",
        "legacy-workbook",
        "not-a-workbook",
        "not-allowed",
    }, "\n".join(str(p) for p in found.values())
    assert found["not-a-file"].file == "risks.csv"
    assert "is a folder, but a CSV file was expected" in found["not-a-file"].message
    assert found["broken-link"].file == "memberships.csv"
    assert found["encrypted-workbook"].file == "locked.xlsx"
    assert "remove the password" in found["encrypted-workbook"].message
    assert found["not-a-workbook"].file == "notes.xlsx"
    assert found["not-allowed"].row == 3


def test_every_unreadable_file_in_one_pass_as_separate_legacy_problems(tmp_path):
    """A legacy .xls and an .ods with a table sheet are errors; the other .ods a warning."""
    folder = tmp_path / "raw"
    folder.mkdir()
    write_xls(folder / "old.xls", "partnerships")
    write_ods(folder / "plans.ods", ["Partnerships", "Notes"])
    write_ods(folder / "other.ods", ["Notes"])
    report = validate(folder).report
    legacy = {p.file: p for p in report.problems if p.code == "legacy-workbook"}
    assert legacy["old.xls"].severity == "error"
    assert legacy["old.xls"].message.startswith(
        "is an Excel 97-2003 workbook (.xls), which evalkit does not read — open it in Excel "
        "or LibreOffice and save it as an Excel workbook (.xlsx), or run: soffice --headless "
        "--convert-to xlsx 'old.xls'"
    )
    assert legacy["plans.ods"].severity == "error"
    assert "its sheets partnerships look like input tables" in legacy["plans.ods"].message
    assert legacy["other.ods"].severity == "warning"
    missing = [p for p in report.problems if p.code == "missing-table"]
    assert missing and all(
        "(it may be in old.xls, plans.ods, which could not be read)" in p.message for p in missing
    )


def test_a_real_xls_workbook_renamed_xlsx_is_called_what_it_is(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    write_xls(folder / "portfolio.xlsx", "partnerships")
    problem = problems_by_code(folder)["legacy-workbook"]
    assert problem.file == "portfolio.xlsx"
    assert "is an Excel 97-2003 workbook (.xls format) under a .xlsx name" in problem.message


def test_damaged_zip_and_zip_without_a_workbook(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    book = write_workbook(folder)
    data = book.read_bytes()
    book.write_bytes(data[: len(data) // 2])  # cut in half: the zip directory is lost
    with zipfile.ZipFile(folder / "archive.xlsx", "w") as archive:
        archive.writestr("readme.txt", "a zip, but no workbook inside")
    found = {p.file: p for p in validate(folder).report.problems if p.file}
    assert found["portfolio.xlsx"].code == "damaged-workbook"
    assert found["archive.xlsx"].code == "not-a-workbook"
    assert "(it has no xl/workbook.xml)" in found["archive.xlsx"].message


def test_damaged_sheet_xml_names_the_sheet(portfolio_xlsx):
    book = portfolio_xlsx / "portfolio.xlsx"
    # Sheets are written in HEADERS order: partnerships, organisations, memberships, risks.
    rewrite_zip_member(book, "xl/worksheets/sheet4.xml", lambda xml: xml[: len(xml) - 40])
    problem = problems_by_code(portfolio_xlsx)["damaged-sheet"]
    assert (problem.file, problem.sheet) == ("portfolio.xlsx", "risks")
    assert str(problem).startswith(
        "ERROR portfolio.xlsx, sheet 'risks': cannot be read (ParseError"
    )


def test_sheet_declaring_the_whole_grid_is_read_by_its_real_cells_in_small_memory(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    book = Workbook()
    sheet = book.active
    sheet.title = "organisations"
    sheet.append(HEADERS["organisations"])
    for row in ROWS["organisations"]:
        sheet.append(row)
    path = folder / "portfolio.xlsx"
    book.save(path)
    rewrite_zip_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="A1:D4" ?/>', HUGE, xml),
    )
    with zipfile.ZipFile(path) as archive:
        assert HUGE in archive.read("xl/worksheets/sheet1.xml")
    assert path.stat().st_size < 6000  # openpyxl's styles and theme take most of it
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from evalkit.inputs.ingest import Source, read_table\n"
        "raw = read_table('organisations', Source(Path(sys.argv[1]), 'organisations'))\n"
        "print(json.dumps({'rows': raw.frame['_row'].tolist(), "
        "'ids': raw.frame['organisation_id'].tolist()}))\n"
    )
    result, rss_mb = peak_rss_of(code, str(path))
    assert result == {"rows": [2, 3, 4], "ids": ["the-council", "police", "army"]}
    # Padded to its declared 1,048,576 x 16,384 cells it would need hundreds of gigabytes.
    assert rss_mb < 300, rss_mb


def test_sheet_with_more_cells_than_the_limit_is_refused_naming_the_setting(portfolio_xlsx):
    # The partnerships sheet: a header and 3 rows, 13 columns wide. 4 x 13 = 52 cells.
    found = problems_by_code(portfolio_xlsx, Settings(max_sheet_cells=40))
    problem = found["sheet-too-large"]
    assert (problem.file, problem.sheet) == ("portfolio.xlsx", "partnerships")
    assert problem.message.startswith(
        "holds more than 40 cells (rows times its widest row: 4 rows, up to 13 columns) — "
        "use a smaller sheet, or raise the limit: setting max_sheet_cells "
        "(environment variable EVALKIT_MAX_SHEET_CELLS)"
    )
    assert validate(portfolio_xlsx, settings=Settings(max_sheet_cells=52)).report.valid


def test_stray_cell_far_to_the_right_counts_as_real_width(portfolio_xlsx):
    book = portfolio_xlsx / "portfolio.xlsx"
    rewrite_zip_member(
        book,
        "xl/worksheets/sheet2.xml",  # organisations: 4 rows of 4 columns
        lambda xml: xml.replace(
            b"</row>", b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>', 1
        ),
    )
    # 4 rows x 16,384 columns = 65,536 cells.
    found = problems_by_code(portfolio_xlsx, Settings(max_sheet_cells=60_000))
    assert "up to 16,384 columns" in found["sheet-too-large"].message


def test_zip_bomb_ratio_and_unpacked_size_are_refused(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    book = write_workbook(folder)
    add_zip_member(book, "xl/media/padding.bin", bytes(4 * 1024 * 1024))  # 4 MB of zeros
    problem = problems_by_code(folder)["compression-ratio"]
    assert problem.message.startswith("part xl/media/padding.bin unpacks ")
    assert "more than the limit of 200" in problem.message
    assert "EVALKIT_MAX_COMPRESSION_RATIO" in problem.message

    small = tmp_path / "small"
    small.mkdir()
    write_workbook(small)
    problem = problems_by_code(small, Settings(max_workbook_uncompressed_bytes=1000))[
        "workbook-too-large"
    ]
    assert "more than the limit of 1,000 bytes" in problem.message
    assert "max_workbook_uncompressed_bytes" in problem.message


def test_file_size_limit_applies_to_csv_and_workbooks(portfolio_csv):
    write_workbook(portfolio_csv)  # the same tables twice: both refused before reading
    size = (portfolio_csv / "partnerships.csv").stat().st_size
    report = validate(portfolio_csv, settings=Settings(max_input_bytes=size - 1)).report
    too_large = {p.file: p for p in report.problems if p.code == "file-too-large"}
    assert set(too_large) == {"partnerships.csv", "portfolio.xlsx"}
    assert too_large["partnerships.csv"].message == (
        f"is {size:,} bytes, more than the limit of {size - 1:,} bytes — use a smaller file, "
        "or raise the limit: setting max_input_bytes (environment variable EVALKIT_MAX_INPUT_BYTES)"
    )


def test_utf16_csv_is_read_correctly(portfolio_csv):
    rows = [list(r) for r in ROWS["partnerships"]]
    rows[0][1] = "Café Quarter – £ and ‘quotes’"
    write_csv(portfolio_csv / "partnerships.csv", HEADERS["partnerships"], rows, "utf-16")
    assert (portfolio_csv / "partnerships.csv").read_bytes()[:2] == b"\xff\xfe"
    result = validate(portfolio_csv)
    assert result.report.valid, result.report.summary()
    assert result.report.tables["partnerships"]["encoding"] == "utf-16"
    assert result.tables["partnerships"]["name"].iloc[0] == "Café Quarter – £ and ‘quotes’"


def test_undecodable_csv_says_which_encodings_were_tried(portfolio_csv):
    # 0x81 is undefined in Windows-1252 and not valid UTF-8 on its own.
    path = portfolio_csv / "risks.csv"
    path.write_bytes(path.read_bytes().replace(b"Funding ends", b"Funding \x81 ends"))
    problem = problems_by_code(portfolio_csv)["csv-encoding"]
    assert problem.file == "risks.csv"
    assert problem.message.startswith(
        "is not text in an encoding evalkit reads: tried UTF-8, UTF-16 and Windows-1252 (byte "
    )
    assert "is 0x81)" in problem.message and "CSV UTF-8 (Comma delimited)" in problem.message


def test_workbook_saved_with_a_csv_name_is_called_a_workbook(portfolio_csv):
    (portfolio_csv / "risks.csv").unlink()
    book = write_workbook(portfolio_csv)
    book.rename(portfolio_csv / "risks.csv")
    problem = problems_by_code(portfolio_csv)["not-a-csv-file"]
    assert problem.message.startswith("is an Excel workbook (a zip archive), not CSV text")


def test_semicolon_and_tab_separated_csv_are_read_with_a_warning(portfolio_csv):
    for name, separator in (("organisations", ";"), ("risks", "\t")):
        lines = [separator.join(HEADERS[name])]
        lines += [separator.join(row) for row in ROWS[name]]
        (portfolio_csv / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = validate(portfolio_csv)
    assert result.report.valid, result.report.summary()
    warnings = {p.file: p.message for p in result.report.warnings if p.code == "csv-separator"}
    assert warnings["organisations.csv"].startswith(
        "fields are separated by semicolons, not commas: read with semicolons as the separator"
    )
    assert warnings["risks.csv"].startswith("fields are separated by tabs, not commas")
    orgs = result.tables["organisations"]
    assert orgs["organisation_id"].tolist() == ["the-council", "police", "army"]
    assert result.tables["risks"]["likelihood"].tolist() == [3]


def test_comma_csv_with_semicolons_in_a_cell_stays_comma(portfolio_csv):
    rows = [list(r) for r in ROWS["risks"]]
    rows[0][2] = "Funding ends; staff leave; hub closes"
    write_csv(portfolio_csv / "risks.csv", HEADERS["risks"], rows)
    result = validate(portfolio_csv)
    assert result.report.valid and not result.report.warnings
    assert result.tables["risks"]["description"].iloc[0] == "Funding ends; staff leave; hub closes"


def test_unreadable_permissions_are_named_without_a_traceback(portfolio_csv):
    path = portfolio_csv / "risks.csv"
    os.chmod(path, 0)
    try:
        done = run_evalkit("validate", "--json", str(portfolio_csv), prefix=without_dac_override())
    finally:
        os.chmod(path, 0o644)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    problems = json.loads(done.stdout)["problems"]
    assert [(p["file"], p["code"]) for p in problems] == [("risks.csv", "unreadable-file")]
    assert problems[0]["message"] == (
        "cannot be read: permission denied — give the account running evalkit permission to read it"
    )


def test_prepare_exits_2_naming_an_encrypted_workbook(tmp_path, portfolio_xlsx):
    book = portfolio_xlsx / "portfolio.xlsx"
    encrypt(book, tmp_path / "locked.xlsx")
    (tmp_path / "locked.xlsx").replace(book)
    done = run_evalkit(
        "prepare", "--raw", str(portfolio_xlsx), "--processed", str(tmp_path / "processed")
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "[encrypted-workbook]" in line]
    assert line.startswith(
        "ERROR portfolio.xlsx: is a password-protected (encrypted) workbook, which evalkit "
        "cannot open"
    )
