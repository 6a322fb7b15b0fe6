"""The risk library (issue 16): every step of power in the samples and in a generated
batch gets an entry of its own (not a fallback) with a description and measures; the
specific entry wins; stakes conditions, the precedence and a unit's own file work as
docs/risks.md says; a bad library file is refused with its file, line and column.

Speed is measured, not asserted (``benchmarks/run.py risks``, and by hand): on the
development machine (2 cores, Python 3.11), describing every step of the 100,000-step
generated chart (``flowgraph generate big.yaml --steps 100000 --seed 1``) takes about
0.2 s, and about 0.75 s when every label is made distinct so that no choice can be
remembered; reading the package's library takes 0.03 s.
"""
from __future__ import annotations

import pickle
import re
import subprocess
import sys
import textwrap

import pytest

from flowgraph.errors import LoadError
from flowgraph.generate import batch
from flowgraph.grading.risks import (
    DESCRIBED_KINDS,
    OTHER,
    STAGES,
    RiskLibrary,
    default_library,
    load_library,
)
from flowgraph.io import load
from flowgraph.io.yaml_format import loads
from flowgraph.model import Actor, Flowchart, Stakes, Step
from flowgraph.policy import DEFAULT_CONTROLS, Policy, merge_controls

from .conftest import ROOT

SAMPLES = sorted((ROOT / "flowcharts").glob("*.yaml"))
LIBRARY = default_library()


def one_step(kind: str, label: str, category: str | None = "其他行政权力",
             title: str = "某事项", collective: bool = False, **attributes) -> Flowchart:
    """A chart of one step of ``kind`` performed by a post (or a body of seven)."""
    actor = Actor("post", "经办人", collective=7 if collective else None)
    return Flowchart("c", title, [Step("s", kind, label, actor="post", **attributes)],
                     actors=[actor], category=category)


def described(chart: Flowchart, library: RiskLibrary = LIBRARY, policy=None):
    return library.describe(chart, chart.steps["s"], policy)


