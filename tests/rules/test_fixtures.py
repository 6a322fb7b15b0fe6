"""Every rule against its fixtures, like a linter's valid/invalid cases.

``tests/rules/<CODE>/invalid/*.yaml`` must produce exactly the findings of that rule
their header announces, one ``# expect:`` line per finding (its steps, comma-separated,
in the order the audit reports them; ``-`` for a finding about the whole chart),
``# expect-waived:`` for a finding that a waiver on its step covers, and optionally
``# witness:`` the witness path of the first finding and ``# message-zh:`` and
``# message-en:`` its exact message (everything after ``: ``), as bpmnlint's rule tests
pin each report. ``valid/*.yaml`` must produce no finding of that rule at all. Every
rule has at least two of each, and pins its message in at least one invalid fixture.

The programme rules (FG6) judge the people in the posts: their fixtures are a chart and
a roster, two YAML documents, audited on the date of their ``# as-of:`` line; an
``# expect:`` line names the holder each finding is on (``post/name``), in roster order.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowgraph.analysis import audit
from flowgraph.i18n import Text
from flowgraph.io import load
from flowgraph.rules import BY_CODE, RULES

from ..programme import programme_of

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


def _pinned_messages(path: Path) -> list[Text]:
    """The messages the first findings must have, in order: each ``# message-zh:`` line
    followed by its ``# message-en:``, one pair for each finding pinned."""
    pinned = re.findall(r"^#\s*message-(zh|en): (.*)$", path.read_text("utf-8"), re.M)
    languages = [lang for lang, _ in pinned]
    assert languages == ["zh", "en"] * (len(pinned) // 2), \
        f"{path} pins each message in Chinese, then in English"
    return [Text(zh, en) for (_, zh), (_, en) in zip(pinned[::2], pinned[1::2], strict=True)]


def _pinned_message(path: Path) -> Text | None:
    """The message the first finding must have, when the fixture pins it."""
    pinned = dict(re.findall(r"^#\s*message-(zh|en): (.*)$", path.read_text("utf-8"), re.M))
    assert set(pinned) in (set(), {"zh", "en"}), f"{path} pins one language only"
    return Text(pinned["zh"], pinned["en"]) if pinned else None


def _programme_fixture(path: Path, code: str, verdict: str) -> None:
    """A programme rule's fixture: the holders its findings are on, in roster order."""
    findings = [f for f in programme_of(path.read_text("utf-8")).findings if f.rule == code]
    if verdict == "valid":
        assert findings == [], "; ".join(f.message.en for f in findings)
        return
    expected, _ = _expectations(path)
    assert expected, f"{path} announces no '# expect:' line"
    assert [((f"{f.post}/{f.holder.zh}",), False) for f in findings] == expected
    message = _pinned_message(path)
    if message is not None:
        assert (findings[0].message.zh, findings[0].message.en) == (message.zh, message.en)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parts[-3]}/{p.parts[-2]}/{p.stem}")
def test_fixture(path: Path):
    code, verdict = path.parts[-3], path.parts[-2]
    if BY_CODE[code].stage == "programme":
        _programme_fixture(path, code, verdict)
        return
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
    pinned = _pinned_messages(path)
    assert len(pinned) <= len(findings), f"{path} pins more messages than findings"
    for finding, message in zip(findings, pinned, strict=False):
        assert finding.message.zh == message.zh
        assert finding.message.en == message.en
    for finding in findings:
        assert finding.message.zh and finding.message.en


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_fixtures_both_ways(rule):
    for verdict in ("valid", "invalid"):
        found = list((HERE / rule.code / verdict).glob("*.yaml"))
        assert len(found) >= 2, f"{rule.code} needs at least two {verdict} fixtures"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_pins_a_message(rule):
    pinned = [path for path in (HERE / rule.code / "invalid").glob("*.yaml")
              if _pinned_message(path) is not None]
    assert pinned, f"{rule.code}: pin a message (# message-zh:, # message-en:) in a fixture"


def test_a_pinned_message_is_read_exactly(tmp_path):
    fixture = tmp_path / "pinned.yaml"
    fixture.write_text("# expect: -\n# message-zh: “a”、“b”这 2 个环节：无法进入\n"
                       "# message-en: the 2 steps 'a', 'b': can't\nflowgraph: 1\n", "utf-8")
    assert _pinned_message(fixture) == Text("“a”、“b”这 2 个环节：无法进入",
                                            "the 2 steps 'a', 'b': can't")


def test_messages_are_pinned_in_order_each_in_both_languages(tmp_path):
    fixture = tmp_path / "pinned.yaml"
    fixture.write_text("# expect: a\n# expect: b\n# message-zh: 甲\n# message-en: A\n"
                       "# message-zh: 乙\n# message-en: B\nflowgraph: 1\n", "utf-8")
    assert _pinned_messages(fixture) == [Text("甲", "A"), Text("乙", "B")]
    fixture.write_text("# expect: a\n# message-zh: 甲\n# message-zh: 乙\n"
                       "# message-en: A\nflowgraph: 1\n", "utf-8")
    with pytest.raises(AssertionError, match="in Chinese, then in English"):
        _pinned_messages(fixture)
