"""The strict reader of the native YAML format (docs/format.md, "What is an error").

Every kind of malformed file must be a :class:`~flowgraph.errors.LoadError` whose path,
line and column (1-based) point at the offending token and whose message says, in
English and in Chinese, what was expected. Good files must give the model, and reading
must never touch the file. Files whose bytes matter (encodings, a chart using every key)
live in ``tests/data/yaml``; the rest is inline.
"""
from __future__ import annotations

import os
import shutil
import textwrap

import pytest
from click.testing import CliRunner

from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import DEFAULT_MAX_FILE_SIZE, ReadOptions, load, load_all
from flowgraph.io.yaml_format import loads

from .conftest import ENGLISH, ROOT, chart
from .timing import within

DATA = ROOT / "tests" / "data" / "yaml"

#: A small valid chart; the cases below each break one thing in it. Line 7 is the
#: decision step, whose extra keys (``on_decision``) start at column 33.
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


def on_decision(extra: str) -> str:
    """BASE with ``extra`` added to the decision step d (line 7, from column 33)."""
    return BASE.replace("{kind: decision, actor: a}", "{kind: decision, actor: a, " + extra + "}")


def on_actor(extra: str) -> str:
    """BASE with ``extra`` added to actor a (line 4, from column 32)."""
    return BASE.replace("rank: section}", "rank: section, " + extra + "}")


def error_of(text, name="chart.yaml") -> LoadError:
    with pytest.raises(LoadError) as caught:
        loads(text, name)
    return caught.value


def check(text, line, column, english=(), chinese=()):
    """Loading ``text`` fails at ``line:column`` and both languages say what was
    expected; returns the error for further checks."""
    error = error_of(text)
    assert (error.path, error.line, error.column) == ("chart.yaml", line, column), \
        error.describe("en")
    en, zh = error.describe("en"), error.describe("zh")
    assert en.startswith(f"chart.yaml:{line}:{column}: "), en
    assert zh.startswith(f"chart.yaml:{line}:{column}: "), zh
    for words in english:
        assert words in en, en
    for words in chinese:
        assert words in zh, zh
    return error


def load_error(path, *options) -> LoadError:
    with pytest.raises(LoadError) as caught:
        load(path, *options)
    return caught.value


def test_the_base_chart_is_valid():
    """The cases below break BASE one thing at a time, so BASE itself must load."""
    flowchart = chart(BASE)
    assert flowchart.title == "许可" and list(flowchart.steps) == ["s", "d", "e"]


# -- unknown keys ------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, column, english, chinese", [
    pytest.param(BASE + "titel: x\n", 12, 1,
                 ["flowchart: unknown key 'titel'; did you mean 'title'?",
                  "expected one of: flowgraph, id, title"],
                 ["流程图：未知的项 “titel”；是否应为 “title”？", "允许：flowgraph、id、title"],
                 id="top level"),
    pytest.param(on_actor("lable: x"), 4, 32,
                 ["actor 'a': unknown key 'lable'",
                  "expected one of: name, rank, reports_to, collective, oversight, public"],
                 ["岗位 “a”：未知的项 “lable”", "允许：name、rank"],
                 id="actor"),
    pytest.param(BASE.replace("actor: a}", "actr: a}"), 7, 23,
                 ["step 'd': unknown key 'actr'; did you mean 'actor'?", "duty, declared_grade"],
                 ["步骤 “d”：未知的项 “actr”；是否应为 “actor”？"],
                 id="step, near miss actr"),
    pytest.param(BASE.replace("{kind: start}", "{kind: start, lable: 申请}"), 6, 20,
                 ["step 's': unknown key 'lable'; did you mean 'label'?"],
                 ["是否应为 “label”？"],
                 id="step, near miss lable"),
    pytest.param(on_decision("stakes: {mony: 5}"), 7, 42,
                 ["stakes of step 'd': unknown key 'mony'; did you mean 'money'?",
                  "expected one of: money, people, rights"],
                 ["步骤 “d” 的 `stakes`：未知的项 “mony”", "允许：money、people、rights"],
                 id="stakes"),
    pytest.param(on_decision("approver: 局长"), 7, 33,
                 ["step 'd': unknown key 'approver' (expected one of: kind, label"],
                 ["未知的项 “approver”（允许：kind、label"],
                 id="step, no close match: no hint"),
])
def test_unknown_keys_name_the_key_the_allowed_keys_and_a_hint(text, line, column, english,
                                                                chinese):
    error = check(text, line, column, english, chinese)
    # a hint exactly where one is expected: none without a close match
    assert ("did you mean" in error.describe("en")) == ("did you mean" in english[0])


@pytest.mark.parametrize("text, line, column, where", [
    (BASE + "waive: {FG301: 理由}\n", 12, 1, "flowchart"),
    (on_actor("waive: {FG301: 理由}"), 4, 32, "actor 'a'"),
    (on_decision("stakes: {money: 5, waive: {FG301: 理由}}"), 7, 52, "stakes of step 'd'"),
])
def test_waive_is_only_known_on_steps(text, line, column, where):
    """A waiver written where waivers do not exist must not pass for one."""
    check(text, line, column, [f"{where}: unknown key 'waive'"], ["未知的项 “waive”"])


# -- keys written twice ------------------------------------------------------------------


@pytest.mark.parametrize("text, line, column, english, chinese", [
    pytest.param(BASE + "title: again\n", 12, 1,
                 ["flowchart: duplicate key 'title' (first on line 2)"],
                 ["流程图：“title” 一项重复（第 2 行已出现）"], id="top level"),
    pytest.param(BASE.replace("steps:", "  a: {name: 局长}\nsteps:"), 5, 3,
                 ["actors: duplicate key 'a' (first on line 4)"],
                 ["`actors`：“a” 一项重复（第 4 行已出现）"], id="actors"),
    pytest.param(on_actor("name: 局长"), 4, 32,
                 ["actor 'a': duplicate key 'name' (first on line 4)"],
                 ["岗位 “a”：“name” 一项重复"], id="inside an actor"),
    pytest.param(BASE.replace("  e: {kind: end}", "  e: {kind: end}\n  d: {kind: task}"), 9, 3,
                 ["steps: duplicate key 'd' (first on line 7)"],
                 ["`steps`：“d” 一项重复（第 7 行已出现）"], id="steps"),
    pytest.param(on_decision("kind: task"), 7, 33,
                 ["step 'd': duplicate key 'kind' (first on line 7)"],
                 ["步骤 “d”：“kind” 一项重复"], id="inside a step"),
    pytest.param(on_decision("stakes: {money: 1, money: 2}"), 7, 52,
                 ["stakes of step 'd': duplicate key 'money'"],
                 ["步骤 “d” 的 `stakes`：“money” 一项重复"], id="inside stakes"),
    pytest.param(on_decision("waive: {FG301: 甲, FG301: 乙}"), 7, 51,
                 ["waive of step 'd': duplicate key 'FG301'"],
                 ["“FG301” 一项重复"], id="inside waive"),
    pytest.param(BASE.replace("  d: {kind: decision, actor: a}",
                              "  d:\n    kind: decision\n    actor: a\n    kind: task"), 10, 5,
                 ["step 'd': duplicate key 'kind' (first on line 8)"],
                 ["（第 8 行已出现）"], id="block style"),
    pytest.param(BASE + "'title': again\n", 12, 1,
                 ["duplicate key 'title'"], ["“title” 一项重复"], id="quoted twin"),
])
def test_a_key_written_twice_is_refused_at_its_second_occurrence(text, line, column, english,
                                                                  chinese):
    """PyYAML silently keeps the last value of a repeated key; flowgraph must not."""
    check(text, line, column, english, chinese)


# -- keys that are not text, merge keys, anchors -----------------------------------------