def write(tmp_path, text: str, name: str = "风险库.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


# -- coverage ---------------------------------------------------------------------------

def _check_described(chart: Flowchart, where: str) -> int:
    """Every step of power and every check has its own entry; neutral steps none."""
    count = 0
    for step in chart.steps.values():
        risk = LIBRARY.describe(chart, step)
        if step.kind not in DESCRIBED_KINDS:
            assert not risk, f"{where} {step.id}: a {step.kind} step holds no power"
            continue
        assert risk.text("zh") and risk.text("en"), f"{where} {step.id}: no description"
        assert risk.measures, f"{where} {step.id}: no measure"
        assert risk.entry.words, (f"{where} {step.id} ({step.label}): only the fallback "
                                  f"{risk.entry.id}")
        count += 1
    return count


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_step_of_every_sample_has_its_own_entry(path):
    assert _check_described(load(path), path.name)


def test_every_step_of_a_generated_batch_has_its_own_entry():
    steps = sum(_check_described(loads(text, name), name) for name, text in batch(300))
    assert steps > 3000


@pytest.mark.parametrize("kind", DESCRIBED_KINDS)
def test_a_label_no_entry_names_falls_back_to_its_kind(kind):
    risk = described(one_step(kind, "甲乙丙", category=None))
    assert risk.entry.words == () and risk.entry.categories == ()
    assert risk.text("zh") and risk.measures


@pytest.mark.parametrize("kind", ["start", "end", "gateway", "system"])
def test_steps_without_power_are_not_described(kind):
    chart = Flowchart("c", "某事项", [Step("s", kind, "受理")])
    risk = described(chart)
    assert not risk and risk.text("zh") == "" and risk.measures == ()


# -- the specific entry -----------------------------------------------------------------

@pytest.mark.parametrize("sample, step, entry, words", [
    ("fee-civil-air-defense", "relief_decide", "levy-relief", ["擅自减免"]),
    ("fee-civil-air-defense", "relief", "levy-relief", ["擅自减免"]),
    ("procurement-teaching-equipment", "evaluate", "procurement-evaluate", ["围标串标", "倾向性"]),
    ("tender-rural-road", "evaluate", "works-evaluate", ["围标串标", "倾向性"]),
    ("license-food-business", "accept", "license-accept", ["刁难", "吃拿卡要"]),
    ("license-construction-permit", "accept", "license-accept", ["刁难", "吃拿卡要"]),
    ("cadre-selection", "examine", "personnel-inspect", ["考察失真", "任人唯亲"]),
    ("special-fund-industry", "disburse", "funds-disburse", ["违规拨付", "截留", "挪用"]),
    ("penalty-price-violation", "board_decide", "penalty-decide", ["滥用自由裁量权"]),
    ("subsistence-allowance", "confirm", "benefit-confirm", ["人情保"]),
    ("land-transfer", "reserve", "land-reserve-price", ["底价"]),
    ("inspection-work-safety", "select", "inspection-select", ["选择性检查"]),
    ("reimbursement-town", "post", "finance-record", ["小金库"]),
    ("construction-school-renovation", "change", "works-change", ["工程量"]),
])
def test_a_sample_step_gets_the_specific_entry(sample, step, entry, words):
    chart = load(ROOT / "flowcharts" / f"{sample}.yaml")
    risk = LIBRARY.describe(chart, chart.steps[step])
    assert risk.entry.id == entry
    for word in words:
        assert word in risk.text("zh")


@pytest.mark.parametrize("category, title, kind, label, entry, word", [
    ("行政征收", "排污费征收", "review", "科室审核减免缓理由", "levy-relief", "擅自减免"),
    ("政府采购", "办公设备采购", "decision", "评标委员会评审", "procurement-evaluate", "围标串标"),
    ("其他行政权力", "某事项", "decision", "评标委员会评标", "bid-evaluation", "围标串标"),
    ("其他行政权力", "某事项", "task", "窗口受理", "accept", "吃拿卡要"),
    ("行政许可", "排污许可", "task", "受理", "license-accept", "刁难"),
    ("其他行政权力", "干部选拔任用", "task", "考察", "personnel-inspect", "任人唯亲"),
    ("资金拨付", "国库资金拨付", "task", "拨付资金", "funds-disburse", "截留"),
    ("其他行政权力", "某事项", "task", "支付", "pay", "截留、挪用"),
    ("其他行政权力", "事业单位招聘", "task", "面试", "personnel-recruit", "违规进人"),
    ("其他行政权力", "某事项", "disclosure", "结果公示", "disclose", "公示"),
    ("其他行政权力", "某事项", "oversight", "投诉举报电话", "oversee-complaints", "举报"),
    ("行政处罚", "价格违法行为行政处罚", "decision", "简易程序当场处罚", "penalty-on-the-spot",
     "当场"),
])
def test_a_step_gets_the_specific_entry(category, title, kind, label, entry, word):
    risk = described(one_step(kind, label, category, title))
    assert risk.entry.id == entry
    assert word in risk.text("zh")


@pytest.mark.parametrize("category, title, expected", [
    ("行政许可", "建筑工程施工许可证核发", "行政许可"),     # the category names one
    ("干部选拔任用", "局机关科级干部选拔任用", "人事"),     # a word of the category
    ("工程招投标", "农村公路建设工程施工招标", "工程"),
    ("公务接待", "国内公务接待审批及费用报销", "财务"),     # 接待, not 审批 (许可)
    ("其他行政权力", "国有建设用地使用权招标拍卖挂牌出让", "土地"),   # then the title
    ("其他行政权力", "政府采购（公开招标）", "采购"),
    ("其他行政权力", "专项资金分配", "资金"),
    (None, "安全生产行政检查", "行政检查"),
    ("其他行政权力", "某事项", OTHER),
    (None, "某事项", OTHER),
])
def test_the_category_of_power_comes_from_the_category_then_the_title(category, title,
                                                                      expected):
    assert LIBRARY.category_of(one_step("task", "受理", category, title)) == expected


def test_categories_read_as_users_read_them():
    assert LIBRARY.category_name("行政许可")("en") == "licensing"
    assert LIBRARY.category_name(OTHER)("zh") == "其他"


# -- stakes -----------------------------------------------------------------------------

@pytest.mark.parametrize("stakes, entry", [
    (Stakes(), "decide"),
    (Stakes(money=999_999), "decide"),
    (Stakes(money=1_000_000), "decide-large-sum"),
    (Stakes(money=50_000_000), "decide-large-sum"),
    (Stakes(people=True), "decide-people"),
    (Stakes(rights=True), "decide-rights"),
])
def test_stakes_conditions_choose_the_entry(stakes, entry):
    assert described(one_step("decision", "审批", stakes=stakes)).entry.id == entry


def test_a_large_reduction_has_its_own_entry_only_as_a_decision():
    large = Stakes(money=2_000_000)
    assert described(one_step("decision", "集体研究减免缓", "行政征收", stakes=large)
                     ).entry.id == "levy-relief-large"
    assert described(one_step("decision", "集体研究减免缓", "行政征收", stakes=Stakes(money=10))
                     ).entry.id == "levy-relief"
    assert described(one_step("review", "审核减免缓", "行政征收", stakes=large)
                     ).entry.id == "levy-relief"


# -- measures ---------------------------------------------------------------------------

def test_measures_name_their_control_and_a_step_lacks_only_what_it_has_not():
    bare = described(one_step("task", "受理", "行政许可"))
    assert {m.control for m in bare.measures} >= {"one-time-notice", "time-limit"}
    assert bare.suggested == bare.measures
    controlled = described(one_step("task", "受理", "行政许可",
                                    controls=("一次性告知", "time limit")))
    assert controlled.measures == bare.measures
    assert [m.control for m in controlled.suggested] == [
        m.control for m in bare.measures if m.control not in ("one-time-notice", "time-limit")]


def test_a_collective_body_already_decides_collectively():
    alone = described(one_step("decision", "审批", "行政许可"))
    body = described(one_step("decision", "审批", "行政许可", collective=True))
    assert "collective-decision" in {m.control for m in alone.suggested}
    assert "collective-decision" not in {m.control for m in body.suggested}


def test_a_configured_synonym_counts_as_the_control():
    policy = Policy(controls=merge_controls(DEFAULT_CONTROLS, {"time-limit": ["承诺时限"]}))
    chart = one_step("task", "受理", "行政许可", controls=("承诺时限",))
    assert "time-limit" in {m.control for m in described(chart).suggested}
    assert "time-limit" not in {m.control for m in described(chart, policy=policy).suggested}


def test_measures_read_as_one_cell():
    risk = described(one_step("task", "受理", "行政许可", controls=("一次性告知",)))
    assert risk.measures_text("zh").count("；") == len(risk.suggested) - 1
    assert risk.measures_text("en", suggested=False).count("; ") == len(risk.measures) - 1
    assert "一次性告知" in risk.measures_text("zh", suggested=False)
    assert "一次性告知" not in risk.measures_text("zh")


# -- the catalogue itself ---------------------------------------------------------------

GRAPH_WORDS = re.compile(r"FG\d|边|节点|环|网关")
GRAPH_WORDS_EN = re.compile(r"\bFG\d|\b(edges?|nodes?|loops?|gateways?|graph)\b", re.I)


def _texts(entry):
    yield entry.description
    for measure in entry.measures:
        yield measure.text


@pytest.mark.parametrize("entry", LIBRARY.entries, ids=[e.id for e in LIBRARY.entries])
def test_every_entry_reads_as_a_risk_table_in_both_languages(entry):
    for text in _texts(entry):
        assert re.search(r"[\u4e00-\u9fff]", text.zh), text
        assert text.en and text.en != text.zh and text.en.isascii(), text
        assert not GRAPH_WORDS.search(text.zh), text.zh
        assert not GRAPH_WORDS_EN.search(text.en), text.en
    assert entry.description.zh.endswith("。") and entry.description.en.endswith(".")
    assert entry.measures


def test_the_catalogue_covers_every_stage_category_and_control():
    assert {entry.stage for entry in LIBRARY.entries} == set(STAGES)
    named = {c for entry in LIBRARY.entries for c in entry.categories}
    assert named == {category.name for category in LIBRARY.categories}
    tagged = {m.control for entry in LIBRARY.entries for m in entry.measures}
    assert set(DEFAULT_CONTROLS) <= tagged
    used = {m.name for entry in LIBRARY.entries for m in entry.measures}
    assert set(LIBRARY.measures) <= used, "a named measure no entry uses"


def test_the_package_library_is_read_on_first_use_only():
    probe = ("import sys, flowgraph.cli\n"
             "from click.testing import CliRunner\n"
             "assert CliRunner().invoke(flowgraph.cli.main, ['--help']).exit_code == 0\n"
             "assert 'flowgraph.grading.risks' not in sys.modules\n"
             "from flowgraph.grading import risks\n"
             "assert risks.default_library.cache_info().currsize == 0\n"
             "assert len(risks.load_library()) > 100\n")
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True)


