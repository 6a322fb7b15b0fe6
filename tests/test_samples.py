"""The audit of the bundled flowcharts: exactly the findings flowcharts/README.md lists."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from flowgraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "flowcharts"

EXPECTED = [
    ("construction-school-renovation.yaml", "FG401", ("change",), False),
    ("construction-school-renovation.yaml", "FG501", ("change",), False),
    ("fee-civil-air-defense.yaml", "FG201", ("small",), False),
    ("fee-civil-air-defense.yaml", "FG301", ("small",), False),
    ("fee-civil-air-defense.yaml", "FG401", ("small",), False),
    ("fee-civil-air-defense.yaml", "FG502", ("small",), False),
    ("fund-disbursement.yaml", "FG401", ("deputy_approve",), False),
    ("fund-disbursement.yaml", "FG402", ("internal_audit", "deputy_approve"), False),
    ("inspection-work-safety.yaml", "FG401", ("select",), False),
    ("inspection-work-safety.yaml", "FG104", ("order", "rectify", "recheck"), False),
    ("land-transfer.yaml", "FG502", ("approve",), False),
    ("license-construction-permit.yaml", "FG201", ("decide",), False),
    ("penalty-price-violation.yaml", "FG202", ("propose",), False),
    ("penalty-price-violation.yaml", "FG501", ("propose",), False),
    ("penalty-price-violation.yaml", "FG202", ("board_decide",), False),
    ("qualification-real-estate.yaml", "FG301", ("change",), True),
    ("qualification-real-estate.yaml", "FG105", ("audit",), False),
    ("registration-individual-business.yaml", "FG301", ("register",), True),
    ("reimbursement-town.yaml", "FG302", ("pay", "post"), False),
    ("special-fund-industry.yaml", "FG303", ("decide",), False),
    ("subsistence-allowance.yaml", "FG107", ("audit_gw",), False),
    ("subsistence-allowance.yaml", "FG201", ("stop",), False),
    ("subsistence-allowance.yaml", "FG401", ("stop",), False),
]

SOUND = ["cadre-selection.yaml", "land-transfer.yaml", "license-food-business.yaml",
         "official-reception.yaml", "penalty-environment.yaml",
         "procurement-teaching-equipment.yaml", "tender-rural-road.yaml"]


def audit_samples(*options):
    result = CliRunner().invoke(main, ["audit", "--format", "json", *options, str(SAMPLES)])
    return result.exit_code, json.loads(result.output)


def test_the_samples_give_exactly_the_documented_findings():
    code, data = audit_samples()
    assert code == 1
    assert all(f["error"] is None for f in data["files"])
    assert len(data["files"]) == data["summary"]["flowcharts"] == 18
    got = [(Path(f["file"]).name, f["rule"], tuple(f["steps"]), f["waived"])
           for f in data["findings"]]
    assert got == EXPECTED


def test_sound_samples_are_clean_and_flawed_ones_are_not():
    """Sound: no integrity finding (FG1 to FG4); a declared grade may still differ."""
    _, data = audit_samples()
    flagged = {Path(f["file"]).name for f in data["findings"] if not f["rule"].startswith("FG5")}
    names = {Path(f["path"]).name for f in data["files"]}
    assert set(SOUND) <= names and not flagged & set(SOUND)
    assert names - set(SOUND) == flagged


def test_waivers_in_the_samples_carry_their_reasons():
    _, data = audit_samples()
    waived = [f for f in data["findings"] if f["waived"]]
    assert [Path(f["file"]).name for f in waived] == [
        "qualification-real-estate.yaml", "registration-individual-business.yaml"]
    assert "行政许可法" in waived[0]["waiver_reason"]
    assert "市场主体登记管理条例" in waived[1]["waiver_reason"]


def test_the_readme_of_the_samples_lists_every_file():
    readme = (SAMPLES / "README.md").read_text("utf-8")
    for path in SAMPLES.glob("*.yaml"):
        assert f"`{path.name}`" in readme
