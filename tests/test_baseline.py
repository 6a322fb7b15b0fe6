"""``flowgraph audit --baseline``: only findings the baseline does not know fail."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.batch import audit_paths
from flowgraph.cli import main
from flowgraph.config import Config
from flowgraph.fingerprints import fingerprints

from .conftest import ENGLISH
from .test_cli import FLAWED, SOUND

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "flowcharts"


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], env=ENGLISH)


@pytest.fixture
def samples(tmp_path):
    """The samples, with a baseline of their findings written by audit."""
    tree = tmp_path / "charts"
    shutil.copytree(SAMPLES, tree, ignore=shutil.ignore_patterns("*.md"))
    return tree


def baseline_of(runner, tree, target) -> dict:
    result = run(runner, "audit", "--format", "json", "-o", target, tree)
    assert result.exit_code == 1, result.output
    return json.loads(target.read_text("utf-8"))


def test_a_second_run_against_its_own_baseline_passes_and_counts_the_known(
        runner, samples, tmp_path):
    document = baseline_of(runner, samples, tmp_path / "baseline.json")
    known = len(document["findings"])
    assert known == 23
    result = run(runner, "audit", "--baseline", tmp_path / "baseline.json", samples)
    assert result.exit_code == 0, result.output
    assert "FG2" not in result.output and "FG3" not in result.output
    assert result.output.splitlines()[-1].endswith(
        f"0 finding(s) (0 error, 0 warning, 0 info), 0 waived; risk points: 14 grade 1, "
        f"21 grade 2, 77 grade 3; {known} known finding(s) of the baseline skipped")
    chinese = run(runner, "audit", "--lang", "zh", "--baseline", tmp_path / "baseline.json",
                  samples)
    assert chinese.output.splitlines()[-1].endswith(f"基线中已知的问题 {known} 个（未列出）")


def test_json_marks_every_finding_and_counts_them(runner, samples, tmp_path):
    baseline = tmp_path / "baseline.json"
    document = baseline_of(runner, samples, baseline)
    result = run(runner, "audit", "--format", "json", "--baseline", baseline, samples)
    assert result.exit_code == 0
    again = json.loads(result.output)
    assert [f["baseline"] for f in again["findings"]] == ["known"] * 23
    assert again["summary"]["baseline"] == {"known": 23, "new": 0}
    # the document stays complete: the same findings, fingerprints and counts
    assert [f["fingerprint"] for f in again["findings"]] == \
        [f["fingerprint"] for f in document["findings"]]
    assert again["summary"]["findings"] == document["summary"]["findings"]
    assert document["summary"]["baseline"] is None
    assert {f["baseline"] for f in document["findings"]} == {None}


def test_a_new_finding_fails_and_only_it_is_shown(runner, samples, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline_of(runner, samples, baseline)
    (samples / "zz-fee-reduction.yaml").write_text(FLAWED, "utf-8")
    result = run(runner, "audit", "--baseline", baseline, samples)
    assert result.exit_code == 1
    shown = [line.split()[0] for line in result.output.splitlines() if line.startswith("  FG")]
    assert sorted(shown) == ["FG107", "FG201", "FG202", "FG301", "FG401"]
    assert "5 finding(s) (2 error, 2 warning, 1 info)" in result.output
    assert "23 known finding(s) of the baseline skipped" in result.output
    data = json.loads(run(runner, "audit", "--format", "json", "--baseline", baseline,
                          samples).output)
    assert data["summary"]["baseline"] == {"known": 23, "new": 5}
    assert {f["file"] for f in data["findings"] if f["baseline"] == "new"} == \
        {str(samples / "zz-fee-reduction.yaml")}


def test_renamed_and_reordered_files_are_still_known(runner, samples, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline_of(runner, samples, baseline)
    moved = tmp_path / "this-year"
    moved.mkdir()
    for number, path in enumerate(sorted(samples.glob("*.yaml"), reverse=True)):
        (moved / f"{number:02d}-{path.stem[::-1]}.yaml").write_bytes(path.read_bytes())
    result = run(runner, "audit", "--baseline", baseline, moved)
    assert result.exit_code == 0, result.output
    assert "23 known finding(s)" in result.output


def test_a_fingerprint_known_once_covers_one_finding(runner, tmp_path):
    (tmp_path / "a.yaml").write_text(FLAWED, "utf-8")
    baseline_of(runner, tmp_path, tmp_path / "baseline.json")
    (tmp_path / "b.yaml").write_text(FLAWED, "utf-8")  # the same item charted twice
    result = run(runner, "audit", "--baseline", tmp_path / "baseline.json", tmp_path)
    assert result.exit_code == 1
    assert "5 known finding(s)" in result.output
    assert "b.yaml" in result.output and "5 finding(s)" in result.output


def test_a_reports_findings_json_is_a_baseline(runner, tmp_path):
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "flawed.yaml").write_text(FLAWED, "utf-8")
    (tmp_path / "charts" / "sound.yaml").write_text(SOUND, "utf-8")
    assert run(runner, "report", "-o", tmp_path / "report", "--date", "2024-01-01",
               tmp_path / "charts").exit_code == 0
    result = run(runner, "audit", "--baseline", tmp_path / "report" / "findings.json",
                 tmp_path / "charts")
    assert result.exit_code == 0, result.output
    assert "5 known finding(s)" in result.output


def test_the_json_fingerprints_are_the_librarys(runner, samples):
    data = json.loads(run(runner, "audit", "--format", "json", samples).output)
    config = Config()
    expected_findings, expected_grades = [], []
    for result in audit_paths([str(samples)], config):
        for chart in result.charts:
            prints = fingerprints(chart)
            expected_findings += prints.findings
            expected_grades += [prints.steps[step] for step in chart.grades]
    assert [f["fingerprint"] for f in data["findings"]] == expected_findings
    assert [g["fingerprint"] for g in data["grades"]] == expected_grades
    assert len(set(expected_findings)) == len(expected_findings)


BAD = {
    "another tool's JSON (SARIF)": ('{"version": "2.1.0", "runs": []}',
                                    "not a flowgraph audit document"),
    "a list (ESLint)": ('[{"filePath": "a.js", "messages": []}]',
                        "not a flowgraph audit document"),
    "not JSON": ("flowgraph: 1\ntitle: x\n", "not valid JSON"),
    "findings of the wrong shape": ('{"findings": [1, 2], "summary": {}}',
                                    "finding 1 has no fingerprint"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_baseline_of_the_wrong_shape_is_refused_naming_the_file(runner, tmp_path, case):
    text, message = BAD[case]
    (tmp_path / "sound.yaml").write_text(SOUND, "utf-8")
    (tmp_path / "base.json").write_text(text, "utf-8")
    result = run(runner, "audit", "--baseline", tmp_path / "base.json", tmp_path / "sound.yaml")
    assert result.exit_code == 2
    assert f"{tmp_path / 'base.json'}" in result.output and message in result.output
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


def test_a_document_older_than_fingerprints_is_refused(runner, tmp_path):
    (tmp_path / "flawed.yaml").write_text(FLAWED, "utf-8")
    document = baseline_of(runner, tmp_path, tmp_path / "new.json")
    for finding in document["findings"]:
        del finding["fingerprint"]
    (tmp_path / "old.json").write_text(json.dumps(document), "utf-8")
    result = run(runner, "audit", "--lang", "zh", "--baseline", tmp_path / "old.json",
                 tmp_path / "flawed.yaml")
    assert result.exit_code == 2
    assert "old.json: 第 1 个问题没有 fingerprint (指纹), 可能由旧版 flowgraph 生成" in result.output


def test_an_unreadable_baseline_is_refused_naming_the_file(runner, tmp_path):
    (tmp_path / "sound.yaml").write_text(SOUND, "utf-8")
    (tmp_path / "latin.json").write_bytes('{"findings": "\xe9"}'.encode("latin-1"))
    cases = {tmp_path / "missing.json": "no such baseline file",
             tmp_path: "is a folder",
             tmp_path / "latin.json": "not UTF-8 text"}
    for path, message in cases.items():
        result = run(runner, "audit", "--baseline", path, tmp_path / "sound.yaml")
        assert result.exit_code == 2
        assert result.output.strip() == f"Error: {path}: {message}" + (
            "" if path.name == "missing.json" else
            "; expected the output of flowgraph audit --format json, or a report's "
            "findings.json")


def test_the_output_may_not_replace_the_baseline(runner, tmp_path):
    (tmp_path / "flawed.yaml").write_text(FLAWED, "utf-8")
    baseline = tmp_path / "baseline.json"
    baseline_of(runner, tmp_path / "flawed.yaml", baseline)
    before = baseline.read_bytes()
    result = run(runner, "audit", "--format", "json", "--baseline", baseline, "-o", baseline,
                 tmp_path / "flawed.yaml")
    assert result.exit_code == 2 and "one of the inputs" in result.output
    assert baseline.read_bytes() == before