def test_a_library_pickles_and_chooses_the_same():
    copy = pickle.loads(pickle.dumps(LIBRARY))
    chart = load(ROOT / "flowcharts" / "penalty-environment.yaml")
    for step in chart.steps.values():
        assert copy.describe(chart, step) == LIBRARY.describe(chart, step)


# -- precedence and a unit's own file ----------------------------------------------------

PRECEDENCE = """\
    risk_library: 1
    replace: true
    entries:
      - id: fallback
        stage: handle
        description: 兜底
        measures: [{zh: 留痕}]
      - id: any-category
        stage: accept
        words: [受理]
        description: 任何类别
        measures: [{zh: 限时, control: time-limit}]
      - id: licensing
        stage: accept
        categories: [行政许可]
        words: [受理]
        description: 行政许可
        measures: [{zh: 告知, control: one-time-notice}]
      - id: with-rights
        stage: accept
        words: [受理]
        stakes: {rights: true}
        description: 涉及权利
        measures: [{zh: 说明理由}]
      - id: first
        stage: examine
        words: [审核]
        description: 先写
        measures: [{zh: 复核, control: dual-review}]
      - id: second
        stage: examine
        words: [审核]
        description: 后写
        measures: [{zh: 复核, control: dual-review}]
    """


@pytest.mark.parametrize("category, label, stakes, entry", [
    ("其他行政权力", "送达", Stakes(), "fallback"),             # no words: the fallback
    ("其他行政权力", "受理", Stakes(), "any-category"),         # words before no words
    ("行政许可", "受理", Stakes(), "licensing"),                # the category before any
    ("行政许可", "受理", Stakes(rights=True), "licensing"),     # ... before stakes
    ("其他行政权力", "受理", Stakes(rights=True), "with-rights"),  # stakes before none
    ("其他行政权力", "审核", Stakes(), "first"),                # then the order written
])
def test_the_precedence_of_docs_risks(tmp_path, category, label, stakes, entry):
    library = load_library(write(tmp_path, PRECEDENCE))
    assert [e.id for e in library.entries][0] == "fallback" and len(library) == 6
    assert described(one_step("task", label, category, stakes=stakes), library).entry.id == entry


