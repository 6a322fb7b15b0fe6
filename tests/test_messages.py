"""Findings in plain language (issue 17): every message, grade reason, ledger sentence
and line of the terminal report that a committee reads, over the samples, a generated
city, the adversarial shapes and the rules' fixtures, in both languages.

What a message must not be: graph theory (监督边, 网关, 环, 路径; node, edge, path,
loop), raw values of the model (review, medium, principal, kind: start), half-width
punctuation inside Chinese sentences, a word twice in a row (办结 办结), a grade word that
contradicts the grade (高风险环节 for a 二级 point). Labels, titles and names come from
the charts and may hold anything: they are masked before the wording is checked, so
that only flowgraph's own words are judged.

Each rule's exact message is pinned in its fixtures (tests/rules/<CODE>/invalid/).
"""
from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.analysis import Assessment, assess
from flowgraph.cli import main
from flowgraph.generate import batch
from flowgraph.i18n import Text
from flowgraph.io import load
from flowgraph.io.yaml_format import loads
from flowgraph.model import Flowchart
from flowgraph.rules import RULES, shown_template
from flowgraph.shapes import SHAPES
from flowgraph.shapes import chart as shaped
from flowgraph.vocabulary import GRADE_NAMES

from .programme import programme_of

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "flowcharts"
RULE_FIXTURES = sorted((ROOT / "tests" / "rules").glob("FG*/*/*.yaml"))
#: The programme rules' fixtures are a chart and a roster: read apart
#: (:func:`_programme_texts`).
FIXTURES = [path for path in RULE_FIXTURES if not path.parts[-3].startswith("FG6")]
PROGRAMME_FIXTURES = [path for path in RULE_FIXTURES if path.parts[-3].startswith("FG6")]

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
#: Half-width punctuation touching Chinese (or a full-width quote or bracket) on either
#: side, spaces allowed between: ``办结, 途中``, ``(review)``, ``监督: ``.
HALF_WIDTH = re.compile(rf"[{CJK}“”（）][ ]*[,:;()?!]|[,:;()?!][ ]*[{CJK}“”（）]")
#: Values of the model and keys of the file format, which no Chinese sentence uses.
ENUM_WORDS = re.compile(
    r"(?<![A-Za-z_])(review|decision|task|disclosure|oversight|gateway|system|start|end|"
    r"none|low|medium|high|principal|deputy|staff|section|apply|approve|execute|record|"
    r"custody|inspect|edge|node|cycle|kind|actors?|reports_to|duty)(?![A-Za-z_])")
#: Graph words in Chinese: 环 alone is a loop (环节 is a step, 环境 an environment),
#: 图 alone a graph (流程图 is a flowchart, 意图 an intention).
GRAPH_WORDS_ZH = re.compile(r"监督边|流转边|流入边|流出边|网关|节点|回路|路径|入度|出度|"
                            r"(?<![流程意])图|环(?![节境])")
GRAPH_WORDS_EN = re.compile(r"(?i)(?<![a-z])(node|edge|gateway|cycle|loop|path|graph|"
                            r"dead[ -]end|in-degree|out-degree|neutral step)s?(?![a-z])")
#: A Chinese word of two or more characters twice in a row (办结 办结, “办结”办结), or an
#: English word: amounts (¥20,000,000) are not words.
REPEATED_ZH = re.compile(rf"([{CJK}]{{2,}})[\s“”]*\1")
REPEATED_EN = re.compile(r"(?i)(?<![a-z])([a-z]{2,})\s+\1(?![a-z])")
#: Grades are 一级/二级/三级; 高风险 would call a grade-2 point what grade 1 is called.
GRADE_ZH = re.compile(r"[高中低]风险|高危")
GRADE_EN = re.compile(r"(?i)(high|medium|low)[- ]risk")


def _names(flowchart: Flowchart) -> list[str]:
    """What a chart names: labels, ids, titles, its unit; longest first."""
    names = {flowchart.title, flowchart.unit or "", flowchart.category or ""}
    names.update(step.label for step in flowchart.steps.values())
    names.update(step.id for step in flowchart.steps.values())
    names.update(step.actor for step in flowchart.steps.values() if step.actor)
    for actor in flowchart.actors.values():
        names.update((actor.id, actor.name, actor.reports_to or ""))
    for step in flowchart.steps.values():
        names.update(step.waive.values())
    return sorted((n for n in names if n), key=len, reverse=True)


