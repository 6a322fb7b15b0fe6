"""What the committee pack holds, as plain data: the report folder, the PDF and the Word
document are three views of one :class:`Pack` (design.md §8).

The order is the order a leadership group reads in: the main problems first (ranked,
:mod:`.problems`), then the figures as the city reports them, then unit by unit (its
key posts, its risk posts by grade, its charts, its problems), then chart by chart,
and the list of files last. Units are numbered in the order of the statistics (by name),
charts in batch order; pages and anchors are named by those numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..grading.posts import OutsideBody, Post, unit_key
from ..i18n import Text
from ..model import reasons_text
from ..results import ChartResult, FileResult, Review
from ..vocabulary import GRADE_NAMES, GRADES
from .problems import Problem, Quality, problems, quality
from .stats import statistics

#: Problems the index, the PDF and the Word document open with; the rest are on the
#: pages of their units.
MAIN_PROBLEMS = 20
#: Charts of a batch with drawing faults named after the main problems.
MAIN_QUALITY = 10
KEY_POSTS = Text("关键岗位（权力集中的岗位）", "Key posts (concentrated power)")
REPORT_TITLE = Text("权力运行流程图廉政风险审查报告",
                    "Integrity-risk review of power-operation flowcharts")


@dataclass(frozen=True)
class RiskPoint:
    """A row of a chart's table of risk points: a step graded a risk point or given a
    grade by its unit, with its post, both grades, the reasons and the leader."""

    step: str
    label: str
    post: str | None
    grade: int | None
    declared: int | None
    reasons: tuple[Text, ...]
    leader: Text | None

    def reasons_text(self, lang: str) -> str:
        """The reasons in running text, as the grade's: ``较大裁量权 +3；涉及金额
        ¥5,000,000 +2`` / ``high discretion +3; ¥5,000,000 at stake +2``."""
        return reasons_text(self.reasons, lang)


@dataclass
class ChartEntry:
    """One flowchart in the pack: where it came from, its unit, its problems."""

    number: int
    path: str
    chart: ChartResult
    unit: int
    problems: list[Problem] = field(default_factory=list)
    quality: Quality | None = None

    @property
    def title(self) -> str:
        return self.chart.flowchart.title

    def counts(self) -> dict[int, int]:
        """Risk points by suggested grade."""
        counts = dict.fromkeys(GRADES, 0)
        for graded in self.chart.grades.values():
            if graded.grade is not None:
                counts[graded.grade] += 1
        return counts

    def worst(self) -> int | None:
        """The highest grade of its risk points (1 is the highest)."""
        grades = [g.grade for g in self.chart.grades.values() if g.grade is not None]
        return min(grades) if grades else None


@dataclass
class UnitEntry:
    """One unit: its figures (a record of the statistics' ``by_unit``), charts, posts,
    the bodies outside it, and its problems."""

    number: int
    name: str
    figures: dict
    charts: list[ChartEntry] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    bodies: list[OutsideBody] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    quality: list[Quality] = field(default_factory=list)

    @property
    def key_posts(self) -> list[Post]:
        return [post for post in self.posts if post.is_key_post]

    def summary(self) -> Text:
        """Its counts in one line: charts, risk posts by grade, key posts, problems."""
        figures = self.figures
        posts = {lang: Text("、", ", ")(lang).join(
            f"{GRADE_NAMES[g](lang)} {figures['risk_posts'][str(g)]}" for g in GRADES)
            for lang in ("zh", "en")}
        return Text(
            f"流程图 {figures['flowcharts']} 个；风险岗位 {posts['zh']}；关键岗位 "
            f"{figures['key_posts']} 个；廉政风险问题 {len(self.problems)} 个；流程图质量问题 "
            f"{len(self.quality)} 个",
            f"{figures['flowcharts']} flowchart(s); risk posts {posts['en']}; "
            f"{figures['key_posts']} key post(s); {len(self.problems)} integrity problem(s); "
            f"{len(self.quality)} chart(s) with drawing faults")

    def risk_posts(self) -> list[Post]:
        """The unit's posts that hold a risk point, highest grade first."""
        return sorted((p for p in self.posts if p.grade is not None),
                      key=lambda p: (p.grade, p.name))


@dataclass
class Pack:
    """A reviewed batch arranged for the committee."""

    review: Review
    figures: dict
    problems: list[Problem]
    quality: list[Quality]
    units: list[UnitEntry]
    charts: list[ChartEntry]

    @classmethod
    def of(cls, review: Review, lang: str) -> Pack:
        figures = statistics(review, lang)
        units = {record["unit"]: UnitEntry(number, record["unit"], record)
                 for number, record in enumerate(figures["by_unit"], 1)}
        charts = [ChartEntry(number, path, chart, units[unit_key(chart.flowchart)].number)
                  for number, (path, chart) in enumerate(review.charts(), 1)]
        ranked, faults = problems(review), quality(review)
        by_number = {entry.number: entry for entry in charts}
        for problem in ranked:
            by_number[problem.number].problems.append(problem)
        for fault in faults:
            by_number[fault.number].quality = fault
        ordered = list(units.values())
        for entry in charts:
            unit = ordered[entry.unit - 1]
            unit.charts.append(entry)
            unit.problems += entry.problems
            unit.quality += [entry.quality] if entry.quality else []
        for unit in ordered:
            unit.problems.sort(key=Problem.key)
        for post in review.posts:
            if post.unit in units:
                units[post.unit].posts.append(post)
        for body in review.bodies:
            if body.unit in units:
                units[body.unit].bodies.append(body)
        return cls(review, figures, ranked, faults, ordered, charts)

    @property
    def unreadable(self) -> list[FileResult]:
        return [result for result in self.review.results if result.error is not None]

    @property
    def empty(self) -> list[FileResult]:
        """Files read whole that hold no flowchart (no step on any page or process):
        their warnings say why they are not in the report."""
        return [result for result in self.review.results
                if result.error is None and not result.charts]

    def main_problems(self) -> list[Problem]:
        return self.problems[:MAIN_PROBLEMS]

    def risk_points(self, entry: ChartEntry) -> list[RiskPoint]:
        """The chart's risk points and the steps its unit graded, in the chart's
        order, as the report's page, the PDF and the Word document list them."""
        chart, review = entry.chart, self.review
        points = []
        for step_id, graded in chart.grades.items():
            step = chart.flowchart.steps[step_id]
            if graded.grade is None and step.declared_grade is None:
                continue
            points.append(RiskPoint(step_id, step.label, review.post_of(chart, step_id),
                                    graded.grade, step.declared_grade,
                                    tuple(graded.reasons),
                                    review.responsible_for(chart, step_id)))
        return points

    def key_posts(self) -> list[Post]:
        return [post for unit in self.units for post in unit.key_posts]


def _share(count: int, total: int) -> str:
    return f"{count}（{100 * count / total:.1f}%）" if total else str(count)


def summary_rows(pack: Pack, lang: str) -> list[tuple[str, str]]:
    """The figures as the city reports them, as (figure, value) rows: units, power
    items by class, flowcharts, risk posts and risk points by grade with their shares,
    key posts, bodies outside the units, and the problems found (no rule codes)."""
    figures = pack.figures
    rows = [(Text("单位", "Units")(lang), str(figures["units"])),
            (Text("权力事项", "Power items")(lang), str(figures["power_items"]))]
    rows += [(f"　{name}", str(count)) for name, count in figures["power_classes"].items()]
    rows.append((Text("流程图", "Flowcharts")(lang), str(figures["flowcharts"])))
    if figures["unreadable"]:
        rows.append((Text("无法读取的文件", "Files that could not be read")(lang),
                     str(figures["unreadable"])))
    for key, name in ((("risk_posts", Text("风险岗位", "Risk posts")),
                       ("risk_points", Text("风险点", "Risk points")))):
        total = sum(figures[key].values())
        rows.append((name(lang), str(total)))
        rows += [(f"　{GRADE_NAMES[g](lang)}", _share(figures[key][str(g)], total))
                 for g in GRADES]
    rows += [(Text("关键岗位", "Key posts")(lang), str(figures["key_posts"])),
             (Text("外单位机构（不计入风险岗位）", "Bodies outside the units (not counted)")(lang),
              str(figures["outside_bodies"])),
             (Text("廉政风险问题", "Integrity problems")(lang), str(len(pack.problems))),
             (Text("有质量问题的流程图", "Flowcharts with drawing faults")(lang),
              str(len(pack.quality))),
             (Text("已豁免的问题", "Findings waived")(lang), str(figures["waived"]))]
    return rows


UNIT_HEAD = (Text("单位", "Unit"), Text("流程图", "Flowcharts"),
             Text("风险岗位 一级", "Risk posts grade 1"), Text("二级", "grade 2"),
             Text("三级", "grade 3"), Text("关键岗位", "Key posts"),
             Text("廉政风险问题", "Integrity problems"),
             Text("流程图质量问题", "Drawing faults"))


def unit_cells(unit: UnitEntry) -> list[int]:
    """A unit's row of the per-unit table after its name, as :data:`UNIT_HEAD`."""
    figures = unit.figures
    return [figures["flowcharts"], *(figures["risk_posts"][str(g)] for g in GRADES),
            figures["key_posts"], len(unit.problems), len(unit.quality)]


#: Risk points above which the appendix of the PDF and the Word document lists only
#: grades 1 and 2 (the leaders' own), the rest staying in the workbook: a city's 9,000
#: rows are 700 landscape pages that repeat the charts' own tables.
APPENDIX_ROWS = 1000
#: The ledger's columns the appendix prints (:data:`~flowgraph.vocabulary.LEDGER_COLUMNS`):
#: what a committee checks of each risk point, on a landscape page at 8 pt.
APPENDIX_COLUMNS = ("unit", "power_item", "label", "post", "grade", "risk",
                    "measures_in_place", "suggested_measures", "leader")
#: Where the grade is, for its colour.
GRADE_COLUMN = APPENDIX_COLUMNS.index("grade")


@dataclass
class LedgerTable:
    """The ledger as the appendix prints it: headings, rows of cells (with each row's
    grade, for its colour) and how many grade-3 rows were left to the workbook."""

    head: list[str]
    rows: list[list[str]]
    grades: list[int | None]
    left_out: int


def ledger_table(review: Review, lang: str) -> LedgerTable:
    """The appendix's ledger: the ledger's own rows (:func:`.ledger.rows`) in the
    columns of :data:`APPENDIX_COLUMNS`; over :data:`APPENDIX_ROWS` rows, those of
    grades 1 and 2."""
    from .ledger import cells, headings, rows
    ledger = rows(review, lang)
    kept = ledger if len(ledger) <= APPENDIX_ROWS else \
        [row for row in ledger if row.grade in (1, 2)]
    return LedgerTable(headings(APPENDIX_COLUMNS, lang),
                       [["" if cell is None else str(cell)
                         for cell in cells(row, APPENDIX_COLUMNS, lang)] for row in kept],
                       [row.grade for row in kept], len(ledger) - len(kept))


def appendix_note(table: LedgerTable) -> Text | None:
    """What the appendix leaves to the workbook, if anything."""
    if not table.left_out:
        return None
    return Text(f"本附录列出一级、二级风险点 {len(table.rows)} 个；其余 {table.left_out} 个"
                f"三级风险点见各流程图的风险点表和台账文件 ledger.xlsx。",
                f"This appendix lists the {len(table.rows)} risk points of grades 1 and 2; "
                f"the other {table.left_out} (grade 3) are in each chart's table of risk "
                f"points and in the workbook ledger.xlsx.")
