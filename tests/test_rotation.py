"""The roster matched to the charts' posts, and the programme rules on the people in
them: what is matched, warned about, counted, and how people are shown."""
from __future__ import annotations

import datetime
import re
from pathlib import Path

from flowgraph.config import Config
from flowgraph.policy import RotationPolicy
from flowgraph.rules import BY_CODE, PLACEHOLDERS, shown_template

from .programme import programme_of, review_of

CHART = (Path(__file__).parent / "rules" / "FG601" / "invalid" / "held-six-years.yaml") \
    .read_text("utf-8").split("\n---\n")[0]


def roster(*rows: str, as_of: str = "2025-06-30") -> str:
    return f"# as-of: {as_of}\n{CHART}\n---\n在岗人员:\n" + "".join(f"  - {{{row}}}\n" for row in rows)


ZHANG = "单位: 市工业和信息化局, 岗位: 投资与技术改造科科长, 姓名: 张三, 任职起始日期: 2019-03-01"


def test_rows_match_posts_however_written():
    programme = programme_of(roster(
        "单位: 市工业和信息化局, 科室: 投资与技术改造科, 岗位: 科长, 姓名: 甲, 任职起始日期: 2024-01-01",
        "单位: ＂市工业和信息化局＂, 岗位: 投资与技术改造科 经办人, 姓名: 乙, 任职起始日期: 2024-01-01",
        "单位: 市工业和信息化局 , 岗位: 投资与技术改造科经办人（一）, 姓名: 丙, 任职起始日期: 2024-01-01",
        "单位: 市工业和信息化局, 岗位: ＴＯＰ科长, 姓名: 丁, 任职起始日期: 2024-01-01"))
    assert [t.post.name if t.post else None for t in programme.tenancies] == [
        "投资与技术改造科科长", "投资与技术改造科经办人", "投资与技术改造科经办人", None]


def test_unknown_units_and_posts_are_kept_and_warned_about_with_the_nearest_names():
    programme = programme_of(roster(
        ZHANG,
        "单位: 市工业和信息化厅, 岗位: 科长, 姓名: 乙, 任职起始日期: 2024-01-01",
        "单位: 市工业和信息化局, 岗位: 投资与技术改造科副科长, 姓名: 丙, 任职起始日期: 2024-01-01"))
    assert [t.row.name for t in programme.tenancies] == ["张三", "乙", "丙"]
    assert [(w.line, w.message.zh) for w in programme.warnings] == [
        (3, "第 3 行的一项：流程图中没有单位“市工业和信息化厅”（相近：市工业和信息化局）；"
            "该行保留，不判断轮岗"),
        (4, "第 4 行的一项：“市工业和信息化局”的流程图中没有岗位“投资与技术改造科副科长”"
            "（相近：投资与技术改造科科长、投资与技术改造科经办人）；该行保留，不判断轮岗")]
    assert programme.counts()["rows_matching_nothing"] == 2


def test_the_same_person_twice_is_counted_once_two_people_on_a_post_are_normal():
    programme = programme_of(roster(
        ZHANG,
        "单位: 市工业和信息化局, 岗位: 投资与技术改造科经办人, 姓名: 乙, 任职起始日期: 2024-01-01",
        "单位: 市工业和信息化局, 岗位: 投资与技术改造科经办人, 姓名: 丙, 任职起始日期: 2024-01-01",
        "单位: 市工业和信息化局, 科室: 投资与技术改造科, 岗位: 科长, 姓名: 张三, 任职起始日期: 2018-01-01"))
    assert [t.repeats for t in programme.tenancies] == [None, None, None, 1]
    assert [w.message.en for w in programme.warnings] == [
        "the item on line 5: repeats the item on line 2 (the same person on the same post); "
        "counted once, as that row (their dates differ: 2019-03-01 / 2018-01-01)"]
    assert [f.rule for f in programme.findings] == ["FG601"]
    counts = programme.counts()
    assert (counts["holders"], counts["posts_held"], counts["repeated_rows"]) == (3, 2, 1)
    assert len(programme.holders_of("市工业和信息化局", "投资与技术改造科经办人")) == 2