def masked(text: str, names: list[str]) -> str:
    """``text`` with every name from the chart (and every quoted name) replaced by ○."""
    text = re.sub(r"“[^“”]*”", "“○”", text)
    text = re.sub(r"(?<![A-Za-z])'[^']*'(?![A-Za-z])", "'○'", text)
    for name in names:
        text = text.replace(name, "○")
    return text


def problems(text: str, lang: str, names: list[str]) -> list[str]:
    """What is wrong with one text a user reads, in ``lang``."""
    shown = masked(text, names)
    found = []
    if lang == "zh":
        found += [f"half-width {m.group()!r}" for m in HALF_WIDTH.finditer(shown)]
        found += [f"value {m.group()!r}" for m in ENUM_WORDS.finditer(shown)]
        found += [f"graph word {m.group()!r}" for m in GRAPH_WORDS_ZH.finditer(shown)]
        found += [f"grade word {m.group()!r}" for m in GRADE_ZH.finditer(shown)]
        found += [f"repeated {m.group()!r}" for m in REPEATED_ZH.finditer(text)
                  if not any(m.group() in name for name in names)]
    else:
        found += [f"graph word {m.group()!r}" for m in GRAPH_WORDS_EN.finditer(shown)]
        found += [f"grade word {m.group()!r}" for m in GRADE_EN.finditer(shown)]
        found += [f"repeated {m.group()!r}" for m in REPEATED_EN.finditer(shown)]
    return found


def _charts():
    """(source, flowchart) of the samples, the fixtures, a generated city of 200 charts
    and every adversarial shape at a small size."""
    for path in sorted(SAMPLES.glob("*.yaml")):
        yield path.name, load(path)
    for path in FIXTURES:
        yield str(path.relative_to(ROOT)), load(path)
    for name, text in batch(200):
        yield name, loads(text, name)
    for name in sorted(SHAPES):
        yield f"shape {name}", loads(shaped(60, name), f"{name}.yaml")


@cache
def _assessed() -> tuple[tuple[str, Flowchart, Assessment], ...]:
    """(source, flowchart, assessment) of every chart of ``_charts``, assessed once for
    the tests that read them (3 s of work)."""
    return tuple((source, flowchart, assess(flowchart)) for source, flowchart in _charts())


@cache
def _texts() -> tuple[tuple[str, str, str, Text, tuple[str, ...]], ...]:
    """(source, what, rule or step, text, names) of every finding's message and every
    risk point's reasons."""
    found = []
    for source, flowchart, assessment in _assessed():
        names = tuple(_names(flowchart))
        for finding in assessment.findings:
            found.append((source, "message", finding.rule, finding.message, names))
        for step, graded in assessment.grades.items():
            found.append((source, "reasons", step,
                          Text(graded.explain("zh"), graded.explain("en")), names))
    return tuple(found) + _programme_texts()


def _programme_texts() -> tuple[tuple[str, str, str, Text, tuple[str, ...]], ...]:
    """The messages of the programme rules on their fixtures; a holder's name and post
    are names from the roster."""
    found = []
    for path in PROGRAMME_FIXTURES:
        for finding in programme_of(path.read_text("utf-8")).findings:
            names = (finding.post, finding.holder.zh, finding.holder.en)
            found.append((str(path.relative_to(ROOT)), "message", finding.rule,
                          finding.message, names))
    return tuple(found)


