"""Side information per unit: the actors side files give each unit's flowcharts that
unit's posts (a 局长 of one unit is not the 局长 of another), from a folder of files or
a file naming its unit, given with ``--actors``, set in the configuration (``actors``)
or found beside the flowcharts; folder walks do not read them as flowcharts."""
from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from flowgraph.batch import read_file
from flowgraph.cli import main
from flowgraph.config import Config, load_config
from flowgraph.errors import LoadError
from flowgraph.io.actors_file import is_side_name, load_side


def chart_text(unit: str) -> str:
    """A diagram-like chart of ``unit``: its posts named, without ranks."""
    return textwrap.dedent(f"""\
        flowgraph: 1
        title: {unit}采购
        unit: {unit}
        actors:
          Lane_1: {{name: 经办人}}
          Lane_2: {{name: 局长}}
        steps:
          s: {{kind: start}}
          buy: {{kind: task, actor: Lane_1}}
          ok: {{kind: decision, actor: Lane_2, discretion: high}}
          e: {{kind: end}}
        flow: [[s, buy], [buy, ok], [ok, e]]
        """)


def side_text(unit: str | None, boss_rank: str) -> str:
    head = f"unit: {unit}\n" if unit else ""
    return head + textwrap.dedent(f"""\
        actors:
          clerk: {{name: 经办人, rank: 科员, reports_to: boss}}
          boss:  {{name: 局长, rank: {boss_rank}}}
        """)


@pytest.fixture
def two_units(tmp_path):
    """Charts of 甲局 and 乙局 in one folder."""
    charts = tmp_path / "charts"
    charts.mkdir()
    (charts / "甲.yaml").write_text(chart_text("甲局"), "utf-8")
    (charts / "乙.yaml").write_text(chart_text("乙局"), "utf-8")
    return charts


def ranks(path, config: Config | None = None) -> dict[str, str | None]:
    chart = read_file(str(path), config or Config())[0]
    return {actor.name: actor.rank for actor in chart.actors.values()}


def test_a_folder_of_side_files_one_per_unit(tmp_path, two_units):
    side = tmp_path / "posts"
    side.mkdir()
    (side / "甲局.yaml").write_text(side_text(None, "正职"), "utf-8")  # the unit by file name
    (side / "b.yaml").write_text(side_text("乙局", "副职"), "utf-8")  # the unit inside
    (side / "共用.yaml").write_text("actors:\n  jw: {name: 纪检组, oversight: 是}\n", "utf-8")
    config = Config(side_actors=load_side(side, 1 << 20))
    assert ranks(two_units / "甲.yaml", config) == {"经办人": "staff", "局长": "principal",
                                                    "纪检组": None}
    assert ranks(two_units / "乙.yaml", config)["局长"] == "deputy"
    chart = read_file(str(two_units / "甲.yaml"), config)[0]
    boss = next(a.id for a in chart.actors.values() if a.name == "局长")
    assert chart.actors["Lane_1"].reports_to == boss and not chart.warnings


def test_a_file_naming_its_unit_applies_to_that_unit_only(tmp_path, two_units):
    side = tmp_path / "side.yaml"
    side.write_text(side_text("甲局", "正职"), "utf-8")
    config = Config(side_actors=load_side(side, 1 << 20))
    assert ranks(two_units / "甲.yaml", config)["局长"] == "principal"
    assert ranks(two_units / "乙.yaml", config)["局长"] is None
    warning = read_file(str(two_units / "乙.yaml"), config)[0].warnings[0]
    assert warning.message.zh == "岗位文件中没有本单位 “乙局” 的岗位 (有: 甲局)"
    # without a unit inside, a file applies to every unit, as before
    side.write_text(side_text(None, "副职"), "utf-8")
    config = Config(side_actors=load_side(side, 1 << 20))
    assert ranks(two_units / "乙.yaml", config)["局长"] == "deputy"


def test_side_files_beside_the_charts_are_found_and_not_read_as_charts(two_units):
    (two_units / "岗位.yaml").write_text(side_text("甲局", "正职"), "utf-8")
    folder = two_units / "actors"
    folder.mkdir()
    (folder / "乙局.yaml").write_text(side_text(None, "副职"), "utf-8")
    assert ranks(two_units / "甲.yaml")["局长"] == "principal"
    assert ranks(two_units / "乙.yaml")["局长"] == "deputy"
    assert is_side_name("岗位.yaml") and is_side_name("Actors") and not is_side_name("甲.yaml")
    result = CliRunner().invoke(main, ["check", "--lang", "en", str(two_units)])
    assert result.exit_code == 0, result.output
    assert "2 file(s)" in result.output
    # a side file by convention with an error is the flowcharts' error, naming it
    (two_units / "岗位.yaml").write_text("actors:\n  a: {name: x, rank: 处级}\n", "utf-8")
    result = CliRunner().invoke(main, ["check", "--lang", "en", str(two_units / "甲.yaml")])
    assert result.exit_code == 2 and "岗位.yaml:2:" in result.output


def test_the_option_wins_over_the_files_beside(tmp_path, two_units):
    (two_units / "岗位.yaml").write_text(side_text(None, "正职"), "utf-8")
    given = tmp_path / "given.yaml"
    given.write_text(side_text(None, "科级"), "utf-8")
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["convert", "--actors", str(given),
                                       str(two_units / "甲.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "rank: section" in out.read_text("utf-8")


def test_the_configuration_names_the_side_folder(tmp_path, two_units):
    side = tmp_path / "各单位岗位"
    side.mkdir()
    (side / "乙局.yaml").write_text(side_text(None, "副职"), "utf-8")
    (tmp_path / "flowgraph.toml").write_text('actors = "各单位岗位"\n', "utf-8")
    assert load_config(tmp_path / "flowgraph.toml").actors == str(side)
    out = tmp_path / "out.yaml"  # the configuration is found upward from the chart
    result = CliRunner().invoke(main, ["convert", str(two_units / "乙.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "rank: deputy" in out.read_text("utf-8")
    (tmp_path / "flowgraph.toml").write_text("actors = 3\n", "utf-8")
    result = CliRunner().invoke(main, ["check", "--lang", "en", str(two_units)])
    assert result.exit_code == 2
    assert "actors: expected the path of an actors file or folder" in result.output


def test_a_missing_side_folder_is_one_clear_error(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_side(tmp_path / "nowhere", 1 << 20)


def test_a_cached_result_is_redone_when_a_side_file_beside_changes(tmp_path, two_units):
    cache = tmp_path / "cache"
    side = two_units / "岗位.yaml"
    side.write_text(side_text(None, "正职"), "utf-8")
    args = ["audit", "--format", "json", "--cache", str(cache), str(two_units / "甲.yaml")]
    first = CliRunner().invoke(main, args)
    side.write_text(side_text(None, "科员"), "utf-8")
    second = CliRunner().invoke(main, args)
    assert first.exit_code in (0, 1) and second.exit_code in (0, 1), first.output
    assert first.output != second.output
    assert CliRunner().invoke(main, args).output == second.output  # from the cache
