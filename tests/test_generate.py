"""The generator of synthetic flowcharts: deterministic, valid, realistic, lazy; a city
whose units issue the powers they hold, under their own titles and posts."""
from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict

import pytest
from click.testing import CliRunner

from flowgraph.analysis import assess
from flowgraph.cli import main
from flowgraph.generate import CATALOGUE, batch, chart, quotas, units
from flowgraph.io import load
from flowgraph.io.yaml_format import loads

from .conftest import ENGLISH
from .timing import within

CATEGORIES = {item.category for kind in CATALOGUE.values() for item in kind.items}


def test_the_same_seed_gives_the_same_bytes():
    assert list(batch(30, seed=7)) == list(batch(30, seed=7))
    assert list(batch(30, seed=7)) != list(batch(30, seed=8))
    assert chart(300, seed=2) == chart(300, seed=2)


def test_a_batch_has_exactly_n_valid_charts_of_8_to_60_steps_in_units():
    items = list(batch(250, seed=1))
    assert len(items) == 250 and len({path for path, _ in items}) == 250
    charts = [loads(text, path) for path, text in items]
    assert all(8 <= len(c.steps) <= 60 for c in charts)
    units = Counter(c.unit for c in charts)
    assert len(units) == round(250 / 16.4)
    # posts recur across a unit's charts, as the practice's key posts do
    by_unit = {}
    for c in charts:
        by_unit.setdefault(c.unit, Counter()).update(
            {a.name for s in c.steps.values() if s.actor for a in [c.actors[s.actor]]})
    assert all(max(posts.values()) >= 3 for posts in by_unit.values())
    assert {c.category for c in charts} <= CATEGORIES


def test_flaws_come_at_realistic_rates():
    rules_per_chart = []
    for path, text in batch(400, seed=3):
        findings = assess(loads(text, path)).findings
        rules_per_chart.append({f.rule for f in findings if not f.rule.startswith("FG50")})
    flawed = sum(1 for rules in rules_per_chart if rules) / len(rules_per_chart)
    assert 0.12 <= flawed <= 0.40, flawed
    seen = set().union(*rules_per_chart)
    assert {"FG201", "FG301", "FG302", "FG303", "FG401", "FG402", "FG105", "FG107",
            "FG202"} <= seen


def test_grade_1_is_rare_and_grade_3_common():
    grades = Counter()
    for path, text in batch(300, seed=4):
        for graded in assess(loads(text, path)).grades.values():
            grades[graded.grade] += 1
    assert grades[1] < grades[2] < grades[3]
    assert grades[1] / (grades[1] + grades[2] + grades[3]) < 0.08


def test_a_batch_is_lazy():
    with within(1):
        first = list(itertools.islice(batch(10 ** 9, seed=0), 3))
    assert len(first) == 3


def test_one_chart_has_exactly_n_reachable_steps():
    flowchart = loads(chart(2000, seed=5), "big.yaml")
    assert len(flowchart.steps) == 2000
    structural = Counter(f.rule for f in assess(flowchart).findings if f.rule < "FG2")
    # a merged chart is one connected procedure: no unreachable step, no dead end
    assert structural["FG103"] == 0 and structural["FG104"] == 0


def test_the_generate_command(tmp_path):
    runner = CliRunner(env=ENGLISH)
    out = tmp_path / "city"
    result = runner.invoke(main, ["generate", str(out), "--charts", "40", "--seed", "9"])
    assert result.exit_code == 0, result.output
    files = sorted(out.rglob("*.yaml"))
    assert len(files) == 40
    assert [f.read_text("utf-8") for f in files] == [text for _, text in sorted(batch(40, 9))]
    again = runner.invoke(main, ["generate", str(out), "--charts", "40"])
    assert again.exit_code == 2 and "exists" in again.output
    big = tmp_path / "big.yaml"
    assert runner.invoke(main, ["generate", str(big), "--steps", "120"]).exit_code == 0
    assert len(load(big).steps) == 120
    both = runner.invoke(main, ["generate", str(tmp_path / "x"), "--steps", "5", "--charts", "2"])
    assert both.exit_code == 2 and "one of --charts N or --steps N" in both.output


@pytest.fixture(scope="module")
def city():
    """The calibration city of docs/grading.md: 1,102 charts, seed 0."""
    return [loads(text, path) for path, text in batch(1102, seed=0)]


def kind_of(unit: str):
    """The kind of unit a name belongs to: the longest stem (or district name) it ends
    with (市市场监督管理局, 青山区卫生健康局, 石桥镇人民政府)."""
    stems = [(name, kind) for kind in CATALOGUE.values()
             for name in (kind.stem, kind.local) if name and unit.endswith(name)]
    return max(stems, key=lambda pair: len(pair[0]))[1]