def test_the_texts_cover_every_rule():
    fired = {rule for _, what, rule, _, _ in _texts() if what == "message"}
    assert fired >= {f"FG{n}" for n in (101, 102, 103, 104, 105, 106, 107, 108, 201, 202,
                                        301, 302, 303, 401, 402, 501, 502, 601, 602,
                                        603)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_message_and_reason_is_plain_language(lang):
    failures = {}
    for source, what, rule, text, names in _texts():
        wrong = problems(text(lang), lang, list(names))
        if wrong:
            failures.setdefault((what, rule, tuple(wrong)), (source, text(lang)))
    assert not failures, "\n".join(f"{what} {rule} {wrong}: {source}: {text}"
                                   for (what, rule, wrong), (source, text)
                                   in list(failures.items())[:30])


def test_grade_words_match_the_grade():
    """A grade-1 point's reasons begin 一级, a declared grade is compared with the grade
    suggested for the step, never with another."""
    for source, _, assessment in _assessed():
        for step, graded in assessment.grades.items():
            if graded.grade is not None:
                name = GRADE_NAMES[graded.grade]
                assert graded.explain("zh").startswith(name.zh), (source, step)
                assert graded.explain("en").startswith(name.en), (source, step)
        for finding in assessment.findings:
            if finding.rule in ("FG501", "FG502") and finding.steps:
                graded = assessment.grades.get(finding.steps[0])
                if graded is not None and graded.grade is not None:
                    name = GRADE_NAMES[graded.grade]
                    assert f"建议定为{name.zh}" in finding.message.zh, (source, finding)
                    assert f"suggested {name.en}" in finding.message.en, (source, finding)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_s_own_words_are_plain_language(rule):
    """What the report, the ledger and the grades' reasons say of a rule: its summary,
    its risk factor, its ledger sentence and measure (placeholders shown as ‹…›)."""
    texts = [rule.summary, rule.factor, rule.ledger_risk, rule.measure]
    for text in filter(None, texts):
        for lang in ("zh", "en"):
            shown = shown_template(text, lang) if "{" in text(lang) else text(lang)
            assert not problems(shown, lang, []), (rule.code, shown)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_s_chinese_documentation_is_plain_language(rule):
    """What ``flowgraph explain --lang zh`` and docs/rules.md say of a rule: the keys of
    the file format appear only as code (`actor`), for those who edit the files."""
    paragraphs = [line.replace("\n", "") for line in rule.doc_zh.split("\n\n")]
    shown = re.sub(r"`[^`]*`", "○", "\n\n".join(paragraphs))
    assert not problems(shown, "zh", []), (rule.code, problems(shown, "zh", []))


def _run(*args: str) -> str:
    return CliRunner().invoke(main, list(args), env={"LANG": "C"}).output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_terminal_report_of_the_samples_is_plain_language(lang):
    names = [name for path in sorted(SAMPLES.glob("*.yaml"))
             for name in _names(load(path))]
    names = sorted(set(names), key=len, reverse=True)
    output = _run("audit", "--lang", lang, str(SAMPLES))
    wrong = {line: problems(re.sub(r"^\S+\.yaml", "", line), lang, names)
             for line in output.splitlines()}
    assert not {line: w for line, w in wrong.items() if w}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_ledger_of_the_samples_is_plain_language(lang, tmp_path):
    names = [name for path in sorted(SAMPLES.glob("*.yaml"))
             for name in _names(load(path))]
    names = sorted(set(names), key=len, reverse=True)
    _run("ledger", "--lang", lang, str(SAMPLES), "-o", str(tmp_path / "ledger.csv"))
    with open(tmp_path / "ledger.csv", encoding="utf-8-sig", newline="") as file:
        table = list(csv.DictReader(file))
    assert table
    columns = ("风险点表现形式", "建议防控措施", "责任领导") if lang == "zh" else \
        ("How the risk shows itself", "Suggested measures", "Responsible leader")
    # the risk library's descriptions are the practice's own words; what flowgraph
    # adds after 经查 / Found is checked
    found = {"zh": "经查：", "en": "Found: "}[lang]
    wrong = {}
    for row in table:
        for column in columns:
            cell = row[column]
            if column == columns[0]:
                cell = cell.split(found)[1] if found in cell else ""
            if problems(cell, lang, names):
                wrong[cell] = problems(cell, lang, names)
    assert not wrong


# -- the checks can fail ------------------------------------------------------------

@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "分管副局长在“审批”有中等裁量权, 但事项可经 审批 → 办结 办结, 途中没有独立审核"),
    ("zh", "步骤“科室审核”(review) 没有写明由哪个岗位办理"),
    ("zh", "监督边从“编制采购计划”出发"),
    ("zh", "网关“材料是否齐全”只有一个入口"),
    ("zh", "环 “整改” → “复验” 无法进入"),
    ("zh", "高风险环节“审批”没有独立监督"),
    ("zh", "高风险环节的裁量权为 medium 或 high"),
    ("zh", "事项可经“审批”到达“办结”办结"),
    ("en", "the oversight edge from '编制采购计划' does not start at an oversight step"),
    ("en", "the loop '整改' → '复验' cannot be entered"),
    ("en", "a matter can go along this path to its end"),
    ("en", "the the step"),
    ("en", "the high-risk step '审批'"),
])
def test_the_checks_catch_what_issue_17_quotes(lang, text):
    assert problems(text, lang, ["审批", "办结"])


@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "分管副局长在“审批”有中等裁量权，但此后事项可直接到达“办结”，途中没有独立审核"),
    ("zh", "审核环节“科室审核”没有写明由哪个岗位办理"),
    ("zh", "生态环境局的科长在“审批”有较大裁量权"),
    ("en", "'审批' (局长; ¥20,000,000 at stake) has no independent oversight"),
])
def test_the_checks_pass_plain_language(lang, text):
    assert not problems(text, lang, ["审批", "办结", "科室审核", "局长"])
