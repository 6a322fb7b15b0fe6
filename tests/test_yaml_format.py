"""The native YAML reader: every kind of malformed file gets an error naming the file,
line and column and what was expected, in both languages; good files give the model."""
from __future__ import annotations

import os
import time

import pytest
from click.testing import CliRunner

from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import load
from flowgraph.io.yaml_format import loads

BASE = """\
flowgraph: 1
title: 许可
actors:
  a: {name: 科长, rank: section}
steps:
  s: {kind: start}
  d: {kind: decision, actor: a}
  e: {kind: end}
flow:
  - [s, d]
  - [d, e]
"""


def error_of(text, name="chart.yaml") -> LoadError:
    with pytest.raises(LoadError) as caught:
        loads(text, name)
    return caught.value


def check(text, line, column, *english, chinese=()):
    """The error is at ``line:column`` and both languages say what was expected."""
    error = error_of(text)
    assert (error.path, error.line, error.column) == ("chart.yaml", line, column)
    described = error.describe("en")
    assert described.startswith(f"chart.yaml:{line}:{column}: ")
    for words in english:
        assert words in described, described
    for words in chinese:
        assert words in error.describe("zh"), error.describe("zh")
    return error


def on_decision(extra: str) -> str:
    return BASE.replace("{kind: decision, actor: a}", "{kind: decision, actor: a, " + extra + "}")


# -- keys ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, column, words", [
    (BASE + "titel: x\n", 12, 1, ["unknown key 'titel'", "did you mean 'title'?"]),
    (BASE.replace("actor: a}", "actr: a}"), 7, 23, ["step 'd'", "did you mean 'actor'?"]),
    (BASE.replace("rank: section}", "rank: section, lable: x}"), 4, 32,
     ["actor 'a'", "unknown key 'lable'", "name, rank, reports_to"]),
    (on_decision("stakes: {mony: 5}"), 7, 42, ["stakes of step 'd'", "did you mean 'money'?"]),
])
def test_unknown_keys_with_a_hint(text, line, column, words):
    check(text, line, column, *words, chinese=["未知的键"])


@pytest.mark.parametrize("text, line, column, words", [
    (BASE + "title: again\n", 12, 1, ["duplicate key 'title' (first on line 2)"]),
    (BASE.replace("steps:", "  a: {name: 局长}\nsteps:"), 5, 3, ["actors: duplicate key 'a'"]),
    (on_decision("kind: task"), 7, 33, ["step 'd': duplicate key 'kind'"]),
    (on_decision("stakes: {money: 1, money: 2}"), 7, 52, ["duplicate key 'money'"]),
    (BASE.replace("  e: {kind: end}", "  e: {kind: end}\n  d: {kind: task}"), 9, 3,
     ["steps: duplicate key 'd' (first on line 7)"]),
])
def test_duplicate_keys_at_every_level_are_refused(text, line, column, words):
    """PyYAML would silently keep the last value; flowgraph names the second one."""
    check(text, line, column, *words, chinese=["重复"])


@pytest.mark.parametrize("text, line, column, words", [
    (BASE.replace("  e: {kind: end}", "  1: {kind: end}"), 8, 3, ["keys must be text", "integer 1"]),
    (BASE.replace("  e: {kind: end}", "  no: {kind: end}"), 8, 3, ["keys must be text", "boolean"]),
    (BASE.replace("  e: {kind: end}", "  ? [a, b]\n  : {kind: end}"), 8, 5, ["keys must be text"]),
])
def test_keys_that_are_not_text(text, line, column, words):
    check(text, line, column, *words)


