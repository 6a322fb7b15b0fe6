"""The command line, driven through click's test runner."""
from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from flowgraph.cli import main

from .conftest import ENGLISH

SOUND = """\
flowgraph: 1
title: 食品经营许可
unit: 市市场监督管理局
actors:
  window:  {name: 窗口受理员, rank: staff, reports_to: chief}
  chief:   {name: 审批科科长, rank: section, reports_to: deputy}
  deputy:  {name: 分管副局长, rank: deputy, reports_to: head}
  head:    {name: 局长, rank: principal}
  inspect: {name: 派驻纪检监察组, oversight: true}
steps:
  apply:   {kind: start, label: 提出申请}
  accept:  {kind: task, label: 受理, actor: window}
  check:   {kind: review, label: 审查, actor: chief}
  decide:  {kind: decision, label: 审批, actor: deputy, discretion: low}
  publish: {kind: disclosure, label: 结果公开, actor: window}
  watch:   {kind: oversight, label: 电子监察, actor: inspect}
  done:    {kind: end, label: 办结}
flow:
  - [apply, accept]
  - [accept, check]
  - [check, decide]
  - [decide, publish]
  - [publish, done]
oversight:
  - [watch, decide]
"""

# A fee reduction one clerk handles from start to end (FG301), with high
# discretion and no benchmark (FG202, FG201, FG401) and a pointless gateway (FG107).
FLAWED = """\
flowgraph: 1
title: 行政事业性收费减免
unit: 市住房和城乡建设局
actors:
  clerk: {name: 收费员, rank: staff}
steps:
  apply:  {kind: start, label: 申请减免}
  check:  {kind: task, label: 核对材料, actor: clerk}
  route:  {kind: gateway, label: 材料齐全}
  decide: {kind: decision, label: 决定减免, actor: clerk, discretion: high}
  done:   {kind: end, label: 办结}
flow:
  - [apply, check]
  - [check, route]
  - [route, decide]
  - [decide, done]
"""


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "sound.yaml").write_text(SOUND, "utf-8")
    (tmp_path / "flawed.yaml").write_text(FLAWED, "utf-8")
    return tmp_path


def run(runner, *args, env=None):
    return runner.invoke(main, [str(a) for a in args], env=env or ENGLISH)


def test_audit_clean_file_exits_0(runner, tree):
    result = run(runner, "audit", tree / "sound.yaml")
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output
    assert "1 file(s), 1 flowchart(s), 0 finding(s)" in result.output


def test_audit_reports_findings_grouped_by_file(runner, tree):
    result = run(runner, "audit", tree / "flawed.yaml")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{tree / 'flawed.yaml'}: 行政事业性收费减免 (市住房和城乡建设局)"
    codes = [line.split()[0] for line in lines[1:-1]]
    assert codes == ["FG301", "FG107", "FG201", "FG202", "FG401"]
    # 核对材料 is no risk point (the clerk only checks the papers: no latitude); the
    # decision, with high discretion over an unstated sum, meets one criterion
    assert ("FG301 error   check '核对材料' and 1 other step: 收费员 alone can carry a "
            "matter from '申请减免' through '核对材料' → '材料齐全' → '决定减免' to '办结', holding every "
            "step of power on the way") in result.output
    assert "FG201 error   decide '决定减免' [grade 3]:" in result.output
    assert lines[-1].endswith("risk points: 0 grade 1, 0 grade 2, 1 grade 3")
    assert "FG107 info    route '材料齐全'" in result.output


def test_audit_chinese_messages(runner, tree):
    result = run(runner, "audit", "--lang", "zh", tree / "flawed.yaml")
    lines = result.output.splitlines()
    assert lines[0] == f"{tree / 'flawed.yaml'}：行政事业性收费减免（市住房和城乡建设局）"
    assert ("  FG301 错误      check “核对材料”等 2 个环节：收费员一人即可把事项从“申请减免”"
            "经“核对材料” → “材料齐全” → “决定减免”办到“办结”，途中每个掌握权力的环节都由该岗位"
            "办理") in lines
    assert "错误" in result.output and "提示" in result.output
    assert lines[-1] == ("共 1 个文件、1 个流程图，5 个问题（错误 2，警告 2，提示 1），已豁免 0 个；"
                         "风险点：一级 0，二级 0，三级 1")


