"""Stage 3, report: the evidence pack and overview sections, charts, HTML and PDF."""