def test_a_city_of_1102_charts_has_67_units_each_with_distinct_titles(city):
    titles = defaultdict(list)
    for c in city:
        titles[c.unit].append(c.title)
    assert len(titles) == 67
    assert all(len(set(listed)) == len(listed) for listed in titles.values())
    # units as a city writes them: its departments, district and county bureaus, towns
    units = list(titles)
    assert units[:3] == ["市自然资源和规划局", "市住房和城乡建设局", "市市场监督管理局"]
    assert "青山区民政局" in units and "临江县水利局" in units
    assert "石桥镇人民政府" in units and "城关街道办事处" in units


def test_a_unit_issues_only_the_items_of_its_kind(city):
    for c in city:
        kind = kind_of(c.unit)
        item = re.sub(r"（[^（）]*）$", "", c.title)  # a sub-item: 食品经营许可（变更）
        listed = {i.title: i for i in kind.items}
        assert item in listed or c.title in listed, (c.unit, c.title)
        assert c.category == listed.get(c.title, listed.get(item)).category
    discharge = {c.unit for c in city if c.title.startswith("排污许可")}
    assert discharge and all(unit.endswith("生态环境局") for unit in discharge)
    homesteads = {c.unit for c in city if c.title.startswith("农村村民宅基地审批")}
    assert homesteads and all(unit.endswith("镇人民政府") for unit in homesteads)


def test_every_category_appears_in_a_city(city):
    """All categories of the catalogue, whatever classes a report maps them to."""
    found = Counter(c.category for c in city)
    assert set(found) == CATEGORIES
    assert {"行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认",
            "行政奖励", "行政裁决", "其他行政权力", "内部管理"} == CATEGORIES
    assert found["行政许可"] > found["行政裁决"]


#: Principal leader, leader (if a deputy rank) and deputies, by the end of a unit's name.
LEADERS = (("镇人民政府", "党委书记", "镇长", "副镇长"),
           ("街道办事处", "党工委书记", "主任", "副主任"),
           ("委员会", "主任", None, "副主任"), ("办公室", "主任", None, "副主任"),
           ("中心", "主任", None, "副主任"), ("局", "局长", None, "副局长"))


def test_leaders_are_called_as_their_body_calls_them(city):
    for c in city:
        _, principal, second, deputy = next(row for row in LEADERS if c.unit.endswith(row[0]))
        ranks = defaultdict(set)
        for a in c.actors.values():
            if not a.collective:
                ranks[a.rank].add(a.name)
        assert ranks["principal"] == {principal}, (c.unit, ranks)
        assert all(name.endswith(deputy) or name == second for name in ranks["deputy"])
        names = {a.name for a in c.actors.values()}
        assert not any(name.endswith("局长") for name in names) or c.unit.endswith("局")
        assert "镇长" not in names or c.unit.endswith("镇人民政府")


def test_each_unit_keeps_one_roster(city):
    """A post has one rank and one supervisor in all its unit's charts, and key posts
    recur: in almost every unit a section chief handles three items or more (the
    市审计局's ten charts spread over its sections)."""
    lines = defaultdict(set)
    chiefs = defaultdict(Counter)
    for c in city:
        for a in c.actors.values():
            boss = c.actors[a.reports_to].name if a.reports_to else None
            lines[c.unit, a.name].add((a.rank, boss, a.collective))
        chiefs[c.unit].update({c.actors[s.actor].name for s in c.steps.values()
                               if s.actor and c.actors[s.actor].rank == "section"})
    assert all(len(seen) == 1 for seen in lines.values())
    recurring = [unit for unit, counted in chiefs.items() if max(counted.values()) >= 3]
    assert len(recurring) >= 60


def test_bodies_outside_the_unit_are_named_as_they_are(city):
    allowances = [c for c in city if c.title.startswith("最低生活保障审核")]
    assert allowances
    for c in allowances:
        county = [c.actors[s.actor].name for s in c.steps.values()
                  if s.kind == "decision" and s.actor and
                  c.actors[s.actor].name.endswith("民政局")]
        assert c.unit.endswith(("镇人民政府", "街道办事处")) and county, c.unit
        assert county[0].startswith(("青山", "临江", "河西", "永和"))
    names = {a.name for c in city for a in c.actors.values()}
    assert {"评标委员会", "市政府常务会议", "派驻纪检监察组", "镇纪委"} <= names


def test_quotas_follow_the_city_and_fit_every_unit():
    """Every batch size gives round(N / 16.4) units, each drawing at least one chart and
    no more than its items and sub-items allow; 100,000 charts name no unit twice."""
    for count in [*range(1, 1200), 100_000]:
        drawn = list(quotas(count))
        assert sum(drawn) == count and len(drawn) == max(1, round(count / 16.4))
        for quota, (kind, _) in zip(drawn, units(), strict=False):
            capacity = sum(max(1, len(item.subitems)) for item in kind.items)
            assert 1 <= quota <= capacity, (count, kind.stem, quota)
    names = [place.unit for _, place in itertools.islice(units(), len(list(quotas(100_000))))]
    assert len(set(names)) == len(names)


def test_a_city_is_generated_in_seconds():
    """About 1 s of CPU here for 1,102 charts; the bound leaves room for a slower one."""
    with within(5):
        assert sum(1 for _ in batch(1102, seed=0)) == 1102