# -- values ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, column, words", [
    (BASE.replace("title: 许可", "title: [a, b]"), 2, 8, ["title: expected text, got a list"]),
    ("flowgraph: 1\ntitle: x\nsteps: [a, b]\n", 3, 8, ["steps: expected a mapping"]),
    (on_decision("discretion: 3"), 7, 45, ["none, low, medium, high", "integer 3"]),
    (on_decision("stakes: {money: lots}"), 7, 49, ["amount in yuan", "'lots'"]),
    (on_decision("stakes: {money: -5}"), 7, 49, ["at least 0"]),
    (on_decision("stakes: {people: maybe}"), 7, 50, ["true or false", "'maybe'"]),
    (on_decision("controls: 裁量基准"), 7, 43, ["expected a list"]),
    (BASE.replace("rank: section}", "rank: section, collective: many}"), 4, 44,
     ["collective of actor 'a'", "integer"]),
    (BASE.replace("rank: section", "rank: boss"), 4, 23,
     ["'boss' is not allowed", "staff, section, deputy, principal"]),
    (BASE.replace("kind: decision", "kind: approve"), 7, 13,
     ["'approve' is not allowed", "start, end, task, decision, review"]),
    (on_decision("duty: sign"), 7, 39, ["apply, approve, execute, record, custody, inspect"]),
    (on_decision("declared_grade: 4"), 7, 49, ["1, 2 or 3 (or 一级, 二级, 三级)"]),
    (BASE.replace("s: {kind: start}", "s: {kind: start, discretion: low}"), 6, 32,
     ["'s' is a start, which holds no power"]),
])
def test_wrong_types_and_values_outside_their_sets(text, line, column, words):
    check(text, line, column, *words)


def test_chinese_grade_names_are_accepted():
    for written, grade in (("一级", 1), ("二级", 2), ("三级", 3), ("2", 2)):
        chart = loads(on_decision(f"declared_grade: {written}"), "chart.yaml")
        assert chart.steps["d"].declared_grade == grade


# -- edges ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, column, words", [
    (BASE.replace("- [d, e]", "- [d, ee]"), 11, 9, ["undeclared step 'ee'", "did you mean 'e'?"]),
    (BASE.replace("- [d, e]", "- [x, e]"), 11, 6, ["undeclared step 'x'"]),
    (BASE + "  - [d, d]\n", 12, 5, ["from 'd' to itself"]),
    (BASE + "  - [d, e]\n", 12, 5, ["duplicate edge d → e in flow (first on line 11)"]),
    (BASE + "  - [d]\n", 12, 5, ["expected [from, to] or [from, to, label]"]),
    (BASE + "  - [d, e, x, y]\n", 12, 5, ["expected [from, to] or [from, to, label]"]),
    (BASE.replace("- [d, e]", "- [d, e, [x]]"), 11, 12, ["edge label", "expected text"]),
    (BASE + "oversight:\n  - [w, d]\n", 13, 6, ["oversight refers to the undeclared step 'w'"]),
])
def test_bad_edges(text, line, column, words):
    check(text, line, column, *words)


# -- the document -----------------------------------------------------------------------


@pytest.mark.parametrize("text, line, column, words", [
    (BASE.replace("flowgraph: 1\n", ""), 1, 1, ["missing the format version 'flowgraph: 1'"]),
    (BASE.replace("flowgraph: 1", "flowgraph: 2"), 1, 12, ["unsupported format version 2"]),
    (BASE.replace("flowgraph: 1", "flowgraph: '1'"), 1, 12,
     ["must be a whole number", "the text '1'"]),
    (BASE.replace("title: 许可\n", ""), 1, 1, ["lacks the required key 'title'"]),
    ("flowgraph: 1\ntitle: x\n", 1, 1, ["lacks the required key 'steps'"]),
    ("flowgraph: 1\ntitle: x\nsteps: {}\n", 3, 8, ["steps must not be empty"]),
    ("", 1, 1, ["the file is empty"]),
    ("  \n\n\t\n", 1, 1, ["the file is empty"]),
    ("# 只有注释\n# comments only\n", 1, 1, ["only comments"]),
    ("hello\n", 1, 1, ["expected a mapping", "'hello'"]),
    ("- a\n- b\n", 1, 1, ["expected a mapping", "got a list"]),
    (BASE + "---\n" + BASE, 12, 1, ["one YAML document"]),
])
def test_versions_required_keys_and_empty_documents(text, line, column, words):
    check(text, line, column, *words)


