"""Workbooks for units: flowcharts written as the tables flowgraph reads, and the
template a unit fills in.

:func:`write` gives the workbook ``flowgraph convert chart.yaml -o chart.xlsx`` writes:
the three sheets of design.md §4 (``流程``, ``岗位``, ``事项``; ``steps``, ``actors``,
``flowcharts`` in English), headed in the language asked for, with the values units
write (``决定``, ``较大``, ``副职``, ``一级``, ``是``: :data:`~.words.CHOICE_WORDS`), drop-down
lists for the columns with a closed set of values, and every attribute of the model,
the unit's notes included: :func:`~.tables.read_workbook` reads it back to the same
flowcharts (their edges in the order of their steps).

:func:`template` gives the workbook ``flowgraph template`` writes for a unit to fill:
the same sheets after an instructions sheet (填写说明: what each column means and the
words it accepts, in plain Chinese), with one worked example, a short licensing
procedure (:data:`EXAMPLE`).

Every text goes through :func:`~flowgraph.files.cell_text` (a formula is shown, never
run; the reader takes the quote away again) and the bytes are the same for the same
flowcharts. openpyxl is imported only when a workbook is written.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable

from ..files import cell_text, display_width, workbook_bytes
from ..i18n import Text
from ..model import DISCRETION_LEVELS, DUTIES, RANKS, STEP_KINDS, Actor, Flowchart, Step
from .builder import ends_text, items_text
from .tables import COLUMNS
from .words import CHOICE_WORDS, chosen_words, other_words

#: The sheets written, by table.
SHEET_NAMES = {"steps": Text("流程", "steps"), "actors": Text("岗位", "actors"),
               "flowcharts": Text("事项", "flowcharts")}
#: The heading written for each column of each table; the tables reader knows each
#: as that column (tests/test_workbook.py).
HEADINGS = {
    "steps": {
        "flowchart": Text("流程图编号", "flowchart"), "step": Text("步骤编号", "step"),
        "label": Text("环节名称", "label"), "kind": Text("环节类型", "kind"),
        "actor": Text("岗位", "actor"), "next": Text("下一步", "next"),
        "discretion": Text("裁量权", "discretion"), "money": Text("涉及金额", "money"),
        "people": Text("涉及人事", "people"), "rights": Text("涉及权益", "rights"),
        "controls": Text("防控措施", "controls"), "duty": Text("职责", "duty"),
        "declared_grade": Text("风险等级", "declared_grade"),
        "watched_by": Text("监督环节", "watched_by"),
        "time_limit": Text("办理时限", "time_limit"), "basis": Text("依据", "basis"),
        "waive": Text("豁免", "waive"),
        "risk_description": Text("风险点表现形式", "risk_description"),
        "risk_category": Text("风险类别", "risk_category"),
        "measures": Text("现有防控措施", "measures"),
        "responsible_direct": Text("直接责任人", "responsible_direct"),
        "responsible_department": Text("部门责任人", "responsible_department"),
        "responsible_leader": Text("责任领导", "responsible_leader"),
        "rectification": Text("整改情况", "rectification"),
    },
    "actors": {
        "flowchart": Text("流程图编号", "flowchart"), "actor": Text("岗位编号", "actor"),
        "name": Text("岗位名称", "name"), "rank": Text("级别", "rank"),
        "reports_to": Text("上级", "reports_to"), "collective": Text("集体人数", "collective"),
        "oversight": Text("监督机构", "oversight"), "public": Text("公众", "public"),
        "outside": Text("外单位", "outside"),
    },
    "flowcharts": {
        "flowchart": Text("流程图编号", "flowchart"), "title": Text("事项名称", "title"),
        "unit": Text("单位", "unit"), "category": Text("类别", "category"),
        "basis": Text("依据", "basis"),
        "superior_in_charge": Text("上级分管领导", "superior_in_charge"),
    },
}
YES = Text("是", "yes")
NO = Text("否", "no")
GRADE_WORDS = {1: "一级", 2: "二级", 3: "三级"}
#: Columns with a closed set of values: their drop-down lists, by table and column.
CLOSED = {
    ("steps", "kind"): ("kind", STEP_KINDS), ("steps", "discretion"): ("discretion",
                                                                      DISCRETION_LEVELS),
    ("steps", "duty"): ("duty", DUTIES), ("steps", "declared_grade"): ("grade", (1, 2, 3)),
    ("steps", "people"): ("boolean", ()), ("steps", "rights"): ("boolean", ()),
    ("actors", "rank"): ("rank", RANKS), ("actors", "oversight"): ("boolean", ()),
    ("actors", "public"): ("boolean", ()), ("actors", "outside"): ("boolean", ()),
}
#: What marks a step's own column (:attr:`~flowgraph.model.Step.extra`) among a row's
#: cells, before its heading.
EXTRA = "extra:"
#: Rows a drop-down list covers beyond the rows written, for the unit to add.
ROOM = 500
#: Narrowest and widest column, in spreadsheet widths.
MIN_WIDTH, MAX_WIDTH = 8, 40


def word(field: str, value: str, lang: str) -> str:
    """A closed value as the workbook writes it: the unit's Chinese word in Chinese
    (``decision`` → ``决定``, ``none`` → ``无``), the value itself in English."""
    if lang != "zh":
        return value
    return next((w for w, meant in CHOICE_WORDS.get(field, {}).items() if meant == value),
                value)


def choices(field: str, allowed: tuple, lang: str) -> list[str]:
    """The entries of a drop-down list, as :func:`word` writes them."""
    if field == "boolean":
        return [YES(lang), NO(lang)]
    if field == "grade":
        return [GRADE_WORDS[g] if lang == "zh" else str(g) for g in allowed]
    return chosen_words(field, allowed) if lang == "zh" else list(allowed)


def _flag(value: bool | None, lang: str, unsaid_blank: bool = True) -> str | None:
    """A boolean as a cell: 是, or blank for false (否 where false must be said)."""
    if value is None:
        return None
    if value:
        return YES(lang)
    return None if unsaid_blank else NO(lang)


def _waivers_text(waive) -> str | None:
    """Waivers as the tables reader reads them back: ``FG301: 理由; FG2: 理由``, or a
    JSON object when a reason itself names a rule code."""
    if not waive:
        return None
    if any(re.search(r"(?i)FG[0-9]", reason) for reason in waive.values()):
        import json
        return json.dumps(dict(waive), ensure_ascii=False)
    return "; ".join(f"{code}: {reason}" for code, reason in waive.items())


def _money(amount: float | None):
    """An amount as a number cell (a whole number where it is one)."""
    if amount is None:
        return None
    return int(amount) if float(amount).is_integer() else float(amount)


def step_row(chart: Flowchart, step: Step, lang: str, out: list, watchers: list) -> dict:
    """One step as the steps sheet's cells, by column."""
    stakes = step.stakes
    return {
        "flowchart": chart.id, "step": step.id, "label": step.label,
        "kind": word("kind", step.kind, lang), "actor": step.actor,
        "next": ends_text(out, chart.steps) if out else None,
        "discretion": None if step.discretion == "none" else
        word("discretion", step.discretion, lang),
        "money": _money(stakes.money), "people": _flag(stakes.people, lang),
        "rights": _flag(stakes.rights, lang),
        "controls": items_text(step.controls) if step.controls else None,
        "duty": None if step.duty is None else word("duty", step.duty, lang),
        "declared_grade": None if step.declared_grade is None else
        (GRADE_WORDS[step.declared_grade] if lang == "zh" else step.declared_grade),
        "watched_by": ends_text(watchers, chart.steps) if watchers else None,
        "time_limit": step.time_limit, "basis": step.basis,
        "waive": _waivers_text(step.waive), **step.notes,
        **{EXTRA + heading: text for heading, text in step.extra.items()},
    }