def test_a_unit_entry_with_a_known_id_replaces_it_and_a_new_one_comes_first(tmp_path):
    library = load_library(write(tmp_path, """\
        risk_library: 1
        entries:
          - id: license-accept
            stage: accept
            categories: [行政许可]
            words: [受理]
            description: {zh: 本单位的受理风险。, en: Our own acceptance risk.}
            measures: [time-limit]
          - id: our-accept
            stage: accept
            words: [受理]
            description: 本单位通用的受理风险。
            measures: [{zh: 窗口轮岗, en: rotate the counter staff, control: rotation}]
        """))
    assert len(library) == len(LIBRARY) + 1
    assert library.entries[0].id == "license-accept"
    licensing = described(one_step("task", "受理", "行政许可"), library)
    assert licensing.text("en") == "Our own acceptance risk."
    assert [m.name for m in licensing.measures] == ["time-limit"]
    other = described(one_step("task", "受理"), library)
    assert other.entry.id == "our-accept"           # before the package's "accept"
    assert other.text("en") == "本单位通用的受理风险。"  # Chinese alone: shown in English too
    assert described(one_step("task", "受理"), LIBRARY).entry.id == "accept"  # untouched


def test_a_unit_may_replace_the_package_library(tmp_path):
    library = load_library(write(tmp_path, PRECEDENCE))
    assert {e.id for e in library.entries}.isdisjoint(e.id for e in LIBRARY.entries)
    assert library.measures == {}
    assert library.categories == LIBRARY.categories   # the words that name them stay


