"""Every rule against its fixtures, like a linter's valid/invalid cases.

``tests/rules/<CODE>/invalid/*.yaml`` must produce exactly the findings of that rule
their header announces, one ``# expect:`` line per finding (its steps, comma-separated,
in the order the audit reports them; ``-`` for a finding about the whole chart),
``# expect-waived:`` for a finding that a waiver on its step covers, and optionally
``# witness:`` the witness path of the first finding. ``valid/*.yaml`` must produce no
finding of that rule at all. Every rule has at least two of each.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowgraph.analysis import audit
from flowgraph.io import load
from flowgraph.rules import RULES

HERE = Path(__file__).parent
FIXTURES = sorted(HERE.glob("FG*/*/*.yaml"))


def _expectations(path: Path):
    expected, witness = [], None
    for line in path.read_text("utf-8").splitlines():
        match = re.match(r"#\s*(expect|expect-waived|witness):\s*(.*)$", line)
        if not match:
            continue
        kind, value = match.groups()
        items = () if value.strip() == "-" else tuple(
            s.strip() for s in value.split(",") if s.strip())
        if kind == "witness":
            witness = items
        else:
            expected.append((items, kind == "expect-waived"))
    return expected, witness


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parts[-3]}/{p.parts[-2]}/{p.stem}")
def test_fixture(path: Path):
    code, verdict = path.parts[-3], path.parts[-2]
    findings = [f for f in audit(load(path)) if f.rule == code]
    if verdict == "valid":
        assert findings == [], f"{code} must not fire on {path.name}: " + \
            "; ".join(f.message.en for f in findings)
        return
    assert verdict == "invalid"
    expected, witness = _expectations(path)
    assert expected, f"{path} announces no '# expect:' line"
    got = [(f.steps, f.waived) for f in findings]
    assert got == expected, "\n".join(f.message.en for f in findings)
    if witness is not None:
        assert findings[0].witness == witness
    for finding in findings:
        assert finding.message.zh and finding.message.en


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_fixtures_both_ways(rule):
    for verdict in ("valid", "invalid"):
        found = list((HERE / rule.code / verdict).glob("*.yaml"))
        assert len(found) >= 2, f"{rule.code} needs at least two {verdict} fixtures"
