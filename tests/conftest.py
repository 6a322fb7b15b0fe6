"""Shared helpers for the tests."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flowgraph.io.yaml_format import loads

ROOT = Path(__file__).resolve().parent.parent


def chart(text: str, name: str = "chart.yaml"):
    """A flowchart from inline YAML (dedented)."""
    return loads(textwrap.dedent(text), name)


@pytest.fixture
def root() -> Path:
    return ROOT
