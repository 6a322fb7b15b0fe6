"""The registry's promise: adding a rule touches its module, its fixtures and its line in
the registry, nothing else; and a rule's declared preconditions are kept."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from flowgraph.io.yaml_format import loads
from flowgraph.policy import Policy
from flowgraph.rules import _MODULES, BY_CODE, RULES, Context
from flowgraph.rules.context import REQUIREMENTS, requires

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "flowgraph"


def _code_literals(path: Path) -> list[tuple[int, str]]:
    """String constants of a module that are a rule code or prefix in full (``"FG401"``,
    ``"FG4"``): a per-rule table or test. Codes inside longer text (an example in a
    message, "such as FG301") are not."""
    tree = ast.parse(path.read_text("utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and re.fullmatch(r"FG\d+", node.value)]


def test_nothing_outside_the_rules_knows_a_rule_by_its_code():
    """Scoring, the ledger, the outputs read what they say about a rule from the
    registry (``BY_CODE[code].weight``, ``.factor``, ``.measure``, ``.summary``)."""
    found = [f"{path.relative_to(ROOT)}:{line}: {value!r}"
             for path in sorted(PACKAGE.rglob("*.py"))
             if PACKAGE / "rules" not in path.parents
             for line, value in _code_literals(path)]
    assert found == [], "declare it in the rule's module instead:\n" + "\n".join(found)


def test_the_check_finds_code_literals(tmp_path):
    module = tmp_path / "table.py"
    module.write_text('"""FG201 in a docstring."""\nWORDS = {"FG201": 1}\n'
                      'if code == "FG4": pass\nHELP = "such as FG301"\n', "utf-8")
    assert _code_literals(module) == [(2, "FG201"), (3, "FG4")]


def test_every_rule_module_is_registered_under_its_own_code_and_name():
    modules = sorted(path.stem for path in (PACKAGE / "rules").glob("fg*.py"))
    assert modules == sorted(_MODULES), "list each rule module in rules._MODULES"
    for module, rule in zip(_MODULES, RULES, strict=True):
        number, _, words = module.partition("_")
        assert rule.code == number.upper() and rule.name == words.replace("_", "-")


def test_every_fixture_folder_belongs_to_a_rule():
    folders = {path.name for path in (ROOT / "tests" / "rules").glob("FG*") if path.is_dir()}
    assert folders == set(BY_CODE)


@pytest.mark.parametrize("requirement, reporter", [("start", "FG101"), ("end", "FG102")])
def test_the_rule_reporting_a_missing_start_or_end_names_the_rules_it_silences(
        requirement, reporter):
    """FG101 and FG102 stand for the rules that need a start or an end: their docs list
    exactly those rules, in both languages."""
    silenced = {rule.code for rule in RULES if requirement in rule.requires}
    rule = BY_CODE[reporter]
    assert set(re.findall(r"FG\d{3}", rule.section("Why it matters"))) == silenced
    assert set(re.findall(r"FG\d{3}", rule.doc_zh.split("为什么重要")[1])) == silenced


NO_START = """\
flowgraph: 1
title: 行政检查
actors:
  officer: {name: 执法人员}
steps:
  inspect: {kind: task, label: 现场检查, actor: officer}
  done:    {kind: end, label: 办结}
flow:
  - [inspect, done]
"""


def test_a_rule_is_silent_on_a_chart_without_what_it_requires():
    """Without a start every step is unreachable; FG103 says nothing, FG101 says it."""
    context = Context(loads(NO_START, "no-start.yaml"), Policy())
    fg103 = BY_CODE["FG103"]
    assert fg103.requires == ("start",)
    assert list(fg103.check.__wrapped__(context)), "the undecorated check would fire"
    assert list(fg103.check(context)) == []
    assert [f.rule for f in BY_CODE["FG101"].check(context)] == ["FG101"]


def test_grading_rules_require_the_grades_and_run_in_the_second_pass():
    assert {rule.code for rule in RULES if rule.stage == "grades"} == {"FG501", "FG502"}
    assert all(rule.requires == ("grades",) for rule in RULES if rule.stage == "grades")


def test_an_unknown_requirement_is_refused_where_it_is_declared():
    with pytest.raises(ValueError, match="unknown requirement 'stat'; known: start, end"):
        requires("stat")
    assert set(REQUIREMENTS) == {"start", "end", "grades", "roster"}


def test_programme_rules_require_a_roster_and_never_run_on_a_chart():
    """FG6 judges people in posts: a chart's context has no tenure, so a chart's
    analysis runs none of them, and each is silent on a chart's context."""
    programme = [rule for rule in RULES if rule.stage == "programme"]
    assert [rule.code for rule in programme] == ["FG601", "FG602", "FG603"]
    context = Context(loads(NO_START, "no-start.yaml"), Policy())
    for rule in programme:
        assert rule.requires == ("roster",) and rule.as_of == "2025-06-30"
        assert list(rule.check(context)) == []
        assert rule.measure is not None and rule.ledger_risk is None


# -- what the ledger says about a rule ------------------------------------------------

#: Words the committee reads as graph theory (环 as a loop; 环节, the step, is the
#: practice's own word).
GRAPH_WORDS = re.compile(r"FG\d|边|节点|环(?!节)|网关|actor|kind")
GRAPH_WORDS_EN = re.compile(r"\bFG\d|\b(edges?|nodes?|loops?|gateways?|graph|actor|kind)\b",
                            re.I)


def _places_a_finding_on_a_step(rule) -> bool:
    """Whether a finding of the rule names steps, in any of its invalid fixtures."""
    from flowgraph.analysis import audit
    from flowgraph.io import load
    return any(finding.steps for path in (ROOT / "tests" / "rules" / rule.code /
                                          "invalid").glob("*.yaml")
               for finding in audit(load(path)) if finding.rule == rule.code)


@pytest.mark.parametrize("rule", [r for r in RULES if r.stage != "programme"],
                         ids=lambda r: r.code)
def test_every_rule_that_sits_on_a_step_says_it_to_the_ledger(rule):
    """The ledger describes each finding on a risk point in a sentence and makes its
    measure concrete: a rule whose findings name steps declares both."""
    if not _places_a_finding_on_a_step(rule):
        assert rule.code in ("FG101", "FG102")
        return
    assert rule.ledger_risk is not None and rule.measure is not None
    from string import Formatter

    from flowgraph.rules import PLACEHOLDERS, shown_template
    for template in (rule.ledger_risk, rule.measure):
        for lang in ("zh", "en"):
            names = {name for _, name, _, _ in Formatter().parse(template(lang)) if name}
            assert names <= set(PLACEHOLDERS), (rule.code, names)
        shown = shown_template(template, "zh")
        assert re.search(r"[\u4e00-\u9fff]", shown) and not GRAPH_WORDS.search(shown), shown
        english = shown_template(template, "en")
        assert english.replace("‹", "").replace("›", "").isascii(), english
        assert not GRAPH_WORDS_EN.search(english), english
    # a sentence, not a code or a title: no rule's summary is repeated
    assert rule.ledger_risk.zh != rule.summary.zh