@pytest.mark.parametrize("text, line, column", [
    ("flowgraph: 1\ntitle: x\nsteps:\n  s: {kind: start}\n   e: {kind: end}\n", 5, 4),
    ("flowgraph: 1\ntitle: [x\n", 3, 1),
    ("flowgraph: 1\ntitle: x\nsteps:\n\ts: {kind: start}\n", 4, 1),
])
def test_yaml_syntax_errors_point_at_the_spot(text, line, column):
    check(text, line, column, "YAML syntax error", chinese=["YAML 语法错误"])


# -- waivers and reporting lines ------------------------------------------------------


@pytest.mark.parametrize("extra, column, words", [
    ("waive: {FG301: }", 48, ["waive of step 'd' FG301", "reason"]),
    ("waive: {FG301: ''}", 48, ["waiving FG301 needs a reason"]),
    ("waive: {FOO: 法定}", 41, ["'FOO' is not a rule code"]),
])
def test_waivers_need_a_rule_code_and_a_reason(extra, column, words):
    check(on_decision(extra), 7, column, *words)


def test_a_waiver_may_name_a_prefix():
    assert dict(loads(on_decision("waive: {FG3: 法定独任}"), "c.yaml").steps["d"].waive) == \
        {"FG3": "法定独任"}


def test_a_reporting_line_that_loops_is_refused():
    text = BASE.replace("a: {name: 科长, rank: section}",
                        "a: {name: 科长, reports_to: b}\n  b: {name: 局长, reports_to: a}")
    check(text, 4, 29, "the reporting line loops: a → b → a", chinese=["汇报关系形成环"])


# -- anchors, merge keys, bombs -------------------------------------------------------


def test_merge_keys_are_refused_but_plain_anchors_work():
    merge = ("flowgraph: 1\ntitle: x\nactors:\n  a: &x {name: 科长}\n  b: {<<: *x, rank: staff}\n"
             "steps:\n  s: {kind: start}\n")
    check(merge, 5, 7, "merge keys ('<<') are not supported")
    reuse = ("flowgraph: 1\ntitle: x\nactors:\n  a: {name: 科长}\nsteps:\n  s: {kind: start}\n"
             "  d: {kind: task, actor: a, controls: &c [裁量基准, 集体讨论]}\n"
             "  d2: {kind: task, actor: a, controls: *c}\n")
    assert loads(reuse, "c.yaml").steps["d2"].controls == ("裁量基准", "集体讨论")


def test_an_alias_bomb_fails_fast():
    """Ten levels of ten aliases would expand to 10^10 nodes if constructed. The reader
    walks the composed node graph against the schema instead, so the bomb is refused as
    soon as it lands where the schema expects a scalar, wherever it is placed."""
    lines = ["title: x", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    lines += ["flowgraph: *a9", "steps: {s: {kind: start}}"]
    began = time.perf_counter()
    error = error_of("\n".join(lines) + "\n")
    assert time.perf_counter() - began < 2
    assert "format version must be a whole number" in error.describe("en")
    nested = ("flowgraph: 1\ntitle: x\nsteps:\n  s: {kind: task, controls: [&a0 [x, x, x], "
              + ", ".join(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9))
              + "]}\n")
    began = time.perf_counter()
    error = error_of(nested)
    assert time.perf_counter() - began < 2 and "controls of step 's'" in error.describe("en")


# -- encodings and files ---------------------------------------------------------------


def test_encodings(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(BASE.encode("gbk"))
    with pytest.raises(LoadError) as caught:
        load(path)
    assert "GBK" in caught.value.describe("en") and caught.value.path == str(path)
    path = tmp_path / "utf16.yaml"
    path.write_bytes(BASE.encode("utf-16"))
    with pytest.raises(LoadError) as caught:
        load(path)
    assert "UTF-16" in caught.value.describe("en")
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode("utf-8"))
    assert load(path).title == "许可"
    path = tmp_path / "bad.yaml"
    path.write_bytes(BASE.encode("utf-8") + b"# \xff\xfe\xfa\n")
    with pytest.raises(LoadError) as caught:
        load(path)
    assert "UTF-8" in caught.value.describe("en") and caught.value.line == 12


