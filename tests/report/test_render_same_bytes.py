"""The page and PDF shortcuts give the same bytes as nbconvert's and WeasyPrint's own way."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from PIL import Image

from evalkit.report import charts, render
from evalkit.report.render import figure_html, html_to_pdf, notebook_to_html, png_image_data

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def hand_png(depth: int = 8, colour: int = 2, interlace: int = 0) -> bytes:
    """A 2 x 1 PNG whose compressed pixels are split over two IDAT chunks."""
    header = struct.pack(">IIBBBBB", 2, 1, depth, colour, 0, 0, interlace)
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00made by hand")
        + chunk(b"IDAT", b"first part")
        + chunk(b"IDAT", b"second")
        + chunk(b"IEND", b"")
    )


def test_png_image_data_joins_the_idat_chunks_and_nothing_else():
    assert png_image_data(hand_png()) == b"first partsecond"
    assert png_image_data(hand_png(colour=0)) == b"first partsecond"  # grey


@pytest.mark.parametrize(
    "png",
    [
        hand_png(depth=16),  # 16-bit
        hand_png(colour=6),  # RGB with alpha
        hand_png(colour=3),  # palette
        hand_png(interlace=1),  # interlaced
        b"GIF89a" + hand_png()[6:],  # not a PNG
    ],
)
def test_png_image_data_leaves_other_images_to_weasyprint(png):
    assert png_image_data(png) is None


def rgba_png() -> str:
    """A 3 x 2 PNG with an alpha channel, base64 (WeasyPrint's own way must take it)."""
    image = Image.new("RGBA", (3, 2), (200, 30, 30, 128))
    buffer = io.BytesIO()
    image.save(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def notebook_with_charts():
    """A chart, a translucent image and a warning (cell ids are random: make it once)."""
    frame = pd.DataFrame(
        {
            "dimension_title": ["P1 Purpose", "P2 Trust", "P1 Purpose", "P2 Trust"],
            "organisation_name": ["County", "County", "District", "District"],
            "score": [3.0, 2.0, 2.0, 1.0],
        }
    )
    chart = charts.profile_chart(frame, scale_min=1, scale_max=4, agree_line=2.5, title="Profile")
    translucent = (
        f'<figure><img src="data:image/png;base64,{rgba_png()}" alt="A red square, '
        'half transparent" width="30" height="20"></figure>'
    )
    nb = new_notebook()
    html = {"text/plain": "<HTML>"}
    nb.cells = [
        new_markdown_cell("# Harbour Health Partnership\n\nWhat the pack shows."),
        new_code_cell(
            "fig",
            outputs=[new_output("display_data", data={**html, "text/html": figure_html(chart)})],
        ),
        new_code_cell(
            "img", outputs=[new_output("display_data", data={**html, "text/html": translucent})]
        ),
        new_code_cell("warn", outputs=[new_output("stream", name="stderr", text="a warning\n")]),
    ]
    return nb


def page_with_charts(nb=None) -> str:
    nb = notebook_with_charts() if nb is None else nb
    return notebook_to_html(nb, title="Harbour: evidence pack", running_header="Harbour")


def test_pdf_is_the_same_as_weasyprints_own_way_and_takes_the_chart_as_it_is(tmp_path, monkeypatch):
    from weasyprint import images

    page = page_with_charts()
    ours = html_to_pdf(page, tmp_path / "ours.pdf").read_bytes()
    taken: list[bytes] = []
    real = render.png_image_data

    def counted(png: bytes) -> bytes | None:
        data = real(png)
        if data is not None:
            taken.append(data)
        return data

    monkeypatch.setattr(render, "png_image_data", counted)
    assert html_to_pdf(page, tmp_path / "again.pdf").read_bytes() == ours
    assert len(taken) == 1  # the chart; the translucent square went WeasyPrint's own way
    own = images.RasterImage._get_png_data.weasyprint_own
    monkeypatch.setattr(images.RasterImage, "_get_png_data", staticmethod(own))
    assert html_to_pdf(page, tmp_path / "theirs.pdf").read_bytes() == ours


def test_page_is_the_same_as_with_nbconvert_html_exporter(monkeypatch):
    from nbconvert import HTMLExporter

    nb = notebook_with_charts()
    ours = page_with_charts(nb)
    render._exporter.cache_clear()
    monkeypatch.setattr(render, "_exporter_class", lambda: HTMLExporter)
    try:
        theirs = page_with_charts(nb)
    finally:
        render._exporter.cache_clear()
    assert theirs == ours
    assert "a warning" not in ours and ours.count("<img ") == 2