def actor_row(chart: Flowchart, actor: Actor, lang: str) -> dict:
    """One actor as the actors sheet's cells, by column."""
    return {
        "flowchart": chart.id, "actor": actor.id, "name": actor.name,
        "rank": None if actor.rank is None else word("rank", actor.rank, lang),
        "reports_to": actor.reports_to, "collective": actor.collective,
        "oversight": _flag(actor.oversight, lang), "public": _flag(actor.public, lang),
        "outside": _flag(actor.outside, lang, unsaid_blank=False),
    }


def chart_row(chart: Flowchart) -> dict:
    """The flowchart's own attributes as the flowcharts sheet's cells, by column."""
    return {"flowchart": chart.id, "title": chart.title, "unit": chart.unit,
            "category": chart.category, "basis": chart.basis,
            "superior_in_charge": chart.superior_in_charge}


def tables(charts: Iterable[Flowchart], lang: str) -> dict[str, list[dict]]:
    """The rows of the three tables for ``charts``: each step with the edges leaving
    it (``next``) and the oversight edges watching it (``watched_by``)."""
    rows: dict[str, list[dict]] = {"steps": [], "actors": [], "flowcharts": []}
    for chart in charts:
        out: dict[str, list] = {}
        watchers: dict[str, list] = {}
        for edge in chart.flows:
            out.setdefault(edge.source, []).append((edge.target, edge.label))
        for edge in chart.oversights:
            watchers.setdefault(edge.target, []).append((edge.source, edge.label))
        rows["flowcharts"].append(chart_row(chart))
        rows["actors"] += [actor_row(chart, actor, lang) for actor in chart.actors.values()]
        rows["steps"] += [step_row(chart, step, lang, out.get(step.id, []),
                                   watchers.get(step.id, []))
                          for step in chart.steps.values()]
    return rows


