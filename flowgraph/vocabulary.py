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

KIND_NAMES = {
    "start": Text("开始", "start"), "end": Text("结束", "end"), "task": Text("办理", "task"),
    "decision": Text("决定", "decision"), "review": Text("审核", "review"),
    "oversight": Text("监督", "oversight"), "disclosure": Text("公开", "disclosure"),
    "gateway": Text("分支", "gateway"), "system": Text("系统", "system"),
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
