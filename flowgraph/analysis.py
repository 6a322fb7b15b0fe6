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
    findings = [_settle(flowchart, finding, config) for finding in findings]
    grades = grade_chart(flowchart, findings, config.policy, config.grading)
    context = replace(context, grades=grades)
    for rule in RULES:
        if rule.stage == "grades" and rule.code in chosen:
            findings.extend(_settle(flowchart, finding, config)
                            for finding in _run(rule, context, crashes))
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
            f"规则 {rule.code} 内部错误（请报告此问题）：{type(exc).__name__}: {exc}",
            f"internal error in rule {rule.code} (please report it): "
            f"{type(exc).__name__}: {exc}")))
        return []


def _settle(flowchart: Flowchart, finding: Finding, config: Config) -> Finding:
    """Apply the configured severity and the steps' waivers."""
    severity = _severity(finding.rule, config) or finding.severity
    reason = None
    for step_id in finding.steps:
        for code, why in flowchart.steps[step_id].waive.items():
            if matches(finding.rule, code):
                reason = why
                break
        if reason is not None:
            break
    if severity == finding.severity and reason is None:
        return finding
    return replace(finding, severity=severity, waived=reason is not None,
                   waiver_reason=reason)


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