def _cell(value):
    """A value as a cell: text neutralised against formulas, numbers as they are."""
    return cell_text(value) if isinstance(value, str) else value


#: Points per line of wrapped text at the sheet's font (11 pt, with the line spacing
#: of the CJK fonts), and a row's padding.
LINE_HEIGHT, ROW_PADDING = 16.0, 4.0
#: Largest row height a spreadsheet allows (points).
MAX_ROW_HEIGHT = 409.0

def wrapped_lines(text, width: float) -> int:
    """How many lines a cell's text takes in a column ``width`` wide, wrapped."""
    if text is None or text == "":
        return 1
    text = str(text)
    room = max(width - 1.5, 1)
    if 2 * len(text) <= room and "\n" not in text:
        return 1  # short enough whatever its characters: most cells
    return sum(max(1, math.ceil(display_width(line) / room)) for line in text.split("\n"))


def row_height(values: list, widths: list[float]) -> float:
    """The height (points) of a row of ``values`` in columns ``widths`` wide, wrapped:
    as high as its longest cell (a spreadsheet that opens the file keeps it; LibreOffice
    and Excel do not all fit rows to wrapped text by themselves)."""
    lines = max(wrapped_lines(value, width) for value, width in zip(values, widths,
                                                                    strict=True))
    return min(lines * LINE_HEIGHT + ROW_PADDING, MAX_ROW_HEIGHT)


def printable(sheet, title: str, lang: str, heading_rows: int = 1) -> None:
    """Set a sheet up for paper: A4 landscape, every column on the page's width, as many
    pages down as it takes, its first ``heading_rows`` repeated on each, the title in
    the page header and the page number in the footer (the ledger's sheets, and the
    sheets of the workbooks units fill in)."""
    from openpyxl.worksheet.page import PageMargins
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if heading_rows:
        sheet.print_title_rows = f"1:{heading_rows}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3,
                                     footer=0.3)
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddFooter.center.text = Text("第 &P 页，共 &N 页", "Page &P of &N")(lang)