def test_a_unit_redefines_a_named_measure_for_every_entry(tmp_path):
    library = load_library(write(tmp_path, """\
        risk_library: 1
        measures:
          time-limit:
            zh: 承诺时限比法定时限缩短三分之一
            en: a committed limit a third shorter
            control: time-limit
        """))
    risk = described(one_step("task", "受理", "行政许可"), library)
    texts = [m.text.zh for m in risk.measures if m.control == "time-limit"]
    assert texts == ["承诺时限比法定时限缩短三分之一"]
    assert library.measures["time-limit"].text.en == "a committed limit a third shorter"


def test_a_unit_adds_categories_and_words_tried_before_the_package_ones(tmp_path):
    library = load_library(write(tmp_path, """\
        risk_library: 1
        categories:
          职称评审: {en: professional titles, words: [职称]}
          人事: {words: [聘用]}
        entries:
          - id: title-review
            stage: consult
            categories: [职称评审]
            words: [评审]
            description: 评审条件因人设置。
            measures: [recusal]
        """))
    assert [c.name for c in library.categories][:2] == ["职称评审", "人事"]
    titles = one_step("decision", "评审委员会评审", title="中级职称评审")   # 职称 is 人事's too
    assert library.category_of(titles) == "职称评审"
    assert described(titles, library).entry.id == "title-review"
    assert library.category_of(one_step("task", "面试", title="事业单位聘用")) == "人事"
    assert LIBRARY.category_of(one_step("task", "面试", title="事业单位聘用")) == OTHER
    assert library.category_name("职称评审")("en") == "professional titles"
    assert library.category_name("人事")("en") == "personnel"   # kept from the package


# -- bad input ----------------------------------------------------------------------------

#: A good file: line 3 opens the entry, line 4 its stage, 5 its description, 6 measures.
GOOD = ("risk_library: 1\n"
        "entries:\n"
        "  - id: mine\n"
        "    stage: accept\n"
        "    description: {zh: 测试。, en: A test.}\n"
        "    measures: [time-limit]\n")


def inserted(line: str) -> str:
    """The good file with ``line`` added to the entry as its line 5."""
    lines = GOOD.splitlines(keepends=True)
    return "".join(lines[:4] + [f"    {line}\n"] + lines[4:])


