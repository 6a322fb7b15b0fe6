"""The committee pack as one Word document for offices to edit (python-docx).

The same content as the PDF (:mod:`.pdf`), in the same order: a cover, a table of
contents (a Word field, filled when Word opens the file), the figures and the table of
units, the main problems, unit by unit with each unit's charts (each chart's diagram as
a picture sized to its page, landscape where the diagram is wider than tall, then its
problems and risk points), and the ledger as a landscape appendix. Headings are Word's
own (标题 1–3), so the navigation pane lists units and charts; every table's header row
repeats on each page; pages are A4 and numbered in the footer.

Bytes are the same for the same input and date: the document's properties carry the
report's date and the archive's time stamps are fixed.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

from ..i18n import Text
from ..vocabulary import GRADE_NAMES, grade_name
from .pack import (
    GRADE_COLUMN,
    KEY_POSTS,
    MAIN_QUALITY,
    REPORT_TITLE,
    UNIT_HEAD,
    ChartEntry,
    Pack,
    UnitEntry,
    appendix_note,
    ledger_table,
    summary_rows,
    unit_cells,
)
from .pictures import Picture
from .problems import Problem, fault_words
from .sections import (
    BODY_HEAD,
    CHART_HEAD,
    KEY_POST_HEAD,
    NO_FAULTS,
    NO_PROBLEMS,
    POINT_HEAD,
    POST_HEAD,
)

FILLS = {1: "FF4D4F", 2: "FFA940", 3: "FFE58F"}
#: The page's text area in millimetres (A4 less 20 mm margins), portrait.
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 170.0, 240.0
#: Room a picture leaves for the chart's title above it.
TITLE_MM = 25.0
BODY_FONT, HEADING_FONT = "宋体", "黑体"


def picture_room(landscape: bool, first: bool) -> tuple[float, float]:
    """Width and height in mm a diagram's page may take in the document: the text
    area of its section, less the chart's title on the chart's first page."""
    width, height = (TEXT_HEIGHT_MM + 27, TEXT_WIDTH_MM - 20) if landscape else \
        (TEXT_WIDTH_MM, TEXT_HEIGHT_MM)
    return width, height - (TITLE_MM if first else 0)


def available() -> bool:
    """Whether python-docx, and Pillow for the pictures, are installed (``pip install
    'flowgraph[docx]'``)."""
    import importlib.util
    return all(importlib.util.find_spec(name) is not None for name in ("docx", "PIL"))


def write_docx(pack: Pack, pictures: list[list[Picture]], lang: str, date: str) -> bytes:
    """The pack as the bytes of a .docx file."""
    from docx import Document
    document = Document()
    _setup(document, lang, date)
    writer = _Writer(document, lang)
    writer.cover(pack, date)
    writer.contents()
    writer.summary(pack)
    writer.problems(pack)
    for unit in pack.units:
        writer.unit(unit)
        for entry in unit.charts:
            writer.chart(pack, entry, pictures[entry.number - 1], date)
    writer.appendix(pack)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), _stamp(date))


def _stamp(date: str) -> datetime:
    """The report's date as the document's time, midnight."""
    try:
        return datetime.strptime(date, "%Y-%m-%d")
    except ValueError:
        return datetime(2000, 1, 1)


def _setup(document, lang: str, date: str) -> None:
    """A4 portrait with 20 mm margins, fonts that show Chinese, the properties fixed,
    a page number in the footer."""
    from docx.shared import Mm, Pt
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    styles = document.styles
    _font(styles["Normal"], BODY_FONT, Pt(10.5))
    for level, size in ((1, 16), (2, 13), (3, 11)):
        _font(styles[f"Heading {level}"], HEADING_FONT, Pt(size))
    _font(styles["Title"], HEADING_FONT, Pt(24))
    properties = document.core_properties
    properties.title = REPORT_TITLE(lang)
    properties.author = properties.last_modified_by = "flowgraph"
    properties.created = properties.modified = _stamp(date)
    properties.revision = 1
    properties.language = Text("zh-CN", "en")(lang)
    _update_fields_on_open(document)
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centred
    before, after = Text("第 ", "Page ")(lang), Text(" 页", "")(lang)
    footer.add_run(before)
    _field(footer, "PAGE", "1")
    footer.add_run(after)


def _update_fields_on_open(document) -> None:
    """Ask Word to fill the fields (the contents, page numbers) when it opens the file:
    python-docx cannot lay out pages to number them itself."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings = document.settings.element
    later = next((child for child in settings if child.tag.split("}")[-1] in _AFTER_UPDATE),
                 None)
    if later is None:
        settings.append(update)
    else:
        later.addprevious(update)


