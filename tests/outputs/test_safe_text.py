"""The shared export helpers: formula-safe cells, CSV fields, escaped PDF text and font fallback."""

from __future__ import annotations

import io

import pypdf
import pytest
from openpyxl import Workbook, load_workbook
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from mentorapp.outputs.pdf_fonts import FALLBACK, REGULAR, covered_by_regular, markup
from mentorapp.outputs.safe_text import csv_text, is_formula_like, pdf_text, set_text, spreadsheet_text, text_cell

pytestmark = pytest.mark.both_databases

HOSTILE = ["=1+1", "+SUM(A1:A2)", "-2+3", "@IMPORT", "\tTAB", '=HYPERLINK("x")']


@pytest.mark.parametrize("write_only", [False, True])
def test_formula_like_values_are_written_as_text(tmp_path, write_only):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("S") if write_only else wb.active
    if write_only:
        ws.append([text_cell(ws, v) for v in [*HOSTILE, "plain", "bad\x01char"]])
    else:
        for i, v in enumerate([*HOSTILE, "plain", "bad\x01char"], 1):
            set_text(ws.cell(1, i), v)
    wb.save(tmp_path / "t.xlsx")
    row = next(load_workbook(tmp_path / "t.xlsx").worksheets[-1].iter_rows())
    assert [c.value for c in row] == [*HOSTILE, "plain", "badchar"]
    assert all(c.data_type == "s" for c in row)
    assert [c.quotePrefix for c in row] == [True] * len(HOSTILE) + [False, False]


def test_helpers():
    assert is_formula_like("=x") and is_formula_like("\rx") and not is_formula_like("x=1") and not is_formula_like(3)
    assert spreadsheet_text(5) == 5 and len(spreadsheet_text("a" * 40000)) == 32767
    assert csv_text("=1+1") == "'=1+1" and csv_text("Ann") == "Ann" and csv_text(None) == ""
    assert pdf_text('A & B <Ltd> "x"\nnext') == "A &amp; B &lt;Ltd&gt; &quot;x&quot;<br/>next"


def test_markup_wraps_only_characters_dejavu_lacks():
    assert covered_by_regular("ł") and not covered_by_regular("王")
    assert markup("Łukasz & 王秀英 <b>") == f'Łukasz &amp; <font name="{FALLBACK}">王秀英</font> &lt;b&gt;'
    buffer = io.BytesIO()
    style = ParagraphStyle("s", fontName=REGULAR)
    text = "Siobhán Łukasz Nguyễn 王秀英 A & B <Ltd>"
    SimpleDocTemplate(buffer).build([Paragraph(markup(text), style), Paragraph("<b>" + markup(text) + "</b>", style)])
    extracted = pypdf.PdfReader(buffer).pages[0].extract_text()
    assert extracted.count(text) == 2
