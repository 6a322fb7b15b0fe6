"""Everything else a user reads in Chinese on the terminal is plain Chinese too (issue 17):
the readers' load errors and warnings, the notes of what a reader understood, the CLI's
usage failures and refusals, the configuration's, roster's and baseline's errors, the
lines of ``check`` and ``check -v``.

``check -v --lang zh`` runs over every input of tests/data (the bad ones and the real
exports with their import warnings) and over broken files of every format built here; a
few commands are run wrong on purpose. What follows the location prefix
(``path:line:col: ``, the compilers' convention, kept in both languages) must use
full-width punctuation and no graph words. Names quoted from a file (“…”, '…', <…>) and
keys the user types (`kind`) may hold anything and are masked first.

The rules' messages are checked by tests/test_messages.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.cli import main

from .test_hostile import workbook_bomb

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SAMPLES = ROOT / "flowcharts"

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
#: Half-width punctuation touching Chinese (or a full-width bracket, quote or colon).
HALF_WIDTH = re.compile(rf"[{CJK}（）“”：；，][ ]*[,:;()?!]|[,:;()?!][ ]*[{CJK}（）“”]")
#: Graph and programming words in Chinese: 边 (not 边界), 节点, 键 (not 关键, 右键), 图
#: alone (流程图, 图形, 图例 are plain), 环 alone (环节, 循环), 网关, 路径, 映射.
GRAPH_WORDS = re.compile(r"节点|(?<!周)边(?!界)|(?<![关右])键|(?<![流程意])图(?![形例])|"
                         r"(?<!循)环(?![节境])|网关|路径|映射|入度|出度")
#: English words of the graph a Chinese sentence must not use (keys are written as code).
GRAPH_WORDS_EN = re.compile(r"(?i)(?<![a-z_])(edge|node|graph)s?(?![a-z_])")
#: Where a line's own text begins: after the file's name, line and column.
PREFIX = re.compile(r"^\s*(?:(?:导入提示|读作|错误)：)?○[^\s:：]*(?::\d+)*(?:: |：)")


def masked(line: str, paths: list[str]) -> str:
    """``line`` with the files' names, the location prefix and quoted names masked."""
    for path in sorted(paths, key=len, reverse=True):
        line = line.replace(path, "○")
    line = PREFIX.sub("", line)
    line = re.sub(r"“[^“”]*”|`[^`]*`|<[^<>]*>|(?<![A-Za-z])'[^']*'", "○", line)
    return line


def problems(line: str, paths: list[str]) -> list[str]:
    shown = masked(line, paths)
    if not re.search(f"[{CJK}]", shown):
        return []
    return ([f"half-width {m.group()!r}" for m in HALF_WIDTH.finditer(shown)]
            + [f"graph word {m.group()!r}" for m in GRAPH_WORDS.finditer(shown)]
            + [f"graph word {m.group()!r}" for m in GRAPH_WORDS_EN.finditer(shown)])


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"LANG": "C"})
    assert "Traceback" not in result.output, result.output
    return result.output


BASE = """flowgraph: 1
title: 许可
actors:
  a: {name: 科员, rank: staff}
steps:
  s: {kind: start}
  d: {kind: decision, actor: a, discretion: low}
  e: {kind: end}
flow:
  - [s, d]
  - [d, e]
"""