def _table_sheet(book, table: str, rows: list[dict], lang: str) -> None:
    """A sheet of one table: headings, rows, widths, drop-down lists, frozen heading."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    sheet = book.create_sheet(SHEET_NAMES[table](lang))
    # the steps' own columns (备注 …) after flowgraph's, in the order first met
    extras = dict.fromkeys(column for row in rows for column in row
                           if column.startswith(EXTRA))
    columns = (*COLUMNS[table], *extras)
    headings = {column: HEADINGS[table][column](lang) if column in HEADINGS[table] else
                column.removeprefix(EXTRA) for column in columns}
    heading_fill = PatternFill("solid", fgColor="FFDDEBF7")
    wrap = Alignment(vertical="top", wrap_text=True)
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number, value=_cell(headings[column]))
        cell.font, cell.fill, cell.alignment = Font(bold=True), heading_fill, wrap
    widths = [display_width(headings[column]) for column in columns]
    for row_number, row in enumerate(rows, start=2):
        for number, column in enumerate(columns, start=1):
            value = row.get(column)
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=number, value=_cell(value))
            cell.alignment = wrap
            widths[number - 1] = max(widths[number - 1], display_width(str(value)))
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = \
            min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    last = len(rows) + 1 + ROOM
    for number, column in enumerate(columns, start=1):
        if (table, column) not in CLOSED:
            continue
        field, allowed = CLOSED[(table, column)]
        entries = choices(field, allowed, lang)
        # a warning, not a stop: the reader takes the other words units use too (受理,
        # 审批, 科室负责人 …: io/words.py), which the list cannot all offer
        validation = DataValidation(type="list", formula1='"' + ",".join(entries) + '"',
                                    allow_blank=True, showErrorMessage=True,
                                    errorStyle="warning")
        validation.errorTitle = Text("不是下拉列表中的值", "not one of the choices")(lang)
        validation.error = Text(f"建议从下拉列表中选择：{'、'.join(entries)}；"
                                f"填写说明中列出的同义词也能读取",
                                f"choose from the list: {', '.join(entries)}; the other "
                                f"words the instructions list are read too")(lang)
        letter = get_column_letter(number)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "C2" if table == "steps" else "A2"
    printable(sheet, SHEET_NAMES[table](lang), lang)


def _workbook_bytes(book) -> bytes:
    """The workbook saved, with fixed dates: the same content, the same bytes."""
    book.properties.creator = "flowgraph"
    return workbook_bytes(book)


def write(charts: Iterable[Flowchart], lang: str = "zh") -> bytes:
    """``charts`` as the bytes of a workbook that the tables reader reads back to
    them: the steps, actors and flowcharts sheets, headed in ``lang``."""
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    rows = tables(charts, lang)
    for table in ("steps", "actors", "flowcharts"):
        _table_sheet(book, table, rows[table], lang)
    return _workbook_bytes(book)


# -- the template ----------------------------------------------------------------------

#: The worked example of the template: a short licensing procedure, with one
#: instructive finding (a refusal nobody reviews and nobody sees: FG201).
EXAMPLE = """\
flowgraph: 1
id: 示例-户外广告
title: 户外广告设施设置许可（示例）
unit: 市城市管理局
category: 行政许可
basis: 《城市市容和环境卫生管理条例》第十七条
actors:
  窗口受理员: {name: 窗口受理员, rank: staff, reports_to: 审批科科长}
  审批科科长: {name: 审批科科长, rank: section, reports_to: 分管副局长}
  分管副局长: {name: 分管副局长, rank: deputy, reports_to: 局长}
  局长: {name: 局长, rank: principal}
  派驻纪检监察组: {name: 派驻纪检监察组, oversight: true}
steps:
  申请: {kind: start, label: 申请人提交申请}
  受理: {kind: task, label: 窗口受理, actor: 窗口受理员, discretion: low,
         controls: [一次性告知, 限时办结], time_limit: 1个工作日}
  审查: {kind: review, label: 审查材料并现场核查, actor: 审批科科长, discretion: medium,
         controls: [双人复核], time_limit: 5个工作日}
  决定: {kind: decision, label: 作出许可决定, actor: 分管副局长, discretion: medium,
         stakes: {rights: true}, controls: [裁量基准], time_limit: 3个工作日,
         declared_grade: 3,
         risk_description: 对不符合条件的申请违规许可，对符合条件的申请拖延或不予许可,
         measures: 执行许可裁量基准，许可结果网上公示, responsible_leader: 局长}
  公示: {kind: disclosure, label: 许可结果网上公示, actor: 窗口受理员, time_limit: 7日}
  监督: {kind: oversight, label: 电子监察全程监督, actor: 派驻纪检监察组}
  办结: {kind: end, label: 送达许可证}
  不予许可: {kind: end, label: 出具不予许可决定书}