@pytest.mark.parametrize("text, line, column, got_en, got_zh", [
    (BASE.replace("  e: {kind: end}", "  1: {kind: end}"), 8, 3, "the integer 1", "整数 1"),
    (BASE.replace("  e: {kind: end}", "  no: {kind: end}"), 8, 3, "the boolean no", "布尔值 no"),
    (BASE.replace("  e: {kind: end}", "  ~: {kind: end}"), 8, 3, "nothing (null)", "空值"),
    (BASE.replace("  e: {kind: end}", "  ? [a, b]\n  : {kind: end}"), 8, 5, "a list", "列表"),
])
def test_keys_must_be_text(text, line, column, got_en, got_zh):
    check(text, line, column, [f"steps: keys must be text (quote it), got {got_en}"],
          [f"`steps`：项名应为文本（请加引号），实际为{got_zh}"])


@pytest.mark.parametrize("text, line, column, where", [
    ("flowgraph: 1\ntitle: x\nactors:\n  a: &x {name: 科长}\n  b: {<<: *x, rank: staff}\n"
     "steps:\n  s: {kind: start}\n", 5, 7, "actor 'b'"),
    ("flowgraph: 1\ntitle: x\nsteps:\n  s: &s {kind: task}\n  t:\n    <<: *s\n    label: 审核\n",
     6, 5, "step 't'"),
    ("base: &b {flowgraph: 1}\n<<: *b\ntitle: x\nsteps: {s: {kind: start}}\n", 2, 1,
     "flowchart"),
])
def test_merge_keys_are_refused(text, line, column, where):
    check(text, line, column, [f"{where}: merge keys ('<<') are not supported"],
          ["不支持合并写法 “<<”"])


def test_plain_anchors_and_aliases_are_fine():
    """Small reuse (one list of controls for several steps) is legitimate YAML."""
    flowchart = chart("""\
        flowgraph: 1
        title: x
        actors:
          a: &chief {name: 科长, rank: section}
        steps:
          s: {kind: start}
          d: {kind: task, actor: a, controls: &c [裁量基准, 集体讨论], stakes: &big {money: 100}}
          d2: {kind: task, actor: a, controls: *c, stakes: *big}
          d3: {kind: review, actor: a, controls: *c}
        flow:
          - &edge [s, d]
          - [d, d2]
        """)
    assert flowchart.steps["d2"].controls == flowchart.steps["d3"].controls == ("裁量基准", "集体讨论")
    assert flowchart.steps["d2"].stakes.money == 100


# -- values of the wrong type or outside their set ----------------------------------------


@pytest.mark.parametrize("text, line, column, english, chinese", [
    pytest.param(BASE.replace("title: 许可", "title: [a, b]"), 2, 8,
                 ["title: expected text, got a list"], ["`title`：应为文本，实际为列表"],
                 id="title as a list"),
    pytest.param(BASE.replace("title: 许可", "title: ''"), 2, 8,
                 ["title: must not be empty"], ["`title`：不能为空"], id="title empty"),
    pytest.param("flowgraph: 1\ntitle: x\nsteps: [a, b]\n", 3, 8,
                 ["steps: expected a mapping (key: value), got a list"],
                 ["`steps`：应为若干 `名称: 内容` 项，实际为列表"], id="steps as a list"),
    pytest.param(BASE.replace("actors:\n  a: {name: 科长, rank: section}\n", "actors: [a]\n"),
                 3, 9, ["actors: expected a mapping"], ["`actors`：应为若干 `名称: 内容` 项"], id="actors as a list"),
    pytest.param(BASE.replace("  e: {kind: end}", "  e: end"), 8, 6,
                 ["step 'e': expected a mapping (key: value), got the text 'end'"],
                 ["步骤 “e”：应为若干 `名称: 内容` 项"], id="step as text"),
    pytest.param(on_decision("discretion: 3"), 7, 45,
                 ["discretion of step 'd': expected one of: none, low, medium, high (or "
                  "无、较小、一般、较大), got the integer 3"],
                 ["步骤 “d” 的 `discretion`：应为以下之一：无、较小、一般、较大（或 none、low、medium、"
                  "high），实际为整数 3"],
                 id="discretion as a number"),
    pytest.param(on_decision("discretion: hihg"), 7, 45,
                 ["'hihg' is not allowed (did you mean 'high'?); expected one of: none, low, "
                  "medium, high"],
                 ["“hihg” 不是允许的值（是否应为 “high”？）"], id="discretion misspelt"),
    pytest.param(on_decision("stakes: {money: lots}"), 7, 49,
                 ["money of stakes of step 'd': expected an amount in yuan (a number), "
                  "got the text 'lots'"],
                 ["应为以元计的金额（数字），实际为文本 “lots”"], id="money as text"),
    pytest.param(on_decision("stakes: {money: -5}"), 7, 49,
                 ["the amount must be a finite number of at least 0"],
                 ["金额不能为负数或无穷"], id="money negative"),
    pytest.param(on_decision("stakes: {money: .inf}"), 7, 49,
                 ["finite number"], ["无穷"], id="money infinite"),
    pytest.param(on_decision("stakes: {money: .nan}"), 7, 49,
                 ["money of stakes of step 'd': the amount must be a finite number"],
                 ["步骤 “d” 的 `stakes` 的 `money`：金额不能为负数或无穷"], id="money not a number"),
    pytest.param(on_decision("stakes: 5000"), 7, 41,
                 ["stakes of step 'd': expected a mapping"], ["应为若干 `名称: 内容` 项"], id="stakes as a number"),
    pytest.param(on_decision("stakes: {people: maybe}"), 7, 50,
                 ["people of stakes of step 'd': expected true or false (是/否), got the text "
                  "'maybe'"],
                 ["应为是或否（或 有/无、true/false），实际为文本 “maybe”"], id="people as a string"),
    pytest.param(on_decision("controls: 裁量基准"), 7, 43,
                 ["controls of step 'd': expected a list, e.g. [裁量基准, 集体决策], "
                  "got the text '裁量基准'"],
                 ["步骤 “d” 的 `controls`：应为列表"], id="controls not a list"),
    pytest.param(on_decision("controls: [裁量基准, [集体决策]]"), 7, 50,
                 ["controls of step 'd': expected text, got a list"], ["应为文本"],
                 id="a control not text"),
    pytest.param(on_actor("collective: many"), 4, 44,
                 ["collective of actor 'a': expected the number of members (an integer of "
                  "at least 1) or yes or no, got the text 'many'"],
                 ["岗位 “a” 的 `collective`：应为人数（不小于 1 的整数）或 是/否"],
                 id="collective as text"),
    pytest.param(on_actor("collective: 2.5"), 4, 44,
                 ["an integer of at least 1) or yes or no, got the number 2.5"], ["整数"],
                 id="collective not whole"),
    pytest.param(on_actor("collective: 0"), 4, 44,
                 ["an integer of at least 1) or yes or no, got the integer 0"], ["不小于 1"],
                 id="collective zero"),
    pytest.param(on_actor("oversight: 也许"), 4, 43,
                 ["oversight of actor 'a': expected true or false (是/否), got the text '也许'"],
                 ["岗位 “a” 的 `oversight`：应为是或否"],
                 id="oversight not boolean"),
    pytest.param(BASE.replace("rank: section", "rank: boss"), 4, 23,
                 ["rank of actor 'a': 'boss' is not allowed; expected one of: staff, section, "
                  "deputy, principal"],
                 ["“boss” 不是允许的值；应为以下之一：科员、科级、副职、正职（或 staff、section、"
                  "deputy、principal）"],
                 id="rank unknown"),
    pytest.param(BASE.replace("kind: decision", "kind: approve"), 7, 13,
                 ["kind of step 'd': 'approve' is not allowed; expected one of: start, end, task, "
                  "decision, review, oversight, disclosure, gateway, system"],
                 ["步骤 “d” 的 `kind`：“approve” 不是允许的值"], id="kind unknown"),
    pytest.param(BASE.replace("kind: decision", "kind: decison"), 7, 13,
                 ["'decison' is not allowed (did you mean 'decision'?)"],
                 ["（是否应为 “decision”？）"], id="kind misspelt"),
    pytest.param(BASE.replace("{kind: end}", "{label: 办结}"), 8, 6,
                 ["step 'e' lacks its kind (one of: start, end, task"],
                 ["步骤 “e” 缺少 `kind`"], id="kind missing"),
    pytest.param(on_decision("duty: sign"), 7, 39,
                 ["duty of step 'd': 'sign' is not allowed; expected one of: apply, approve, "
                  "execute, record, custody, inspect"],
                 ["应为以下之一：申请、审批、执行、记录、保管、检查（或 apply、approve、execute、"
                  "record、custody、inspect）"],
                 id="duty unknown"),
    pytest.param(on_decision("declared_grade: 4"), 7, 49,
                 ["declared_grade of step 'd': expected 1, 2 or 3 (or 一级, 二级, 三级), "
                  "got the integer 4"],
                 ["应为一级、二级、三级（或 1、2、3，高、中、低），实际为整数 4"], id="grade 4"),
    pytest.param(on_decision("declared_grade: 四级"), 7, 49,
                 ["expected 1, 2 or 3 (or 一级, 二级, 三级), got the text '四级'"],
                 ["实际为文本 “四级”"], id="grade 四级"),
    pytest.param(on_decision("actor: [a]"), 7, 33,
                 ["step 'd': duplicate key 'actor'"], ["重复"], id="actor twice"),
    pytest.param(BASE.replace("actor: a}", "actor: 12}"), 7, 30,
                 ["actor of step 'd': expected an identifier (text), got the integer 12"],
                 ["应为标识符（文本）"], id="actor as a number"),
])
def test_wrong_types_and_values_outside_their_set(text, line, column, english, chinese):
    check(text, line, column, english, chinese)


