"""Hostile files, one per attack, each refused with a clear error within a second
(docs/security.md). Alias bombs, DTDs in draw.io and decompression bombs of draw.io
pages have their own tests beside their formats."""
from __future__ import annotations

import io
import os
import zipfile

import pytest
from click.testing import CliRunner

from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import load_all, read_data

from .timing import within

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def refused(fmt: str, data: bytes, name: str = "hostile") -> LoadError:
    """The LoadError reading ``data`` gives, checked to come within a second of CPU."""
    with within(1), pytest.raises(LoadError) as caught:
        read_data(fmt, data, f"{name}.{fmt}")
    return caught.value


def test_deeply_nested_xml_is_refused():
    depth = 100_000
    data = (f'<definitions xmlns="{MODEL}"><process id="p">'.encode()
            + b"<extensionElements>" * depth + b"</extensionElements>" * depth
            + b"</process></definitions>")
    error = refused("bpmn", data)
    assert "XML syntax error" in error.describe("en") and error.line == 1


def test_a_huge_attribute_is_refused():
    data = (f'<definitions xmlns="{MODEL}"><process id="p"><task id="t" name="'.encode()
            + b"x" * 20_000_000 + b'"/></process></definitions>')
    error = refused("bpmn", data)
    assert "XML syntax error" in error.describe("en")


def test_a_billion_laughs_in_draw_io_is_refused():
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = (f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY l0 "lol">{entities}]>'
            '<mxfile><diagram name="p"><mxGraphModel><root><mxCell id="0"/>'
            '<mxCell id="1" parent="0" value="&l9;" vertex="1"/></root></mxGraphModel>'
            '</diagram></mxfile>').encode()
    refused("drawio", data)


def workbook_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * size + b"</a>")
    return buffer.getvalue()


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked():
    error = refused("xlsx", workbook_bomb(60 * 1024 * 1024), "bomb")
    assert "a zip bomb, refused" in error.describe("en")
    assert "疑为压缩炸弹" in error.describe("zh")


def test_a_workbook_that_is_no_zip_is_a_clear_error():
    error = refused("xlsx", b"PK\x03\x04 not really a zip", "broken")
    assert "not a valid Excel workbook" in error.describe("en")


def test_files_over_the_size_cap_are_refused_unread(tmp_path):
    big = tmp_path / "big.bpmn"
    with open(big, "wb") as stream:
        stream.truncate(70 * 1024 * 1024)  # sparse: larger than the 64 MiB default
    with within(1), pytest.raises(LoadError) as caught:
        load_all(big)
    assert "file too large" in caught.value.describe("en")


def test_a_bomb_in_a_batch_is_reported_and_the_rest_audited(tmp_path):
    (tmp_path / "bomb.xlsx").write_bytes(workbook_bomb(60 * 1024 * 1024))
    sample = (os.path.dirname(__file__) + "/../flowcharts/cadre-selection.yaml")
    (tmp_path / "good.yaml").write_bytes(open(sample, "rb").read())
    result = CliRunner().invoke(main, ["audit", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2
    assert "bomb.xlsx: the workbook would unpack to" in result.output
    assert "good.yaml: 局机关科级干部选拔任用" in result.output
    assert "1 file(s) could not be read" in result.output


def test_an_interrupted_write_leaves_no_file(tmp_path):
    """write_atomic: a failure while writing (here an interrupt from the data) leaves
    neither the target nor a temporary file."""
    from flowgraph.files import write_atomic

    def pieces():
        yield "first part\n"
        raise KeyboardInterrupt

    target = tmp_path / "report.txt"
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, pieces())
    assert list(tmp_path.iterdir()) == []
    target.write_text("before", "utf-8")
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, pieces())
    assert target.read_text("utf-8") == "before" and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("command", ["audit", "ledger", "convert"])
def test_an_output_that_is_an_input_is_refused(tmp_path, command):
    """Nothing the user gave is modified, even when told to write over it."""
    target = tmp_path / "steps.csv"
    original = "flowchart,step,label,kind,actor,next\nc,s,开始,start,,t\n" \
        "c,t,办理,task,a,e\nc,e,结束,end,,\n".encode()
    target.write_bytes(original)
    extra = ["--format", "json"] if command == "audit" else []
    if command == "convert":  # writes the formats it reads, such as YAML
        target = tmp_path / "chart.yaml"
        original = b"flowgraph: 1\ntitle: x\nsteps: {s: {kind: start}}\n"
        target.write_bytes(original)
    result = CliRunner().invoke(main, [command, str(target), *extra, "-o", str(target),
                                       "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "is one of the inputs; refusing to overwrite it" in result.output
    assert target.read_bytes() == original


@pytest.mark.parametrize("text, where", [
    ("flowgraph: 1\ntitle: !!python/object/apply:os.system ['echo owned']\n"
     "steps: {s: {kind: start}}\n", (2, 8)),
    ("flowgraph: 1\ntitle: x\nsteps: !!python/name:os.system {s: {kind: start}}\n", (3, 8)),
    ("flowgraph: !!binary MQ==\ntitle: x\nsteps: {s: {kind: start}}\n", (1, 12)),
])
def test_yaml_tags_never_build_objects(text, where, capfd):
    """Nodes are composed and read against the schema, never constructed by PyYAML:
    a tag is a value of the wrong type, reported where it stands."""
    error = refused("yaml", text.encode("utf-8"))
    assert (error.line, error.column) == where and "owned" not in capfd.readouterr().out
    assert "got a value tagged tag:yaml.org,2002:" in error.describe("en")
