"""convert --annotate (issue 17): BPMN and draw.io files that carry the audit's grade
colours and notes for the analysts' modelling tools, and read back to the same chart."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from lxml import etree

from flowgraph.analysis import assess
from flowgraph.cli import main
from flowgraph.io import bpmn, drawio, load
from flowgraph.io.writers import Mark, write
from flowgraph.output.annotate import marks
from flowgraph.output.palette import GRADE_FILLS

from .strategies import flowcharts
from .test_bpmn import same_model
from .test_drawio import model_of
from .test_formats import SAMPLES


def annotated(chart, lang="zh"):
    assessment = assess(chart)
    return marks(chart, assessment.findings, assessment.grades, lang)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_marks_fill_risk_points_by_grade_and_note_grade_and_findings(path):
    chart = load(path)
    found = annotated(chart)
    grades = assess(chart).grades
    for step, mark in found.items():
        grade = grades[step].grade if step in grades else None
        assert mark.fill == GRADE_FILLS[grade]
        if grade:
            assert mark.note.startswith(f"建议等级：{'一二三'[grade - 1]}级")
    with_findings = {s for f in assess(chart).findings if not f.waived for s in f.steps}
    assert with_findings <= set(found)
    # the note names the codes (three, and how many in all), short enough for its box;
    # the detail says what each means
    for finding in (f for f in assess(chart).findings if not f.waived):
        for step in finding.steps:
            codes = {f.rule for f in assess(chart).findings if not f.waived and step in f.steps}
            assert finding.rule in found[step].note or \
                f"等 {len(codes)} 项" in found[step].note
            assert f"{finding.rule} {finding.message('zh')[:20]}" in found[step].detail
    assert all(len(mark.note.splitlines()) <= 2 for mark in found.values())
    english = annotated(chart, "en")
    assert all(english[step].note.startswith("suggested grade") for step in found
               if step in grades and grades[step].grade)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_an_annotated_bpmn_file_reads_back_to_the_same_chart(path):
    chart = load(path)
    text = write(chart, ".bpmn", marks=annotated(chart)).decode()
    root = etree.fromstring(text.encode())
    shapes = {s.get("bpmnElement"): s for s in root.iter(f"{{{bpmn.DI}}}BPMNShape")}
    for step, mark in annotated(chart).items():
        shape = shapes[step]
        assert shape.get(f"{{{bpmn.BIOC}}}fill") == mark.fill
        assert shape.get(f"{{{bpmn.COLOR}}}background-color") == mark.fill
    notes = [a for a in root.iter(f"{{{bpmn.MODEL}}}textAnnotation")
             if a.get(f"{{{bpmn.NS}}}audit") == "true"]
    assert len(notes) == sum(1 for m in annotated(chart).values() if m.note)
    # the findings' sentences in the note's documentation, before its text (BPMN's order)
    details = sorted(m.detail for m in annotated(chart).values() if m.detail)
    documented = [[etree.QName(child).localname for child in note] for note in notes]
    assert all(names in (["text"], ["documentation", "text"]) for names in documented)
    assert sorted(d.text for note in notes
                  for d in note.iter(f"{{{bpmn.MODEL}}}documentation")) == details
    again = bpmn.read(text.encode(), "again.bpmn")[0]
    same_model(chart, again)
    assert not again.warnings


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_an_annotated_drawio_file_reads_back_to_the_same_chart(path):
    chart = load(path)
    text = write(chart, ".drawio", marks=annotated(chart)).decode()
    assert "fillColor=#ff4d4f;" in text or "fillColor=#ffa940;" in text \
        or "fillColor=#ffe58f;" in text
    assert 'tooltip="' in text
    root = etree.fromstring(text.encode())
    tooltips = {cell.get("id"): cell.get("tooltip") for cell in root.iter("object")}
    for step, mark in annotated(chart).items():
        assert tooltips[step] == "\n".join(filter(None, (mark.note, mark.detail)))
    again = drawio.read(text.encode(), "again.drawio")[0]
    assert model_of(again) == model_of(chart)
    assert not again.warnings


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flowcharts())
def test_any_chart_annotated_reads_back(chart):
    """Notes saying what the BPMN reader would read as controls or discretion (a text
    annotation naming 集体决策 or 裁量权较大) are the audit's, and ignored."""
    noted = {step: Mark("#ff4d4f", "集体决策 裁量权较大 双人复核\nFG201") for step in chart.steps}
    again = bpmn.read(write(chart, ".bpmn", marks=noted), "x.bpmn")[0]
    same_model(chart, again)
    again = drawio.read(write(chart, ".drawio", marks=noted), "x.drawio")[0]
    assert model_of(again) == model_of(chart)


@pytest.mark.parametrize("suffix", [".bpmn", ".drawio"])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_an_annotated_file_has_the_same_findings(sample, suffix, tmp_path):
    """The marks change nothing of the analysis: the file written with them, read back,
    gives the findings and grades of the chart it came from."""
    chart = load(sample)
    path = tmp_path / f"again{suffix}"
    path.write_bytes(write(chart, suffix, marks=annotated(chart)))
    before, after = assess(chart), assess(load(path))

    def found(assessment):
        return sorted((f.rule, f.steps, f.message("zh")) for f in assessment.findings)
    assert found(after) == found(before)
    assert {s: g.grade for s, g in after.grades.items()} == \
        {s: g.grade for s, g in before.grades.items()}


def test_without_marks_the_files_are_those_written_before():
    chart = load(SAMPLES[0])
    assert write(chart, ".bpmn", marks={}) == write(chart, ".bpmn")
    assert b"bioc" not in write(chart, ".bpmn")


def test_convert_annotate(tmp_path):
    runner = CliRunner()
    for suffix in (".bpmn", ".drawio"):
        result = runner.invoke(main, ["convert", str(SAMPLES[0]), "-o",
                                      str(tmp_path / f"x{suffix}"), "--annotate"])
        assert result.exit_code == 0, result.output
    assert b"bioc:fill" in (tmp_path / "x.bpmn").read_bytes()
    result = runner.invoke(main, ["convert", str(SAMPLES[0]), "-o", str(tmp_path / "x.yaml"),
                                  "--annotate", "--lang", "en"])
    assert result.exit_code == 2 and "--annotate is for .bpmn and .drawio" in result.output