@pytest.mark.parametrize("written, grade", [
    ("1", 1), ("2", 2), ("3", 3), ("一级", 1), ("二级", 2), ("三级", 3)])
def test_declared_grade_as_a_number_or_in_chinese(written, grade):
    assert chart(on_decision(f"declared_grade: {written}")).steps["d"].declared_grade == grade


@pytest.mark.parametrize("kind", ["start", "end", "gateway", "system"])
def test_no_discretion_on_steps_that_hold_no_power(kind):
    text = BASE.replace("  e: {kind: end}", f"  x: {{kind: {kind}, discretion: low}}\n  e: {{kind: end}}")
    # the value ``low`` on line 8: "  x: {kind: " is 12 characters, ", discretion: " 14
    check(text, 8, 27 + len(kind), [f"step 'x' is a {kind}, which holds no power: it cannot have discretion"],
          [f"步骤 “x” 的类型 `{kind}` 不掌握权力，不能有裁量权"])
    none = text.replace("discretion: low", "discretion: none")
    assert chart(none).steps["x"].discretion == "none"


@pytest.mark.parametrize("kind", ["task", "decision", "review", "oversight", "disclosure"])
def test_discretion_on_steps_that_hold_power_or_check(kind):
    text = BASE.replace("  e: {kind: end}", f"  x: {{kind: {kind}, discretion: medium}}\n  e: {{kind: end}}")
    assert chart(text).steps["x"].discretion == "medium"


# -- edges --------------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, column, english, chinese", [
    pytest.param(BASE.replace("- [d, e]", "- [d, ee]"), 11, 9,
                 ["flow refers to the undeclared step 'ee' (did you mean 'e'?)"],
                 ["`flow` 引用了未声明的步骤 “ee”（是否应为 “e”？）"], id="to undeclared, hint"),
    pytest.param(BASE.replace("- [d, e]", "- [x, e]"), 11, 6,
                 ["flow refers to the undeclared step 'x'"], ["未声明的步骤 “x”"],
                 id="from undeclared"),
    pytest.param(BASE + "  - [d, d]\n", 12, 5,
                 ["an edge in flow goes from 'd' to itself"], ["`flow` 中的连线从 “d” 指向自身"],
                 id="self-loop"),
    pytest.param(BASE + "  - [d, e]\n", 12, 5,
                 ["duplicate edge d → e in flow (first on line 11)"],
                 ["`flow` 中的连线 d → e 重复（第 11 行已出现）"], id="duplicate"),
    pytest.param(BASE + "  - [d, e, 准予]\n", 12, 5,
                 ["duplicate edge d → e in flow"], ["重复"], id="duplicate with a label"),
    pytest.param(BASE + "  - [d]\n", 12, 5,
                 ["an edge in flow: expected [from, to] or [from, to, label], got a list"],
                 ["`flow` 中的一条连线：应为`[起点, 终点]` 或 `[起点, 终点, 标签]`"], id="1 item"),
    pytest.param(BASE + "  - [d, e, x, y]\n", 12, 5,
                 ["expected [from, to] or [from, to, label]"], ["`[起点, 终点, 标签]`"],
                 id="4 items"),
    pytest.param(BASE + "  - d\n", 12, 5,
                 ["an edge in flow: expected [from, to] or [from, to, label], got the text 'd'"],
                 ["实际为文本 “d”"], id="not a list"),
    pytest.param(BASE.replace("- [d, e]", "- [d, e, [x]]"), 11, 12,
                 ["an edge label in flow: expected text, got a list"],
                 ["`flow` 中连线的标签：应为文本，实际为列表"], id="label not text"),
    pytest.param(BASE.replace("flow:\n  - [s, d]\n  - [d, e]\n", "flow: {s: d}\n"), 9, 7,
                 ["flow: expected a list of [from, to] or [from, to, label], got a mapping"],
                 ["`flow`：应为列表，每项为 `[起点, 终点]` 或 `[起点, 终点, 标签]`"], id="flow mapping"),
    pytest.param(BASE + "oversight:\n  - [w, d]\n", 13, 6,
                 ["oversight refers to the undeclared step 'w'"],
                 ["`oversight` 引用了未声明的步骤 “w”"], id="oversight to undeclared"),
    pytest.param(BASE + "oversight:\n  - [d, x]\n", 13, 9,
                 ["oversight refers to the undeclared step 'x'"], ["“x”"],
                 id="oversight watching undeclared"),
])
def test_bad_edges(text, line, column, english, chinese):
    check(text, line, column, english, chinese)


def test_the_same_pair_may_be_a_flow_and_an_oversight_edge():
    flowchart = chart(BASE + "oversight:\n  - [d, e, 监督]\n")
    assert [(e.source, e.target, e.label) for e in flowchart.oversights] == [("d", "e", "监督")]


# -- the version and the required keys ----------------------------------------------------


