"""The rule registry: every rule, its code, name, severity and documentation.

One rule per module (``fg201_unchecked_discretion.py`` …), each exposing the same small
interface: ``CODE``, ``NAME``, ``SEVERITY``, ``SUMMARY`` (bilingual one-liner),
``DOC_ZH`` (the Chinese documentation), a module docstring (the English documentation,
with *What it finds*, *Why it matters*, *Example*, *Use instead*, *How to fix* and
*Complexity*), and a ``check`` function yielding findings. Codes are grouped by
family: FG1 structure, FG2 discretion, FG3 concentration of power, FG4 oversight, FG5
grading, FG6 the programme over time (the people in the posts: rotation, integrity
commitments).

Every rule is ``check(context)``, given a :class:`~.context.Context`: the flowchart,
the policy and, in the second pass, the suggested grades. A rule that needs a start,
an end or the grades says so once, ``@requires("start", "end")`` on its ``check``
(:mod:`.context`), and finds nothing without them; the registry records it as
``Rule.requires``. The FG5 rules compare the unit's declared grades with the suggested
ones, which depend on the other rules' findings: they require the grades, and so run
in the second pass (see :mod:`flowgraph.analysis`). The FG6 rules require a roster:
they judge a person in a post (``context.tenure``) for the batch as a whole, and
:mod:`flowgraph.rotation` runs them; their examples and fixtures are a chart and a
roster, two YAML documents, with the audit's date in an ``# as-of:`` line.

What the rest of flowgraph says about a rule is declared in its module too, and read
from here (``BY_CODE[code].weight`` …), so that adding a rule touches its module, its
fixtures (``tests/rules/<CODE>/``) and its line in ``_MODULES``, nothing else
(``docs/rules.md`` is then regenerated from here):

- ``WEIGHT`` and ``FACTOR``, for a rule that is a risk factor: the weight its findings
  add to their steps' scores (configurable as ``finding.<CODE>``) and the words of that
  factor in a grade's reasons (:mod:`flowgraph.grading.scoring`);
- ``LEDGER_RISK`` and ``MEASURE``, for a rule whose findings sit on steps: what the
  finding means, as the risk ledger's 风险点表现形式 says it to a committee (a sentence,
  never a code), and the measure the ledger suggests against it, made concrete for the
  step (:mod:`flowgraph.output.ledger`). Both are templates whose ``{placeholders}``
  (:data:`PLACEHOLDERS`) the ledger fills in for each finding: ``由{watcher}对“{step}”
  实施监督`` names the proposed overseer and the step.
- ``PROBLEM``: what a finding means, in plain words, for the sentences of the committee
  report (:mod:`flowgraph.output.problems`): for a rule on a risk point, what is missing
  there (``裁量没有基准可依``), for a drawing fault, how often the chart has it. Its
  placeholders are those of :data:`PROBLEM_PLACEHOLDERS`.
"""
from __future__ import annotations

import importlib
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from ..i18n import Text
from ..model import Finding
from ..vocabulary import SEVERITY_NAMES
from .context import REQUIREMENTS, Context

_MODULES = (
    "fg101_no_start", "fg102_no_end", "fg103_unreachable_step", "fg104_dead_end",
    "fg105_missing_actor", "fg106_undeclared_actor", "fg107_pointless_gateway",
    "fg108_misplaced_oversight_edge",
    "fg201_unchecked_discretion", "fg202_discretion_without_benchmark",
    "fg301_single_person_control", "fg302_incompatible_duties", "fg303_bypass",
    "fg401_missing_oversight", "fg402_non_independent_oversight",
    "fg501_under_graded", "fg502_over_graded",
    "fg601_rotation_due", "fg602_rotation_due_soon", "fg603_commitment_missing",
)


#: What a rule's ``PROBLEM`` may name: the post of the risk point, the labels of the
#: finding's first and second steps, the grade the unit declared and the one its power
#: calls for (each as a clause), and how many findings a chart has (drawing faults).
PROBLEM_PLACEHOLDERS = ("post", "first", "second", "declared", "should", "count")
#: The family of drawing faults (结构): the chart is incomplete or inconsistent, which
#: says nothing yet about how power is used there.
STRUCTURE = "FG1"


def is_drawing_fault(code: str) -> bool:
    """Whether a rule's findings are drawing faults (流程图质量问题), not integrity risks."""
    return code.startswith(STRUCTURE)


