"""Statistics of a batch, in the shape of a city's report on its review.

"67 units, 3,656 power items in 6 categories, 1,102 flowcharts; 423 grade-1, 893
grade-2 and 7,562 grade-3 risk posts": the figures a committee reads first, overall and
unit by unit. How they are counted:

- a **power item** (权力事项) is a flowchart's title within its unit; items are counted
  in the classes of the power list (:mod:`flowgraph.grading.classes`; the six of the
  time by default), and by the category the unit wrote;
- a **risk post** is counted as practice counts it: once in each power item where the
  post holds a risk point, at its highest grade in that item (the city's 8,878 risk
  posts are about eight per flowchart). Two other counts are given beside it: each post
  once in its unit, at its highest grade over the unit (design.md §7), and the risk
  points themselves (steps);
- bodies outside a unit are none of its risk posts; findings are counted by rule,
  waived ones apart;
- with a roster, the programme: the roster's rows, the people counted as holding the
  charts' posts and those posts, the programme findings by rule (rotation due, due
  soon, commitments missing), the risk posts nobody holds, the rows matching no post,
  the repeated rows and the units the roster leaves out.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..grading.posts import unit_key
from ..i18n import Text
from ..results import Review, Summary
from ..rules import BY_CODE
from ..vocabulary import GRADE_NAMES, GRADES, grade_name

UNCATEGORISED = Text("（未分类）", "(no category)")


def _by_grade(grades) -> dict[str, int]:
    counts = dict.fromkeys(GRADES, 0)
    for grade in grades:
        if grade is not None:
            counts[grade] += 1
    return {str(grade): counts[grade] for grade in GRADES}


class _Unit:
    """What the statistics count of one unit."""

    def __init__(self):
        self.flowcharts = 0
        self.items: set[str] = set()
        self.item_posts: list[int] = []
        self.points: list[int] = []
        self.findings = 0


def statistics(review: Review, lang: str) -> dict:
    """The figures of a batch as plain data (the JSON of ``flowgraph stats``)."""
    classes = review.classes
    summary = Summary.of(review.results)
    summary.add_programme(review.programme)
    units: dict[str, _Unit] = {}
    categories: dict[str, int] = {}
    power_classes = dict.fromkeys(classes.names, 0)
    for _, chart in review.charts():
        flowchart = chart.flowchart
        unit = units.setdefault(unit_key(flowchart), _Unit())
        unit.flowcharts += 1
        unit.findings += sum(not f.waived for f in chart.findings)
        if flowchart.title not in unit.items:
            unit.items.add(flowchart.title)
            category = flowchart.category or UNCATEGORISED(lang)
            categories[category] = categories.get(category, 0) + 1
            power_classes[classes.of(flowchart.category)] += 1
        highest: dict[str, int] = {}
        for step_id, graded in chart.grades.items():
            if graded.grade is None:
                continue
            unit.points.append(graded.grade)
            post = review.post_of(chart, step_id) or ""
            highest[post] = min(highest.get(post, graded.grade), graded.grade)
        unit.item_posts += highest.values()
    key_posts: dict[str, int] = {}
    unit_posts: dict[str, list[int]] = {}
    for post in review.posts:
        unit_posts.setdefault(post.unit, []).append(post.grade)
        key_posts[post.unit] = key_posts.get(post.unit, 0) + post.is_key_post
    return {
        "files": summary.files,
        "unreadable": summary.unreadable,
        "units": len(units),
        "power_items": sum(len(unit.items) for unit in units.values()),
        "power_classes": power_classes,
        "categories": dict(sorted(categories.items())),
        "flowcharts": summary.flowcharts,
        "risk_posts": _by_grade(g for unit in units.values() for g in unit.item_posts),
        "risk_posts_by_unit": _by_grade(post.grade for post in review.posts),
        "risk_points": {str(g): summary.grades[g] for g in GRADES},
        "key_posts": sum(post.is_key_post for post in review.posts),
        "outside_bodies": len(review.bodies),
        "findings": summary.by_rule,
        "waived": summary.waived,
        "roster": review.programme.counts() if review.programme is not None else None,
        "by_unit": [{
            "unit": name,
            "flowcharts": unit.flowcharts,
            "power_items": len(unit.items),
            "risk_posts": _by_grade(unit.item_posts),
            "risk_posts_by_unit": _by_grade(unit_posts.get(name, ())),
            "risk_points": _by_grade(unit.points),
            "key_posts": key_posts.get(name, 0),
            "findings": unit.findings,
        } for name, unit in sorted(units.items())],
    }


def figure_rows(figures: dict, lang: str) -> list[tuple[str, int]]:
    """The statistics as (figure, count) rows, as the report's table and the ledger
    workbook's summary sheet show them."""
    rows = [(Text("单位", "Units")(lang), figures["units"]),
            (Text("权力事项", "Power items")(lang), figures["power_items"])]
    rows += [(f"　{name}", count) for name, count in figures["power_classes"].items()]
    rows += [(Text("流程图", "Flowcharts")(lang), figures["flowcharts"]),
             (Text("无法读取的文件", "Files that could not be read")(lang),
              figures["unreadable"])]
    for key, name in COUNTS:
        rows += [(f"{name(lang)} {grade_name(grade, lang)}", figures[key][str(grade)])
                 for grade in GRADES]
    rows.append((Text("关键岗位", "Key posts")(lang), figures["key_posts"]))
    rows.append((Text("外单位（不计入风险岗位）", "Bodies outside the units (not counted)")(lang),
                 figures["outside_bodies"]))
    rows += [(Text(f"问题 {rule}", f"Findings {rule}")(lang), count)
             for rule, count in figures["findings"].items()]
    rows.append((Text("已豁免", "Waived")(lang), figures["waived"]))
    if figures.get("roster") is not None:
        rows += [(name(lang), figures["roster"][key]) for key, name in ROSTER_COUNTS]
        rows += [(f"{BY_CODE[rule].summary(lang)} ({rule})", count)
                 for rule, count in figures["roster"]["by_rule"].items()]
    return rows


