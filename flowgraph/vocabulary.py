"""How the model's values are called in Chinese and English, everywhere a user reads them.

One name, one meaning: the words here are what messages, reasons, the ledger, the
report and the diagrams show for a grade, a kind of step, a level of discretion, a
rank, a severity or an amount. Readers that *parse* words from files keep their own
tables of accepted spellings (:mod:`flowgraph.io.builder`); nothing here is parsed.
"""
from __future__ import annotations

from .i18n import Text

#: Risk grades, highest first: 一级 is the most serious.
GRADES = (1, 2, 3)
GRADE_NAMES = {1: Text("一级", "grade 1"), 2: Text("二级", "grade 2"),
               3: Text("三级", "grade 3")}
NO_GRADE = Text("非风险点", "not a risk point")

#: Kinds of step as nouns: ``决定环节“审批”`` / ``the decision '审批'``.
KIND_NAMES = {
    "start": Text("开始", "start"), "end": Text("结束", "end"), "task": Text("办理", "task"),
    "decision": Text("决定", "decision"), "review": Text("审核", "review"),
    "oversight": Text("监督", "oversight"), "disclosure": Text("公开", "disclosure"),
    "gateway": Text("分支", "branch point"), "system": Text("系统", "automated step"),
}
#: Discretion as a noun phrase: ``较大裁量权`` / ``high discretion``.
DISCRETION_NAMES = {"none": Text("无裁量权", "no discretion"),
                    "low": Text("较小裁量权", "low discretion"),
                    "medium": Text("中等裁量权", "medium discretion"),
                    "high": Text("较大裁量权", "high discretion")}
RANK_NAMES = {"staff": Text("一般工作人员岗位", "staff post"),
              "section": Text("科室负责人岗位", "section head's post"),
              "deputy": Text("分管领导岗位", "deputy leader's post"),
              "principal": Text("主要负责人或领导集体", "principal leader or leading body")}
#: Duties in internal-control terms (不相容职务), as the incompatible-duty rule names them.
DUTY_NAMES = {"apply": Text("申请", "applying"), "approve": Text("审批", "approving"),
              "execute": Text("执行", "executing"), "record": Text("记录", "recording"),
              "custody": Text("保管", "custody"), "inspect": Text("检查", "inspecting")}
SEVERITY_NAMES = {"error": Text("错误", "error"), "warning": Text("警告", "warning"),
                  "info": Text("提示", "info")}
#: Power over people, money and affairs (人、财、事), as the practice groups it.
DOMAIN_NAMES = {"people": Text("人", "people"), "money": Text("财", "money"),
                "affairs": Text("事", "affairs")}


def grade_name(grade: int | None, lang: str) -> str:
    """``一级`` … ``三级``, or empty for a step that is not graded."""
    return GRADE_NAMES[grade](lang) if grade else ""


def yuan(amount: float) -> str:
    """An amount as users read it: ``¥5,000,000``."""
    return f"¥{amount:,.0f}"


def listing(items, lang: str) -> str:
    """Items as a list in running text: ``裁量基准、集体决策`` / ``benchmark, collective``."""
    return Text("、", ", ")(lang).join(items)


#: The risk ledger's columns (台账), by name, with their headings: the columns units
#: keep first, in the order they keep them, then those a reader of the CSV or a script
#: may add (``ledger_columns`` in the configuration chooses and orders them; see
#: docs/ledger.md for where each comes from).
LEDGER_COLUMNS = {
    "number": Text("序号", "No."),
    "unit": Text("单位", "Unit"),
    "section": Text("科室", "Section"),
    "power_item": Text("权力事项", "Power item"),
    "category": Text("事项类别", "Category"),
    "label": Text("环节", "Step"),
    "post": Text("岗位", "Post"),
    "risk": Text("风险点表现形式", "How the risk shows itself"),
    "grade": Text("风险等级", "Risk grade"),
    "measures_in_place": Text("现有防控措施", "Measures in place"),
    "suggested_measures": Text("建议防控措施", "Suggested measures"),
    "direct": Text("直接责任人", "Directly responsible"),
    "department": Text("部门责任人", "Department head"),
    "leader": Text("责任领导", "Responsible leader"),
    "overseers": Text("监督主体", "Overseen by"),
    "time_limit": Text("办理时限", "Time limit"),
    "basis": Text("依据", "Legal basis"),
    "rectification": Text("整改情况", "Rectification"),
    "findings": Text("问题", "Findings"),
    "declared_grade": Text("申报等级", "Declared grade"),
    "reasons": Text("评定理由", "Reasons for the grade"),
    "key_post": Text("关键岗位", "Key post"),
    "risk_category": Text("风险类别", "Kind of risk"),
    "library_risk": Text("风险库表现形式", "Risk as the library describes it"),
    "file": Text("文件", "File"),
    "flowchart": Text("流程图", "Flowchart"),
    "step": Text("步骤编号", "Step id"),
    "holders": Text("在岗人员", "Holders"),
    "years_held": Text("在岗年限", "Time in post"),
    "fingerprint": Text("指纹", "Fingerprint"),
}
#: The columns a ledger has unless the configuration says otherwise.
DEFAULT_LEDGER_COLUMNS = tuple(list(LEDGER_COLUMNS)[:list(LEDGER_COLUMNS).index("findings") + 1])


def ledger_column(name: str) -> str | None:
    """The ledger column a configuration names: by its name (``risk``) or its heading
    in either language (``风险点表现形式``, ``How the risk shows itself``); None when no
    column is called that."""
    key = " ".join(name.split()).casefold()
    for column, heading in LEDGER_COLUMNS.items():
        if key in (column, heading.zh, heading.en.casefold()):
            return column
    return None
