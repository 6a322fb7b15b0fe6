"""The programme over time at the command line: --roster, --as-of and --no-names on
audit, ledger, report and stats; what users rely on, through click's runner."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.cli import main

from .conftest import ENGLISH

ROOT = Path(__file__).resolve().parent.parent
CHART = (ROOT / "tests" / "rules" / "FG601" / "invalid" / "held-six-years.yaml") \
    .read_text("utf-8").split("\n---\n")[0]
HEAD = "单位,科室,岗位,姓名,任职起始日期,廉政承诺书签订日期\n"
ROWS = ("市工业和信息化局,投资与技术改造科,科长,张三,2019-03-01,\n"
        "市工业和信息化局,,投资与技术改造科经办人,李四,2024-01-01,2024-01-02\n"
        "市工业和信息化局,,投资与技术改造科副科长,王五,2020-01-01,\n")
NAMES = ("张三", "李四", "王五")


def run(*args, env=None):
    """The command in English unless it asks for Chinese (C.UTF-8 gives Chinese)."""
    return CliRunner().invoke(main, [str(a) for a in args], env={**ENGLISH, **(env or {})})


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "fund.yaml").write_text(CHART, "utf-8")
    (tmp_path / "roster.csv").write_text(HEAD + ROWS, "utf-8")
    return tmp_path


def test_audit_names_who_is_due_the_post_the_years_and_the_leader(batch):
    result = run("audit", batch / "charts", "--roster", batch / "roster.csv",
                 "--as-of", "2025-06-30", "--lang", "zh")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("在岗人员名册"))
    assert lines[at:] == [
        f"在岗人员名册 {batch / 'roster.csv'}（审查日期 2025-06-30）：名册 3 行，在岗人员 2 人，"
        "对应岗位 2 个",
        f"  名册提示：{batch / 'roster.csv'}:4: 第 4 行：“市工业和信息化局”的流程图中没有岗位"
        "“投资与技术改造科副科长”（相近：投资与技术改造科科长、投资与技术改造科经办人）；"
        "该行保留，不判断轮岗",
        "  FG601 警告      市工业和信息化局 “投资与技术改造科科长”：张三任“投资与技术改造科科长”已 "
        "6 年 3 个月（自 2019-03-01 起），一级风险岗位任职满 5 年应当轮岗（2024-03-01 已满）；"
        "责任领导：局长",
        "  FG603 警告      市工业和信息化局 “投资与技术改造科科长”：张三任“投资与技术改造科科长”"
        "（一级风险岗位、关键岗位），未签订岗位廉政承诺书；责任领导：局长",
        "  名册中无人在岗的风险岗位（1 个）：市工业和信息化局 分管技改副局长（三级）",
        "共 1 个文件、1 个流程图，4 个问题（错误 0，警告 4，提示 0），已豁免 0 个；风险点：一级 1，"
        "二级 0，三级 3"]


@pytest.mark.parametrize("as_of, rules", [
    ("2024-03-01", ["FG601", "FG603"]),   # five years to the day
    ("2024-02-29", ["FG602", "FG603"]),   # a day short: due within six months
    ("2023-09-01", ["FG602", "FG603"]),   # six months ahead
    ("2023-08-31", ["FG603"]),            # six months and a day
])
def test_the_audit_date_decides_at_the_boundary(batch, as_of, rules):
    (batch / "roster.csv").write_text(HEAD + ROWS.splitlines(keepends=True)[0], "utf-8")
    result = run("audit", batch / "charts", "--roster", batch / "roster.csv", "--as-of", as_of,
                 "--format", "json", "--lang", "en")
    document = json.loads(result.stdout)
    assert [f["rule"] for f in document["programme_findings"]] == rules
    assert document["roster"]["as_of"] == as_of


@pytest.mark.parametrize("as_of, rules", [
    ("2021-02-28", ["FG601"]),   # five years from a 29 February end on 28 February
    ("2021-02-27", ["FG602"]),   # a day short
])
def test_a_leap_day_start_is_due_on_the_28th_five_years_on(batch, as_of, rules):
    (batch / "roster.csv").write_text(
        HEAD + "市工业和信息化局,投资与技术改造科,科长,张三,2016-02-29,2016-03-01\n", "utf-8")
    result = run("audit", batch / "charts", "--roster", batch / "roster.csv", "--as-of", as_of,
                 "--format", "json")
    document = json.loads(result.stdout)
    assert [f["rule"] for f in document["programme_findings"]] == rules
    assert document["holders"][0]["rotation_due"] == "2021-02-28"


def test_rows_matching_nothing_and_repeated_rows_are_named_by_file_sheet_and_row(batch):
    """A workbook roster: a unit no chart has, a post its unit's charts lack, a person
    listed twice; each warned about by file, sheet and row, none lost."""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "名册"
    sheet.append(["序号", "单位", "科室", "岗位", "姓名", "任职起始日期"])
    sheet.append([1, "市工业和信息化局", "投资与技术改造科", "科长", "张三", "2019-03-01"])
    sheet.append([2, "市工业和信息化厅", None, "科长", "李四", "2024-01-01"])
    sheet.append([3, "市工业和信息化局", None, "投资与技术改造科副科长", "王五", "2020-01-01"])
    sheet.append([4, "市工业和信息化局", None, "投资与技术改造科科长", "张三", "2019-03-01"])
    roster = batch / "roster.xlsx"
    book.save(roster)
    common = ("audit", batch / "charts", "--roster", roster, "--as-of", "2025-06-30")
    text = run(*common, "--lang", "en").stdout
    assert f"roster warning: {roster}:3: sheet '名册', row 3: no chart has the unit " \
        "'市工业和信息化厅' (nearest: 市工业和信息化局); the row is kept" in text
    assert f"roster warning: {roster}:4: sheet '名册', row 4: no chart of '市工业和信息化局' " \
        "has the post '投资与技术改造科副科长'" in text
    assert f"roster warning: {roster}:5: sheet '名册', row 5: repeats sheet '名册', row 2 " \
        "(the same person on the same post); counted once" in text
    document = json.loads(run(*common, "--format", "json").stdout)
    assert [(w["file"], w["line"]) for w in document["roster_warnings"]] == [
        (str(roster), 3), (str(roster), 4), (str(roster), 5)]
    assert [h["name"] for h in document["holders"]] == ["张三", "李四", "王五", "张三"]
    assert document["summary"]["roster"]["rows_matching_nothing"] == 2
    assert document["summary"]["roster"]["repeated_rows"] == 1


def test_source_date_epoch_is_the_audit_date_when_none_is_given(batch):
    epoch = str(1719705600)  # 2024-06-30 UTC
    result = run("audit", batch / "charts", "--roster", batch / "roster.csv", "--format",
                 "json", env={"SOURCE_DATE_EPOCH": epoch})
    assert json.loads(result.stdout)["roster"]["as_of"] == "2024-06-30"


@pytest.mark.parametrize("option, message", [
    (["--as-of", "2025/6/30"], "--as-of: expected a date YYYY-MM-DD, got '2025/6/30'"),
    (["--as-of", "2025-02-30"], "--as-of: expected a date YYYY-MM-DD, got '2025-02-30'"),
    (["--roster", "missing.csv"], "missing.csv: no such file"),
])
def test_bad_options_are_one_line_and_exit_2(batch, option, message):
    result = run("audit", batch / "charts", *option, "--lang", "en")
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_a_bad_roster_names_every_cell_and_stops_before_any_work(batch):
    (batch / "roster.csv").write_text(HEAD + "市工业和信息化局,,科长,张三,2019-13-01,\n"
                                      "市工业和信息化局,,科员,李四,2099-01-01,\n", "utf-8")
    for command in (["audit"], ["stats"], ["ledger", "-o", batch / "l.xlsx"],
                    ["report", "-o", batch / "r"]):
        result = run(*command, batch / "charts", "--roster", batch / "roster.csv",
                     "--as-of", "2025-06-30", "--lang", "en")
        assert result.exit_code == 2
        assert f"{batch / 'roster.csv'}:2:5: row 2, column E '任职起始日期': expected a date" \
            in result.output
        assert f"{batch / 'roster.csv'}:3:5: row 3, column E '任职起始日期': the date " \
               "2099-01-01 is after the audit's date 2025-06-30" in result.output
    assert not (batch / "l.xlsx").exists() and not (batch / "r").exists()


def test_a_roster_without_its_columns_names_the_headings(batch):
    (batch / "roster.csv").write_text("单位,岗位,姓名\n市工业和信息化局,科长,张三\n", "utf-8")
    result = run("audit", batch / "charts", "--roster", batch / "roster.csv", "--lang", "zh")
    assert result.exit_code == 2
    assert "第 1 行: 缺少必需的列 任职起始日期; 应有列: 单位、岗位、姓名、任职起始日期" in result.output


def test_the_roster_and_no_names_from_the_configuration(batch):
    (batch / "charts" / "flowgraph.toml").write_text(
        'roster = "../roster.csv"\nno_names = true\nrotation_years = 6\n', "utf-8")
    result = run("audit", batch / "charts", "--as-of", "2025-06-30", "--lang", "zh")
    assert "投资与技术改造科科长（在岗人员）任“投资与技术改造科科长”已 6 年 3 个月" in result.stdout
    assert "任职满 6 年应当轮岗（2025-03-01 已满）" in result.stdout
    assert not any(name in result.output for name in NAMES)


def test_selection_and_severity_apply_to_the_programme_rules(batch):
    common = ("audit", batch / "charts", "--roster", batch / "roster.csv", "--as-of",
              "2025-06-30", "--format", "json")
    ignored = json.loads(run(*common, "--ignore", "FG6").stdout)
    assert ignored["programme_findings"] == [] and "FG601" not in ignored["summary"]["findings"]
    only = run(*common, "--select", "FG603", "--fail-on", "warning")
    assert [f["rule"] for f in json.loads(only.stdout)["programme_findings"]] == ["FG603"]
    assert only.exit_code == 1
    (batch / "charts" / "flowgraph.toml").write_text('[severity]\nFG6 = "info"\n', "utf-8")
    info = run(*common, "--select", "FG6")
    assert {f["severity"] for f in json.loads(info.stdout)["programme_findings"]} == {"info"}
    assert info.exit_code == 0


def test_the_json_document_gains_members_and_keeps_the_old_ones(batch):
    plain = json.loads(run("audit", batch / "charts", "--format", "json").stdout)
    assert plain["roster"] is None and plain["holders"] == [] and \
        plain["summary"]["roster"] is None
    document = json.loads(run("audit", batch / "charts", "--roster", batch / "roster.csv",
                              "--as-of", "2025-06-30", "--format", "json").stdout)
    assert list(document)[:len(plain)] == list(plain)
    assert document["summary"]["findings"]["FG601"] == 1
    assert document["summary"]["roster"] == {
        "rows": 3, "holders": 2, "posts_held": 2,
        "by_rule": {"FG601": 1, "FG602": 0, "FG603": 1}, "posts_without_holder": 1,
        "rows_matching_nothing": 1, "repeated_rows": 0, "units_not_in_roster": 0}
    first = document["holders"][0]
    assert (first["name"], first["matched_post"], first["held"], first["rotation_due"],
            first["findings"]) == ("张三", "投资与技术改造科科长", {"years": 6, "months": 3},
                                   "2024-03-01", ["FG601", "FG603"])
    assert document["posts_without_holder"] == [
        {"unit": "市工业和信息化局", "post": "分管技改副局长", "grade": 3}]
    assert document["roster_warnings"][0]["line"] == 4


def test_stats_count_the_programme(batch):
    args = ("stats", batch / "charts", "--roster", batch / "roster.csv", "--as-of", "2025-06-30")
    figures = json.loads(run(*args, "--format", "json").stdout)
    assert figures["roster"]["holders"] == 2 and figures["roster"]["by_rule"]["FG601"] == 1
    text = run(*args, "--lang", "zh").stdout
    for line in ("  在岗人员（对应流程图岗位）：2", "  名册中无人在岗的风险岗位：1",
                 "  名册中未对应任何岗位的行：1", "  在岗人员任职已满轮岗年限（FG601）：1",
                 "  在岗人员即将满轮岗年限（FG602）：0",
                 "  一级或关键岗位在岗人员未签订岗位廉政承诺书（FG603）：1"):
        assert line in text.splitlines()


def _ledger(path: Path) -> list[dict]:
    from openpyxl import load_workbook
    sheet = load_workbook(path)["风险点台账"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_ledger_names_holders_their_years_and_the_rotation(batch):
    result = run("ledger", batch / "charts", "--roster", batch / "roster.csv", "--as-of",
                 "2025-06-30", "-o", batch / "l.xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.output
    rows = {row["岗位"]: row for row in _ledger(batch / "l.xlsx")}
    assert list(next(iter(rows.values())))[6:9] == ["岗位", "在岗人员", "在岗年限"]
    chief = rows["投资与技术改造科科长"]
    assert (chief["在岗人员"], chief["在岗年限"]) == ("张三", "6年3个月")
    measures = chief["建议防控措施"].splitlines()
    assert measures[-2:] == ["5. 安排张三轮岗（在该岗位已6年3个月，2024-03-01已满轮岗年限）",
                             "6. 督促张三签订岗位廉政承诺书"]
    assert (rows["分管技改副局长"]["在岗人员"], rows["局党组会议"]["在岗人员"]) == \
        ("（名册中无）", None)
    plain = run("ledger", batch / "charts", "-o", batch / "plain.xlsx", "--lang", "zh")
    assert plain.exit_code == 0
    assert "在岗人员" not in _ledger(batch / "plain.xlsx")[0]


def test_configured_ledger_columns_know_the_new_ones(batch):
    (batch / "charts" / "setup.cfg").write_text(
        "[flowgraph]\nledger_columns = 单位, 岗位, 在岗人员, years_held, 指纹\n", "utf-8")
    result = run("ledger", batch / "charts", "--roster", batch / "roster.csv", "--as-of",
                 "2025-06-30", "-o", batch / "l.csv", "--lang", "zh")
    assert result.exit_code == 0
    text = (batch / "l.csv").read_text("utf-8-sig").splitlines()
    assert text[0] == "单位,岗位,在岗人员,在岗年限,指纹"
    assert re.fullmatch(r"市工业和信息化局,投资与技术改造科科长,张三,6年3个月,[0-9a-f]{16}",
                        next(line for line in text if "科长,张三" in line))


def test_the_report_has_a_rotation_section(batch):
    result = run("report", batch / "charts", "--roster", batch / "roster.csv", "--as-of",
                 "2025-06-30", "-o", batch / "r", "--lang", "zh", "--date", "2025-06-30")
    assert result.exit_code == 0, result.output
    index = (batch / "r" / "index.html").read_text("utf-8")
    section = index[index.index('<section class="programme">'):]
    assert "<h2>在岗人员与轮岗</h2>" in section
    assert '<tr class="warning"><td>FG601</td><td>警告</td><td>市工业和信息化局</td>' \
           "<td>投资与技术改造科科长</td><td>张三</td><td class=\"d\">2019-03-01</td>" \
           "<td class=\"d\">6年3个月</td><td class=\"d\">2024-03-01</td>" in section
    assert '<td class="g3">三级</td>' in section  # the post nobody holds
    without = run("report", batch / "charts", "-o", batch / "r2", "--date", "2025-06-30")
    assert without.exit_code == 0
    assert "programme" not in (batch / "r2" / "index.html").read_text("utf-8")


HOSTILE = ('<script>alert(1)</script>', '=HYPERLINK("http://evil","点")')


def test_hostile_names_are_shown_never_run(batch):
    (batch / "roster.csv").write_text(
        HEAD + f'市工业和信息化局,,投资与技术改造科科长,{HOSTILE[0]},2019-03-01,\n'
        f'市工业和信息化局,,投资与技术改造科经办人,"{HOSTILE[1].replace(chr(34), chr(34) * 2)}",'
        "2024-01-01,\n", "utf-8")
    common = ("--roster", batch / "roster.csv", "--as-of", "2025-06-30", "--lang", "zh")
    assert run("report", batch / "charts", "-o", batch / "r", "--date", "2025-06-30",
               *common).exit_code == 0
    index = (batch / "r" / "index.html").read_text("utf-8")
    assert "<script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert run("ledger", batch / "charts", "-o", batch / "l.csv", *common).exit_code == 0
    csv_text = (batch / "l.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ',"=HYPERLINK' not in csv_text
    assert run("ledger", batch / "charts", "-o", batch / "l.xlsx", *common).exit_code == 0
    from openpyxl import load_workbook
    cells = [cell.value for row in load_workbook(batch / "l.xlsx")["风险点台账"].iter_rows()
             for cell in row if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert cells and all(not value.startswith("=") for value in cells)


def _every_byte(folder: Path) -> str:
    """Every byte flowgraph wrote under ``folder``, as text: workbooks unpacked part by
    part, their XML's character references read (the ledger writes 张 as ``&#24352;``),
    other files as they are."""
    import html
    import zipfile
    data = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                data += [html.unescape(archive.read(name).decode("utf-8"))
                         for name in archive.namelist()]
        elif path.is_file():
            data.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(data)


def test_no_names_leaves_no_name_anywhere(batch):
    """Every output of every command with the roster and --no-names, in both languages,
    last year's ledger carried forward too: no byte spells a name of the roster."""
    common = ("--roster", batch / "roster.csv", "--as-of", "2025-06-30", "--no-names")
    outputs = []
    for lang in ("zh", "en"):
        outputs.append(run("audit", batch / "charts", *common, "--lang", lang).output)
        outputs.append(run("audit", batch / "charts", *common, "--format", "json",
                           "--lang", lang).output)
        outputs.append(run("stats", batch / "charts", *common, "--lang", lang).output)
        outputs.append(run("stats", batch / "charts", *common, "--format", "json").output)
        out = batch / f"out-{lang}"
        out.mkdir()
        for name in ("l.xlsx", "l.csv"):
            result = run("ledger", batch / "charts", *common, "-o", out / name, "--lang", lang)
            assert result.exit_code == 0
            outputs.append(result.output)
        # last year's ledger, written with names and a note naming one, carried forward
        named = batch / f"named-{lang}.xlsx"
        assert run("ledger", batch / "charts", "--roster", batch / "roster.csv", "--as-of",
                   "2024-06-30", "-o", named, "--lang", lang).exit_code == 0
        _note(named, "张三已签订承诺书")
        result = run("ledger", batch / "charts", *common, "--previous", named, "-o",
                     out / "carried.xlsx", "--lang", lang)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
        result = run("report", batch / "charts", *common, "-o", out / "report", "--lang", lang,
                     "--date", "2025-06-30")
        assert result.exit_code == 0
        outputs.append(result.output)
        outputs.append(_every_byte(out))
    everything = "\n".join(outputs)
    assert "投资与技术改造科科长（在岗人员）" in everything and \
        "投资与技术改造科科长 (holder)" in everything
    assert "投资与技术改造科科长（在岗人员）已签订承诺书" in everything
    assert [name for name in NAMES if name in everything] == []
    # the same reading finds the names where they are shown
    assert all(name in _every_byte(batch) for name in ("张三", "李四"))


