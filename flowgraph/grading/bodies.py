"""Whose post is it: the bodies of a chart that are not posts of its unit.

A unit's flowchart names bodies that are not its posts: the stationed discipline-
inspection group, the government's executive meeting, an evaluation committee of
experts, a county bureau in a township's chart. They are listed as such and never
counted among the unit's risk posts (design.md §7), and no leader of the unit answers
for them.

A chart may say so (``outside: true`` on an actor, ``外单位`` in a table, a pool of its
own in BPMN or draw.io). Where it does not, the name decides when it clearly belongs
to another body, and the inference is shown with its reason: a supervisory body or the
public; a committee of experts, a trading centre or an agency; or a body named with its
place (市…, …县…, …区…) that is not the unit itself (市政府常务会议 in a bureau's chart,
县民政局 in a town's).
"""
from __future__ import annotations

import re

from ..i18n import Text
from ..model import Actor

#: Bodies that are never a unit's own posts, by a word of their name.
OUTSIDE_WORDS = ("派驻", "评标委员会", "评审委员会", "专家委员会", "专家", "招标代理",
                 "代理机构", "咨询机构", "估价机构", "评估机构", "中介机构", "交易中心",
                 "公共资源交易", "人民法院", "人民检察院", "银行", "人民代表大会",
                 "人大常委会", "政协", "村民", "居民", "村（居）", "村委会", "居委会",
                 "申请人", "当事人")
#: A body named with its place: 市政府, 县民政局, 青山镇人民政府, 市人大常委会 …
PLACED_BODY = re.compile(
    r"^((?!分管|常务|主管|副)(?:[\u4e00-\u9fff]{0,4}?[省市县区镇乡])"
    r"(?:人民政府|政府|党委|人大|[^科股室队组副\s]{1,10}?(?:局|委员会|委|办公室|厅|中心)))")


def outside_reason(actor: Actor, unit: str | None) -> Text | None:
    """Why ``actor`` is not a post of ``unit``, or None when it is one."""
    if actor.outside is not None:
        return Text("流程图标明", "as the chart says") if actor.outside else None
    if actor.oversight:
        return Text("监督机构", "a supervisory body")
    if actor.public:
        return Text("社会公众", "the public")
    name = actor.name
    word = next((w for w in OUTSIDE_WORDS if w in name), None)
    if word is not None:
        return Text(f"名称含“{word}”", f"its name contains '{word}'")
    match = PLACED_BODY.search(name)
    if match is not None and not _same_body(match.group(1), unit or ""):
        body = match.group(1)
        return Text(f"按名称推断属于{body}", f"by its name, part of {body}")
    return None


def _same_body(body: str, unit: str) -> bool:
    """Whether a body named in a chart is its unit: 市国土资源局 in the chart of
    市国土资源局, or a town's own government or party committee in the chart of that
    town's government (青山镇党委 for 青山镇人民政府)."""
    if not unit:
        return False
    if body in unit or unit in body:
        return True
    place = GOVERNMENT.fullmatch(unit)
    if place is None:
        return False
    if body in (place.group(1) + organ for organ in ("人民政府", "政府", "党委")):
        return True
    # 镇财政所 in a town's chart: a body of the government's own level, unnamed
    return body[0] == place.group(1)[-1] and body[0] in "镇乡"


#: A government of a place: 青山镇人民政府, 东城区人民政府.
GOVERNMENT = re.compile(r"([\u4e00-\u9fff]+?[省市县区镇乡])(?:人民政府|政府)")