@pytest.mark.parametrize("text, line, column, english, chinese", [
    pytest.param(BASE.replace("flowgraph: 1\n", ""), 1, 1,
                 ["missing the format version 'flowgraph: 1'"], ["缺少格式版本 “flowgraph: 1”"],
                 id="missing"),
    pytest.param(BASE.replace("flowgraph: 1", "flowgraph: 2"), 1, 12,
                 ["unsupported format version 2; this flowgraph reads version 1"],
                 ["不支持的格式版本 2；本版 flowgraph 支持版本 1"], id="2"),
    pytest.param(BASE.replace("flowgraph: 1", 'flowgraph: "1"'), 1, 12,
                 ["the format version must be a whole number (flowgraph: 1), got the text '1'"],
                 ["格式版本应为整数（如 `flowgraph: 1`），实际为文本 “1”"], id="quoted '1'"),
    pytest.param(BASE.replace("flowgraph: 1", "flowgraph: 1.0"), 1, 12,
                 ["must be a whole number", "got the number 1.0"], ["实际为数字 1.0"], id="1.0"),
    pytest.param(BASE.replace("flowgraph: 1", "flowgraph:"), 1, 11,
                 ["must be a whole number", "got nothing (null)"], ["空值"], id="empty"),
    pytest.param(BASE.replace("flowgraph: 1", "flowgraph: 1:00"), 1, 12,
                 ["unsupported format version 1:00"], ["不支持的格式版本"],
                 id="sexagesimal 60 (used to crash with ValueError)"),
    pytest.param(BASE.replace("title: 许可\n", ""), 1, 1,
                 ["the flowchart lacks the required key 'title'"],
                 ["流程图缺少必需的项 “title”"], id="missing title"),
    pytest.param("flowgraph: 1\ntitle: x\n", 1, 1,
                 ["the flowchart lacks the required key 'steps'"],
                 ["流程图缺少必需的项 “steps”"], id="missing steps"),
    pytest.param("flowgraph: 1\ntitle: x\nsteps: {}\n", 3, 8,
                 ["steps must not be empty: a flowchart has at least one step"],
                 ["`steps` 不能为空"], id="empty steps"),
    pytest.param("flowgraph: 1\ntitle: x\nsteps:\n", 3, 7,
                 ["steps: expected a mapping (key: value), got nothing (null)"],
                 ["`steps`：应为若干 `名称: 内容` 项"], id="steps with nothing"),
])
def test_version_and_required_keys(text, line, column, english, chinese):
    check(text, line, column, english, chinese)


def test_only_the_integer_1_is_version_1():
    """YAML integers are read as YAML reads them, so ``0x1`` is 1 (it used to crash)."""
    assert chart(BASE).title == "许可"
    assert chart(BASE.replace("flowgraph: 1", "flowgraph: 0x1")).title == "许可"


def test_the_version_is_checked_before_unknown_keys():
    """A file of another tool (or another version) is named as such, not as a typo."""
    check("kind: bpmn\nflowgraph: 2\n", 2, 12, ["unsupported format version 2"], ["不支持的格式版本"])


# -- what the file holds: empty, scalars, lists, several documents -------------------------


@pytest.mark.parametrize("text, line, column, english, chinese", [
    pytest.param("", 1, 1, ["the file is empty; expected a flowchart starting with 'flowgraph: 1'"],
                 ["文件为空"], id="empty"),
    pytest.param("  \n\n\t\n", 1, 1, ["the file is empty"], ["文件为空"], id="whitespace"),
    pytest.param("# 只有注释\n# comments only\n", 1, 1,
                 ["the file holds only comments; expected a flowchart starting with 'flowgraph: 1'"],
                 ["文件只有注释"], id="comments"),
    pytest.param("hello\n", 1, 1,
                 ["flowchart: expected a mapping (key: value), got the text 'hello'"],
                 ["流程图：应为若干 `名称: 内容` 项，实际为文本 “hello”"], id="bare scalar"),
    pytest.param("42\n", 1, 1, ["got the integer 42"], ["实际为整数 42"], id="bare number"),
    pytest.param("- a\n- b\n", 1, 1, ["flowchart: expected a mapping (key: value), got a list"],
                 ["实际为列表"], id="top-level list"),
    pytest.param(BASE + "---\n" + BASE, 12, 1,
                 ["a file holds one YAML document (one flowchart)"],
                 ["一个文件只能有一个 YAML 文档"], id="two documents"),
    pytest.param("---\n" + BASE + "---\n", 13, 1, ["one YAML document"], ["一个 YAML 文档"],
                 id="empty second document"),
])
def test_files_that_hold_no_flowchart(text, line, column, english, chinese):
    check(text, line, column, english, chinese)


def test_document_markers_around_one_document_are_fine():
    assert chart("---\n" + BASE + "...\n").title == "许可"


# -- YAML syntax ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, column, problem, plain", [
    pytest.param("flowgraph: 1\ntitle: x\nsteps:\n  s: {kind: start}\n   e: {kind: end}\n",
                 5, 4, "did not find expected key", "缩进不一致", id="bad indentation"),
    pytest.param("flowgraph: 1\ntitle: x\nsteps: {s: {kind: start}\nflow: []\n", 4, 1,
                 "did not find expected ',' or '}'", "花括号 { } 没有闭合", id="unclosed brace"),
    pytest.param("flowgraph: 1\ntitle: [x\n", 3, 1, "did not find expected ',' or ']'",
                 "方括号 [ ] 没有闭合", id="unclosed bracket"),
    pytest.param("flowgraph: 1\ntitle: x\nsteps:\n\ts: {kind: start}\n", 4, 1,
                 "found character that cannot start any token", "用制表符缩进了",
                 id="tab indentation"),
    pytest.param('flowgraph: 1\ntitle: "x\nsteps: {}\n', 4, 1, "found unexpected end of stream",
                 "有引号没有闭合", id="unclosed quote"),
    pytest.param("flowgraph: 1\ntitle: 受理审查: [x]\n", 2, 12,
                 "mapping values are not allowed", "这里不能有冒号",
                 id="column counts characters"),
    pytest.param("flowgraph: 1\ntitle: " + "[" * 2000 + "\n", 2, 1007,
                 "exceeded maximum nesting depth", "括号嵌套太深", id="nesting depth"),
    pytest.param("flowgraph: 1\ntitle: x\nsteps:\n  s: {kind: start, label: *a}\n", 4, 27,
                 "found undefined alias", "没有定义的锚点", id="undefined alias"),
])
def test_yaml_syntax_errors_point_at_the_spot(text, line, column, problem, plain):
    """YAML's problem in its English words, and in plain Chinese: what usually causes
    it and how to mend it, never YAML's English inside a Chinese message."""
    error = check(text, line, column, [f"YAML syntax error: {problem}"],
                  ["YAML 语法错误：", plain])
    assert problem not in error.describe("zh")


def test_a_yaml_problem_not_known_keeps_yaml_s_words():
    from flowgraph.io.parser_problems import yaml_syntax_error
    message = yaml_syntax_error("found something new")
    assert (message.zh, message.en) == ("YAML 语法错误：found something new",
                                        "YAML syntax error: found something new")


@pytest.mark.parametrize("text, line, column, code", [
    pytest.param("flowgraph: 1\ntitle: ab\x01\n", 2, 10, "U+0001", id="ascii line"),
    pytest.param("flowgraph: 1\ntitle: 许可许可\x01\n", 2, 12, "U+0001",
                 id="after Chinese (was a byte offset: 3:7)"),
    pytest.param(BASE + "\x00", 12, 1, "U+0000", id="NUL"),
    pytest.param("flowgraph: 1\ntitle: \ud800\n", 2, 8, "U+D800",
                 id="lone surrogate (was a UnicodeEncodeError)"),
])
def test_characters_yaml_does_not_allow(text, line, column, code):
    check(text, line, column, [f"the file holds a character YAML does not allow: {code}"],
          [f"文件含有不允许的字符 {code}"])


def test_the_flows_read_plainly_come_with_their_adjacency(tmp_path):
    """The reader counts a plain edge list's pairs in their adjacency and gives it to
    the flowchart: the same successors and predecessors, in the same order, as the
    flowchart makes from its flows."""
    from flowgraph.model import Flowchart, adjacency
    path = tmp_path / "plain.yaml"
    path.write_text(BASE, "utf-8")
    read = load(path)
    assert "_adjacency" in read.__dict__
    made = Flowchart(read.id, read.title, read.steps.values(), read.flows)
    assert (read.succ, read.pred) == (made.succ, made.pred)
    assert [list(read.succ[step]) for step in read.steps] == \
        [list(made.succ[step]) for step in read.steps]
    assert adjacency(read.steps, ((e.source, e.target) for e in read.flows)) == \
        (read.succ, read.pred)


