"""Drawings as the modelling tools save them (issue 18): fixtures reduced from the
public corpora (tests/data/corpora, NOTICE.md) load, with what flowgraph cannot use
reported, and the BPMN and draw.io constructs read as modellers mean them."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import load_all
from flowgraph.io.drawio import read as read_drawio

CORPORA = Path(__file__).resolve().parent / "data" / "corpora"


def said(items) -> str:
    return "\n".join(item.describe("en") for item in items)


# -- loading what the tools write ---------------------------------------------------


def test_a_conditional_and_a_default_flow_between_two_tasks_become_one_edge():
    [chart] = load_all(CORPORA / "bpmnlint-duplicate-flows.bpmn")
    [edge] = [e for e in chart.flows if (e.source, e.target) == ("Task_1", "Task_2")]
    assert edge.label == "材料齐全 / 补正后"
    assert "2 edges from step 'Task_1' to 'Task_2' were merged into one" in said(chart.warnings)


def test_a_file_of_one_empty_pool_gives_no_flowchart_and_says_why():
    charts = load_all(CORPORA / "bpmnlint-only-a-pool.bpmn")
    assert list(charts) == []
    assert "the file's processes hold no step: skipped" in said(charts.warnings)


def test_an_undeclared_prefix_on_a_foreign_part_does_not_cost_the_file():
    [chart] = load_all(CORPORA / "bpmnlint-undeclared-prefix.bpmn")
    assert [s.kind for s in chart.steps.values()] == ["start"]


def test_a_page_level_problem_never_costs_other_pages():
    charts = load_all(CORPORA / "jgraph-three-pages.drawio")
    [chart] = charts
    assert chart.title == "流程" and set(chart.steps) == {"s", "t", "e"}
    text = said(chart.warnings)
    assert "page '图例' has no step: skipped" in text
    assert "page '草稿' cell 'x': duplicate cell id; the page was skipped" in text
    assert "the edge ('补正') from step 't' back to itself was left out" in text
    assert [(e.source, e.target, e.label) for e in chart.flows] == [
        ("s", "t", None), ("t", "e", "齐全 / 当场办结")]


def test_a_drawing_with_no_step_on_any_page_loads_as_no_flowchart_with_a_warning():
    charts = load_all(CORPORA / "jgraph-floor-plan.drawio")
    assert list(charts) == [] and "page '平面图' has no step" in said(charts.warnings)
    result = CliRunner().invoke(main, ["check", "--lang", "zh",
                                       str(CORPORA / "jgraph-floor-plan.drawio")])
    assert result.exit_code == 0, result.output
    assert "页面 “平面图” 没有步骤, 已跳过" in result.output


def test_a_file_that_holds_nothing_or_only_broken_pages_is_still_an_error():
    with pytest.raises(LoadError, match="no step"):
        read_drawio(b"<mxfile><diagram name='p'/></mxfile>", "x.drawio")
    broken = (b"<mxfile><diagram name='p'><mxGraphModel><root><mxCell id='0'/>"
              b"<mxCell id='1' parent='0'/><mxCell id='1' parent='0'/></root></mxGraphModel>"
              b"</diagram></mxfile>")
    with pytest.raises(LoadError, match="duplicate cell id"):
        read_drawio(broken, "x.drawio")
