"""``flowgraph diff OLD NEW``: before and after, through the command line."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from flowgraph.batch import audit_paths
from flowgraph.cli import main
from flowgraph.comparison import compare
from flowgraph.config import Config
from flowgraph.results import Review

from .conftest import ENGLISH
from .test_cli import FLAWED, SOUND

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "flowcharts"


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args, lang="en"):
    return runner.invoke(main, ["diff", *(str(a) for a in args), "--lang", lang],
                         env=ENGLISH)


def edit(path: Path, change) -> None:
    """Rewrite a YAML chart with ``change(data)`` applied."""
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def add_review(data):
    """An independent review (the principal leader's) after the deputy's 审批, which
    FG201 finds unchecked: every way on from it now passes the review."""
    data["steps"]["recheck"] = {"kind": "review", "label": "局长复核", "actor": "director"}
    data["flow"] = [edge for edge in data["flow"] if edge[0] != "decide"] + [
        ["decide", "recheck"], ["recheck", "issue", "同意"], ["recheck", "deny", "不同意"]]


def remove_step(data):
    """The host's 填写接待清单 removed; the accountant's check follows the reception."""
    del data["steps"]["list"]
    data["flow"] = [edge for edge in data["flow"] if "list" not in edge[:2]] + [
        ["receive", "voucher_check"], ["voucher_check", "receive", "单据不一致退回"]]


def harmless(data):
    """Steps written backwards and every step id renamed: nothing changes."""
    ids = {old: f"step_{number}" for number, old in enumerate(data["steps"])}
    data["steps"] = {ids[old]: step for old, step in reversed(list(data["steps"].items()))}
    for key in ("flow", "oversight"):
        data[key] = [[ids[edge[0]], ids[edge[1]], *edge[2:]] for edge in data.get(key, [])]


@pytest.fixture
def planted(tmp_path):
    """The samples (``old``) and a rectified copy (``new``) with planted changes:
    a review added after an FG201 point, a step removed, money added to a step, a
    chart added, a chart deleted; and harmless edits (a file renamed, steps reordered
    and their ids renamed) that must not show."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(SAMPLES, old, ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(old, new)
    edit(new / "license-construction-permit.yaml", add_review)
    edit(new / "official-reception.yaml", remove_step)
    edit(new / "cadre-selection.yaml",
         lambda d: d["steps"]["verify"].update(stakes={"money": 5_000_000}))
    (new / "fee-reduction.yaml").write_text(FLAWED, "utf-8")
    (new / "tender-rural-road.yaml").unlink()
    (new / "land-transfer.yaml").rename(new / "01-land-transfer.yaml")
    edit(new / "fee-civil-air-defense.yaml", harmless)
    edit(new / "fund-disbursement.yaml", harmless)
    return old, new


def condensed(document: dict) -> dict:
    """Each chart's changes as (status, title) → labels, grades and rules."""
    def steps(items):
        return [(s["label"], s["post"], s["grade"]) for s in items]

    def findings(items):
        return [(f["rule"], f["severity"], f["labels"]) for f in items]

    charts = {}
    for chart in document["charts"]:
        ref = chart["new"] or chart["old"]
        changes = {
            "risk_points_added": steps(chart["risk_points_added"]),
            "risk_points_removed": steps(chart["risk_points_removed"]),
            "steps_added": steps(chart["steps_added"]),
            "steps_removed": steps(chart["steps_removed"]),
            "grade_changes": [(g["new"]["label"], g["old"]["grade"], g["new"]["grade"],
                               g["direction"]) for g in chart["grade_changes"]],
            "findings_new": findings(chart["findings_new"]),
            "findings_resolved": findings(chart["findings_resolved"]),
        }
        charts[(chart["status"], ref["title"])] = {k: v for k, v in changes.items() if v}
    return charts


def test_the_diff_of_a_rectified_copy_lists_exactly_the_planted_changes(runner, planted):
    old, new = planted
    result = run(runner, "--format", "json", old, new)
    assert result.exit_code == 1, result.output  # the chart added has errors
    document = json.loads(result.output)
    assert condensed(document) == {
        # the review resolves FG201 and is itself a grade-3 risk point of a new post
        ("changed", "建筑工程施工许可证核发"): {
            "risk_points_added": [("局长复核", "局长", 3)],
            "findings_resolved": [("FG201", "error", ["审批"])]},
        # the step removed held no graded risk
        ("changed", "国内公务接待审批及费用报销"): {
            "steps_removed": [("填写接待清单并取得发票", "办公室接待专员", None)]},
        # money makes the verification grade 2; the chart declares grades, and this
        # step none, so FG501 now says it is under-graded
        ("changed", "局机关科级干部选拔任用"): {
            "grade_changes": [("对公示期间反映的问题调查核实", 3, 2, "up")],
            "findings_new": [("FG501", "warning", ["对公示期间反映的问题调查核实"])]},
        ("added", "行政事业性收费减免"): {
            "risk_points_added": [("决定减免", "收费员", 3)],
            "findings_new": [("FG301", "error", ["核对材料", "决定减免"]),
                             ("FG107", "info", ["材料齐全"]),
                             ("FG201", "error", ["决定减免"]),
                             ("FG202", "warning", ["决定减免"]),
                             ("FG401", "warning", ["决定减免"])]},
        ("removed", "农村公路建设工程施工招标"): {
            "risk_points_removed": [("编制招标方案（标段划分、资格条件、评标办法）", "建设管理科经办人", 1),
                                    ("科室审核招标方案", "建设管理科科长", 3),
                                    ("局党组会议集体研究招标方案", "局党组会议", 2),
                                    ("审核招标文件", "建设管理科科长", 3),
                                    ("依评标报告确定中标人", "分管建设副局长", 2),
                                    ("签订施工合同", "建设管理科科长", 3)]},
    }
    assert document["posts_gained"] == [
        {"unit": "市住房和城乡建设局", "post": "局长", "grade": 3},
        {"unit": "市住房和城乡建设局", "post": "收费员", "grade": 3}]
    assert document["posts_lost"] == [
        {"unit": "市交通运输局", "post": post, "grade": grade}
        for post, grade in (("分管建设副局长", 2), ("局党组会议", 2), ("建设管理科科长", 3),
                            ("建设管理科经办人", 1))]
    summary = document["summary"]
    assert (summary["charts_changed"], summary["charts_unchanged"]) == (3, 14)
    assert summary["gate_failed"] and summary["alarms"] == 2
    regrade = document["charts"][0]["grade_changes"][0]
    assert regrade["old"]["reasons"] == ["a major matter +1", "a field of frequent cases (干部) +1"]
    assert regrade["new"]["reasons"] == ["people, money or resources (¥5,000,000 at stake) +1",
                                         *regrade["old"]["reasons"]]


def test_the_text_in_chinese(runner, planted):
    old, new = planted
    result = run(runner, old, new, lang="zh")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"比较：{old} → {new}"
    assert f"  + 行政事业性收费减免（市住房和城乡建设局） — {new / 'fee-reduction.yaml'}：" \
           f"风险点 一级 0，二级 0，三级 1；问题 5 个（错误 2）" in lines
    assert "  + 新增风险点 “局长复核”（局长） [三级]" in lines
    assert "  - 删除环节 “填写接待清单并取得发票”（办公室接待专员）" in lines
    assert "  ↑ 等级上升 “对公示期间反映的问题调查核实”（考察组） 三级 → 二级" in lines
    assert "      原：三级：重大事项（三重一大） +1；案件高发领域（干部） +1" in lines
    assert any(line.startswith("  - 已解决 FG201 错误 “审批”：分管副局长在“审批”有中等裁量权")
               for line in lines)
    assert "  - 减少岗位 市交通运输局 建设管理科经办人 [一级]" in lines
    assert lines[-2] == ("合计：流程图 新增 1，删除 1，有变化 3，未变 14；风险点 新增 2，删除 6；"
                         "其他环节 新增 0，删除 1；等级 上升 1，下降 0；问题 新增 6，已解决 1；"
                         "岗位 新增 2，减少 4")
    assert lines[-1] == "结论：新的一级风险点 0 个，新的错误级问题 2 个（退出码 1）"
    for word in ("节点", "node", "Traceback"):
        assert word not in result.output


def test_the_same_batch_has_no_changes_and_passes(runner, planted):
    old, _ = planted
    result = run(runner, old, old)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == \
        "verdict: no new grade-1 risk point and no new error"
    assert "0 added, 0 removed, 0 changed, 18 unchanged" in result.output


def test_a_new_grade_1_point_fails_the_gate(runner, tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    shutil.copy(SAMPLES / "license-construction-permit.yaml", old)
    shutil.copy(old, new)
    edit(new, lambda d: d["steps"]["decide"].update(stakes={"money": 5_000_000}))
    result = run(runner, "--format", "json", old, new)
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert [(g["old"]["grade"], g["new"]["grade"]) for g in
            document["charts"][0]["grade_changes"]] == [(2, 1)]
    assert all(f["severity"] != "error" for f in document["charts"][0]["findings_new"])
    text = run(runner, old, new).output
    assert "verdict: 1 new grade-1 risk point(s), 0 new error(s) (exit code 1)" in text


def test_a_new_error_fails_the_gate_and_a_new_warning_does_not(runner, tmp_path):
    old = tmp_path / "old.yaml"
    old.write_text(SOUND, "utf-8")
    warned = tmp_path / "warned.yaml"  # FG202: high discretion without a benchmark
    warned.write_text(SOUND.replace("discretion: low", "discretion: high"), "utf-8")
    result = run(runner, old, warned)
    assert result.exit_code == 0, result.output
    assert "+ new finding FG202 warning '审批'" in result.output
    broken = tmp_path / "broken.yaml"  # the review with no post: FG105
    broken.write_text(SOUND.replace("label: 审查, actor: chief", "label: 审查"), "utf-8")
    result = run(runner, old, broken)
    assert result.exit_code == 1
    assert "+ new finding FG105 error '审查'" in result.output
    assert "verdict: 0 new grade-1 risk point(s), 1 new error(s) (exit code 1)" in result.output


def test_an_unreadable_file_on_either_side_exits_2_without_a_comparison(runner, tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(SOUND, "utf-8")
    bad.write_text("flowgraph: 1\ntitle: [\n", "utf-8")
    for old, new in ((good, bad), (bad, good), (good, tmp_path / "missing")):
        result = run(runner, old, new)
        assert result.exit_code == 2
        assert "verdict" not in result.output and "Traceback" not in result.output
        assert str(bad if new != tmp_path / "missing" else new) in result.output


def test_two_files_are_compared_whatever_their_titles(runner, tmp_path):
    old, new = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    old.write_text(SOUND, "utf-8")
    new.write_text(SOUND.replace("title: 食品经营许可", "title: 食品经营许可（含仅销售预包装食品备案）"),
                   "utf-8")
    document = json.loads(run(runner, "--format", "json", old, new).output)
    chart, = document["charts"]
    assert (chart["status"], chart["matched_by"], chart["renamed"]) == ("changed", "files", True)
    assert not any(chart[key] for key in ("risk_points_added", "risk_points_removed",
                                          "steps_added", "steps_removed", "grade_changes",
                                          "findings_new", "findings_resolved"))
    text = run(runner, old, new, lang="zh").output
    assert "食品经营许可（含仅销售预包装食品备案）（市市场监督管理局）（原为食品经营许可" \
           "（市市场监督管理局））" in text


def test_a_reworded_title_in_a_tree_is_paired_by_its_file(runner, tmp_path):
    for side, title in (("old", "食品经营许可"), ("new", "食品经营许可证核发")):
        (tmp_path / side / "market").mkdir(parents=True)
        (tmp_path / side / "market" / "food.yaml").write_text(
            SOUND.replace("title: 食品经营许可", f"title: {title}"), "utf-8")
        (tmp_path / side / "fee.yaml").write_text(FLAWED, "utf-8")
    document = json.loads(run(runner, "--format", "json", tmp_path / "old",
                              tmp_path / "new").output)
    assert [(c["status"], c["matched_by"], c["new"]["title"]) for c in document["charts"]] \
        == [("changed", "file", "食品经营许可证核发")]
    assert document["summary"]["charts_unchanged"] == 1


def test_the_comparison_is_plain_data_from_the_library(planted):
    old, new = planted
    config = Config()
    comparison = compare(*(Review.of(audit_paths([str(side)], config), config)
                           for side in (old, new)), str(old), str(new))
    assert [(c.status, c.matched_by) for c in comparison.charts] == [
        ("changed", "title"), ("changed", "title"), ("changed", "title"), ("added", None),
        ("removed", None)]
    kinds = {type(item).__name__ for _, item in comparison.alarms}
    assert kinds == {"FindingRef"}


def test_json_is_deterministic_and_round_trips(runner, planted, tmp_path):
    old, new = planted
    first = run(runner, "--format", "json", old, new).output
    assert run(runner, "--format", "json", old, new).output == first
    out = tmp_path / "diff.json"
    result = run(runner, "--format", "json", "-o", out, old, new)
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(out.read_text("utf-8")) == json.loads(first)
    assert json.dumps(json.loads(first), ensure_ascii=False, indent=2) + "\n" == first


def test_the_output_may_not_replace_an_input(runner, planted):
    old, new = planted
    target = new / "cadre-selection.yaml"
    before = target.read_bytes()
    result = run(runner, "-o", target, old, new)
    assert result.exit_code == 2 and "one of the inputs" in result.output
    assert target.read_bytes() == before


# -- the HTML page --------------------------------------------------------------------

def test_the_page_shows_the_diagrams_side_by_side_with_the_changes_marked(runner, planted,
                                                                          tmp_path):
    old, new = planted
    page = tmp_path / "page"
    result = run(runner, "--html", page, "--date", "2024-05-01", old, new, lang="zh")
    assert result.exit_code == 1
    assert f"已写入 {page / 'index.html'}" in result.stderr
    html = (page / "index.html").read_text("utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html
    assert html.count("<svg") == 3 * 2  # three charts changed, before and after
    sections = html.split('<section class="chart"')[1:]
    assert len(sections) == 3
    cadre, permit, reception = sections
    assert "局机关科级干部选拔任用" in cadre and cadre.count('stroke="#722ed1"') >= 2
    assert permit.count('stroke="#389e0d"') >= 1 and "局长复核" in permit
    assert 'stroke="#cf1322"' in reception and 'stroke-dasharray' in reception
    assert "已解决" in permit and "FG201" in permit
    assert "原：重大事项（三重一大） +1；案件高发领域（干部） +1" in cadre
    for title in ("行政事业性收费减免", "农村公路建设工程施工招标"):
        assert title in html.split('<section class="chart"')[0]
    again = tmp_path / "again"
    run(runner, "--html", again, "--date", "2024-05-01", old, new, lang="zh")
    assert (again / "index.html").read_bytes() == (page / "index.html").read_bytes()


def test_the_page_escapes_what_a_chart_says(runner, tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(SOUND, "utf-8")
    new.write_text(SOUND.replace("label: 审查", 'label: "<script>alert(1)</script>审查"'),
                   "utf-8")
    page = tmp_path / "page"
    result = run(runner, "--html", page, "--date", "2024-05-01", old, new)
    assert result.exit_code == 0, result.output
    html = (page / "index.html").read_text("utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_page_does_not_replace_a_folder_flowgraph_did_not_write(runner, planted, tmp_path):
    old, new = planted
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep", "utf-8")
    result = run(runner, "--html", folder, old, new)
    assert result.exit_code == 2
    assert (folder / "notes.txt").read_text("utf-8") == "keep"
    result = run(runner, "--html", new, old, new)
    assert result.exit_code == 2 and "input" in result.output


def test_help_names_the_gate(runner):
    result = runner.invoke(main, ["diff", "--help"])
    assert result.exit_code == 0
    assert re.search(r"new\s+grade-1 risk point", result.output)


def test_a_finding_waived_since_is_resolved_and_says_it_is_still_there(runner, tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(FLAWED, "utf-8")
    new.write_text(FLAWED.replace(
        "discretion: high}", 'discretion: high, waive: {FG301: "经集体研究备案的即办件"}}'),
        "utf-8")
    result = run(runner, old, new)
    assert result.exit_code == 0, result.output
    resolved = [line for line in result.output.splitlines() if line.startswith("  - resolved")]
    assert len(resolved) == 1 and resolved[0].startswith("  - resolved FG301 error")
    assert resolved[0].endswith("[still there, waived]")


def test_charts_of_one_title_are_paired_with_the_same_file_first(runner, tmp_path):
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        for name in ("a.yaml", "b.yaml"):
            (tmp_path / side / name).write_text(SOUND, "utf-8")
    edit(tmp_path / "new" / "b.yaml", lambda d: d["steps"]["check"].update(label="审查核实"))
    document = json.loads(run(runner, "--format", "json", tmp_path / "old",
                              tmp_path / "new").output)
    chart, = document["charts"]
    assert chart["old"]["file"].endswith("b.yaml") and chart["new"]["file"].endswith("b.yaml")
    assert [s["label"] for s in chart["risk_points_added"]] == ["审查核实"]
    assert [s["label"] for s in chart["risk_points_removed"]] == ["审查"]