flow:
  - [申请, 受理]
  - [受理, 审查]
  - [审查, 受理, 退回补正]
  - [审查, 决定]
  - [决定, 公示]
  - [决定, 不予许可, 不符合条件]
  - [公示, 办结]
oversight:
  - [监督, 决定]
  - [监督, 审查]
"""

REQUIRED = {("steps", "flowchart"), ("steps", "step"), ("steps", "kind"),
            ("actors", "actor"), ("flowcharts", "flowchart")}
#: What each column means, for the instructions sheet, by table and column.
HELP = {
    ("steps", "flowchart"): Text("该环节所属事项的编号，与“事项”表的流程图编号一致",
                                 "the id of the flowchart the step belongs to, as in the "
                                 "flowcharts sheet"),
    ("steps", "step"): Text("环节在本事项中的编号，同一事项内不重复；可用简短的中文",
                            "the step's id, unique within its flowchart"),
    ("steps", "label"): Text("环节的名称，如 受理、审查、作出许可决定；不填时用步骤编号",
                             "the step's name (default: its id)"),
    ("steps", "kind"): Text(
        "开始、结束：事项的起止；办理：经办；决定：作出审批、处罚等决定；审核：审查、复核"
        "别人的办理；监督：纪检、审计、电子监察等；公开：公示、公开；分支：只分流、不作决定；"
        "系统：由系统自动完成",
        "start, end; task: handling; decision: deciding (approve, refuse, set an amount); "
        "review: checking another post's work; oversight: inspection, audit, "
        "e-monitoring; disclosure: publishing; gateway: routing only; system: done by "
        "software"),
    ("steps", "actor"): Text("办理该环节的岗位编号（“岗位”表）；开始、结束、分支、系统环节不填",
                             "the id of the post performing the step (actors sheet); "
                             "none for start, end, gateway and system steps"),
    ("steps", "next"): Text("紧接着办理的环节的步骤编号，多个用“；”分隔；流转条件写在括号里，"
                            "如 受理（退回补正）；结束环节不填",
                            "the ids of the steps that follow, separated by ';'; a "
                            "condition in brackets after the id: accept（退回补正）"),
    ("steps", "discretion"): Text("经办人可以自行决定的空间有多大",
                                  "how much the post can decide on its own"),
    ("steps", "money"): Text("该环节决定或经手的金额（元），可写 500000 或 50万",
                             "the amount decided or handled, in yuan (500000 or 50万)"),
    ("steps", "people"): Text("是否决定人事（录用、任免、调配）", "whether it decides on people"),
    ("steps", "rights"): Text("是否直接授予或剥夺当事人的权利（许可、处罚等）",
                              "whether it grants or takes away a party's rights"),
    ("steps", "controls"): Text("已有的防控措施的名称，用“；”分隔；审查据此判断是否已有裁量基准等",
                                "the names of the controls in place, separated by ';' "
                                "(the audit counts these)"),
    ("steps", "duty"): Text("用于检查不相容职务是否分离（可不填）",
                            "the duty, for the incompatible-duties check (optional)"),
    ("steps", "declared_grade"): Text("本单位评定的风险等级", "the grade the unit assigned"),
    ("steps", "watched_by"): Text("监督或公示该环节的环节（类型为监督或公开）的步骤编号，"
                                  "多个用“；”分隔",
                                  "the ids of the oversight or disclosure steps that "
                                  "watch this step, separated by ';'"),
    ("steps", "time_limit"): Text("如 5个工作日", "such as 5 working days"),
    ("steps", "basis"): Text("该环节的法律法规依据；不填时用事项的依据",
                             "the legal basis of the step (default: the flowchart's)"),
    ("steps", "waive"): Text("经批准不作某项检查的理由，如 FG301: 法定即办件，已备案",
                             "an approved exception with its reason: FG301: reason"),
    ("steps", "risk_description"): Text("本单位对该环节廉政风险的描述，台账照录",
                                        "the unit's own description of the risk; the "
                                        "ledger shows it as written"),
    ("steps", "risk_category"): Text("如 岗位职责风险、业务流程风险、制度机制风险、"
                                     "思想道德风险、外部环境风险",
                                     "the unit's kind of risk"),
    ("steps", "measures"): Text("用自己的话写的防控措施，台账照录（审查只认“防控措施”列的名称）",
                                "the unit's measures in its own words, shown in the "
                                "ledger (the audit counts the controls column)"),
    ("steps", "responsible_direct"): Text("本单位确定的直接责任人，台账照录",
                                          "the direct responsible person the unit names"),
    ("steps", "responsible_department"): Text("本单位确定的部门责任人，台账照录",
                                              "the department head the unit names"),
    ("steps", "responsible_leader"): Text("本单位确定的责任领导，台账照录；与按风险等级"
                                          "应负责的领导不同时，台账一并列出",
                                          "the responsible leader the unit names; the "
                                          "ledger also shows the one the grade calls "
                                          "for when they differ"),
    ("steps", "rectification"): Text("整改情况，台账照录", "what has been done; shown in "
                                     "the ledger"),
    ("actors", "flowchart"): Text("岗位只属于某一事项时填写；不填则本工作簿的所有事项共用",
                                  "only for a post of one flowchart; blank: shared by "
                                  "every flowchart of the workbook"),
    ("actors", "actor"): Text("“流程”表“岗位”列引用的编号，可直接用岗位名称",
                              "the id the steps sheet refers to (the title will do)"),
    ("actors", "name"): Text("岗位的正式名称，如 审批科科长；不填时用岗位编号",
                             "the post's title (default: its id)"),
    ("actors", "rank"): Text("科员：一般工作人员；科级：科室负责人；副职：分管领导；"
                             "正职：主要负责人或领导集体",
                             "staff, section head, deputy leader, principal leader"),
    ("actors", "reports_to"): Text("直接上级的岗位编号", "the id of its direct superior"),
    ("actors", "collective"): Text("集体决策机构（如局党组会议）的人数，3人及以上为集体决策",
                                   "the members of a collective body (3 or more)"),
    ("actors", "oversight"): Text("是否独立的监督机构，如派驻纪检监察组",
                                  "whether it is an independent oversight body"),
    ("actors", "public"): Text("是否代表社会公众", "whether it stands for the public"),
    ("actors", "outside"): Text("是否本单位以外的机构（上级机关、评审专家、代理机构等）；"
                                "不填时按名称判断",
                                "whether it is outside the unit (blank: judged by its "
                                "name)"),
    ("flowcharts", "flowchart"): Text("事项（流程图）的编号，“流程”表据此归属",
                                      "the flowchart's id"),
    ("flowcharts", "title"): Text("权力事项的名称", "the power item"),
    ("flowcharts", "unit"): Text("实施主体（本单位名称）", "the unit"),
    ("flowcharts", "category"): Text("行政许可、行政处罚、行政强制、行政征收、行政给付、"
                                     "行政检查、行政确认、行政奖励、行政裁决、其他行政权力，"
                                     "或人事、财务、采购、工程等内部事项",
                                     "the category of power"),
    ("flowcharts", "basis"): Text("实施依据", "the legal basis"),
    ("flowcharts", "superior_in_charge"): Text(
        "上级主管部门分管本单位的领导（主要负责人本人岗位的风险由其负责）",
        "the superior body's leader in charge of the unit"),
}
INTRODUCTION = (
    Text("权力运行流程图和廉政风险点填写模板", "Template: power-operation flowcharts and "
         "their risk points"),
    Text("一、本工作簿用于填写本单位的权力运行流程图。一个工作簿可以填写多个事项。填好后，"
         "用 flowgraph audit 文件名.xlsx 审查，用 flowgraph ledger 文件名.xlsx -o 台账.xlsx "
         "生成廉政风险点台账。",
         "1. Fill in the unit's flowcharts, as many as you like in one workbook; then "
         "`flowgraph audit FILE.xlsx`, and `flowgraph ledger FILE.xlsx -o ledger.xlsx` "
         "for the risk ledger."),
    Text("二、“事项”表每个事项一行；“岗位”表每个岗位一行（岗位编号可直接用岗位名称）；"
         "“流程”表每个环节一行，按办理顺序填写，同一事项各行的流程图编号相同。",
         "2. One row per flowchart in the flowcharts sheet, per post in the actors sheet, "
         "per step in the steps sheet (in the order they are done)."),
    Text("三、带下拉箭头的列请从列表中选择；其余列照实填写，不清楚的可以不填。",
         "3. Choose from the drop-down lists where a column has one; leave blank what "
         "you do not know."),
    Text("四、表中已填好一个示例事项（户外广告设施设置许可），参照填写后可删除。示例中"
         "“作出许可决定”之后，不予许可的结果既无人复核也不公示，审查会指出这一问题：这正是"
         "需要增设复核或公示的地方。",
         "4. The sheets hold a worked example (a licence for outdoor advertising); delete "
         "it when done. Its refusals are neither reviewed nor published, and the audit "
         "says so: that is where a review or disclosure is needed."),
)
HELP_HEADINGS = (Text("工作表", "Sheet"), Text("列名", "Column"), Text("必填", "Required"),
                 Text("填写说明", "What to write"), Text("可填写的值", "Accepted values"))


def _accepted(table: str, column: str, lang: str) -> str:
    """The values a column accepts, as the instructions list them."""
    if (table, column) in CLOSED:
        field, allowed = CLOSED[(table, column)]
        listed = Text("、", ", ")(lang).join(choices(field, allowed, lang))
        others = other_words(field, allowed) if field not in ("boolean", "grade") else []
        if not others:
            return listed
        return f"{listed}" + Text(f"（也可写：{'、'.join(others)}）",
                                  f" (also read: {', '.join(others)})")(lang)
    if column == "controls":
        from ..policy import DEFAULT_CONTROLS, Policy
        policy = Policy()
        return Text("、", ", ")(lang).join(policy.display_name(name)(lang)
                                          for name in DEFAULT_CONTROLS)
    return ""


#: The widths of the instructions sheet's columns: sheet, column, required, what to
#: write, accepted values.
HELP_WIDTHS = (10, 16, 6, 60, 40)


def _instructions(book, lang: str) -> None:
    """The instructions sheet: what the workbook is for, then every column, each row as
    high as its text."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    sheet = book.create_sheet(Text("填写说明", "Instructions")(lang))
    wrap = Alignment(vertical="top", wrap_text=True)
    title, *paragraphs = INTRODUCTION
    sheet.cell(row=1, column=1, value=title(lang)).font = Font(bold=True, size=14)
    row = 2
    for paragraph in paragraphs:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row,
                          end_column=len(HELP_WIDTHS))
        sheet.cell(row=row, column=1, value=paragraph(lang)).alignment = wrap
        sheet.row_dimensions[row].height = row_height([paragraph(lang)], [sum(HELP_WIDTHS)])
        row += 1
    row += 1
    for number, heading in enumerate(HELP_HEADINGS, start=1):
        sheet.cell(row=row, column=number, value=heading(lang)).font = Font(bold=True)
    for table in ("flowcharts", "actors", "steps"):
        for column in COLUMNS[table]:
            row += 1
            values = (SHEET_NAMES[table](lang), HEADINGS[table][column](lang),
                      YES(lang) if (table, column) in REQUIRED else "",
                      HELP[(table, column)](lang), _accepted(table, column, lang))
            for number, value in enumerate(values, start=1):
                sheet.cell(row=row, column=number, value=cell_text(value)).alignment = wrap
            sheet.row_dimensions[row].height = row_height(list(values), list(HELP_WIDTHS))
    for number, width in enumerate(HELP_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    printable(sheet, title(lang), lang, heading_rows=0)


def template(lang: str = "zh") -> bytes:
    """The bytes of the workbook a unit fills in: the instructions, then the steps,
    actors and flowcharts sheets with their drop-down lists and the worked example."""
    from openpyxl import Workbook

    from .yaml_format import loads
    book = Workbook()
    book.remove(book.active)
    _instructions(book, lang)
    rows = tables([loads(EXAMPLE, "example.yaml")], lang)
    for row in rows["actors"]:
        row["flowchart"] = None  # a unit's posts are shared by its flowcharts
    for table in ("steps", "actors", "flowcharts"):
        _table_sheet(book, table, rows[table], lang)
    return _workbook_bytes(book)