#: Broken flowcharts, one fault each, in every format.
BROKEN = {
    "empty.yaml": "",
    "comments.yaml": "# 只有注释\n",
    "two-documents.yaml": BASE + "---\n" + BASE,
    "syntax.yaml": "flowgraph: 1\ntitle: [许可\n",
    "no-version.yaml": BASE.replace("flowgraph: 1\n", ""),
    "version-text.yaml": BASE.replace("flowgraph: 1", 'flowgraph: "1"'),
    "version-2.yaml": BASE.replace("flowgraph: 1", "flowgraph: 2"),
    "unknown-key.yaml": BASE + "titel: 许可\n",
    "duplicate-key.yaml": BASE + "title: 许可\n",
    "number-key.yaml": BASE.replace("  e: {kind: end}", "  e: {kind: end}\n  1: {kind: end}"),
    "merge-key.yaml": BASE.replace("  e: {kind: end}", "  e: {<<: {kind: end}}"),
    "steps-list.yaml": BASE.replace("  s: {kind: start}", "  - s"),
    "bare-text.yaml": "hello\n",
    "no-title.yaml": BASE.replace("title: 许可\n", ""),
    "kind-misspelt.yaml": BASE.replace("kind: decision", "kind: decison"),
    "no-kind.yaml": BASE.replace("{kind: end}", "{label: 办结}"),
    "discretion-word.yaml": BASE.replace("discretion: low", "discretion: 很大"),
    "discretion-on-start.yaml": BASE.replace("{kind: start}", "{kind: start, discretion: low}"),
    "money.yaml": BASE.replace("discretion: low", "discretion: low, stakes: {money: lots}"),
    "grade.yaml": BASE.replace("discretion: low", "discretion: low, declared_grade: 4"),
    "members.yaml": BASE.replace("rank: staff", "rank: staff, collective: 也许"),
    "waiver.yaml": BASE.replace("discretion: low", "discretion: low, waive: {FOO: 理由}"),
    "waiver-empty.yaml": BASE.replace("discretion: low", "discretion: low, waive: {FG301: }"),
    "edge-undeclared.yaml": BASE.replace("- [d, e]", "- [d, ee]"),
    "edge-self.yaml": BASE + "  - [d, d]\n",
    "edge-twice.yaml": BASE + "  - [d, e]\n",
    "edge-short.yaml": BASE + "  - [d]\n",
    "edge-label.yaml": BASE.replace("- [d, e]", "- [d, e, [x]]"),
    "flow-mapping.yaml": BASE.replace("flow:\n  - [s, d]\n  - [d, e]\n", "flow: {s: d}\n"),
    "reports-loop.yaml": BASE.replace("rank: staff}", "rank: staff, reports_to: b}\n"
                                      "  b: {name: 科长, rank: section, reports_to: a}"),
    "no-steps.yaml": BASE.split("steps:")[0] + "steps: {}\n",
    "flow.csv": "编号,类型,环节名称,岗位,裁量权,下一步\ns,start,申请,,,d\nd,decision,审批,科员,很大,e\n"
                "e,end,办结,,,\n",
    "columns.csv": "编号,类型,环节名称,备注\ns,start,申请,x\ne,end,办结,y\n",
    "quote.csv": '编号,类型,环节名称\ns,start,"申请\n',
    "not-a-zip.xlsx": "这不是工作簿",
    "not-xml.bpmn": "<definitions",
    "wrong-root.bpmn": "<html/>",
    "no-process.bpmn": '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>',
    "dtd.bpmn": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><definitions/>',
    "wrong-root.drawio": "<html/>",
    "no-page.drawio": "<mxfile/>",
    "bad-base64.drawio": '<mxfile><diagram name="第一页">这不是base64!!</diagram></mxfile>',
    "undirected.dot": "graph { a -- b }",
    "syntax.dot": "digraph { a -> ",
    "value.dot": "digraph { a [kind=start]; b [kind=end, discretion=很大]; a -> b }",
    "no-step.drawio": '<mxfile><diagram name="第一页"><mxGraphModel><root><mxCell id="0"/>'
                      '</root></mxGraphModel></diagram></mxfile>',
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    for name, text in BROKEN.items():
        (folder / name).write_text(text, "utf-8")
    (folder / "bomb.xlsx").write_bytes(workbook_bomb(300_000_000))
    (folder / "gbk.yaml").write_bytes(BASE.encode("gbk"))
    (folder / "utf16.yaml").write_bytes(BASE.encode("utf-16"))
    (folder / "folder.yaml").mkdir()
    (folder / "unknown.txt").write_text("x", "utf-8")
    return folder


def _assert_plain(output: str, paths: list[str]) -> None:
    wrong = {line: problems(line, paths) for line in output.splitlines()}
    wrong = {line: found for line, found in wrong.items() if found}
    assert not wrong, "\n".join(f"{found}: {line}" for line, found in wrong.items())


def test_every_broken_file_gives_its_error_in_plain_chinese(broken):
    output = run("check", "-v", "--lang", "zh", *sorted(map(str, broken.iterdir())))
    assert output.count(str(broken)) >= len(BROKEN), output
    _assert_plain(output, [str(broken)])


@pytest.mark.parametrize("folder", sorted(p.name for p in DATA.iterdir() if p.is_dir()))
def test_the_readers_warnings_and_notes_on_real_exports_are_plain_chinese(folder):
    """The import warnings (导入提示) and what the readers understood (读作) of the real
    exports in tests/data: corpora, drawn, bpmn, drawio, and the bad YAML encodings."""
    output = run("check", "-v", "--lang", "zh", str(DATA / folder))
    assert str(DATA / folder) in output
    _assert_plain(output, [str(DATA / folder)])


def test_the_checks_of_the_samples_are_plain_chinese():
    output = run("check", "-v", "--lang", "zh", str(SAMPLES))
    _assert_plain(output, [str(SAMPLES)])


def test_usage_failures_and_refusals_are_plain_chinese(tmp_path):
    chart = SAMPLES / sorted(p.name for p in SAMPLES.glob("*.yaml"))[0]
    toml = tmp_path / "bad" / "flowgraph.toml"
    toml.parent.mkdir()
    toml.write_text("[flowgraph]\nbogus = 1\n", "utf-8")
    (tmp_path / "bad" / "chart.yaml").write_text(BASE, "utf-8")
    roster = tmp_path / "在岗人员.csv"
    roster.write_text("单位,岗位,姓名,任职起始日期\n市财政局,科长,,2019-13-01\n", "utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text("{", "utf-8")
    actors = tmp_path / "岗位.yaml"
    actors.write_text("", "utf-8")
    runs = [
        ("audit", "--lang", "zh", "--select", "FG999", str(chart)),
        ("render", "--lang", "zh", "--highlight", "FG999", str(chart), "-o", str(tmp_path / "x.svg")),
        ("audit", "--lang", "zh", "--baseline", str(baseline), str(chart)),
        ("audit", "--lang", "zh", "--as-of", "2020-13-01", str(chart)),
        ("audit", "--lang", "zh", "--roster", str(roster), "--as-of", "2025-06-30", str(chart)),
        ("audit", "--lang", "zh", "--actors", str(actors), str(chart)),
        ("check", "--lang", "zh", str(tmp_path / "bad")),
        ("convert", "--lang", "zh", str(chart), "-o", str(tmp_path / "out.pdf")),
        ("convert", "--lang", "zh", str(chart), "-o", str(chart)),
        ("explain", "--lang", "zh", "FG999"),
        ("ledger", "--lang", "zh", str(chart), "-o", str(tmp_path / "x.txt")),
        ("convert", "--lang", "zh", str(DATA / "drawn" / "camunda-township.bpmn"), "-o",
         str(tmp_path / "township.yaml")),
    ]
    outputs = [run(*args) for args in runs]
    assert all(re.search(f"[{CJK}]", output) for output in outputs), outputs
    _assert_plain("\n".join(outputs), [str(tmp_path), str(chart), str(SAMPLES)])


# -- the checks can fail ------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "a.yaml:3:1: 流程图: 未知的键 “titel”",
    "a.yaml:3:1: flow 中的边从 “d” 指向自身",
    "  导入提示：a.bpmn:4: 消息流来自未知元素, 已忽略",
    "a.yaml:2: 应为映射 (键: 值)",
    "a.dot: 节点 “x”：属性错误",
    "a.dot: 应为有向图",
    "a.yaml:11:9: 该 edge 引用了未声明的步骤 “ee”",
    "a.yaml: 汇报关系形成环：a → b → a",
])
def test_the_check_catches_half_width_and_graph_words(line):
    assert problems(line, ["a.yaml", "a.bpmn", "a.dot"])


@pytest.mark.parametrize("line", [
    "a.yaml:3:1: 流程图：未知的项 “titel, or: (x)”；是否应为 “title”？",
    "a.drawio: 页面 “第 1 页”：连线的终点未连接到任何图形，已跳过",
    "a.yaml: 步骤 “d” 的 `discretion`：应为以下之一：无、较小（或 none, low）",
    "a.yaml：正确（1 个流程图，3 个环节）",
    "a.yaml: 符号链接循环；关键环节；非中断边界事件",
])
def test_the_check_passes_plain_chinese(line):
    assert not problems(line, ["a.yaml", "a.drawio"])


def _chinese_literals(path: Path):
    """The Chinese text of each ``Text(zh, en)`` written in a module: its literal parts
    (an f-string's values masked), with the line they start on."""
    import ast
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Text" \
                and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value
            elif isinstance(first, ast.JoinedStr):
                yield node.lineno, "".join(part.value if isinstance(part, ast.Constant)
                                           else "○" for part in first.values)


@pytest.mark.parametrize("module", sorted(
    (*ROOT.glob("flowgraph/output/*.py"), *ROOT.glob("flowgraph/grading/*.py")),
    key=str), ids=lambda path: path.name)
def test_the_report_and_ledger_texts_use_full_width_punctuation(module):
    """What the report, the Word document and the ledger write around the charts'
    own words: every Chinese text written in their modules (the rules' messages and
    the terminal's lines are checked above and in tests/test_messages.py)."""
    found = [f"{module.name}:{line}: {problem} in {text!r}"
             for line, text in _chinese_literals(module)
             for problem in problems(text, [])]
    assert not found
