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


#: The environment of a command that asks for English by its locale: Chinese is the
#: default, under C.UTF-8 too (``LC_ALL`` and ``LC_MESSAGES`` would win over ``LANG``).
ENGLISH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8"}


def english(environ) -> dict:
    """A copy of ``environ`` for a process that should speak English."""
    return {**{k: v for k, v in environ.items() if k not in ("LC_ALL", "LC_MESSAGES")},
            "LANG": "en_US.UTF-8"}