def test_the_bytes_check_refuses_what_yaml_refuses_and_nothing_else():
    """A file's bytes are checked before its text is searched (a large file in a third
    of the time); both say the same of every character but the surrogates, which no
    UTF-8 file holds."""
    import yaml

    from flowgraph.io.yaml_format import _printable
    refused = yaml.reader.Reader.NON_PRINTABLE
    points = [*range(0x3000), *range(0xE000, 0x10000), 0x10000, 0x1F600, 0x10FFFF]
    for point in points:
        character = chr(point)
        assert _printable(f"环节{character}".encode()) == (refused.search(character) is None), \
            hex(point)


def test_a_character_yaml_refuses_in_a_file_is_found_by_the_bytes_check(tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_bytes(f"{BASE}# 备注\u0085\n# x\x9f\n".encode())
    with pytest.raises(LoadError) as raised:
        load(path)
    assert (raised.value.line, raised.value.column) == (13, 4)
    assert "U+009F" in raised.value.message("en")


# -- waivers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("extra, column, english, chinese", [
    pytest.param("waive: {FG301: }", 48,
                 ["waive of step 'd' FG301: expected the reason (text), got nothing (null)"],
                 ["应为豁免理由（文本），实际为空值"], id="no reason"),
    pytest.param("waive: {FG301: ''}", 48, ["waive of step 'd': waiving FG301 needs a reason"],
                 ["豁免 FG301 必须写明理由"], id="empty reason"),
    pytest.param("waive: {FG301: '  '}", 48, ["waiving FG301 needs a reason"],
                 ["必须写明理由"], id="blank reason"),
    pytest.param("waive: {FG301: 1}", 48, ["expected the reason (text), got the integer 1"],
                 ["实际为整数 1"], id="reason a number"),
    pytest.param("waive: {FOO: 法定}", 41,
                 ["waive of step 'd': 'FOO' is not a rule code (such as FG301)"],
                 ["步骤 “d” 的 `waive`：“FOO” 不是规则代码（如 FG301）"], id="FOO"),
    pytest.param("waive: {fg301: 法定}", 41, ["'fg301' is not a rule code"], ["不是规则代码"],
                 id="lower case"),
    pytest.param("waive: {FG3011: 法定}", 41, ["'FG3011' is not a rule code"], ["不是规则代码"],
                 id="too long"),
    pytest.param("waive: {FG３０１: 法定}", 41, ["'FG３０１' is not a rule code"], ["不是规则代码"],
                 id="full-width digits (used to be accepted, waiving nothing)"),
    pytest.param("waive: FG301", 40, ["waive of step 'd': expected a mapping"], ["应为若干 `名称: 内容` 项"],
                 id="not a mapping"),
])
def test_waivers_need_a_rule_code_and_a_reason(extra, column, english, chinese):
    check(on_decision(extra), 7, column, english, chinese)


@pytest.mark.parametrize("code", ["FG301", "FG3", "FG30", "FG"[:2] + "4"])
def test_a_waiver_may_name_a_rule_or_a_prefix(code):
    waive = chart(on_decision(f"waive: {{{code}: 法定独任审批}}")).steps["d"].waive
    assert dict(waive) == {code: "法定独任审批"}


# -- reporting lines ---------------------------------------------------------------------------


def reporting(*lines: str) -> str:
    return BASE.replace("  a: {name: 科长, rank: section}\n", "".join(f"  {x}\n" for x in lines))


@pytest.mark.parametrize("text, line, column, loop", [
    pytest.param(reporting("a: {name: 科长, reports_to: b}", "b: {name: 局长, reports_to: a}"),
                 4, 29, "a → b → a", id="two"),
    pytest.param(reporting("a: {reports_to: a}"), 4, 19, "a → a", id="self"),
    pytest.param(reporting("a: {reports_to: b}", "b: {reports_to: c}", "c: {reports_to: a}",
                           "d: {reports_to: a}"), 4, 19, "a → b → c → a", id="three"),
    pytest.param(reporting("x: {reports_to: a}", "a: {reports_to: b}", "b: {reports_to: a}"),
                 5, 19, "a → b → a", id="reached from outside the loop"),
])
def test_a_reporting_line_that_loops_is_refused(text, line, column, loop):
    check(text, line, column, [f"the reporting line loops: {loop}"], [f"汇报关系首尾相连：{loop}"])


def test_reports_to_an_undeclared_actor_loads_and_is_a_finding():
    """An undeclared actor is a finding (FG106), not a load error (docs/format.md)."""
    from flowgraph.analysis import audit
    flowchart = chart(reporting("a: {name: 科长, reports_to: boss}"))
    assert flowchart.actors["a"].reports_to == "boss"
    findings = [f for f in audit(flowchart) if f.rule == "FG106"]
    assert len(findings) == 1 and "'boss'" in findings[0].message.en


def test_a_chain_of_command_loads():
    flowchart = chart(reporting("a: {reports_to: b}", "b: {reports_to: c}", "c: {rank: principal}"))
    assert [flowchart.actors[x].reports_to for x in "abc"] == ["b", "c", None]


# -- alias bombs -------------------------------------------------------------------------------