def test_collective_bodies_vacant_posts_and_units_the_roster_leaves_out():
    other = CHART.replace("市工业和信息化局", "市财政局")
    text = (f"# as-of: 2025-06-30\n{CHART}\n===\n{other}\n---\n在岗人员:\n"
            f"  - {{{ZHANG}}}\n"
            "  - {单位: 市工业和信息化局, 岗位: 局党组会议, 姓名: 乙, 任职起始日期: 2024-01-01}\n")
    programme = review_of(text).programme
    assert [w.message.en for w in programme.warnings] == [
        "the item on line 3: '局党组会议' is a collective body nobody holds alone; the row "
        "is kept, its rotation not judged"]
    assert [(p.unit, p.name) for p in programme.vacant] == [
        ("市工业和信息化局", "分管技改副局长"), ("市工业和信息化局", "投资与技术改造科经办人")]
    assert programme.units_missing == ["市财政局"]


def test_programme_findings_follow_selection_and_configured_severity():
    text = roster(ZHANG + ", 廉政承诺书签订日期: ''")
    assert [f.rule for f in programme_of(text).findings] == ["FG601", "FG603"]
    assert [f.rule for f in programme_of(text, Config(ignore=("FG603",))).findings] == ["FG601"]
    assert programme_of(text, Config(select=("FG2",))).findings == []
    severe = programme_of(text, Config(severity={"FG6": "error"})).findings
    assert [f.severity for f in severe] == ["error", "error"]


def test_rotation_grades_and_years_are_configurable():
    text = roster("单位: 市工业和信息化局, 岗位: 投资与技术改造科经办人, 姓名: 乙, 任职起始日期: 2022-06-30")
    assert programme_of(text).findings == []
    config = Config(rotation=RotationPolicy(grades=(1, 3), years=3))
    found = programme_of(text, config).findings
    assert [(f.rule, f.due) for f in found] == [("FG601", datetime.date(2025, 6, 30))]
    assert "三级风险岗位任职满 3 年应当轮岗" in found[0].message.zh


def test_no_names_shows_roles_numbered_when_a_post_has_several_holders():
    programme = programme_of(roster(
        ZHANG,
        "单位: 市工业和信息化局, 岗位: 投资与技术改造科经办人, 姓名: 乙, 任职起始日期: 2024-01-01",
        "单位: 市工业和信息化局, 岗位: 投资与技术改造科经办人, 姓名: 丙, 任职起始日期: 2024-01-01"),
        Config(no_names=True))
    assert [t.shown.zh for t in programme.tenancies] == [
        "投资与技术改造科科长（在岗人员）", "投资与技术改造科经办人（在岗人员1）",
        "投资与技术改造科经办人（在岗人员2）"]
    assert programme.findings[0].message.zh.startswith("投资与技术改造科科长（在岗人员）任“投资")
    assert programme.findings[0].message.en.startswith("投资与技术改造科科长 (holder) has held")
    assert programme.redact("张三说乙已整改", "zh") == \
        "投资与技术改造科科长（在岗人员）说投资与技术改造科经办人（在岗人员1）已整改"
    assert not re.search("张三|乙|丙", repr([f.message for f in programme.findings]))


def test_fingerprints_name_no_one_and_are_the_same_each_time():
    text = roster(ZHANG + ", 廉政承诺书签订日期: ''")
    first = [f.fingerprint for f in programme_of(text).findings]
    assert first == [f.fingerprint for f in programme_of(text, Config(no_names=True)).findings]
    assert len(set(first)) == 2 and all(re.fullmatch(r"[0-9a-f]{16}", value) for value in first)


def test_the_programme_rules_measures_are_sentences_in_both_languages():
    for code in ("FG601", "FG602", "FG603"):
        measure = BY_CODE[code].measure
        for lang in ("zh", "en"):
            names = set(re.findall(r"\{(\w+)\}", measure(lang)))
            assert names <= set(PLACEHOLDERS)
        assert "FG" not in shown_template(measure, "zh")
