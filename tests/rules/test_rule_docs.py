"""The rule registry and each rule's documentation, which users act on."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.analysis import audit
from flowgraph.cli import main
from flowgraph.config import Config
from flowgraph.io.yaml_format import loads
from flowgraph.model import SEVERITIES
from flowgraph.rules import RULES, reference_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_codes_and_names_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert codes == sorted(codes)
    for rule in RULES:
        assert re.fullmatch(r"FG[1-6]\d\d", rule.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert rule.severity in SEVERITIES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documentation_is_complete(rule):
    assert rule.doc.startswith(f"{rule.code} {rule.name}: ")
    for heading in ("What it finds", "Why it matters", "Example", "Use instead",
                    "How to fix", "Complexity"):
        assert rule.section(heading), f"{rule.code} lacks '{heading}'"
    for heading in ("发现什么", "为什么重要", "如何修正"):
        assert heading in rule.doc_zh, f"{rule.code} lacks '{heading}' in DOC_ZH"
    assert rule.summary.zh and rule.summary.en


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_example_fires_and_fix_does_not(rule):
    only = Config(select=(rule.code,))
    if rule.stage == "programme":  # a chart and a roster, on the example's date
        from ..programme import programme_of
        incorrect = programme_of(rule.example("Example"), only).findings
        assert [f.rule for f in incorrect] == [rule.code]
        assert programme_of(rule.example("Use instead"), only).findings == []
        return
    incorrect = audit(loads(rule.example("Example"), "example.yaml"), only)
    assert [f.rule for f in incorrect] and {f.rule for f in incorrect} == {rule.code}
    correct = audit(loads(rule.example("Use instead"), "example.yaml"), only)
    assert correct == []


def test_rules_reference_is_up_to_date():
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == reference_markdown(), \
        "regenerate it: flowgraph rules --format markdown > docs/rules.md"
    result = CliRunner().invoke(main, ["rules", "--format", "markdown"])
    assert result.output == reference_markdown()