def bomb(levels: int = 9, width: int = 10) -> list[str]:
    """Anchors a0..a{levels}: each a list of ``width`` aliases of the one before, so the
    last would expand to width ** (levels + 1) scalars if it were constructed."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]"
              for i in range(1, levels + 1)]
    return lines


UNKNOWN_ANCHORS = "chart.yaml:1:1: flowchart: unknown key 'anchors'; did you mean 'actors'?"


@pytest.mark.parametrize("where, english", [
    # the version is read first: the bomb is refused where it is used
    pytest.param("flowgraph: *a9\ntitle: x\nsteps: {s: {kind: start}}\n",
                 "chart.yaml:11:7: the format version must be a whole number (flowgraph: 1), "
                 "got a list", id="as the version"),
    # anywhere else, the unknown key holding the anchors is refused before it is used
    pytest.param("flowgraph: 1\ntitle: *a9\nsteps: {s: {kind: start}}\n",
                 UNKNOWN_ANCHORS, id="as the title"),
    pytest.param("flowgraph: 1\ntitle: x\nsteps: {s: {kind: task, controls: *a9}}\n",
                 UNKNOWN_ANCHORS, id="as controls"),
    pytest.param("flowgraph: 1\ntitle: x\nsteps: {s: {kind: start}}\nflow: *a9\n",
                 UNKNOWN_ANCHORS, id="as flow"),
])
def test_a_billion_laughs_fails_fast(where, english):
    """10^10 nodes if constructed: the reader walks the composed graph against the
    schema and stops at its first error, at once."""
    # the anchors first: an alias must follow its anchor
    text = "anchors:\n" + "".join(f"  {line}\n" for line in bomb()) + where
    with within(2):
        error = error_of(text)
    assert error.describe("en").startswith(english), error.describe("en")


def test_a_billion_laughs_inside_a_known_key_fails_fast():
    """The anchors are written inside the controls list itself, so nothing but the walk
    can stop the expansion."""
    nested = ("flowgraph: 1\ntitle: x\nsteps:\n  s: {kind: task, controls: [&a0 [x, x, x], "
              + ", ".join(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10))
              + "]}\n")
    with within(2):
        error = error_of(nested)
    assert error.line == 4 and "controls of step 's': expected text, got a list" in error.describe("en")


def test_wide_reuse_beyond_the_size_of_the_file_is_an_alias_bomb():
    """One long list reused by many steps is valid in shape but expands quadratically:
    the walk stops once it has visited more nodes than the file could hold."""
    items = ", ".join(["x"] * 5000)
    text = ("flowgraph: 1\ntitle: x\nsteps:\n  s0: {kind: task, controls: &c [" + items + "]}\n"
            + "".join(f"  s{i}: {{kind: task, controls: *c}}\n" for i in range(1, 400)))
    with within(2):
        error = error_of(text)
    assert error.line == 4 and error.column is not None
    assert "too many alias expansions (a YAML alias bomb?)" in error.describe("en")
    assert "别名展开过多" in error.describe("zh")


# -- encodings ---------------------------------------------------------------------------------


def test_gbk_is_named():
    error = load_error(DATA / "gbk.yaml")
    assert error.path == str(DATA / "gbk.yaml")
    # "# 食品经..." in GBK: 食品 happen to be valid UTF-8 bytes, 经 (0xbe 0xad) is not.
    assert (error.line, error.column) == (1, 5)
    assert "the file is not UTF-8 (invalid byte 0xbe); if it is GBK, save it as UTF-8" \
        in error.describe("en")
    assert "文件不是 UTF-8 编码（无效字节 0xbe）；若为 GBK 编码，请另存为 UTF-8" in error.describe("zh")


def test_invalid_utf8_column_counts_characters():
    """Line 3 is ``title: 食品`` in UTF-8 followed by 经营许可 in GBK: the bad byte is the
    10th character of the line (it was reported as the 14th byte)."""
    error = load_error(DATA / "mixed-gbk.yaml")
    assert (error.line, error.column) == (3, 10)
    assert "GBK" in error.describe("en") and "GBK" in error.describe("zh")


def test_utf16_with_a_bom_is_named():
    error = load_error(DATA / "utf16-bom.yaml")
    assert (error.path, error.line, error.column) == (str(DATA / "utf16-bom.yaml"), 1, 1)
    assert "the file is UTF-16; save it as UTF-8" in error.describe("en")
    assert "文件是 UTF-16 编码；请另存为 UTF-8" in error.describe("zh")
    big_endian = b"\xfe\xff" + BASE.encode("utf-16-be")
    with pytest.raises(LoadError, match="UTF-16"):
        loads(big_endian, "be.yaml")


def test_utf8_with_a_bom_loads_and_keeps_its_positions():
    flowchart = load(DATA / "utf8-bom.yaml")
    assert flowchart.title == "食品经营许可" and flowchart.steps["apply"].position.line == 7
    assert flowchart.steps["apply"].position.column == 3
    error = error_of(b"\xef\xbb\xbf" + BASE.replace("kind: end", "kind: ende").encode())
    assert (error.line, error.column) == (8, 13)


def test_invalid_utf8_bytes_inline():
    error = error_of(BASE.encode("utf-8") + b"# \xff\xfe\xfa\n")
    assert (error.line, error.column) == (12, 3)
    assert "invalid byte 0xff" in error.describe("en") and "无效字节 0xff" in error.describe("zh")


# -- files: paths, size, and leaving them alone ------------------------------------------------


def test_missing_file(tmp_path):
    error = load_error(tmp_path / "missing.yaml")
    assert error.path == str(tmp_path / "missing.yaml") and error.line is None
    assert error.describe("en") == f"{tmp_path / 'missing.yaml'}: no such file"
    assert error.describe("zh") == f"{tmp_path / 'missing.yaml'}: 文件不存在"
    assert "no such file" in load_error(tmp_path / "missing").describe("en")


@pytest.mark.parametrize("name", ["folder", "folder.yaml"])
def test_a_directory_is_not_a_flowchart(tmp_path, name):
    (tmp_path / name).mkdir()
    error = load_error(tmp_path / name)
    assert error.describe("en") == f"{tmp_path / name}: is a directory, not a flowchart file"
    assert "这是目录" in error.describe("zh")


def test_unsupported_suffix_is_named_unless_the_content_tells(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n", "utf-8")
    error = load_error(path)
    assert error.path == str(path)
    assert "unsupported file type (supported: " in error.describe("en")
    assert ".yaml" in error.describe("en") and "不支持的文件类型" in error.describe("zh")
    (tmp_path / "chart.txt").write_text(BASE, "utf-8")
    assert load(tmp_path / "chart.txt").title == "许可"  # recognised by its content


def test_a_file_above_the_size_cap_is_refused_before_parsing(tmp_path):
    assert DEFAULT_MAX_FILE_SIZE == 64 * 1024 * 1024
    path = tmp_path / "big.yaml"
    path.write_text(BASE + "#" * 5000 + "\n", "utf-8")
    size = path.stat().st_size
    error = load_error(path, ReadOptions(max_file_size=4096))
    assert error.path == str(path)
    assert error.describe("en") == (f"{path}: file too large: {size:,} bytes, the limit is 4,096 "
                                    f"(setting max_file_size)")
    assert "文件过大" in error.describe("zh") and "max_file_size" in error.describe("zh")
    with pytest.raises(LoadError, match="file too large"):
        load_all(path, ReadOptions(max_file_size=4096))
    assert load(path, ReadOptions(max_file_size=size)).title == "许可"  # the cap itself is allowed
    assert load(path).title == "许可"


def test_reading_never_modifies_the_file(tmp_path):
    for source in sorted(DATA.glob("*.yaml")):
        path = tmp_path / source.name
        shutil.copy2(source, path)
        before = (path.read_bytes(), os.stat(path).st_mtime_ns, os.stat(path).st_size)
        try:
            load(path)
        except LoadError:
            pass
        CliRunner().invoke(main, ["check", str(path)], env=ENGLISH)
        CliRunner().invoke(main, ["audit", "--format", "json", str(path)], env=ENGLISH)
        assert (path.read_bytes(), os.stat(path).st_mtime_ns, os.stat(path).st_size) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in DATA.glob("*.yaml"))


# -- a good file ---------------------------------------------------------------------------------


def test_every_key_reaches_the_model():
    flowchart = load(DATA / "every-key.yaml")
    assert (flowchart.id, flowchart.title, flowchart.unit, flowchart.category, flowchart.basis,
            flowchart.superior_in_charge) == (
        "construction-permit", "建筑工程施工许可", "市住房和城乡建设局", "行政许可",
        "《中华人民共和国建筑法》第八条", "市政府分管副市长")
    assert flowchart.source == str(DATA / "every-key.yaml")
    actors = flowchart.actors
    assert [(a.id, a.name, a.rank, a.reports_to) for a in actors.values()][:4] == [
        ("window", "窗口受理员", "staff", "chief"), ("chief", "审批科科长", "section", "deputy"),
        ("deputy", "分管副局长", "deputy", "head"), ("head", "局长", "principal", None)]
    assert actors["board"].collective == 7 and actors["board"].is_collective
    assert actors["group"].oversight and not actors["group"].public
    assert actors["folk"].public and not actors["folk"].oversight
    assert (actors["clerk"].name, actors["clerk"].rank, actors["clerk"].collective) == (
        "clerk", None, None)  # the name defaults to the id
    assert actors["window"].position.line == 11 and actors["window"].position.column == 3

    steps = flowchart.steps
    decide = steps["decide"]
    assert (decide.kind, decide.label, decide.actor, decide.discretion, decide.duty,
            decide.declared_grade, decide.time_limit, decide.basis) == (
        "decision", "审批", "deputy", "high", "approve", 2, "5d", "第十条")
    assert (decide.stakes.money, decide.stakes.people, decide.stakes.rights) == (
        1500000.5, False, True)
    assert decide.controls == ("裁量基准", "集体决策")
    assert dict(decide.waive) == {"FG301": "法定独任审批, 已备案", "FG4": "由派驻纪检组全程监督"}
    assert decide.position.line == 25 and decide.position.column == 3
    meet = steps["meet"]
    assert (meet.stakes.money, meet.stakes.people, meet.stakes.rights) == (0, True, False)
    assert meet.controls == steps["check"].controls == ("双人复核", "公开公示")  # an alias
    assert meet.declared_grade == 1 and steps["show"].declared_grade == 3
    assert (steps["accept"].duty, steps["accept"].time_limit) == ("apply", "1d")
    assert steps["check"].discretion == "low" and steps["route"].discretion == "none"
    assert steps["sys"].discretion == "none"  # the default
    assert steps["apply"].stakes.money is None and steps["apply"].controls == ()
    assert dict(steps["apply"].waive) == {} and steps["apply"].declared_grade is None
    assert [s.kind for s in steps.values()] == [
        "start", "task", "review", "gateway", "decision", "decision", "system", "oversight",
        "disclosure", "end"]

    assert [(e.source, e.target, e.label) for e in flowchart.flows] == [
        ("apply", "accept", None), ("accept", "check", None), ("check", "route", None),
        ("route", "decide", "一般项目"), ("route", "meet", "重大项目"), ("decide", "sys", None),
        ("meet", "sys", None), ("sys", "show", None), ("show", "done", None)]
    assert [(e.source, e.target, e.kind, e.label) for e in flowchart.oversights] == [
        ("watch", "decide", "oversight", "全程监督"), ("watch", "meet", "oversight", None)]
    assert flowchart.flows[3].position.line == 47
    assert flowchart.graph.edges["watch", "decide", "oversight"]["label"] == "全程监督"


def test_defaults_of_a_minimal_chart():
    flowchart = chart("flowgraph: 1\ntitle: 2024\nsteps:\n  only: {kind: task}\n", "dir/min.yaml")
    assert flowchart.id == "min" and flowchart.title == "2024"  # a number is taken as written
    assert flowchart.unit is None and flowchart.actors == {} and flowchart.flows == ()
    assert flowchart.steps["only"].label == "only"


# -- the command line ----------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)


@pytest.fixture
def mixed(tmp_path):
    """A directory of one good file and two bad ones."""
    (tmp_path / "a-good.yaml").write_text(BASE, "utf-8")
    (tmp_path / "b-typo.yaml").write_text(BASE.replace("actor: a}", "actr: a}"), "utf-8")
    (tmp_path / "c-dup.yaml").write_text(BASE + "title: again\n", "utf-8")
    return tmp_path


def test_check_reports_each_bad_file_and_reads_the_good_one(mixed):
    result = run("check", mixed)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{mixed / 'a-good.yaml'}: ok (1 flowchart(s), 3 steps)",
        f"{mixed / 'b-typo.yaml'}:7:23: step 'd': unknown key 'actr'; did you mean 'actor'? "
        f"(expected one of: kind, label, actor, discretion, stakes, controls, duty, "
        f"declared_grade, time_limit, basis, waive, risk_description, risk_category, "
        f"measures, responsible_direct, responsible_department, responsible_leader, "
        f"rectification, extra)",
        f"{mixed / 'c-dup.yaml'}:12:1: flowchart: duplicate key 'title' (first on line 2)",
        "3 file(s), 2 could not be read"]
    assert "Traceback" not in result.output


def test_check_in_chinese(mixed):
    result = run("check", "--lang", "zh", mixed)
    assert result.exit_code == 2
    assert f"{mixed / 'b-typo.yaml'}:7:23: 步骤 “d”：未知的项 “actr”；是否应为 “actor”？" \
        in result.output
    assert f"{mixed / 'c-dup.yaml'}:12:1: 流程图：“title” 一项重复（第 2 行已出现）" in result.output
    assert f"{mixed / 'a-good.yaml'}：正确（1 个流程图，3 个环节）" in result.output
    assert "共 3 个文件，2 个无法读取" in result.output and "Traceback" not in result.output


def test_audit_reports_the_bad_files_and_audits_the_good_one(mixed):
    result = run("audit", mixed)
    assert result.exit_code == 2
    assert f"{mixed / 'b-typo.yaml'}:7:23: step 'd': unknown key 'actr'" in result.output
    assert f"{mixed / 'c-dup.yaml'}:12:1: flowchart: duplicate key 'title'" in result.output
    assert f"{mixed / 'a-good.yaml'}: 许可" in result.output  # audited: its heading
    assert "2 file(s) could not be read" in result.output and "Traceback" not in result.output
    zh = run("audit", "--lang", "zh", mixed)
    assert zh.exit_code == 2 and "未知的项 “actr”" in zh.output and "Traceback" not in zh.output


def test_check_every_kind_of_unreadable_file_without_a_traceback(tmp_path):
    for source in DATA.glob("*.yaml"):
        shutil.copy2(source, tmp_path / source.name)
    (tmp_path / "empty.yaml").write_bytes(b"")
    (tmp_path / "bomb.yaml").write_text(
        "flowgraph: 1\ntitle: x\nsteps:\n  s: {kind: task, controls: [&a0 [x, x], "
        + ", ".join(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10))
        + "]}\n", "utf-8")
    (tmp_path / "version.yaml").write_text(BASE.replace("flowgraph: 1", "flowgraph: 0b10"), "utf-8")
    result = run("check", tmp_path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{tmp_path / 'gbk.yaml'}:1:5: the file is not UTF-8" in result.output
    assert f"{tmp_path / 'utf16-bom.yaml'}:1:1: the file is UTF-16" in result.output
    assert f"{tmp_path / 'empty.yaml'}:1:1: the file is empty" in result.output
    assert f"{tmp_path / 'bomb.yaml'}:4:" in result.output
    assert f"{tmp_path / 'version.yaml'}:1:12: unsupported format version 0b10" in result.output
    assert f"{tmp_path / 'utf8-bom.yaml'}: ok" in result.output
    assert f"{tmp_path / 'every-key.yaml'}: ok (1 flowchart(s), 10 steps)" in result.output
    assert result.output.splitlines()[-1] == "8 file(s), 6 could not be read"


def test_the_size_cap_comes_from_the_configuration(tmp_path):
    (tmp_path / "flowgraph.toml").write_text("max_file_size = 200\n", "utf-8")
    (tmp_path / "big.yaml").write_text(BASE + "#" * 300 + "\n", "utf-8")
    (tmp_path / "small.yaml").write_text("flowgraph: 1\ntitle: x\nsteps: {s: {kind: start}}\n",
                                         "utf-8")
    result = run("check", tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path / 'big.yaml'}: file too large: " in result.output
    assert "the limit is 200 (setting max_file_size)" in result.output
    assert f"{tmp_path / 'small.yaml'}: ok" in result.output


# -- edge lists read without composing them ---------------------------------------------

def _without_plain_path(monkeypatch, text):
    from flowgraph.io import yaml_format
    monkeypatch.setattr(yaml_format, "_plain_edge_lists", lambda t: (t, {}))
    return yaml_format.loads(text, "chart.yaml")


PLAIN = textwrap.dedent("""\
    flowgraph: 1
    title: 审批
    steps:
      s: {kind: start}
      a: {kind: task, label: 受理}
      退回: {kind: task}
      e: {kind: end}
    flow:
      - [s, a]
      - [a, 退回, 材料不全]
      - [退回, e]
    """)


@pytest.mark.parametrize("text", [
    PLAIN,
    PLAIN.replace("  - [退回, e]\n", "\n  # a comment\n  - [退回, e]\n"),  # the list goes on
    PLAIN.replace("材料不全", "'材料: 不全'"),                             # a quoted label
    PLAIN.replace("  - [s, a]", "  - [s, a]  # 开始"),                     # a trailing comment
    PLAIN + "oversight: []\n",
])
def test_plain_edge_lists_read_as_yaml_reads_them(monkeypatch, text):
    plain = loads(text, "chart.yaml")
    composed = _without_plain_path(monkeypatch, text)
    assert plain.flows == composed.flows and len(plain.flows) == 3
    assert [e.position for e in plain.flows] == [e.position for e in composed.flows]


@pytest.mark.parametrize("edge, line, column", [
    ("  - [a, x]", 11, 9), ("  - [x, a]", 11, 6), ("  - [a, a]", 11, 5),
    ("  - [s, a]", 11, 5),
])
def test_plain_edge_errors_point_where_yaml_points(monkeypatch, edge, line, column):
    text = PLAIN.replace("  - [退回, e]", edge)
    with pytest.raises(LoadError) as plain:
        loads(text, "chart.yaml")
    with pytest.raises(LoadError) as composed:
        _without_plain_path(monkeypatch, text)
    assert (plain.value.line, plain.value.column) == (line, column) == \
        (composed.value.line, composed.value.column)
    assert plain.value.describe("en") == composed.value.describe("en")


@pytest.mark.parametrize("word", ["1", "yes", "null", "~", "3.5", "on"])
def test_words_yaml_reads_as_other_than_text_go_through_yaml(monkeypatch, word):
    text = PLAIN.replace("  - [退回, e]", f"  - [退回, {word}]")
    with pytest.raises(LoadError) as plain:
        loads(text, "chart.yaml")
    with pytest.raises(LoadError) as composed:
        _without_plain_path(monkeypatch, text)
    assert plain.value.describe("en") == composed.value.describe("en")


@pytest.mark.parametrize("text", [
    PLAIN.replace("  - [退回, e]\n", "  - [退回, e]\n  # the last edge\n"),  # comments after it
    PLAIN.replace("  - [退回, e]\n", "  - [退回, e]\n  \n"),                  # a blank line
    PLAIN.replace("  - [退回, e]\n", "  - [退回, e]"),                        # no newline at the end
    PLAIN.replace("  - [s, a]", "  - [s, a]\n  - [s, e, 'x y']"),              # one edge YAML reads
    PLAIN.replace("  - [退回, e]", "  - [退回, e, yes_label]"),               # a typed first letter
    PLAIN.replace("flow:\n", "oversight: []\nflow:\n"),
])
def test_plain_edge_lists_read_as_yaml_reads_them_at_their_ends(monkeypatch, text):
    plain = loads(text, "chart.yaml")
    composed = _without_plain_path(monkeypatch, text)
    assert plain.flows == composed.flows
    assert [e.position for e in plain.flows] == [e.position for e in composed.flows]


def test_a_plain_edge_list_is_kept_as_a_table_until_its_edges_are_asked_for():
    import pickle

    from flowgraph.model import EdgeTable
    chart = loads(PLAIN, "chart.yaml")
    assert isinstance(chart._flows, EdgeTable)
    assert list(chart.succ["a"]) == ["退回"] and list(chart.pred["e"]) == ["退回"]
    chart.release()
    copy = pickle.loads(pickle.dumps(chart))
    assert isinstance(copy._flows, EdgeTable)
    assert copy.flows == chart.flows == loads(PLAIN, "chart.yaml").flows
    assert [(e.source, e.target, e.label, e.position.line, e.position.column)
            for e in copy.flows] == [("s", "a", None, 9, 5), ("a", "退回", "材料不全", 10, 5),
                                     ("退回", "e", None, 11, 5)]
    assert copy.flows[0].source is copy.steps["s"].id  # the ends are the steps' own ids


@pytest.mark.parametrize("text, line, column", [
    (PLAIN.replace("  - [s, a]", "  - [s, x]") + "oversight:\n  - [a, y]\n", 9, 9),
    (PLAIN.replace("  - [退回, e]\n", "   - [退回, e]\n"), 11, 4),   # indented unlike
])
def test_plain_edge_errors_are_the_first_in_the_order_edges_are_written(monkeypatch, text,
                                                                         line, column):
    with pytest.raises(LoadError) as plain:
        loads(text, "chart.yaml")
    with pytest.raises(LoadError) as composed:
        _without_plain_path(monkeypatch, text)
    assert (plain.value.line, plain.value.column) == (line, column) == \
        (composed.value.line, composed.value.column)
    assert plain.value.describe("en") == composed.value.describe("en")


# -- steps read without composing them -------------------------------------------------------

def _steps_composed(monkeypatch, text):
    """What YAML's composer alone makes of ``text`` (the plain step lines not read apart)."""
    from flowgraph.io import yaml_format
    monkeypatch.setattr(yaml_format, "_plain_steps", lambda t: (t, [], 0))
    return yaml_format.loads(text, "chart.yaml")