#: What the statistics count of a roster, in the order shown.
ROSTER_COUNTS = (
    ("rows", Text("在岗人员名册行数", "Roster rows")),
    ("holders", Text("在岗人员（对应流程图岗位）", "Holders of the charts' posts")),
    ("posts_held", Text("有在岗人员的岗位", "Posts with holders")),
    ("posts_without_holder", Text("名册中无人在岗的风险岗位", "Risk posts no one holds")),
    ("rows_matching_nothing", Text("名册中未对应任何岗位的行", "Roster rows matching no post")),
    ("repeated_rows", Text("名册中重复的行", "Repeated roster rows")),
    ("units_not_in_roster", Text("名册未列入的单位", "Units the roster leaves out")),
)


#: The three counts by grade, the practice's first.
COUNTS = (("risk_posts", Text("风险岗位", "Risk posts")),
          ("risk_posts_by_unit", Text("风险岗位（按单位合并）", "Risk posts (once per unit)")),
          ("risk_points", Text("风险点", "Risk points")))
UNIT_HEAD = (Text("单位", "Unit"), Text("流程图", "Flowcharts"), Text("权力事项", "Power items"),
             Text("风险岗位 一级", "Risk posts grade 1"), Text("二级", "grade 2"),
             Text("三级", "grade 3"), Text("风险点", "Risk points"),
             Text("关键岗位", "Key posts"), Text("问题", "Findings"))


def unit_rows(figures: dict) -> list[list]:
    """One row per unit, in the order of :data:`UNIT_HEAD`."""
    return [[unit["unit"], unit["flowcharts"], unit["power_items"],
             *(unit["risk_posts"][str(g)] for g in GRADES),
             sum(unit["risk_points"].values()), unit["key_posts"], unit["findings"]]
            for unit in figures["by_unit"]]


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "-"


def text_lines(figures: dict, lang: str) -> Iterator[str]:
    """The statistics as lines for the terminal."""
    colon = Text("：", ": ")(lang)
    yield Text(f"单位 {figures['units']} 个，权力事项 {figures['power_items']} 项，"
               f"流程图 {figures['flowcharts']} 个（文件 {figures['files']} 个，"
               f"无法读取 {figures['unreadable']} 个）",
               f"{figures['units']} unit(s), {figures['power_items']} power item(s), "
               f"{figures['flowcharts']} flowchart(s) ({figures['files']} file(s), "
               f"{figures['unreadable']} could not be read)")(lang)
    yield Text("权力事项分类：", "Power items by class:")(lang)
    for name, count in figures["power_classes"].items():
        yield f"  {name}{colon}{count}"
    for key, name in COUNTS:
        counts = figures[key]
        total = sum(counts.values())
        parts = [Text(f"{GRADE_NAMES[grade].zh} {counts[str(grade)]}"
                      f"（{_share(counts[str(grade)], total)}）",
                      f"{GRADE_NAMES[grade].en} {counts[str(grade)]} "
                      f"({_share(counts[str(grade)], total)})")(lang) for grade in GRADES]
        yield Text(f"{name.zh} {total} 个：", f"{name.en}: {total}: ")(lang) \
            + Text("，", ", ")(lang).join(parts)
    yield Text(f"关键岗位（权力集中）：{figures['key_posts']} 个",
               f"Key posts (concentrated power): {figures['key_posts']}")(lang)
    yield Text(f"外单位（不计入风险岗位）：{figures['outside_bodies']} 个",
               f"Bodies outside the units (not counted): {figures['outside_bodies']}")(lang)
    yield Text("问题（按规则）：", "Findings by rule:")(lang)
    for rule, count in figures["findings"].items():
        yield f"  {rule}{colon}{count}"
    yield Text(f"已豁免：{figures['waived']} 个", f"Waived: {figures['waived']}")(lang)
    roster = figures.get("roster")
    if roster is not None:
        yield Text("在岗人员（名册）：", "Holders (roster):")(lang)
        for key, name in ROSTER_COUNTS:
            yield f"  {name(lang)}{colon}{roster[key]}"
        for rule, count in roster["by_rule"].items():
            yield Text(f"  {BY_CODE[rule].summary(lang)}（{rule}）：{count}",
                       f"  {BY_CODE[rule].summary(lang)} ({rule}): {count}")(lang)
    yield Text("各单位：", "By unit:")(lang)
    for row in unit_rows(figures):
        yield Text(f"  {row[0]}：流程图 {row[1]}，风险岗位 一级 {row[3]} 二级 {row[4]} "
                   f"三级 {row[5]}，关键岗位 {row[7]}，问题 {row[8]}",
                   f"  {row[0]}: {row[1]} flowchart(s), risk posts {row[3]}/{row[4]}/"
                   f"{row[5]}, {row[7]} key post(s), {row[8]} finding(s)")(lang)