@pytest.mark.parametrize("locale", ["zh_CN.UTF-8", "C.UTF-8", "C", "POSIX", "fr_FR.UTF-8", ""])
def test_chinese_unless_the_locale_asks_for_english(runner, tree, locale):
    """The users and their charts are Chinese: a neutral locale (a server's C.UTF-8)
    or another language still gives Chinese."""
    result = run(runner, "audit", tree / "flawed.yaml",
                 env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": locale or None})
    assert "收费员一人即可把事项从“申请减免”" in result.output


@pytest.mark.parametrize("environ", [{"LANG": "en_US.UTF-8"}, {"LANG": "en"},
                                     {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"},
                                     {"LC_MESSAGES": "en_US", "LANG": "C.UTF-8"}])
def test_english_when_the_locale_names_it(runner, tree, environ):
    result = run(runner, "audit", tree / "flawed.yaml",
                 env={"LC_ALL": None, "LC_MESSAGES": None, **environ})
    assert "收费员 alone can carry a matter from '申请减免'" in result.output


def test_the_configuration_and_the_option_win_over_the_locale(runner, tree):
    (tree / "flowgraph.toml").write_text('lang = "en"\n', "utf-8")
    result = run(runner, "audit", tree / "flawed.yaml", env={"LC_ALL": None, "LANG": "C.UTF-8"})
    assert "收费员 alone can carry a matter from '申请减免'" in result.output
    result = run(runner, "audit", "--lang", "zh", tree / "flawed.yaml", env=ENGLISH)
    assert "收费员一人即可把事项从“申请减免”" in result.output


def test_json_output_matches_the_interface(runner, tree):
    result = run(runner, "audit", "--format", "json", tree)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data) >= {"files", "findings", "grades", "summary"}
    assert data["files"] == [{"path": str(tree / "flawed.yaml"), "error": None, "warnings": []},
                             {"path": str(tree / "sound.yaml"), "error": None, "warnings": []}]
    first = data["findings"][0]
    assert set(first) >= {"file", "flowchart", "rule", "severity", "steps", "witness",
                          "message", "waived", "waiver_reason"}
    assert first == {
        "file": str(tree / "flawed.yaml"), "flowchart": "flawed", "rule": "FG301",
        "severity": "error", "steps": ["check", "decide"],
        "witness": ["apply", "check", "route", "decide", "done"],
        "witness_length": 5, "witness_parts": None,
        "message": first["message"], "waived": False, "waiver_reason": None,
        "proposed_edge": None, "fingerprint": first["fingerprint"], "baseline": None}
    fg401 = [f for f in data["findings"] if f["rule"] == "FG401"][0]
    assert fg401["proposed_edge"] == [None, "decide"]
    flawed, sound = str(tree / "flawed.yaml"), str(tree / "sound.yaml")
    # grades are the inherent risk (criteria count): the clerk's check of papers holds no
    # latitude (no risk point); the decision meets one criterion (high discretion), and
    # the weaknesses found on it do not raise it; a review or a decision with some
    # latitude is a grade-3 risk point
    assert [(g["file"], g["step"], g["post"], g["grade"], g["score"], g["responsible"])
            for g in data["grades"]] == [
        (flawed, "check", "收费员", None, 0, None),
        (flawed, "decide", "收费员", 3, 1, None),
        (sound, "accept", "窗口受理员", None, 0, None),
        (sound, "check", "审批科科长", 3, 0, "分管副局长"),
        (sound, "decide", "分管副局长", 3, 0, "局长")]
    check, decide = data["grades"][:2]
    assert check["reasons"] == [] and check["responsible_note"] is None
    assert decide["reasons"] == ["high discretion +1"]
    assert decide["responsible_note"] == "the flowcharts name no direct supervisor"
    assert [g["reasons"] for g in data["grades"][3:]] == [["reviews the matter"],
                                                         ["low discretion"]]
    assert data["grades"][4]["declared_grade"] is None
    assert data["summary"] == {
        "files": 2, "unreadable": 0, "flowcharts": 2,
        "findings": {"FG107": 1, "FG201": 1, "FG202": 1, "FG301": 1, "FG401": 1},
        "waived": 0, "grades": {"1": 0, "2": 0, "3": 3}, "posts": {"1": 0, "2": 0, "3": 3},
        "key_posts": 0, "baseline": None, "roster": None}
    # without a roster, its members are there and empty (docs/programme.md)
    assert (data["roster"], data["holders"], data["programme_findings"],
            data["roster_warnings"], data["posts_without_holder"]) == (None, [], [], [], [])


def test_json_output_is_deterministic(runner, tree):
    first = run(runner, "audit", "--format", "json", tree).output
    assert run(runner, "audit", "--format", "json", tree).output == first


def test_json_output_has_one_record_a_line(runner, tree):
    text = run(runner, "audit", "--format", "json", tree).output
    data = json.loads(text)
    lines = text.splitlines()
    finding_lines = [json.loads(line.strip().rstrip(",")) for line in lines
                     if line.startswith('    {"file"') and '"rule"' in line]
    assert finding_lines == data["findings"] and finding_lines


def test_a_file_name_that_is_not_utf8_keeps_its_byte_as_an_escape(runner, tmp_path):
    """orjson refuses text holding a lone surrogate (the byte of a name that was not
    UTF-8): that record goes through the standard library's encoder, the byte kept
    as its JSON escape, the rest of the document as orjson writes it."""
    import os
    name = os.fsencode(tmp_path) + b"/odd-\xff.yaml"
    with open(name, "wb") as stream:
        stream.write(FLAWED.encode())
    out = tmp_path / "out.json"
    run(runner, "audit", "--format", "json", "-o", out, os.fsdecode(name))
    raw = out.read_bytes()
    assert b"odd-\\udcff.yaml" in raw
    data = json.loads(raw)
    assert data["files"][0]["path"].endswith("odd-\udcff.yaml")
    assert {finding["file"] for finding in data["findings"]} == {data["files"][0]["path"]}


def test_an_integer_past_64_bits_is_written_whole():
    from flowgraph.output.json_output import _compact
    assert json.loads(_compact({"money": 2 ** 70, "label": "受理"})) == \
        {"money": 2 ** 70, "label": "受理"}


def test_select_and_ignore_by_code_and_prefix(runner, tree):
    data = json.loads(run(runner, "audit", "--format", "json", "--select", "FG2",
                          tree / "flawed.yaml").output)
    assert sorted({f["rule"] for f in data["findings"]}) == ["FG201", "FG202"]
    data = json.loads(run(runner, "audit", "--format", "json", "--ignore", "FG2,FG107",
                          "--ignore", "FG401", tree / "flawed.yaml").output)
    assert [f["rule"] for f in data["findings"]] == ["FG301"]


def test_unknown_rule_code_is_a_usage_error(runner, tree):
    result = run(runner, "audit", "--select", "FG999", tree)
    assert result.exit_code == 2
    assert "FG999" in result.output and "Traceback" not in result.output


def test_fail_on_sets_the_threshold(runner, tree):
    assert run(runner, "audit", "--select", "FG107", tree / "flawed.yaml").exit_code == 0
    assert run(runner, "audit", "--select", "FG107", "--fail-on", "info",
               tree / "flawed.yaml").exit_code == 1
    assert run(runner, "audit", "--select", "FG202", "--fail-on", "error",
               tree / "flawed.yaml").exit_code == 0
    assert run(runner, "audit", "--select", "FG202", tree / "flawed.yaml").exit_code == 1


def test_batch_reports_bad_files_and_audits_the_rest(runner, tree):
    (tree / "broken.yaml").write_text("flowgraph: 1\ntitle: 坏\nsteps:\n  a: {kind: tsak}\n",
                                      "utf-8")
    (tree / "gbk.yaml").write_bytes("flowgraph: 1\ntitle: 许可\n".encode("gbk"))
    result = run(runner, "audit", "--format", "json", tree)
    assert result.exit_code == 2
    data = json.loads(result.output)
    errors = {f["path"]: f["error"] for f in data["files"]}
    assert errors[str(tree / "broken.yaml")]["line"] == 4
    assert errors[str(tree / "broken.yaml")]["column"] == 13
    assert "tsak" in errors[str(tree / "broken.yaml")]["message"]
    assert "UTF-8" in errors[str(tree / "gbk.yaml")]["message"]
    assert errors[str(tree / "sound.yaml")] is None
    assert {f["file"] for f in data["findings"]} == {str(tree / "flawed.yaml")}
    assert data["summary"]["unreadable"] == 2
    text = run(runner, "audit", tree)
    assert text.exit_code == 2
    assert (f"{tree / 'broken.yaml'}:4:13: kind of step 'a': 'tsak' is not allowed "
            f"(did you mean 'task'?)") in text.output
    assert "2 file(s) could not be read" in text.output
    assert "Traceback" not in text.output


def test_missing_path_and_empty_glob(runner, tree):
    result = run(runner, "audit", tree / "nothing.yaml", str(tree / "*.bpmnx"), tree / "sound.yaml")
    assert result.exit_code == 2
    assert "no such file or directory" in result.output
    assert "no file matches the pattern" in result.output
    assert "食品经营许可" in result.output


def test_an_empty_directory_is_an_input_error(runner, tmp_path):
    (tmp_path / "notes.txt").write_text("no flowcharts here", "utf-8")
    result = run(runner, "audit", tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path}: no flowchart files in this directory (looked for " \
        in result.output


def test_an_internal_error_on_one_file_does_not_stop_the_batch(runner, tree, monkeypatch):
    real = __import__("flowgraph.batch", fromlist=["load_all"]).load_all

    def flaky(path, *options):
        if str(path).endswith("sound.yaml"):
            raise RuntimeError("unexpected")
        return real(path, *options)
    monkeypatch.setattr("flowgraph.batch.load_all", flaky)
    result = run(runner, "audit", tree)
    assert result.exit_code == 2
    assert f"{tree / 'sound.yaml'}: internal error (please report it): RuntimeError: unexpected" \
        in result.output
    assert "行政事业性收费减免" in result.output and "Traceback" not in result.output


def test_directories_recurse_and_globs_expand(runner, tree):
    nested = tree / "sub" / "deeper"
    nested.mkdir(parents=True)
    (nested / "again.yml").write_text(SOUND, "utf-8")
    hidden = tree / ".hidden"
    hidden.mkdir()
    (hidden / "skip.yaml").write_text("not: a flowchart", "utf-8")
    (tree / "notes.txt").write_text("ignored", "utf-8")
    data = json.loads(run(runner, "audit", "--format", "json", tree).output)
    assert [f["path"] for f in data["files"]] == [
        str(tree / "flawed.yaml"), str(tree / "sound.yaml"),
        str(nested / "again.yml")]
    data = json.loads(run(runner, "audit", "--format", "json", f"{tree}/**/*.yml").output)
    assert [f["path"] for f in data["files"]] == [str(nested / "again.yml")]


def test_waived_findings_are_shown_and_do_not_fail(runner, tmp_path):
    waived = FLAWED.replace(
        "actor: clerk, discretion: high}",
        'actor: clerk, discretion: high, controls: [裁量基准],\n'
        '          waive: {FG2: "法定独任审批, 已备案", FG3: "法定独任审批, 已备案", '
        'FG4: "法定独任审批, 已备案"}}').replace(
        "  route:  {kind: gateway, label: 材料齐全}\n", "").replace(
        "  - [check, route]\n  - [route, decide]\n", "  - [check, decide]\n")
    path = tmp_path / "waived.yaml"
    path.write_text(waived, "utf-8")
    result = run(runner, "audit", path)
    assert result.exit_code == 0, result.output
    assert "[waived: 法定独任审批, 已备案]" in result.output
    assert "0 finding(s) (0 error, 0 warning, 0 info), 3 waived" in result.output
    data = json.loads(run(runner, "audit", "--format", "json", path).output)
    assert {(f["rule"], f["waived"], f["waiver_reason"]) for f in data["findings"]} == {
        ("FG201", True, "法定独任审批, 已备案"), ("FG301", True, "法定独任审批, 已备案"),
        ("FG401", True, "法定独任审批, 已备案")}


def test_configuration_in_setup_cfg_found_upward(runner, tree):
    (tree / "setup.cfg").write_text(textwrap.dedent("""\
        [metadata]
        name = unrelated

        [flowgraph]
        ignore = FG301, FG4
        severity =
            FG107 = error
        lang = zh
        """), "utf-8")
    sub = tree / "unit"
    sub.mkdir()
    (sub / "flawed.yaml").write_text(FLAWED, "utf-8")
    result = run(runner, "audit", "--format", "json", sub)
    data = json.loads(result.output)
    assert [(f["rule"], f["severity"]) for f in data["findings"]] == [
        ("FG107", "error"), ("FG201", "error"), ("FG202", "warning")]
    assert data["findings"][1]["message"].startswith("收费员在“决定减免”有较大裁量权")
    # the command line overrides the file
    data = json.loads(run(runner, "audit", "--format", "json", "--lang", "en",
                          "--ignore", "FG1", sub).output)
    assert [f["rule"] for f in data["findings"]] == ["FG301", "FG201", "FG202", "FG401"]
    assert data["findings"][1]["message"].startswith("收费员 has high discretion")


def test_configuration_in_flowgraph_toml(runner, tree):
    (tree / "flowgraph.toml").write_text(textwrap.dedent("""\
        select = ["FG2", "FG4"]
        fail_on = "error"
        high_stakes_money = 50000
        [severity]
        FG202 = "info"
        [controls]
        discretion-benchmark = ["收费减免标准"]
        """), "utf-8")
    flawed = FLAWED.replace("discretion: high}", "discretion: high, controls: [收费减免标准]}")
    (tree / "flawed.yaml").write_text(flawed, "utf-8")
    result = run(runner, "audit", "--format", "json", tree)
    data = json.loads(result.output)
    assert [f["rule"] for f in data["findings"]] == ["FG201", "FG401"]
    assert result.exit_code == 1


def test_bad_configuration_is_a_clean_usage_error(runner, tree):
    (tree / "flowgraph.toml").write_text('selct = ["FG2"]\n', "utf-8")
    result = run(runner, "audit", tree)
    assert result.exit_code == 2
    assert "flowgraph.toml:1: selct: unknown setting" in result.output
    (tree / "flowgraph.toml").write_text('select = ["FG2"\n', "utf-8")
    result = run(runner, "audit", tree)
    assert result.exit_code == 2 and "TOML syntax error" in result.output
    assert "Traceback" not in result.output


def test_output_file_is_written_and_inputs_are_protected(runner, tree):
    out = tree / "out" / "findings.json"
    result = run(runner, "audit", "--format", "json", "-o", out, tree / "flawed.yaml")
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(out.read_text("utf-8"))["summary"]["flowcharts"] == 1
    before = (tree / "sound.yaml").read_bytes()
    result = run(runner, "audit", "-o", tree / "sound.yaml", tree)
    assert result.exit_code == 2 and "one of the inputs" in result.output
    assert (tree / "sound.yaml").read_bytes() == before


def test_check_validates_without_auditing(runner, tree):
    result = run(runner, "check", tree)
    assert result.exit_code == 0
    assert f"{tree / 'flawed.yaml'}: ok (1 flowchart(s), 5 steps)" in result.output
    (tree / "bad.yaml").write_text("flowgraph: 1\ntitle: x\nsteps:\n  a: {kind: start, lable: y}\n",
                                   "utf-8")
    result = run(runner, "check", tree)
    assert result.exit_code == 2
    assert f"{tree / 'bad.yaml'}:4:20: step 'a': unknown key 'lable'; did you mean 'label'?" \
        in result.output


def test_rules_lists_every_rule(runner):
    from flowgraph.rules import RULES
    result = run(runner, "rules")
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == [r.code for r in RULES]
    data = json.loads(run(runner, "rules", "--format", "json", "--lang", "zh").output)
    assert data[0] == {"code": "FG101", "name": "no-start", "severity": "error",
                       "summary": "流程图没有开始步骤"}


def test_explain_prints_the_documentation(runner):
    result = run(runner, "explain", "fg301")
    assert result.exit_code == 0
    assert result.output.startswith("FG301 single-person-control (error)")
    for heading in ("What it finds", "Why it matters", "Example", "Use instead", "How to fix"):
        assert heading in result.output
    zh = run(runner, "explain", "FG301", "--lang", "zh").output
    assert "为什么重要" in zh and "错误示例" in zh and "收费员" in zh
    missing = run(runner, "explain", "FG999")
    assert missing.exit_code == 2 and "no rule FG999" in missing.output


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(runner, command):
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    assert main.commands[command].help and len(main.commands[command].help) > 20


BPMN = __import__("pathlib").Path(__file__).resolve().parent / "data" / "bpmn"


def test_a_side_file_of_actors_keeps_the_import_warnings(runner, tmp_path):
    """The side file's actors apply to the chart read, and the reader's warnings stay
    with it: in the text report and in ``files[].warnings`` of the JSON."""
    side = tmp_path / "actors.yaml"
    side.write_text("actors:\n"
                    "  clerk: {name: 经办人, rank: staff, reports_to: chief}\n"
                    "  chief: {name: 财务科科长, rank: section}\n", "utf-8")
    source = BPMN / "unsupported.bpmn"
    result = run(runner, "audit", "--actors", side, source)
    assert result.output.count("import warning: ") == 3, result.output
    assert "choreography is not supported" in result.output
    data = json.loads(run(runner, "audit", "--format", "json", "--actors", side,
                          source).output)
    assert [w["line"] for w in data["files"][0]["warnings"]] == [4, 16, 8]
    # the side file did apply: the clerk reports to the head of its section
    assert [(g["step"], g["grade"], g["department"]) for g in data["grades"]] == [
        ("t", None, "财务科科长")]


COUNTERSIGNED = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <process id="p" name="大额资金支付">
    <laneSet id="ls"><lane id="chief" name="财务科科长">
      <flowNodeRef>s</flowNodeRef><flowNodeRef>pay</flowNodeRef><flowNodeRef>e</flowNodeRef>
    </lane></laneSet>
    <startEvent id="s"/>
    <userTask id="pay" name="审批支付"/>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="pay"/>
    <sequenceFlow id="f2" sourceRef="pay" targetRef="e"/>
    <textAnnotation id="note"><text>裁量权较大; 执行裁量细则</text></textAnnotation>
    <association id="a" sourceRef="pay" targetRef="note"/>
  </process>
</definitions>
"""


def test_a_control_synonym_from_setup_cfg_is_read_in_bpmn_annotations(runner, tmp_path):
    """``裁量细则`` is no control of the default vocabulary; configured as a synonym of
    the discretion benchmark, the annotation that names it gives the step its
    benchmark, and FG202 (high discretion without one) falls silent: a synonym only the
    configuration knows is read from the annotation at all."""
    (tmp_path / "countersign.bpmn").write_text(COUNTERSIGNED, "utf-8")
    before = json.loads(run(runner, "audit", "--format", "json", tmp_path).output)
    assert [f["rule"] for f in before["findings"]] == ["FG201", "FG202", "FG301", "FG401"]
    (tmp_path / "setup.cfg").write_text("[flowgraph]\ncontrols =\n"
                                        "    discretion-benchmark = 裁量细则\n", "utf-8")
    after = json.loads(run(runner, "audit", "--format", "json", tmp_path).output)
    assert [f["rule"] for f in after["findings"]] == ["FG201", "FG301", "FG401"]


def test_highlight_with_no_such_finding_says_so(tree, tmp_path):
    """--highlight of a rule the chart does not break draws nothing: the user is told,
    the diagram is still written."""
    pytest.importorskip("pygraphviz")
    runner = CliRunner()
    out = tmp_path / "sound.svg"
    result = runner.invoke(main, ["render", str(tree / "sound.yaml"), "-o", str(out),
                                  "--highlight", "fg303", "--date", "2026-11-25"],
                           env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"})
    assert result.exit_code == 0 and out.exists()
    assert result.stderr.strip() == \
        "--highlight：本流程图没有 FG303 的问题，没有可突出显示的环节"
    result = runner.invoke(main, ["render", str(tree / "flawed.yaml"), "-o", str(out),
                                  "--highlight", "FG2", "--lang", "en"])
    assert result.exit_code == 0 and result.stderr == ""
