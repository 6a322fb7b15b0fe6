"""Running the rules over a flowchart: selection, severities, waivers, order.

:func:`audit` is the library's entry point for one flowchart. A rule that crashes
becomes a reported internal error for that rule and flowchart (the audit carries on).
Waivers (``waive: {FG301: "理由"}`` on a step) mark a finding waived, with its reason,
when any of its steps waives its rule, by code or prefix.
"""
from __future__ import annotations

from dataclasses import replace

from .config import Config
from .i18n import Text
from .model import Finding, Flowchart
from .rules import matches, selected


def audit(flowchart: Flowchart, config: Config | None = None) -> list[Finding]:
    """Every finding of the selected rules on ``flowchart``, in a stable order.

    Order: findings about the whole chart first, then by the first step's position in
    the file, then by rule code.
    """
    config = config or Config()
    findings: list[Finding] = []
    for rule in selected(config.select, config.ignore):
        try:
            findings.extend(rule.check(flowchart, config.policy))
        except Exception as exc:  # a broken rule must not stop the audit
            findings.append(Finding(rule.code, "error", (), Text(
                f"规则 {rule.code} 内部错误 (请报告此问题): {type(exc).__name__}: {exc}",
                f"internal error in rule {rule.code} (please report it): "
                f"{type(exc).__name__}: {exc}")))
    findings = [_settle(flowchart, finding, config) for finding in findings]
    order = flowchart.order
    findings.sort(key=lambda f: (order[f.steps[0]] if f.steps else -1, f.rule))
    return findings


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


def _severity(code: str, config: Config) -> str | None:
    """The configured severity for a code: the longest matching pattern wins."""
    best = None
    for pattern, level in config.severity.items():
        if matches(code, pattern) and (best is None or len(pattern) > len(best[0])):
            best = (pattern, level)
    return best[1] if best else None
