"""The committee report folder: contents, links, escaping, reproducibility, safety."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.cli import main

from .test_render import CHART

pytest.importorskip("pygraphviz")

SOUND = """\
flowgraph: 1
title: 食品经营许可
unit: 市市场监督管理局
category: 行政许可
actors:
  window: {name: 窗口受理员, rank: staff, reports_to: chief}
  chief:  {name: 审批科科长, rank: section, reports_to: head}
  head:   {name: 局长, rank: principal}
steps:
  apply:   {kind: start, label: 提出申请}
  accept:  {kind: task, label: 受理, actor: window, discretion: low}
  decide:  {kind: decision, label: 审批, actor: chief, discretion: low}
  publish: {kind: disclosure, label: 结果公开, actor: window}
  done:    {kind: end, label: 办结}
flow:
  - [apply, accept]
  - [accept, decide]
  - [decide, publish]
  - [publish, done]
"""


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-fee.yaml").write_text(textwrap.dedent(CHART), "utf-8")
    (folder / "b-food.yaml").write_text(SOUND, "utf-8")
    (folder / "c-broken.yaml").write_text("flowgraph: 1\ntitle: <img src=x>\n", "utf-8")
    return folder


def report(batch, out, *extra):
    return CliRunner().invoke(main, ["report", str(batch), "-o", str(out), "--date",
                                     "2026-11-25", *extra])


def test_the_folder_holds_everything_offline(batch, tmp_path):
    out = tmp_path / "report"
    result = report(batch, out, "--lang", "zh")
    assert result.exit_code == 2  # the broken file is listed, the rest is reported
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        ".flowgraph-report", "charts", "charts/0001-a-fee.html", "charts/0002-b-food.html",
        "findings.json", "index.html", "ledger.csv", "ledger.xlsx", "style.css", "units",
        "units/001.html", "units/002.html"]
    for page in [out / "index.html", *sorted(out.glob("*/*.html"))]:
        text = page.read_text("utf-8")
        assert "<script" not in text and "http://" not in text.replace(
            "http://www.w3.org", "") and "https://" not in text
        assert "script-src 'none'" in text


def _sections(index: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)">', index)


def test_the_index_leads_with_the_problems_and_lists_the_files_last(batch, tmp_path):
    out = tmp_path / "report"
    report(batch, out, "--lang", "zh")
    index = (out / "index.html").read_text("utf-8")
    assert _sections(index) == ["problems", "figures", "units", "key-posts", "unreadable",
                                "files"]
    first = index.split('<h2 id="figures">')[0]
    # the fee reduction's risk point in a sentence, with its unit, item, step and post,
    # linked to its step in its chart
    assert "市住房和城乡建设局“收费减免 &lt;审批&gt; &amp; &quot;复核&quot;”：" \
           "“决定减免 \\N \\G”由收费员办理（" in first
    assert "涉及200万元" in first and "没有独立的监督，结果也不公示" in first
    assert 'href="charts/0001-a-fee.html#step-decide"' in first
    assert "FG" not in re.sub(r'<span class="codes">.*?</span>', "", first)
    assert "<td>单位</td><td class=\"n\">2</td>" in index  # the figures
    assert "<td>　一级</td><td class=\"n\">1（" in index
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in index  # the grade chart
    assert '<a href="units/001.html">市住房和城乡建设局</a>' in index  # the units' table
    assert "c-broken.yaml:1:1:" in index  # the unreadable file is listed with its error
    files = index.split('<h2 id="files">')[1]
    assert '<a href="charts/0001-a-fee.html">收费减免 &lt;审批&gt; &amp; &quot;复核&quot;</a>' \
        in files
    assert 'href="ledger.xlsx"' in index and 'href="findings.json"' in index


def test_a_unit_page_holds_its_problems_posts_and_charts(batch, tmp_path):
    out = tmp_path / "report"
    report(batch, out, "--lang", "zh")
    page = (out / "units" / "002.html").read_text("utf-8")
    assert "<h1>市市场监督管理局</h1>" in page
    assert [heading for heading in re.findall(r"<h2>([^<]+)</h2>", page)] == [
        "主要问题", "关键岗位", "风险岗位（按等级）", "流程图", "流程图质量问题",
        "外单位机构（不计入风险岗位）"]
    assert '<a href="../charts/0002-b-food.html">食品经营许可</a>' in page
    assert "<td>审批科科长</td>" in page and '<a href="../index.html#units">' in page


def test_a_big_batch_lists_its_files_in_pages(batch, tmp_path, monkeypatch):
    import flowgraph.output.report as module
    monkeypatch.setattr(module, "FILES_PER_PAGE", 1)
    out = tmp_path / "report"
    report(batch, out, "--lang", "en")
    index = (out / "index.html").read_text("utf-8")
    files = index.split('<h2 id="files">')[1]
    assert '<a href="files/1.html">1</a><a href="files/2.html">2</a>' in files
    assert "<table" not in files
    second = (out / "files" / "2.html").read_text("utf-8")
    assert '<a href="../charts/0002-b-food.html">' in second and "a-fee" not in second


def test_chart_pages_link_problems_to_steps_in_the_diagram(batch, tmp_path):
    out = tmp_path / "report"
    report(batch, out, "--lang", "en")
    page = (out / "charts" / "0001-a-fee.html").read_text("utf-8")
    assert page.count("<svg") == 1 and "<?xml" not in page
    anchors = set(re.findall(r'href="#step-([^"]+)"', page))
    assert {"check", "decide"} <= anchors
    for step in anchors:
        assert f'id="step&#45;{step}"' in page  # the diagram's node carries the anchor
    # a risk point in the diagram links to its grade row, which exists
    for target in re.findall(r'xlink:href="#grade&#45;([^"]+)"', page):
        assert f'id="grade-{target}"' in page
    assert 'id="problem-decide"' in page and "high discretion +1" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert '<a href="../units/001.html">' in page


def test_same_input_same_bytes_and_previous_report_replaced(batch, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    report(batch, first)
    report(batch, second)
    for path in first.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path
    (batch / "b-food.yaml").unlink()
    report(batch, first)  # a report folder is replaced whole
    assert [p.name for p in (first / "charts").iterdir()] == ["0001-a-fee.html"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".one")]


def test_a_folder_flowgraph_did_not_write_is_never_replaced(batch, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", "utf-8")
    result = report(batch, mine, "--lang", "en")
    assert result.exit_code == 2 and "refusing to replace it" in result.output
    assert (mine / "notes.txt").read_text("utf-8") == "keep me"
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_serial_and_parallel_layout_agree(batch, tmp_path, monkeypatch):
    import flowgraph.workers as workers
    for number in range(6):
        (batch / f"d-{number}.yaml").write_text(textwrap.dedent(CHART), "utf-8")
    report(batch, tmp_path / "serial", "--jobs", "1")
    started = []
    monkeypatch.setattr(workers, "WORTH_WORKERS", 0)  # workers from the third diagram on
    monkeypatch.setattr(workers, "SAMPLE", 0)
    monkeypatch.setattr(workers, "free_cores", lambda _since: 2)
    monkeypatch.setattr(workers, "_pool", lambda count, pool=workers._pool:
                        started.append(count) or pool(count))
    report(batch, tmp_path / "parallel", "--jobs", "2")
    assert started == [2, 2]  # the audit's, then the layout's
    pages = sorted((tmp_path / "serial" / "charts").iterdir())
    assert len(pages) == 8
    for page in pages:
        assert page.read_bytes() == (tmp_path / "parallel" / "charts" / page.name).read_bytes()


def test_import_warnings_are_shown_on_the_chart_page(tmp_path):
    """What a reader skipped (here a BPMN choreography) is on the page the committee
    reads, not only in the terminal."""
    pytest.importorskip("pygraphviz")
    folder = tmp_path / "in"
    folder.mkdir()
    source = Path(__file__).parent / "data" / "bpmn" / "unsupported.bpmn"
    (folder / "unsupported.bpmn").write_bytes(source.read_bytes())
    out = tmp_path / "report"
    report(folder, out, "--lang", "en")
    page = next((out / "charts").glob("*.html")).read_text("utf-8")
    assert "Import warnings" in page
    assert "&lt;choreography id=&#x27;ch1&#x27;&gt;: choreography is not supported" in page