STEPS = textwrap.dedent("""\
    flowgraph: 1
    title: 审批
    actors:
      c: {name: 科长, rank: section}
    steps:
      s: {kind: start}
      a: {kind: task, label: 受理, actor: c, duty: record}
      d: {kind: decision, actor: c, discretion: high, controls: [裁量基准, 集体决策]}
      m: {kind: decision, actor: c, stakes: {money: 500000}}
      e: {kind: end, risk_description: 超期}
    flow:
      - [s, a]
      - [a, d]
      - [d, m]
      - [m, e]
    """)


@pytest.mark.parametrize("text", [
    STEPS,                                                            # mixed with a YAML step
    STEPS.replace("  e: {kind: end", "\n  # 办结\n  e: {kind: end"),  # blank line and comment
    STEPS.replace("  m: {kind: decision, actor: c, stakes: {money: 500000}}\n",
                  "  m:\n    kind: decision\n    actor: c\n"),         # a step on several lines
    STEPS.replace("label: 受理", "label: '受理: 窗口'"),                 # quotes: all YAML's
    STEPS.replace("label: 受理", "label: 2024"),                       # a number as a label
    STEPS.replace("controls: [裁量基准, 集体决策]", "controls: [裁量基准]"),
    STEPS.replace("steps:\n", "steps:  \n"),
    STEPS.replace("stakes: {money: 500000}", "label: 决定"),            # every step plain
])
def test_plain_steps_read_as_yaml_reads_them(monkeypatch, text):
    plain = loads(text, "chart.yaml")
    composed = _steps_composed(monkeypatch, text)
    assert list(plain.steps.items()) == list(composed.steps.items())
    assert plain.flows == composed.flows