#: The settings that follow ``w:updateFields`` in the schema's order, which Word keeps.
_AFTER_UPDATE = frozenset((
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator"))


def _font(style, east_asian: str, size) -> None:
    """A style's size and its fonts, East Asian text included (Word reads the
    ``eastAsia`` font for Chinese, not the Latin one)."""
    from docx.oxml.ns import qn
    style.font.size = size
    style.font.color.rgb = None
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _field(paragraph, code: str, shown: str) -> None:
    """A Word field (PAGE, TOC …) in a paragraph, with the text shown until Word
    updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, shown),
                       ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
            run._r.append(element)
        else:
            element = OxmlElement("w:t")
            element.text = text
            run._r.append(element)


class _Writer:
    """Adds the parts of the pack to a document, in one language."""

    def __init__(self, document, lang: str):
        self.document = document
        self.lang = lang

    def t(self, text: Text) -> str:
        return text(self.lang)

    # -- blocks ------------------------------------------------------------------------

    def heading(self, text: str, level: int, new_page: bool = False) -> None:
        paragraph = self.document.add_heading(text, level)
        paragraph.paragraph_format.page_break_before = new_page

    def paragraph(self, text: str, style: str | None = None, bold: bool = False,
                  grade: int | None = None) -> None:
        """A paragraph, its grade first as a coloured mark when given."""
        paragraph = self.document.add_paragraph(style=style)
        if grade:
            mark = paragraph.add_run(GRADE_NAMES[grade](self.lang))
            mark.bold = True
            _shade(mark._r.get_or_add_rPr(), FILLS[grade], "w:shd")
            paragraph.add_run(" ")
        run = paragraph.add_run(text)
        run.bold = bold

    def table(self, head: list[str], rows: list[list], grade_column: int | None = None) -> None:
        """A table in Word's grid style whose header row repeats on every page; the
        grade column's cells filled by grade."""
        if not rows:
            self.paragraph(self.t(Text("无", "None")))
            return
        table = self.document.add_table(rows=1 + len(rows), cols=len(head))
        table.style = "Table Grid"
        table.autofit = False
        _repeat_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, head, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row, values in zip(table.rows[1:], rows, strict=True):
            for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                grade, text = value if isinstance(value, tuple) else (None, value)
                cell.text = "" if text is None else str(text)
                if column == grade_column and grade:
                    _shade(cell._tc.get_or_add_tcPr(), FILLS[grade], "w:shd")
        for column, width in zip(table.columns, _widths(head, rows, self.width), strict=True):
            for cell in column.cells:
                cell.width = width
        self.document.add_paragraph()

    @property
    def width(self) -> float:
        """The width of the current section's text, in millimetres."""
        section = self.document.sections[-1]
        return (section.page_width - section.left_margin - section.right_margin) / 36000

    def landscape(self, wide: bool) -> None:
        """Start a new section, landscape or portrait."""
        from docx.enum.section import WD_ORIENT, WD_SECTION
        from docx.shared import Mm
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (Mm(297), Mm(210)) if wide else \
            (Mm(210), Mm(297))

    # -- parts -------------------------------------------------------------------------

    def cover(self, pack: Pack, date: str) -> None:
        self.document.add_paragraph(self.t(REPORT_TITLE), style="Title")
        names = self.t(Text("、", ", ")).join(unit.name for unit in pack.units)
        self.paragraph(self.t(Text(f"单位 {len(pack.units)} 个，流程图 {len(pack.charts)} 个：",
                                   f"{len(pack.units)} unit(s), {len(pack.charts)} "
                                   f"flowchart(s): ")) + names)
        self.paragraph(date)

    def contents(self) -> None:
        self.heading(self.t(Text("目录", "Contents")), 1, new_page=True)
        _field(self.document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u',
               self.t(Text("（在 Word 中右键此处选择“更新域”以生成目录）",
                           "(right-click here and choose Update Field to build the contents)")))

    def summary(self, pack: Pack) -> None:
        self.heading(self.t(Text("总体情况", "Figures")), 1, new_page=True)
        self.table([self.t(Text("项目", "Figure")), self.t(Text("数量", "Count"))],
                   [list(row) for row in summary_rows(pack, self.lang)])
        self.heading(self.t(Text("各单位情况", "Units")), 2)
        self.table([self.t(h) for h in UNIT_HEAD],
                   [[unit.name, *unit_cells(unit)] for unit in pack.units])
        self.heading(self.t(KEY_POSTS), 2)
        self.key_posts(pack.key_posts(), with_unit=True)

    def key_posts(self, posts, with_unit: bool) -> None:
        head = [self.t(h) for h in (KEY_POST_HEAD if with_unit else KEY_POST_HEAD[1:])]
        rows = [([p.unit] if with_unit else [])
                + [p.name, (p.grade, grade_name(p.grade, self.lang)),
                   p.responsible(self.lang) if p.responsible else "",
                   self.t(Text("；", "; ")).join(r(self.lang) for r in p.key_post_reasons)]
                for p in posts]
        self.table(head, rows, grade_column=2 if with_unit else 1)

    def problem_list(self, problems: list[Problem]) -> None:
        if not problems:
            self.paragraph(self.t(NO_PROBLEMS))
        for problem in problems:
            self.paragraph(problem.statement(self.lang), "List Number", bold=True,
                           grade=problem.grade)
            risk = problem.risk_text(self.lang)
            if risk:
                self.paragraph(risk)
            for path in problem.paths():
                self.paragraph(self.t(Text("经过的环节：", "Steps on the way: ")) + path(self.lang))
            self.paragraph(self.t(Text("规则：", "Rules: ")) + problem.codes())

    def quality(self, faults) -> None:
        if not faults:
            self.paragraph(self.t(NO_FAULTS))
        for fault in faults:
            self.paragraph(fault.sentence(self.lang), "List Bullet")

    def problems(self, pack: Pack) -> None:
        self.heading(self.t(Text("主要问题", "Main problems")), 1, new_page=True)
        total = len(pack.problems)
        shown = pack.main_problems()
        self.paragraph(self.t(Text(
            f"共发现廉政风险问题 {total} 个，按风险等级和涉及的资金、人事、当事人权益排序；"
            f"以下是前 {len(shown)} 个，其余见各单位一节。",
            f"{total} integrity problem(s), ranked by grade and by the money, "
            f"appointments and rights at stake; the first {len(shown)} follow, the rest "
            f"are under their units.")))
        self.problem_list(shown)
        self.heading(self.t(Text("流程图质量问题", "Flowchart quality")), 2)
        self.quality(pack.quality[:MAIN_QUALITY])

    def unit(self, unit: UnitEntry) -> None:
        self.heading(unit.name, 1, new_page=True)
        self.paragraph(unit.summary()(self.lang))
        self.heading(self.t(Text("主要问题", "Main problems")), 2)
        self.problem_list(unit.problems)
        self.heading(self.t(Text("关键岗位", "Key posts")), 2)
        self.key_posts(unit.key_posts, with_unit=False)
        self.heading(self.t(Text("风险岗位（按等级）", "Risk posts by grade")), 2)
        yes = self.t(Text("是", "yes"))
        self.table([self.t(h) for h in POST_HEAD],
                   [[p.name, (p.grade, grade_name(p.grade, self.lang)),
                     p.responsible(self.lang) if p.responsible else "", len(p.flowcharts),
                     p.risk_points, yes if p.is_key_post else ""] for p in unit.risk_posts()],
                   grade_column=1)
        self.heading(self.t(Text("流程图", "Flowcharts")), 2)
        self.table([self.t(h) for h in CHART_HEAD], [_chart_row(e, self.lang)
                                                     for e in unit.charts], grade_column=2)
        self.heading(self.t(Text("流程图质量问题", "Flowchart quality")), 2)
        self.quality(unit.quality)
        self.heading(self.t(Text("外单位机构（不计入风险岗位）",
                                 "Bodies outside the unit (not counted)")), 2)
        self.table([self.t(h) for h in BODY_HEAD],
                   [[b.name, b.reason(self.lang), len(b.flowcharts)] for b in unit.bodies])

    def chart(self, pack: Pack, entry: ChartEntry, pictures: list[Picture], date: str) -> None:
        """A chart from a new page: its title, its diagram's pages as pictures (each
        landscape page in a landscape section), its problems and risk points."""
        fc = entry.chart.flowchart
        wide = any(picture.landscape for picture in pictures)
        if wide:
            self.landscape(True)
        self.heading(fc.title, 2, new_page=not wide)
        self.paragraph(" · ".join(x for x in (fc.unit, fc.category, entry.path, date) if x))
        for number, picture in enumerate(pictures):
            self.picture(picture, first=number == 0)
        if wide:
            self.landscape(False)
        self.heading(self.t(Text("问题", "Problems")), 3)
        self.problem_list(entry.problems)
        if entry.quality:
            self.heading(self.t(Text("流程图质量问题", "Flowchart quality")), 3)
            for rule, count in _fault_counts(entry.quality.findings).items():
                self.paragraph(fault_words(rule, count)(self.lang), "List Bullet")
        self.heading(self.t(Text("风险点", "Risk points")), 3)
        self.table([self.t(h) for h in POINT_HEAD], _point_rows(pack, entry, self.lang),
                   grade_column=2)

    def picture(self, picture: Picture, first: bool) -> None:
        """One page of a diagram, as large as its page allows and never enlarged."""
        from docx.shared import Mm
        width, height = picture_room(picture.landscape, first)
        natural_w, natural_h = picture.width * 25.4 / 72, picture.height * 25.4 / 72
        scale = min(1.0, width / natural_w, height / natural_h)
        paragraph = self.document.add_paragraph()
        paragraph.alignment = 1
        paragraph.paragraph_format.page_break_before = not first
        paragraph.add_run().add_picture(io.BytesIO(picture.png or b""),
                                        width=Mm(natural_w * scale),
                                        height=Mm(natural_h * scale))

    def appendix(self, pack: Pack) -> None:
        self.landscape(True)
        table = ledger_table(pack.review, self.lang)
        self.heading(self.t(Text("附录：风险点台账", "Appendix: the risk ledger")), 1)
        note = appendix_note(table)
        if note:
            self.paragraph(note(self.lang))
            self.table(table.head, [[(grade, cell) if i == GRADE_COLUMN else cell
                                 for i, cell in enumerate(cells)]
                                for cells, grade in zip(table.rows, table.grades, strict=True)],
                   grade_column=GRADE_COLUMN)


def _chart_row(entry: ChartEntry, lang: str) -> list:
    fc = entry.chart.flowchart
    counts = entry.counts()
    worst = entry.worst()
    faults = len(entry.quality.findings) if entry.quality else 0
    return [fc.title, fc.category or "", (worst, grade_name(worst, lang)),
            *counts.values(), len(entry.problems), faults]


def _point_rows(pack: Pack, entry: ChartEntry, lang: str) -> list[list]:
    """A chart's risk points as the rows of :data:`~.sections.POINT_HEAD`."""
    return [[point.label, point.post or "", (point.grade, grade_name(point.grade, lang)),
             grade_name(point.declared, lang), point.reasons_text(lang),
             point.leader(lang) if point.leader else ""]
            for point in pack.risk_points(entry)]


def _fault_counts(findings) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    return counts


def _display(text) -> int:
    """How wide a text is, in columns: a Chinese character takes two."""
    value = text[1] if isinstance(text, tuple) else text
    return max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
                for line in str("" if value is None else value).split("\n")), default=0)


def _widths(head: list[str], rows: list[list], total_mm: float) -> list:
    """Column widths sharing the text's width by how much each column holds (its
    widest cell, at least its heading's longest word, at most 60 columns): Word keeps
    widths it is given, and LibreOffice would make every column alike."""
    from docx.shared import Mm
    wanted = [min(60, max([_display(name) // 2 + 4] + [_display(row[i]) for row in rows]))
              for i, name in enumerate(head)]
    whole = sum(wanted)
    return [Mm(total_mm * share / whole) for share in wanted]


def _repeat_header(row) -> None:
    """Mark a table's first row as its header, repeated at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _shade(properties, fill: str, tag: str) -> None:
    """Fill a cell or a run with a colour."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    shading = OxmlElement(tag)
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """The same archive with every member's time stamp set to ``when``: python-docx
    stamps each member with the time of saving."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