def _note(ledger: Path, text: str) -> None:
    """An office's note in every row's 整改情况 (or Rectification) of ``ledger``."""
    from openpyxl import load_workbook
    book = load_workbook(ledger)
    sheet = book.worksheets[0]
    head = [cell.value for cell in sheet[1]]
    column = head.index("整改情况" if "整改情况" in head else "Rectification") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column, value=text)
    book.save(ledger)


def test_the_same_input_and_date_give_the_same_bytes(batch):
    common = ("--roster", batch / "roster.csv", "--as-of", "2025-06-30", "--lang", "zh")
    for number in (1, 2):
        run("ledger", batch / "charts", *common, "-o", batch / f"l{number}.xlsx")
        run("report", batch / "charts", *common, "-o", batch / f"r{number}",
            "--date", "2025-06-30")
        run("audit", batch / "charts", *common, "--format", "json", "-o",
            batch / f"a{number}.json")
    assert (batch / "l1.xlsx").read_bytes() == (batch / "l2.xlsx").read_bytes()
    assert (batch / "a1.json").read_bytes() == (batch / "a2.json").read_bytes()
    first = sorted(p.relative_to(batch / "r1") for p in (batch / "r1").rglob("*"))
    assert first == sorted(p.relative_to(batch / "r2") for p in (batch / "r2").rglob("*"))
    for relative in first:
        if (batch / "r1" / relative).is_file():
            assert (batch / "r1" / relative).read_bytes() == \
                (batch / "r2" / relative).read_bytes(), relative


def test_the_samples_roster_is_no_chart_and_fits_the_samples():
    roster = ROOT / "flowcharts" / "在岗人员名册.csv"
    result = run("audit", ROOT / "flowcharts", "--roster", roster, "--as-of", "2026-11-25",
                 "--format", "json")
    document = json.loads(result.stdout)
    assert len(document["files"]) == 18 and roster.name not in result.stdout.split('"files"')[1] \
        .split('"findings"')[0]
    assert [w["message"] for w in document["roster_warnings"]] == [
        "row 5: no chart of '市财政局' has the post '国库科 副科长'; the row is kept, its "
        "rotation not judged"]
    assert {f["rule"] for f in document["programme_findings"]} == {"FG601", "FG602", "FG603"}