#: What the ledger puts into the ``{placeholders}`` of a rule's ``LEDGER_RISK`` and
#: ``MEASURE``, for the finding on one step, and how the documentation shows each.
PLACEHOLDERS: dict[str, Text] = {
    "step": Text("环节", "step"),
    "post": Text("岗位", "post"),
    "act": Text("作出决定/审核/办理", "decides/reviews/handles"),
    "next": Text("其后的环节", "the next step"),
    "watcher": Text("建议的监督机构", "the proposed overseer"),
    "other": Text("另一环节", "the other step"),
    "other_post": Text("另一环节的岗位", "the other step's post"),
    "declared": Text("单位的评定", "the unit's grading"),
    "suggested": Text("建议等级", "the suggested grade"),
    "leader": Text("责任领导", "the responsible leader"),
    "holder": Text("在岗人员", "the holder"),
    "held": Text("在岗年限", "the time in the post"),
    "due": Text("轮岗到期日", "the day rotation is due"),
}


def fill(template: Text, lang: str, values: dict[str, Text | str]) -> str:
    """A rule's ledger template in ``lang`` with its placeholders filled in from
    ``values`` (texts in both languages, or names as written)."""
    return template(lang).format_map({name: value(lang) if isinstance(value, Text) else value
                                      for name, value in values.items()})


def shown_template(template: Text, lang: str) -> str:
    """A ledger template as the documentation shows it: ``由‹建议的监督机构›对“‹环节›”…``."""
    return fill(template, lang, {name: f"‹{words(lang)}›"
                                 for name, words in PLACEHOLDERS.items()})


@dataclass(frozen=True)
class Rule:
    """A rule as the registry knows it: the facts its module declares."""

    code: str
    name: str
    severity: str
    summary: Text
    doc: str
    doc_zh: str
    check: Callable[[Context], Iterable[Finding]]
    #: What ``check`` needs of its context (names of ``REQUIREMENTS``).
    requires: tuple[str, ...] = ()
    #: The weight a finding adds to its steps' scores, for a rule that is a risk factor.
    weight: int | None = None
    #: That risk factor in the reasons of a grade (``裁量权未受制约 (FG201) +2``).
    factor: Text | None = None
    #: What a finding of the rule means, as the ledger's 风险点表现形式 says it (a
    #: template: :data:`PLACEHOLDERS`).
    ledger_risk: Text | None = None
    #: The measure the ledger suggests against a finding of the rule (a template).
    measure: Text | None = None
    #: What a finding means in the committee's words (``PROBLEM``), or None.
    problem: Text | None = None

    def __post_init__(self):
        if (self.weight is None) != (self.factor is None):
            raise TypeError(f"{self.code}: a risk factor declares WEIGHT and FACTOR both")

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(code=module.CODE, name=module.NAME, severity=module.SEVERITY,
                   summary=module.SUMMARY, doc=module.__doc__ or "", doc_zh=module.DOC_ZH,
                   check=module.check, requires=getattr(module.check, "requires", ()),
                   weight=getattr(module, "WEIGHT", None),
                   factor=getattr(module, "FACTOR", None),
                   ledger_risk=getattr(module, "LEDGER_RISK", None),
                   measure=getattr(module, "MEASURE", None),
                   problem=getattr(module, "PROBLEM", None))

    @property
    def stage(self) -> str:
        """``"grades"`` for a rule that needs the suggested grades (the second pass of
        the analysis), ``"programme"`` for a rule that judges the roster's people in
        their posts (:mod:`flowgraph.rotation`), ``"graph"`` for the others."""
        if "roster" in self.requires:
            return "programme"
        return "grades" if "grades" in self.requires else "graph"

    @property
    def as_of(self) -> str | None:
        """The audit's date of a programme rule's examples (their ``# as-of:`` line)."""
        match = re.search(r"^\s*# as-of: (\d{4}-\d{2}-\d{2})", self.doc, re.M)
        return match.group(1) if match else None

    def section(self, heading: str) -> str:
        """One section of the English documentation, dedented (empty if absent)."""
        match = re.search(rf"^{re.escape(heading)}\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)",
                          self.doc, re.M | re.S)
        return textwrap.dedent(match.group(1)).strip("\n") if match else ""

    def example(self, heading: str) -> str:
        """The YAML flowchart of the *Example* or *Use instead* section."""
        return textwrap.dedent(self.section(heading).removeprefix("::").strip("\n")) + "\n"

    def documentation(self, lang: str) -> str:
        """What ``flowgraph explain`` prints: the docs in ``lang`` with the examples."""
        if lang == "en":
            body = textwrap.dedent(self.doc.split("\n", 1)[1]).strip("\n")
            return f"{self.code} {self.name} ({self.severity}): {self.summary.en}\n\n{body}\n"
        title = f"{self.code} {self.name}（{SEVERITY_NAMES[self.severity].zh}）"
        return (f"{title}：{self.summary.zh}\n\n{self.doc_zh.strip()}\n\n"
                f"错误示例：\n\n{textwrap.indent(self.example('Example'), '    ')}\n"
                f"正确示例：\n\n{textwrap.indent(self.example('Use instead'), '    ')}")

    def facts(self) -> list[Text]:
        """What the rule needs and what it means to grading and the ledger, in words."""
        facts = []
        if self.requires:
            needs = [REQUIREMENTS[name].words for name in self.requires]
            facts.append(Text(f"需要{'和'.join(need.zh for need in needs)}，缺少时不报告",
                              f"Needs {' and '.join(need.en for need in needs)} "
                              f"(silent otherwise)"))
        if self.factor is not None:  # with a weight (__post_init__)
            facts.append(Text(f"评分权重 +{self.weight}（`finding.{self.code}`）："
                              f"{self.factor.zh}",
                              f"Grading weight +{self.weight} (`finding.{self.code}`): "
                              f"{self.factor.en}"))
        if self.ledger_risk is not None:
            facts.append(Text(f"台账风险表现：{shown_template(self.ledger_risk, 'zh')}",
                              f"Ledger risk: {shown_template(self.ledger_risk, 'en')}"))
        if self.measure is not None:
            facts.append(Text(f"台账建议措施：{shown_template(self.measure, 'zh')}",
                              f"Ledger measure: {shown_template(self.measure, 'en')}"))
        if self.problem is not None:
            facts.append(Text(f"报告中的说法: {self.problem.zh}",
                              f"In the committee report: {self.problem.en}"))
        return facts

    def markdown(self) -> str:
        """The documentation as a Markdown section, in both languages."""
        parts = [f"## {self.code} {self.name}\n",
                 f"{self.summary.en} / {self.summary.zh}. Default severity: "
                 f"`{self.severity}`.\n"]
        facts = self.facts()
        if facts:
            parts.append("".join(f"- {fact.en} / {fact.zh}\n" for fact in facts))
        for heading in ("What it finds", "Why it matters", "Example", "Use instead",
                        "How to fix", "Complexity"):
            parts.append(f"### {heading}\n")
            if heading in ("Example", "Use instead"):
                parts.append(f"```yaml\n{self.example(heading)}```\n")
            else:
                parts.append(self.section(heading).replace("\n", " ")
                             .replace(" - ", "\n- ") + "\n")
        parts.append("### 中文说明\n")
        parts.extend(paragraph.replace("\n", "") + "\n"
                     for paragraph in self.doc_zh.strip().split("\n\n"))
        return "\n".join(parts)