def replaced(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize("text, line, column, expected", [
    (inserted("kinds: [task, approval]"), 5, 19,
     "unknown step kind 'approval'; expected one of: task, decision"),
    (inserted("kinds: [gateway]"), 5, 13, "a gateway step holds no power"),
    (inserted("categories: [行政许诃]"), 5, 18,
     "unknown category '行政许诃' (did you mean '行政许可'?)"),
    (inserted("stakes: {money: 100, power: true}"), 5, 26,
     "unknown key 'power'; expected one of: money, people, rights"),
    (inserted("stakes: {money: -1}"), 5, 21, "expected an amount in yuan"),
    (inserted("stakes: {people: yes please}"), 5, 22, "expected true or false"),
    (inserted("words: 受理"), 5, 12, "expected a list of words"),
    (inserted("wrods: [受理]"), 5, 5, "unknown key 'wrods' (did you mean 'words'?)"),
    (replaced("stage: accept", "stage: acept"), 4, 12,
     "unknown stage 'acept' (did you mean 'accept'?)"),
    (replaced("    description: {zh: 测试。, en: A test.}\n", ""), 3, 5,
     "entry 'mine' lacks its description"),
    (replaced("{zh: 测试。, en: A test.}", "{en: A test.}"), 5, 18,
     "lacks its Chinese text (zh)"),
    (replaced("[time-limit]", "time-limit"), 6, 15,
     "measures of entry 'mine': expected a list of measures"),
    (replaced("[time-limit]", "[]"), 6, 15, "at least one measure"),
    (replaced("[time-limit]", "[time-limt]"), 6, 16,
     "no measure is named 'time-limt' (did you mean 'time-limit'?)"),
    (replaced("[time-limit]", "[{zh: 轮岗, control: rotaton}]"), 6, 34,
     "unknown control 'rotaton' (did you mean 'rotation'?)"),
    (replaced("[time-limit]", "[{zh: 轮岗, how: often}]"), 6, 25, "unknown key 'how'"),
    (replaced("- id: mine", "- id: my entry"), 3, 9, "the entry id 'my entry' must be letters"),
    (GOOD + GOOD.split("entries:\n")[1], 7, 5, "duplicate id 'mine' (first on line 3)"),
    (replaced("risk_library: 1", "risk_library: 2"), 1, 15, "expected version 1"),
    (replaced("risk_library: 1\n", ""), 1, 1, "missing the format version 'risk_library: 1'"),
    (replaced("entries:", "entrys:"), 2, 1, "unknown key 'entrys' (did you mean 'entries'?)"),
    (replaced("stage: accept", "stage: [accept"), 5, 16, "YAML syntax error"),
    (replaced("stage: accept", "stage: !!python/name:os.system accept"), 4, 12,
     "got a value tagged tag:yaml.org,2002:python/name:os.system"),
    (replaced("  - id: mine\n", "  - id: mine\n    id: yours\n"), 4, 5,
     "duplicate key 'id' (first on line 3)"),
    ("risk_library: 1\nreplace: true\n", 1, 1, "a library used alone needs at least one"),
    ("risk_library: 1\ncategories: {其他: {words: [杂项]}}\n", 2, 14, "not '其他'"),
    ("", 1, 1, "the risk library file is empty"),
    ("# 只有注释\n", 1, 1, "holds only comments"),
])
def test_a_bad_library_file_names_its_file_line_and_column(tmp_path, text, line, column,
                                                          expected):
    path = write(tmp_path, text)
    with pytest.raises(LoadError) as caught:
        load_library(path)
    error = caught.value
    assert (error.path, error.line, error.column) == (str(path), line, column), str(error)
    assert expected in error.message.en, error.message.en
    assert error.message.zh != error.message.en and error.describe("zh").startswith(str(path))


def test_a_missing_library_file_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_library(tmp_path / "nowhere.yaml")


def test_a_file_in_another_encoding_is_refused_at_its_place(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("risk_library: 1\n# 受理\n".encode("gbk"))
    with pytest.raises(LoadError) as caught:
        load_library(path)
    assert (caught.value.line, caught.value.column) == (2, 3)
