"""The code's habits, checked with the tests: ruff (pyproject.toml's [tool.ruff]) finds
nothing in the package, the tests or the benchmarks. Complexity is bounded (mccabe 12,
15 branches, 50 statements a function), bugbear and unused arguments are on."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is a development dependency: pip install -e '.[dev]'"
    result = subprocess.run([ruff, "check", "--output-format", "concise", "--no-cache",
                             "flowgraph", "tests", "benchmarks"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
