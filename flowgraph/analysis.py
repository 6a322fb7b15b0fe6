"""Running the rules over a flowchart: selection, severities, waivers, grades, order.

:func:`assess` is the whole analysis of one flowchart: it runs every graph rule, settles
severities and waivers, grades the risk points from the findings (design.md §7), then
runs the grading rules (FG5) against the grades. Each rule is given a
:class:`~flowgraph.rules.context.Context` (in the second pass, with the grades); a rule
whose requirements the chart does not meet (``@requires("end")``: a chart without an
end) finds nothing. :func:`audit` returns the findings alone. A rule that crashes
becomes a reported internal error for that rule and flowchart (the audit carries on).

The suggested grades count the findings of every graph rule, whatever ``select`` and
``ignore`` say: selection chooses what is reported, not how risky a step is, so that
``--select FG501`` compares the declared grades with the same suggested grades as a
full run. Waived findings do not count toward a grade.

Waivers (``waive: {FG301: "理由"}`` on a step) mark a finding waived, with its reason,
when any of its steps waives its rule, by code or prefix.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .config import Config
from .gc_paused import gc_paused
from .grading.scoring import grade_chart
from .i18n import Text
from .model import Finding, Flowchart, StepGrade
from .rules import RULES, Context, Rule, matches, selected


@dataclass(frozen=True)
class Assessment:
    """What the analysis says about one flowchart: findings and suggested grades."""

    findings: list[Finding]
    #: The risk points (steps where a post holds power) in step order.
    grades: dict[str, StepGrade]


def assess(flowchart: Flowchart, config: Config | None = None) -> Assessment:
    """The findings of the selected rules and the grade of every risk point.

    Findings come in a stable order: those about the whole chart first, then by the
    first step's position in the file, then by rule code.
    """
    with gc_paused():
        return _assess(flowchart, config or Config())


def _assess(flowchart: Flowchart, config: Config) -> Assessment:
    chosen = {rule.code for rule in selected(config.select, config.ignore)}
    crashes: list[Finding] = []
    findings: list[Finding] = []
    context = Context(flowchart, config.policy)
    for rule in RULES:
        if rule.stage == "graph":
            findings.extend(_run(rule, context, crashes))
    settle = _Settler(flowchart, config)
    findings = list(map(settle, findings))
    grades = grade_chart(flowchart, findings, config.policy, config.grading)
    context = replace(context, grades=grades)
    for rule in RULES:
        if rule.stage == "grades" and rule.code in chosen:
            findings.extend(map(settle, _run(rule, context, crashes)))
    reported = [f for f in findings if f.rule in chosen] + crashes
    order = flowchart.order
    reported.sort(key=lambda f: (order[f.steps[0]] if f.steps else -1, f.rule))
    return Assessment(reported, grades)


def audit(flowchart: Flowchart, config: Config | None = None) -> list[Finding]:
    """Every finding of the selected rules on ``flowchart``, in a stable order."""
    return assess(flowchart, config).findings


def _run(rule: Rule, context: Context, crashes: list[Finding]) -> list[Finding]:
    """The rule's findings (none when the chart lacks what the rule requires). A crash
    becomes an error finding in ``crashes``, reported even when the rule is not
    selected: an internal error is never silent."""
    try:
        return list(rule.check(context))
    except Exception as exc:  # a broken rule must not stop the audit
        crashes.append(Finding(rule.code, "error", (), Text(
            f"规则 {rule.code} 内部错误（请报告此问题）：{type(exc).__name__}：{exc}",
            f"internal error in rule {rule.code} (please report it): "
            f"{type(exc).__name__}: {exc}")))
        return []


class _Settler:
    """Applies the configured severity and the steps' waivers to a chart's findings.
    Each rule's severity is looked up once, and a finding's steps are asked for
    waivers only when some step has one (a chart of 100,000 steps has 40,000
    findings, and most charts waive nothing)."""

    def __init__(self, flowchart: Flowchart, config: Config):
        self.config = config
        self.severities: dict[str, str | None] = {}
        self.waivers = {step_id: step.waive for step_id, step in flowchart.steps.items()
                        if step.waive}

    def __call__(self, finding: Finding) -> Finding:
        rule = finding.rule
        if rule not in self.severities:
            self.severities[rule] = _severity(rule, self.config)
        severity = self.severities[rule] or finding.severity
        reason = self._waiver(finding) if self.waivers else None
        if severity == finding.severity and reason is None:
            return finding
        return replace(finding, severity=severity, waived=reason is not None,
                       waiver_reason=reason)

    def _waiver(self, finding: Finding) -> str | None:
        """Why the first of the finding's steps that waives its rule waives it."""
        for step_id in finding.steps:
            for code, why in self.waivers.get(step_id, {}).items():
                if matches(finding.rule, code):
                    return why
        return None


def configured_severity(code: str, config: Config) -> str | None:
    """The severity the configuration gives a rule (``severity``: the longest matching
    code or prefix wins), or None when it gives none."""
    return _severity(code, config)


def _severity(code: str, config: Config) -> str | None:
    """The configured severity for a code: the longest matching pattern wins."""
    best = None
    for pattern, level in config.severity.items():
        if matches(code, pattern) and (best is None or len(pattern) > len(best[0])):
            best = (pattern, level)
    return best[1] if best else None