@pytest.mark.parametrize("old, new", [
    ("kind: task", "kind: tsak"),                    # not a kind: points at it
    ("{kind: task, ", "{"),                          # no kind: points at the {
    ("duty: record", "duty: 记录"),
    ("actor: c, duty", "actor: x, duty"),            # an undeclared actor
    ("discretion: high", "discretion: 高"),
    ("label: 受理", "lable: 受理"),                   # an unknown key
    ("label: 受理", "label: 受理, label: 办理"),      # a key twice
    ("  e: {kind: end", "  a: {kind: end"),          # a step id twice
    ("  e: {kind: end", "\n  # 办结\n\n  a: {kind: end"),  # twice, after blank lines
    ("  e: {kind: end", "\n# 办结\n  a: {kind: end"),  # and a comment at the margin
    ("controls: [裁量基准, 集体决策]", "controls: 裁量基准"),
    ("label: 受理", "label: yes"),                   # a word YAML reads as a boolean
    ("  e: {kind: end", "   e: {kind: end"),         # indented unlike the others
    ("  e: {kind: end", "  e: {kind: end, waive: {FG301: }"),  # a YAML syntax error
    ("  s: {kind: start}", "  s: {kind: start, discretion: high}"),
])
def test_plain_step_errors_are_yaml_s(monkeypatch, old, new):
    """An error (or a warning) about a plainly read step is the one YAML's reader
    gives, at its place."""
    text = STEPS.replace(old, new, 1)
    assert text != STEPS

    def outcome(read):
        try:
            chart = read(text)
        except LoadError as error:
            return error.line, error.column, error.describe("en"), error.describe("zh")
        return [(w.line, w.column, w.describe("en")) for w in chart.warnings]

    assert outcome(lambda t: loads(t, "chart.yaml")) == \
        outcome(lambda t: _steps_composed(monkeypatch, t))


def test_plain_steps_are_read_apart_from_yaml():
    """The plain lines are what the reader takes apart (the test above compares
    something), the others YAML composes."""
    from flowgraph.io.yaml_format import _plain_steps
    _, plain, line = _plain_steps(STEPS)
    assert [step.id for step in plain] == ["s", "a", "d", "e"] and line == 5
    assert plain[2].values["controls"] == ["裁量基准", "集体决策"]
    assert _plain_steps(STEPS.replace("label: 受理", "label: 受理  # 窗口"))[1] == []
