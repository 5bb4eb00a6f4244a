"""The Word document of a report, laid out as a Vietnamese administrative report (Decree 30/2020).

A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13 pt body,
justified, first-line indent 1 cm, 6 pt after; page numbers centred in the top margin from page 2;
the two-column header block (issuing body and number on the left, national motto and place/date on
the right), "BÁO CÁO" and the subject, numbered parts, "Nơi nhận" and the signature block as fields
for the user, then the appendices. When any figure is illustrative, every page's footer says so.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from core.scoring import LEVEL_COLOUR
from i18n import number, t
from reports.fmt import cell_text
from reports.model import Document, Figure, Heading, PageBreak, Paragraph, Table

FONT = "Times New Roman"
BODY_PT = 13
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_CM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10  # 16.5 cm
MARK_COLOUR = RGBColor(0x8A, 0x5A, 0x00)
KEEP_TOGETHER_ROWS = 15  # tables up to this many rows are kept on one page


def _fonts(rpr_parent: object, size: float | None = None) -> None:
    """Times New Roman for every script slot of a style or run (Word picks a slot per character)."""
    font = rpr_parent.font  # type: ignore[attr-defined]
    font.name = FONT
    if size:
        font.size = Pt(size)
    rpr = rpr_parent.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _lang(style: object) -> None:
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)


def _styles(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_PT)
    _lang(normal)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing = 1.15
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Cm(1)
    for name in ("Header", "Footer", "Table Grid"):
        if name in [s.name for s in doc.styles]:
            with contextlib.suppress(AttributeError):
                _fonts(doc.styles[name])


def _page(section: object, landscape: bool = False) -> None:
    s = section
    s.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    w, h = (PAGE_MM[1], PAGE_MM[0]) if landscape else PAGE_MM
    s.page_width, s.page_height = Mm(w), Mm(h)  # type: ignore[attr-defined]
    s.top_margin = Mm(MARGINS_MM["top"])  # type: ignore[attr-defined]
    s.bottom_margin = Mm(MARGINS_MM["bottom"])  # type: ignore[attr-defined]
    s.left_margin = Mm(MARGINS_MM["left"])  # type: ignore[attr-defined]
    s.right_margin = Mm(MARGINS_MM["right"])  # type: ignore[attr-defined]
    s.header_distance = Mm(10)  # type: ignore[attr-defined]
    s.footer_distance = Mm(8)  # type: ignore[attr-defined]


def _para(
    container: object,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    after: float | None = None,
    before: float | None = None,
    colour: RGBColor | None = None,
    keep_next: bool = False,
) -> DocxParagraph:
    p = container.add_paragraph()  # type: ignore[attr-defined]
    pf = p.paragraph_format
    if not indent:
        pf.first_line_indent = Cm(0)
    if align is not None:
        pf.alignment = align
    if after is not None:
        pf.space_after = Pt(after)
    if before is not None:
        pf.space_before = Pt(before)
    if keep_next:
        pf.keep_with_next = True
    if text:
        _run(p, text, size=size, bold=bold, italic=italic, colour=colour)
    return p


def _run(
    p: DocxParagraph,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    colour: RGBColor | None = None,
) -> None:
    r = p.add_run(text)
    _fonts(r, size)
    r.bold = bold or None
    r.italic = italic or None
    if colour is not None:
        r.font.color.rgb = colour


def _rule(container: object, width_cm: float, cell_width_cm: float, after: float = 0) -> None:
    """A short centred horizontal rule (the Decree's line under the issuing body and under the motto):
    an empty 2 pt paragraph with a top border, its indents leaving ``width_cm`` between them."""
    p = _para(container, after=after, before=0)
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    p.paragraph_format.left_indent = Cm(side)
    p.paragraph_format.right_indent = Cm(side)
    p.paragraph_format.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    border.append(top)
    ppr.insert(0, border)
    run = p.add_run(" ")
    _fonts(run, 2)


def _field(p: DocxParagraph, instr: str, size: float) -> None:
    """A Word field (PAGE) as begin / instruction / separate / placeholder / end runs."""
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
        r = p.add_run()
        _fonts(r, size)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._r.append(el)


def _no_borders(table: DocxTable) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table: DocxTable, widths_cm: list[float]) -> None:
    """Column widths for Word (cell widths) and LibreOffice (the table grid)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        gc.set(qn("w:w"), str(int(w / 2.54 * 1440)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


def _shade(cell: object, hex_colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_colour.lstrip("#").upper())
    tc_pr.append(shd)


def _row_flag(row: object, flag: str) -> None:
    """A row property: 'tblHeader' (repeat on every page) or 'cantSplit' (never break inside the row)."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement(f"w:{flag}")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _header_footer(doc: DocxDocument, d: Document) -> None:
    s = doc.sections[0]
    s.different_first_page_header_footer = True
    p = s.header.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Cm(0)
    _field(p, "PAGE", BODY_PT)
    if d.illustrative:
        for footer in (s.footer, s.first_page_footer):
            fp = footer.paragraphs[0]
            fp.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fp.paragraph_format.first_line_indent = Cm(0)
            _run(fp, d.illustrative_mark, size=10, italic=True, bold=True, colour=MARK_COLOUR)


def _text_cm(text: str, size_pt: float, bold: bool = False) -> float:
    """A rough width of a line of Times text (about half an em per character, more for bold capitals)."""
    per = (0.58 if bold else 0.5) * size_pt * 2.54 / 72
    return len(text) * per


def _header_block(doc: DocxDocument, d: Document) -> None:
    """Issuing body and number (left); national motto, independence line and place/date (right)."""
    left_cm = 6.5
    right_cm = TEXT_WIDTH_CM - left_cm
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [left_cm, right_cm])
    left, right = table.rows[0].cells
    lp = left.paragraphs[0]
    lp.paragraph_format.first_line_indent = Cm(0)
    lp.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lp.paragraph_format.space_after = Pt(0)
    issuer = d.issuer.upper()
    _run(lp, issuer, size=12, bold=True)
    # The rule under the issuing body: a third to a half of the name's length.
    _rule(left, min(left_cm - 1, max(1.5, 0.4 * _text_cm(issuer, 12, True))), left_cm, after=4)
    _para(left, d.number_line, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    rp = right.paragraphs[0]
    rp.paragraph_format.first_line_indent = Cm(0)
    rp.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rp.paragraph_format.space_after = Pt(0)
    _run(rp, t("SOCIALIST REPUBLIC OF VIETNAM", d.lang), size=12, bold=True)
    motto = t("Independence - Freedom - Happiness", d.lang)
    _para(right, motto, size=13, bold=True, after=0, align=WD_ALIGN_PARAGRAPH.CENTER)
    # The rule under the motto is as long as the motto.
    _rule(right, min(right_cm - 0.5, _text_cm(motto, 13, False) * 1.02), right_cm, after=6)
    _para(right, d.place_date, size=13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)


def _title(doc: DocxDocument, d: Document) -> None:
    _para(doc, d.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    _para(doc, d.subject, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    if d.recipient:
        _para(doc, d.recipient, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)


def _heading(doc: DocxDocument, h: Heading) -> None:
    size = BODY_PT
    p = _para(doc, before=6 if h.level > 1 else 12, after=6, keep_next=True, indent=h.level > 1)
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _run(p, h.text, size=size, bold=True, italic=h.level >= 3)


def _paragraph(doc: DocxDocument, para: Paragraph) -> None:
    if para.kind == "body":
        p = doc.add_paragraph()
        _run(p, para.text)
    elif para.kind == "bullet":
        p = doc.add_paragraph()
        _run(p, "- " + para.text)
    elif para.kind == "field":
        p = doc.add_paragraph()
        _run(p, para.text, italic=True)
    elif para.kind == "suggestion":
        p = doc.add_paragraph()
        _run(p, "- " + para.text, italic=True)
    elif para.kind == "warning":
        p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
        _run(p, para.text, bold=True, colour=MARK_COLOUR)
    else:  # note
        p = _para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
        _run(p, para.text, size=11, italic=True)


def _col_widths(table: Table, cols: list, lang: str) -> list[float]:
    """Widths in cm that fit the text width: every header word and every number on one line; text
    columns take what is left (and wrap)."""
    char = 0.55 * table.font_pt * 2.54 / 72  # a little over half an em per character
    bold = 0.68 * table.font_pt * 2.54 / 72
    pad = 0.45  # cell margins and a little air
    minimum, wanted, is_text = [], [], []
    for c in cols:
        texts = [cell_text(v, c.kind, lang) for v in table.data[c.key].head(400)]
        longest = max([len(x) for x in texts] + [1])
        # A header wraps on at most three lines, never inside a word.
        word = max([len(w) for w in c.label.split()] + [len(c.label) / 3, 1])
        if c.kind == "text":
            longest_word = max([len(w) for x in texts for w in x.split()] + [1])
            lo = max(word * bold, min(longest_word, 14) * char) + pad
            hi = max(lo, min(longest, 60) * char + pad)
        else:
            lo = max(word * bold, longest * char) + pad
            hi = lo
        minimum.append(lo)
        wanted.append(hi)
        is_text.append(c.kind == "text")
    total = TEXT_WIDTH_CM
    if sum(wanted) <= total:
        extra = total - sum(wanted)
        grow = [w if txt else 0.0 for w, txt in zip(wanted, is_text, strict=True)]
        if not sum(grow):
            grow = wanted
        return [w + extra * g / sum(grow) for w, g in zip(wanted, grow, strict=True)]
    if sum(minimum) <= total:
        slack = [w - m for w, m in zip(wanted, minimum, strict=True)]
        cut = sum(wanted) - total
        return [w - cut * s / sum(slack) for w, s in zip(wanted, slack, strict=True)]
    return [m * total / sum(minimum) for m in minimum]


def _table(doc: DocxDocument, table: Table, seq: int, d: Document) -> None:
    cols = [c for c in table.columns if c.document]
    _para(
        doc,
        t("Table {n}. {title}", d.lang, n=seq, title=table.title),
        size=12,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
        after=4,
        keep_next=True,
    )
    out = doc.add_table(rows=1, cols=len(cols))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = {"int", "score", "share", "change", "year"}
    for cell, c in zip(out.rows[0].cells, cols, strict=True):
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Cm(0)
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.keep_with_next = True
        _run(p, c.label, size=table.font_pt, bold=True)
        _shade(cell, "DDE4EE")
    _row_flag(out.rows[0], "tblHeader")
    _row_flag(out.rows[0], "cantSplit")
    keep = len(table.data) <= KEEP_TOGETHER_ROWS  # a short table stays on one page
    data = table.data if table.document_rows is None else table.data.head(table.document_rows)
    last = len(data) - 1
    for i, values in enumerate(data[[c.key for c in cols]].itertuples(index=False, name=None)):
        row = out.add_row()
        _row_flag(row, "cantSplit")
        for cell, value, c in zip(row.cells, values, cols, strict=True):
            p = cell.paragraphs[0]
            p.paragraph_format.keep_with_next = keep and i < last
            p.paragraph_format.first_line_indent = Cm(0)
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.line_spacing = 1.0
            p.paragraph_format.alignment = (
                WD_ALIGN_PARAGRAPH.RIGHT if c.kind in numeric else WD_ALIGN_PARAGRAPH.LEFT
            )
            _run(p, cell_text(value, c.kind, d.lang), size=table.font_pt)
            if c.kind == "level" and table.level_fill and isinstance(value, str) and value in LEVEL_COLOUR:
                _shade(cell, LEVEL_COLOUR[value])
    _widths(out, _col_widths(table, cols, d.lang))
    notes = list(table.notes)
    if len(data) < len(table.data):
        notes.insert(
            0,
            t(
                "The first {n} of {total} rows; every row is in the Excel workbook.",
                d.lang,
                n=number(len(data), d.lang, 0),
                total=number(len(table.data), d.lang, 0),
            ),
        )
    if table.illustrative:
        notes.append(d.illustrative_mark)
    for i, note in enumerate(notes):
        last = i == len(notes) - 1
        _para(
            doc,
            note,
            size=10.5,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            before=0 if i else 3,
            after=8 if last else 0,
        )


def _figure(doc: DocxDocument, fig: Figure, seq: int, d: Document) -> None:
    if fig.png is None:
        return
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=2, keep_next=True)
    p.add_run().add_picture(io.BytesIO(fig.png), width=Cm(min(16.0, TEXT_WIDTH_CM)))
    _para(
        doc,
        t("Figure {n}. {title}", d.lang, n=seq, title=fig.title),
        size=12,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0 if fig.caption else 8,
    )
    if fig.caption:
        _para(doc, fig.caption, size=10.5, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)


def _closing(doc: DocxDocument, d: Document) -> None:
    """'Nơi nhận' (left) and the signature block (right), as fields the user fills."""
    _para(doc, after=6)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [7.8, TEXT_WIDTH_CM - 7.8])
    left, right = table.rows[0].cells
    lp = left.paragraphs[0]
    lp.paragraph_format.first_line_indent = Cm(0)
    lp.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    lp.paragraph_format.space_after = Pt(0)
    _run(lp, t("Recipients:", d.lang), size=12, bold=True, italic=True)
    for line in d.recipients:
        _para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    for i, line in enumerate(d.signer):
        p = right.paragraphs[0] if i == 0 else right.add_paragraph()
        p.paragraph_format.first_line_indent = Cm(0)
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        is_title, is_hint = i == 0, line.startswith("(")
        is_name = i == len(d.signer) - 1
        if is_name:
            p.paragraph_format.space_before = Pt(60)
        _run(p, line, size=13, bold=is_title or is_name, italic=is_hint)


def _blocks(doc: DocxDocument, blocks: list, d: Document, counters: dict[str, int]) -> None:
    for b in blocks:
        if isinstance(b, Heading):
            _heading(doc, b)
        elif isinstance(b, Paragraph):
            _paragraph(doc, b)
        elif isinstance(b, Table):
            if b.document:
                counters["table"] += 1
                _table(doc, b, counters["table"], d)
        elif isinstance(b, Figure):
            counters["figure"] += 1
            _figure(doc, b, counters["figure"], d)
        elif isinstance(b, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_docx(d: Document, target: Path | io.BytesIO) -> None:
    """Write ``d`` as a .docx (figures must already hold their PNG: reports.images.render)."""
    doc = docx.Document()
    _styles(doc)
    _page(doc.sections[0])
    _header_footer(doc, d)
    doc.core_properties.title = d.subject
    doc.core_properties.subject = d.title
    doc.core_properties.language = "vi-VN" if d.lang == "vi" else "en"
    doc.core_properties.comments = d.scope
    # python-docx's template opens with one empty paragraph; the header block replaces it.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _header_block(doc, d)
    _title(doc, d)
    counters = {"table": 0, "figure": 0}
    _blocks(doc, d.blocks, d, counters)
    _closing(doc, d)
    for a in d.appendices:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _para(
            doc,
            t("Appendix {n}", d.lang, n=a.number),
            size=14,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            after=0,
        )
        _para(doc, a.title, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
        _para(
            doc,
            t("(Attached to report No. ...)", d.lang),
            size=13,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            after=12,
        )
        _blocks(doc, a.blocks, d, counters)
    doc.save(target)
