"""The build's main process drives kernels and writes files: it loads no page or chart code."""

from __future__ import annotations

import shutil
from pathlib import Path

from evalkit.build.formats import resolve
from evalkit.build.job import page_links
from evalkit.build.records import BuildJob
from evalkit.report.committee import DOCX_NAME
from inputs_helpers import fresh_json


def job(job_id: str, stem: str) -> BuildJob:
    return BuildJob(
        id=job_id,
        notebook=Path("notebooks/x.ipynb"),
        out_dir=Path("reports") / job_id,
        stem=stem,
        params={},
        timeout=60,
        formats=resolve(["html", "pdf"]),
        title="t",
        header="h",
        notice=None,
        masthead="m",
    )


def test_the_committee_page_links_to_the_word_file_by_its_name():
    links = page_links(job("committee", "committee-report"))
    assert ("This report for Word (.docx)", "committee-report.docx") in [
        (link.label, link.href) for link in links
    ]
    assert DOCX_NAME == "committee-report.docx"


CHILD = """
import json, sys
from pathlib import Path
from evalkit.build.formats import resolve
from evalkit.build.job import page_links, page_options
from evalkit.build.kernels import prepare_main
from evalkit.build.records import BuildJob
prepare_main()
for job_id, stem in (("p1", "evidence-pack"), ("overview", "portfolio-overview"),
                     ("committee", "committee-report")):
    job = BuildJob(job_id, Path("x.ipynb"), Path("r") / job_id, stem, {}, 60,
                   resolve(["html", "pdf"]), "t", "h", None, "m")
    page_links(job)
    page_options(job)
heavy = ["matplotlib", "nbconvert", "bs4", "weasyprint", "evalkit.report.committee",
         "evalkit.report.charts", "evalkit.report.overview"]
print(json.dumps([name for name in heavy if name in sys.modules]))
"""


def test_main_process_loads_no_page_chart_or_committee_code():
    assert fresh_json(CHILD) == []


PLAN_AND_INDEX = """
import json, sys
from pathlib import Path
from evalkit.build.index import write_index
from evalkit.build.manifest import read_manifest
from evalkit.build.plan import plan_build
from evalkit.build.records import BuildOptions
from evalkit.config import Settings
from evalkit.method.results import ScoredFolder
processed, reports = Path(sys.argv[1]), Path(sys.argv[2])
settings = Settings().with_paths(processed_dir=processed, reports_dir=reports)
manifest = read_manifest(reports / "manifest.json")
plan = plan_build(settings, BuildOptions(force=True), ScoredFolder.open(processed), manifest)
write_index(reports, manifest, notice=plan.notice, generated="2025-06-30T10:00:00Z")
print(json.dumps([len(plan.jobs), [name for name in ("pandas", "numpy") if name in sys.modules]]))
"""


def test_planning_and_the_index_load_no_pandas(built_sample, tmp_path):
    """The main process plans every pack and writes the index without pandas (35 MB)."""
    reports = tmp_path / "reports"
    shutil.copytree(built_sample["reports"], reports)
    seen = fresh_json(PLAN_AND_INDEX, str(built_sample["processed"]), str(reports))
    # Every in-scope pack, the overview and the cover report; no pandas, no NumPy.
    assert seen == [len(built_sample["in_scope"]) + 2, []]
    assert "30 June 2025" in (reports / "index.html").read_text(encoding="utf-8")
