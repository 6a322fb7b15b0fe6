"""Shared helpers for the tests."""
from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

from flowgraph.io.yaml_format import loads

ROOT = Path(__file__).resolve().parent.parent

# Hypothesis writes nothing into the checkout: no example database (a failing test
# prints the example that reproduces it), and its caches (Unicode tables, constants
# collected from the source) go to the system's temporary folder, not ./.hypothesis.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      os.path.join(tempfile.gettempdir(), "flowgraph-hypothesis"))
settings.register_profile("flowgraph", database=None)
settings.load_profile("flowgraph")


def chart(text: str, name: str = "chart.yaml"):
    """A flowchart from inline YAML (dedented)."""
    return loads(textwrap.dedent(text), name)


@pytest.fixture
def root() -> Path:
    return ROOT
