"""Numbers from the configuration and the environment are bounded: infinity, NaN and
values too large are one line naming the file, the setting and its line (or the
variable), exit 2, never a traceback; values within the bounds still work."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from flowgraph.cli import main
from flowgraph.config import load_config

from .conftest import ROOT

SAMPLE = ROOT / "flowcharts" / "fund-disbursement.yaml"


@pytest.fixture
def folder(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "chart.yaml")
    return tmp_path


def audit(folder):
    return CliRunner().invoke(main, ["audit", str(folder / "chart.yaml"), "--lang", "en"])


FILE_SIZE = "expected a whole number from 0 to 4,294,967,296"
AMOUNT = "expected a number from 0 to 1,000,000,000,000,000"
COUNT = "expected a whole number from 0 to 1,000,000"
WEIGHT = "a weight is a whole number from −1,000,000 to 1,000,000"
THRESHOLDS = ("expected the lowest scores of grades 1, 2, 3: three decreasing integers "
              "from 0 to 1,000,000")


@pytest.mark.parametrize("setting, words", [
    ("max_file_size = 1e400", f"max_file_size: {FILE_SIZE}"),
    ("max_file_size = inf", f"max_file_size: {FILE_SIZE}"),
    ("max_file_size = nan", f"max_file_size: {FILE_SIZE}"),
    ("max_file_size = 99999999999999999999", f"max_file_size: {FILE_SIZE}"),
    ("max_file_size = 4294967297", f"max_file_size: {FILE_SIZE}"),
    ("max_file_size = 1048576.5", f"max_file_size: {FILE_SIZE}"),
    ("high_stakes_money = inf", f"high_stakes_money: {AMOUNT}"),
    ("high_stakes_money = -inf", f"high_stakes_money: {AMOUNT}"),
    ("high_stakes_money = nan", f"high_stakes_money: {AMOUNT}"),
    ("high_stakes_money = 1e400", f"high_stakes_money: {AMOUNT}"),
    ("high_stakes_money = 1e16", f"high_stakes_money: {AMOUNT}"),
    ("key_post_money = inf", f"key_post_money: {AMOUNT}"),
    ("key_post_flowcharts = 99999999999999999999", f"key_post_flowcharts: {COUNT}"),
    ("key_post_flowcharts = 2.5", f"key_post_flowcharts: {COUNT}"),
    ("weights = { people = 99999999999999999999 }", f"weights: 'people': {WEIGHT}"),
    ("grade_thresholds = [99999999999999999999, 5, 2]", f"grade_thresholds: {THRESHOLDS}"),
])
def test_a_number_out_of_bounds_in_toml_is_one_line(folder, setting, words):
    (folder / "flowgraph.toml").write_text(f'lang = "en"\n{setting}\n', "utf-8")
    result = audit(folder)
    assert result.exit_code == 2
    assert result.output == f"Error: {folder / 'flowgraph.toml'}:2: {words}\n"


@pytest.mark.parametrize("setting, words", [
    ("max_file_size = 1e400", f"max_file_size: {FILE_SIZE}"),
    ("max_file_size = 99999999999999999999", f"max_file_size: {FILE_SIZE}"),
    ("high_stakes_money = inf", f"high_stakes_money: {AMOUNT}"),
    ("high_stakes_money = NaN", f"high_stakes_money: {AMOUNT}"),
    ("key_post_flowcharts = 99999999999999999999", f"key_post_flowcharts: {COUNT}"),
    ("weights =\n    people = 99999999999999999999", f"weights: 'people': {WEIGHT}"),
    ("grade_thresholds = 99999999999999999999, 5, 2", f"grade_thresholds: {THRESHOLDS}"),
])
def test_a_number_out_of_bounds_in_setup_cfg_is_one_line(folder, setting, words):
    (folder / "setup.cfg").write_text(f"[flowgraph]\n{setting}\n", "utf-8")
    result = audit(folder)
    assert result.exit_code == 2
    assert result.output == f"Error: {folder / 'setup.cfg'}:2: {words}\n"


def test_an_integer_too_long_to_convert_is_one_line(folder):
    """Python refuses to convert more than 4,300 digits; in TOML the parser does."""
    (folder / "flowgraph.toml").write_text("max_file_size = " + "9" * 5000 + "\n", "utf-8")
    result = audit(folder)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {folder / 'flowgraph.toml'}: TOML syntax error: "
                                    f"Exceeds the limit (4300 digits) for integer string")
    assert result.output.count("\n") == 1
    (folder / "flowgraph.toml").unlink()
    (folder / "setup.cfg").write_text("[flowgraph]\nmax_file_size = " + "9" * 5000 + "\n",
                                      "utf-8")
    assert audit(folder).output == f"Error: {folder / 'setup.cfg'}:2: max_file_size: " \
                                   f"{FILE_SIZE}\n"


def test_numbers_within_the_bounds_are_taken(tmp_path):
    path = tmp_path / "flowgraph.toml"
    path.write_text("max_file_size = 4294967296\nhigh_stakes_money = 1e15\n"
                    "key_post_money = 0\nkey_post_flowcharts = 1000000\n"
                    "grade_thresholds = [1000000, 1, 0]\n"
                    "weights = { people = -1000000 }\n", "utf-8")
    config = load_config(path)
    assert config.max_file_size == 2**32
    assert config.policy.high_stakes_money == 1e15
    assert (config.key_posts.min_money, config.key_posts.min_flowcharts) == (0, 10**6)
    assert config.grading.chosen.thresholds == (10**6, 1, 0)
    assert config.grading.score.people == -(10**6)


def test_a_large_file_size_cap_still_reads_small_files(folder):
    (folder / "setup.cfg").write_text("[flowgraph]\nmax_file_size = 4294967296\n", "utf-8")
    assert audit(folder).exit_code in (0, 1)


# -- SOURCE_DATE_EPOCH ----------------------------------------------------------------


EPOCH = ("expected whole seconds since 1970-01-01, from 0 to 253402300799 (9999-12-31), "
         "got '{}'")


@pytest.mark.parametrize("value", ["99999999999999999999", "253402300800", "-1", "1.5",
                                   "yesterday", " 0", "١٢٣", "1e9"])
@pytest.mark.parametrize("command", ["render", "report"])
def test_an_out_of_range_source_date_epoch_is_one_line(folder, command, value):
    output = folder / ("out.svg" if command == "render" else "report")
    result = CliRunner().invoke(main, [command, str(folder / "chart.yaml"), "-o", str(output),
                                       "--lang", "en"], env={"SOURCE_DATE_EPOCH": value})
    assert result.exit_code == 2
    assert result.output == f"Error: SOURCE_DATE_EPOCH: {EPOCH.format(value)}\n"
    assert not output.exists()


@pytest.mark.parametrize("value, day", [("0", "1970-01-01"), ("1764028800", "2025-11-25"),
                                        ("253402300799", "9999-12-31")])
def test_a_source_date_epoch_in_range_dates_the_report(folder, value, day):
    pytest.importorskip("pygraphviz")
    output = folder / "report"
    result = CliRunner().invoke(main, ["report", str(folder / "chart.yaml"), "-o", str(output),
                                       "--lang", "en"], env={"SOURCE_DATE_EPOCH": value})
    assert result.exit_code == 0
    assert f'<p class="meta">{day} · ' in (output / "index.html").read_text("utf-8")


def test_date_wins_over_a_bad_source_date_epoch(folder):
    pytest.importorskip("pygraphviz")
    output = folder / "out.svg"
    result = CliRunner().invoke(main, ["render", str(folder / "chart.yaml"), "-o", str(output),
                                       "--date", "2026-01-02"],
                                env={"SOURCE_DATE_EPOCH": "nonsense"})
    assert result.exit_code == 0 and "2026&#45;01&#45;02" in output.read_text("utf-8")
