"""Statistics of a batch, in the shape of a city's report on its review.

"67 units, 3,656 power items in 6 categories, 1,102 flowcharts; 423 grade-1, 893
grade-2 and 7,562 grade-3 risk posts": the figures a committee reads first. A power item
(权力事项) is a flowchart's title within its unit; a risk post is a post with a grade;
a risk point is a step with a grade; findings are counted by rule, waived ones apart.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..grading.posts import unit_key
from ..i18n import Text
from ..results import Review, Summary
from ..vocabulary import GRADE_NAMES, GRADES, grade_name

UNCATEGORISED = Text("(未分类)", "(no category)")


def statistics(review: Review, lang: str) -> dict:
    """The figures of a batch as plain data (the JSON of ``flowgraph stats``)."""
    summary = Summary.of(review.results)
    units, items, categories = set(), set(), {}
    for _, chart in review.charts():
        flowchart = chart.flowchart
        unit = unit_key(flowchart)
        units.add(unit)
        item = (unit, flowchart.title)
        if item not in items:
            items.add(item)
            category = flowchart.category or UNCATEGORISED(lang)
            categories[category] = categories.get(category, 0) + 1
    posts_by_grade = dict.fromkeys(GRADES, 0)
    for post in review.posts:
        if post.grade is not None:
            posts_by_grade[post.grade] += 1
    return {
        "files": summary.files,
        "unreadable": summary.unreadable,
        "units": len(units),
        "power_items": len(items),
        "categories": dict(sorted(categories.items())),
        "flowcharts": summary.flowcharts,
        "risk_posts": {str(g): posts_by_grade[g] for g in GRADES},
        "risk_points": {str(g): summary.grades[g] for g in GRADES},
        "key_posts": sum(post.is_key_post for post in review.posts),
        "findings": summary.by_rule,
        "waived": summary.waived,
    }


def figure_rows(figures: dict, lang: str) -> list[tuple[str, int]]:
    """The statistics as (figure, count) rows, as the report's table and the ledger
    workbook's summary sheet show them."""
    rows = [(Text("单位", "Units")(lang), figures["units"]),
            (Text("权力事项", "Power items")(lang), figures["power_items"])]
    rows += [(f"　{category}", count) for category, count in figures["categories"].items()]
    rows += [(Text("流程图", "Flowcharts")(lang), figures["flowcharts"]),
             (Text("无法读取的文件", "Files that could not be read")(lang),
              figures["unreadable"])]
    for key, name in (("risk_posts", Text("风险岗位", "Risk posts")),
                      ("risk_points", Text("风险点", "Risk points"))):
        rows += [(f"{name(lang)} {grade_name(grade, lang)}", figures[key][str(grade)])
                 for grade in GRADES]
    rows.append((Text("关键岗位", "Key posts")(lang), figures["key_posts"]))
    rows += [(Text(f"问题 {rule}", f"Findings {rule}")(lang), count)
             for rule, count in figures["findings"].items()]
    rows.append((Text("已豁免", "Waived")(lang), figures["waived"]))
    return rows


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "-"


def text_lines(figures: dict, lang: str) -> Iterator[str]:
    """The statistics as lines for the terminal."""
    yield Text(f"单位 {figures['units']} 个, 权力事项 {figures['power_items']} 项, "
               f"流程图 {figures['flowcharts']} 个 (文件 {figures['files']} 个, "
               f"无法读取 {figures['unreadable']} 个)",
               f"{figures['units']} unit(s), {figures['power_items']} power item(s), "
               f"{figures['flowcharts']} flowchart(s) ({figures['files']} file(s), "
               f"{figures['unreadable']} could not be read)")(lang)
    yield Text("权力事项分类:", "Power items by category:")(lang)
    for category, count in figures["categories"].items():
        yield f"  {category}: {count}"
    for key, name in (("risk_posts", Text("风险岗位", "Risk posts")),
                      ("risk_points", Text("风险点", "Risk points"))):
        counts = figures[key]
        total = sum(counts.values())
        parts = [f"{GRADE_NAMES[grade](lang)} {counts[str(grade)]} "
                 f"({_share(counts[str(grade)], total)})" for grade in GRADES]
        yield Text(f"{name.zh} {total} 个: ", f"{name.en}: {total}: ")(lang) + ", ".join(parts)
    yield Text(f"关键岗位 (权力集中): {figures['key_posts']} 个",
               f"Key posts (concentrated power): {figures['key_posts']}")(lang)
    yield Text("问题 (按规则):", "Findings by rule:")(lang)
    for rule, count in figures["findings"].items():
        yield f"  {rule}: {count}"
    yield Text(f"已豁免: {figures['waived']} 个", f"Waived: {figures['waived']}")(lang)