def reference_markdown() -> str:
    """``docs/rules.md``: every rule's documentation, generated from the registry."""
    head = ("# Rules\n\nGenerated from the rule modules by `flowgraph rules --format "
            "markdown`; do not edit by hand. Each rule's module docstring is its "
            "documentation; `flowgraph explain CODE` prints it.\n\n"
            "| code | name | severity | summary |\n|---|---|---|---|\n")
    table = "".join(f"| {r.code} | {r.name} | {r.severity} | {r.summary.en} / "
                    f"{r.summary.zh} |\n" for r in RULES)
    return head + table + "\n" + "\n".join(rule.markdown() for rule in RULES)


RULES: tuple[Rule, ...] = tuple(
    Rule.from_module(importlib.import_module(f"{__name__}.{name}")) for name in _MODULES)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def matches(code: str, pattern: str) -> bool:
    """A code matches a pattern that is the code itself or one of its prefixes."""
    return code.startswith(pattern.upper())


def is_known_pattern(pattern: str) -> bool:
    """Whether a code or prefix names at least one rule."""
    return any(matches(code, pattern) for code in BY_CODE)


def selected(select: Iterable[str] = ("FG",), ignore: Iterable[str] = ()) -> list[Rule]:
    """The rules a run applies: matching some ``select`` pattern and no ``ignore`` one."""
    select, ignore = tuple(select), tuple(ignore)
    return [rule for rule in RULES
            if any(matches(rule.code, p) for p in select)
            and not any(matches(rule.code, p) for p in ignore)]