def test_files_that_cannot_be_read(tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    cases = [(tmp_path / "missing.yaml", "no such file"),
             (tmp_path / "folder.yaml", "is a directory")]
    (tmp_path / "notes.txt").write_text("会议纪要\n", "utf-8")
    cases.append((tmp_path / "notes.txt", "unsupported"))
    (tmp_path / "chart.txt").write_text(BASE, "utf-8")
    assert load(tmp_path / "chart.txt").title == "许可"  # recognised by its content
    for path, words in cases:
        with pytest.raises(LoadError) as caught:
            load(path)
        assert caught.value.path == str(path) and words in caught.value.describe("en")


def test_a_file_above_the_size_cap_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(BASE + "#" * 5000 + "\n", "utf-8")
    with pytest.raises(LoadError) as caught:
        load(path, max_size=4096)
    assert "file too large" in caught.value.describe("en")
    assert "4,096" in caught.value.describe("en") and "max_file_size" in caught.value.describe("zh")
    assert load(path).title == "许可"


def test_reading_never_modifies_the_file(tmp_path):
    path = tmp_path / "chart.yaml"
    path.write_text(BASE, "utf-8")
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    load(path)
    CliRunner().invoke(main, ["audit", str(path), "--format", "json"])
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before


# -- a good file --------------------------------------------------------------------------


def test_every_key_reaches_the_model():
    chart = loads("""\
flowgraph: 1
id: permit
title: 建筑工程施工许可
unit: 市住房和城乡建设局
category: 行政许可
basis: 《建筑法》第八条
superior_in_charge: 市政府分管副市长
actors:
  chief: {name: 审批科科长, rank: section, reports_to: head}
  head:  {name: 局长, rank: principal}
  board: {name: 局党组会议, rank: principal, collective: 7}
  group: {name: 派驻纪检监察组, oversight: true}
  folk:  {name: 群众, public: true}
steps:
  s:      {kind: start}
  d:      {kind: decision, label: 审批, actor: chief, discretion: high,
           stakes: {money: 1500000.5, people: false, rights: true},
           controls: [裁量基准], duty: approve, declared_grade: 二级, time_limit: 5d,
           basis: 第十条, waive: {FG301: 法定}}
  w:      {kind: oversight, actor: group}
  e:      {kind: end, label: 发证}
flow:
  - [s, d]
  - [d, e, 准予许可]
oversight:
  - [w, d, 电子监察]
""", "permit.yaml")
    assert (chart.id, chart.unit, chart.category, chart.superior_in_charge) == (
        "permit", "市住房和城乡建设局", "行政许可", "市政府分管副市长")
    assert chart.actors["chief"].reports_to == "head" and chart.actors["board"].is_collective
    assert chart.actors["group"].oversight and chart.actors["folk"].public
    d = chart.steps["d"]
    assert (d.discretion, d.stakes.money, d.stakes.rights, d.duty, d.declared_grade) == (
        "high", 1500000.5, True, "approve", 2)
    assert d.controls == ("裁量基准",) and dict(d.waive) == {"FG301": "法定"}
    assert chart.steps["s"].label == "s" and d.position.line == 16
    assert [(e.source, e.target, e.label) for e in chart.flows] == [
        ("s", "d", None), ("d", "e", "准予许可")]
    assert chart.graph.edges["w", "d", "oversight"]["label"] == "电子监察"


# -- the command line ------------------------------------------------------------------


def test_check_reports_each_bad_file_and_still_reads_the_good_one(tmp_path):
    (tmp_path / "a-good.yaml").write_text(BASE, "utf-8")
    (tmp_path / "b-typo.yaml").write_text(BASE.replace("actor: a}", "actr: a}"), "utf-8")
    (tmp_path / "c-dup.yaml").write_text(BASE + "title: again\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2
    assert f"{tmp_path / 'a-good.yaml'}: ok (1 flowchart(s), 3 steps)" in result.output
    assert f"{tmp_path / 'b-typo.yaml'}:7:23: step 'd': unknown key 'actr'" in result.output
    assert f"{tmp_path / 'c-dup.yaml'}:12:1: flowchart: duplicate key 'title'" in result.output
    assert "3 file(s), 2 could not be read" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["audit", str(tmp_path), "--lang", "zh"])
    assert result.exit_code == 2 and "未知的键 “actr”" in result.output
    assert "a-good.yaml: 许可" in result.output and "Traceback" not in result.output
