"""Realistic synthetic flowcharts, seeded and deterministic: a city's batch, or one huge chart.

Benchmarks and the calibration of the grading policy need material of a city's size
(design.md §1: 67 units, 1,102 flowcharts, six classes of power) that reads like what a
prefecture-level city draws, so that its report could be mistaken for a real one:

- **Units as a city has them** (``units()``). First the city's 30 departments
  (市自然资源和规划局, 市住房和城乡建设局, 市市场监督管理局, 市卫生健康委员会,
  市人民防空办公室 …), then, a district and a county in turn, their bureaus (青山区民政局,
  临江县水利局 …), towns (石桥镇人民政府) and street offices (城关街道办事处). A batch of N
  charts has about N / 16.4 units (67 for 1,102: the departments, a district, a county
  and part of the next district), and a unit draws charts in proportion to the power
  items it holds (``quotas()``): 10 for a 市统计局, 22 for a 市自然资源和规划局.
- **Each unit issues the powers it holds.** ``CATALOGUE`` lists, per kind of unit, its
  power items as a power list (权力清单) would: category (行政许可, 行政处罚, 行政强制,
  行政征收, 行政给付, 行政检查, 行政确认, 行政奖励, 行政裁决, 其他行政权力), the section
  that handles it and the standard procedure it follows; every unit also holds the
  internal powers over people, money and affairs (人、财、事: 干部选拔任用, 公开招聘,
  经费报销, 政府采购, 公务接待, and 专项资金分配 or 工程建设项目 where it has funds or builds).
  No 排污许可 outside the environment bureau, no 宅基地审批 outside a town.
- **Distinct titles.** A unit never draws two charts of one title: where it needs more
  charts than it has items, it draws the sub-items practice uses (新办 / 变更 / 延续 /
  注销 for licences, 一般程序 / 简易程序 for penalties, 日常 / 专项 / 双随机 inspections …).
- **Procedures of domain.md §4.** ``PROCEDURES`` writes each standard procedure as the
  steps a unit draws, with the post of each step: licensing, penalties (and the summary
  procedure), coercive measures, inspections, levies, benefits, the subsistence allowance
  with 民主评议 and the county's approval, confirmations, awards, rulings, land transfer
  with a collective reserve-price decision, tendering with an evaluation committee,
  spending with tiered approval and the cashier apart from the bookkeeper, cadre
  selection with 民主推荐 / 考察 / 讨论决定 / 任前公示, recruitment, hospitality,
  special-fund allocation and construction projects. Steps of 8 to 60: a long chart
  adds the checks and reviews of its procedure, with return-for-correction loops.
- **Names as units write them.** Leaders as each body calls them (局长 / 副局长, 主任 for a
  委员会, 办公室 or 街道办事处, 党委书记 / 镇长 / 副镇长 in a town), sections named after
  their work (土地利用科, 食品经营监管科, 社会救助科 …) with their 科长 / 副科长 / 科员,
  支队长 / 执法队员, 所长 / 工作人员, and 窗口受理员, 会计, 出纳; bodies outside the unit as
  they are (派驻纪检监察组, 市政府常务会议, 评标委员会, 青山区民政局 approving a town's
  低保 …). Each unit keeps one roster of posts, written (as far as a chart uses it)
  into all its charts, so that posts recur across flowcharts as 牛科长 do.
- **Weaknesses at realistic rates** (``FLAWS``, about one chart in four): a discretion
  point that skips its review, a fast track one post finishes alone, a cashier who also
  keeps the books, a leader's sign-off that bypasses the review, a high-stakes step no
  one watches, oversight by the post watched, an outcome not published, a gateway with
  one branch, a step with no post, high discretion with no benchmark. Units declare
  grades as they would: mostly by the stakes, sometimes a grade off.

``batch(count, seed)`` yields ``(relative path, YAML text)`` lazily, unit by unit
(1,102 charts in about 0.3 s; 100,000 stream in flat memory, about 20 MB);
``chart(steps, seed)`` is one flowchart of exactly ``steps`` steps, a merged
administration chart of the first department's procedures, for the 100,000-step
benchmark. Same arguments, same bytes. Pure Python: ``random.Random`` only.
"""
from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from .io.yaml_writer import scalar


@dataclass(frozen=True)
class Item:
    """A power item (权力事项) of a unit's list: category, procedure, handling section
    (or ``@office``, ``@personnel``, ``@finance`` for the unit's own), title, sub-items."""

    category: str
    procedure: str
    section: str
    title: str
    subitems: tuple[str, ...]


@dataclass(frozen=True)
class Common:
    """The sections every unit has for its own affairs (one section may do several)."""

    office: str
    personnel: str
    finance: str
    legal: str


BUREAU = Common("办公室", "人事科", "计划财务科", "政策法规科")
TOWN = Common("党政综合办公室", "党政综合办公室", "财政所", "司法所")
STREET = Common("党政办公室", "党政办公室", "财政所", "司法所")

#: Sub-items practice splits an item into, by procedure, where the item names none; a
#: licence or registration only (…许可, …登记: issued, changed, renewed, cancelled), not a
#: one-off approval (…审批, …核准, …认定), and the summary procedure only where
#: enforcement officers fine on the spot (a 支队, 大队 or 队 handles the penalty).
SUBITEMS = {
    "license": ("新办", "变更", "延续", "注销"), "penalty": ("一般程序", "简易程序"),
    "coercion": ("实施", "解除"), "inspection": ("日常检查", "专项检查", "双随机抽查"),
    "levy": ("核定征收", "减免缓审批"), "benefit": ("新申请", "复核调整"),
    "subsistence": ("新申请", "复核调整", "停发"), "confirm": ("首次", "变更", "注销"),
    "land": ("招标出让", "拍卖出让", "挂牌出让"), "procurement": ("货物类", "服务类", "工程类"),
    "spending": ("差旅费", "会议费", "培训费", "办公费"), "appointment": ("民主推荐", "竞争上岗"),
    "recruitment": ("事业单位工作人员", "编外人员"),
}
#: The procedure a sub-item follows where it is not its item's.
SUBITEM_PROCEDURE = {("penalty", "简易程序"): "summary"}


def _items(table: str) -> tuple[Item, ...]:
    """Items from a table of lines ``category procedure section title [sub、items]``."""
    items = []
    for line in table.strip().splitlines():
        category, procedure, section, title, *rest = line.split()
        if rest:
            subitems = tuple(rest[0].split("、"))
        elif procedure in ("license", "confirm") and not title.endswith(("许可", "登记")) or \
                procedure == "penalty" and not section.endswith("队"):
            subitems = ()
        else:
            subitems = SUBITEMS.get(procedure, ())
        items.append(Item(category, procedure, section, title, subitems))
    return tuple(items)


#: The internal powers over people, money and affairs every unit holds (人、财、事).
INTERNAL = _items("""
    内部管理 appointment @personnel 干部选拔任用
    内部管理 recruitment @personnel 公开招聘
    内部管理 spending    @finance   经费报销
    内部管理 procurement @office    政府采购
    内部管理 hospitality @office    公务接待
""")


@dataclass(frozen=True)
class Kind:
    """A kind of unit: its name, its business sections under each deputy's portfolio,
    the sections for its own affairs, and its power items (its own, then ``INTERNAL``)."""

    stem: str
    portfolios: dict[str, tuple[str, ...]]
    items: tuple[Item, ...]
    common: Common = BUREAU
    #: The name in districts and counties, where it differs (卫生健康委员会 → 卫生健康局).
    local: str | None = None
    #: What its front-line staff are called where not 科员 / 执法队员 / 工作人员.
    staff: str | None = None

    @property
    def business(self) -> tuple[str, ...]:
        """The sections doing its business (who ask for spending and purchases)."""
        return tuple(dict.fromkeys(itertools.chain(*self.portfolios.values())))

    @property
    def sections(self) -> tuple[str, ...]:
        """Every section: its own affairs first, then its business, each once."""
        listed = (self.common.office, self.common.personnel, self.common.finance,
                  self.common.legal, *itertools.chain(*self.portfolios.values()))
        return tuple(dict.fromkeys(listed))


def _kind(stem: str, portfolios: dict[str, str], items: str, **extra) -> Kind:
    """A kind of unit from its portfolios (``{"土地": "土地利用科 地籍科"}``) and its item
    table; the internal powers are added to its items."""
    return Kind(stem, {name: tuple(sections.split()) for name, sections in portfolios.items()},
                _items(items) + INTERNAL, **extra)


CATALOGUE = {kind.stem: kind for kind in (
    _kind("自然资源和规划局",
          {"规划": "行政审批科 国土空间规划科 用地规划科 建设工程规划科",
           "土地": "土地利用科 耕地保护科 不动产登记中心",
           "执法": "执法监察支队 矿产资源管理科"}, """
        行政许可   license    用地规划科     建设用地规划许可
        行政许可   license    建设工程规划科 建设工程规划许可
        行政许可   license    建设工程规划科 乡村建设规划许可
        行政许可   license    矿产资源管理科 采矿许可 新立、延续、变更、注销
        行政许可   license    土地利用科     临时用地审批
        其他行政权力 land     土地利用科     国有建设用地使用权出让
        其他行政权力 license  土地利用科     土地征收报批
        行政征收   levy       土地利用科     土地闲置费征收
        行政征收   levy       耕地保护科     耕地开垦费征收
        行政确认 confirm 不动产登记中心 不动产登记 首次登记、转移登记、变更登记、抵押登记、注销登记
        行政处罚   penalty    执法监察支队   土地违法行为行政处罚
        行政处罚   penalty    执法监察支队   矿产资源违法行为行政处罚
        行政强制   coercion   执法监察支队   查封扣押非法占地施工机具
        行政检查   inspection 执法监察支队   土地卫片执法检查
        内部管理   fund       耕地保护科     土地整治专项资金分配
    """, local="自然资源局"),
    _kind("住房和城乡建设局",
          {"审批": "行政审批科 房地产市场监管科 住房保障科",
           "建管": "建筑市场监管科 工程质量安全监督站 城市建设科"}, """
        行政许可   license    行政审批科       建筑工程施工许可
        行政许可   license    房地产市场监管科 商品房预售许可
        行政许可   license    房地产市场监管科 房地产开发企业资质核定
        行政许可   license    建筑市场监管科   建筑业企业资质核准
        行政处罚   penalty    建筑市场监管科   违法建设行政处罚
        行政处罚   penalty    建筑市场监管科   建筑市场违法行为行政处罚
        行政处罚   penalty    房地产市场监管科 房地产开发经营违法行为行政处罚
        行政检查   inspection 工程质量安全监督站 建设工程质量监督检查
        行政检查   inspection 工程质量安全监督站 建筑施工安全监督检查
        行政征收   levy       城市建设科       城市基础设施配套费征收
        行政给付   benefit    住房保障科       公共租赁住房租赁补贴发放
        其他行政权力 license  工程质量安全监督站 建设工程竣工验收备案
        内部管理   fund       住房保障科       保障性安居工程专项资金分配
        内部管理   project    城市建设科       市政基础设施建设项目管理
    """),
    _kind("市场监督管理局",
          {"食品": "食品经营监管科 食品生产监管科",
           "登记": "行政审批科 特种设备安全监察科 计量科",
           "执法": "执法稽查支队 价格监督检查科"}, """
        行政许可   license    行政审批科     企业登记注册 设立登记、变更登记、注销登记
        行政许可   license    食品经营监管科 食品经营许可
        行政许可   license    食品生产监管科 食品生产许可
        行政许可   license    特种设备安全监察科 特种设备使用登记
        行政许可   license    计量科         计量标准器具核准
        行政处罚   penalty    执法稽查支队   食品安全违法行为行政处罚
        行政处罚   penalty    价格监督检查科 价格违法行为行政处罚
        行政处罚   penalty    执法稽查支队   产品质量违法行为行政处罚
        行政处罚   penalty    执法稽查支队   不正当竞争行为行政处罚
        行政强制   coercion   执法稽查支队   查封扣押涉嫌违法食品
        行政检查   inspection 食品经营监管科 食品生产经营监督检查
        行政检查   inspection 特种设备安全监察科 特种设备安全监督检查
        行政奖励   award      执法稽查支队   食品安全违法行为举报奖励
    """),
    _kind("生态环境局",
          {"环评": "行政审批科 环境影响评价科 大气环境科 水生态环境科",
           "执法": "生态环境综合行政执法支队 固体废物与化学品科"}, """
        行政许可   license    环境影响评价科 建设项目环境影响评价文件审批 报告书、报告表
        行政许可   license    环境影响评价科 排污许可 新办、变更、延续
        行政许可   license    固体废物与化学品科 危险废物经营许可
        其他行政权力 license  水生态环境科   入河排污口设置审核
        行政处罚   penalty    生态环境综合行政执法支队 环境违法行为行政处罚
        行政强制   coercion   生态环境综合行政执法支队 查封扣押造成污染的设施设备
        行政检查   inspection 生态环境综合行政执法支队 排污单位现场检查
        行政检查   inspection 大气环境科     重点排污单位自动监测检查
        行政奖励   award      生态环境综合行政执法支队 环境违法行为举报奖励
        内部管理   fund       大气环境科     大气污染防治专项资金分配
    """),
    _kind("民政局",
          {"救助": "社会救助科 养老服务科",
           "事务": "社会事务科 社会组织管理科"}, """
        行政给付   benefit    社会救助科     最低生活保障审批
        行政给付   benefit    社会救助科     特困人员救助供养
        行政给付   benefit    社会救助科     临时救助
        行政给付   benefit    养老服务科     高龄津贴发放
        行政许可   license    社会组织管理科 社会团体成立登记 成立登记、变更登记、注销登记
        行政许可   license    社会组织管理科 民办非企业单位成立登记 成立登记、变更登记、注销登记
        行政确认   confirm    社会事务科     婚姻登记 结婚登记、离婚登记、补领婚姻登记证
        行政处罚   penalty    社会组织管理科 社会组织违法行为行政处罚
        行政检查   inspection 养老服务科     养老机构监督检查
        内部管理   fund       养老服务科     福利彩票公益金分配
        内部管理   project    养老服务科     养老服务设施建设项目管理
    """),
    _kind("人力资源和社会保障局",
          {"就业": "就业促进科 职业能力建设科 事业单位人事管理科",
           "社保": "工伤保险科 社会保险基金监督科",
           "劳动": "劳动关系科 劳动保障监察支队 劳动人事争议仲裁院"}, """
        行政许可   license    就业促进科     人力资源服务许可
        行政许可   license    劳动关系科     劳务派遣经营许可
        行政许可   license    职业能力建设科 民办职业培训学校设立审批
        其他行政权力 license  事业单位人事管理科 事业单位公开招聘方案核准
        行政确认   confirm    工伤保险科     工伤认定
        行政给付   benefit    就业促进科     就业创业补贴发放
        行政给付   benefit    社会保险基金监督科 失业保险金发放
        行政处罚   penalty    劳动保障监察支队 劳动保障违法行为行政处罚
        行政检查   inspection 劳动保障监察支队 劳动保障监察
        行政裁决   ruling     劳动人事争议仲裁院 劳动人事争议仲裁
        内部管理   fund       就业促进科     就业补助资金分配
    """),
    _kind("财政局",
          {"预算": "预算科 国库科 综合科",
           "经建": "经济建设科 行政政法科 财政投资评审中心",
           "监督": "政府采购监督管理科 会计科"}, """
        行政许可   license    会计科         代理记账机构审批 设立、变更、注销
        其他行政权力 license  政府采购监督管理科 政府采购方式变更审批
        行政裁决   ruling     政府采购监督管理科 政府采购投诉处理
        行政处罚   penalty    政府采购监督管理科 政府采购违法行为行政处罚
        行政处罚   penalty    会计科         会计违法行为行政处罚
        行政检查   inspection 会计科         会计信息质量检查
        行政检查   inspection 政府采购监督管理科 政府采购监督检查
        行政征收   levy       综合科         非税收入收缴
        内部管理   fund       经济建设科     产业发展专项资金分配
    """, common=Common("办公室", "人事教育科", "机关财务科", "法规税政科")),
    _kind("交通运输局",
          {"运输": "行政审批科 运输管理科 出租汽车管理科",
           "建设": "公路建设管理科 公路养护科",
           "执法": "交通运输综合行政执法支队"}, """
        行政许可   license    运输管理科     道路旅客运输经营许可
        行政许可   license    运输管理科     道路货物运输经营许可 新办、变更、注销
        行政许可   license    出租汽车管理科 出租汽车经营许可
        行政许可   license    公路建设管理科 公路超限运输许可
        行政许可   license    公路养护科     涉路施工许可
        行政处罚   penalty    交通运输综合行政执法支队 道路运输违法行为行政处罚
        行政处罚   penalty    交通运输综合行政执法支队 路政违法行为行政处罚
        行政强制   coercion   交通运输综合行政执法支队 暂扣非法营运车辆
        行政检查   inspection 运输管理科     道路运输企业安全生产检查
        行政给付   benefit    出租汽车管理科 城市公交成品油价格补贴发放
        内部管理   project    公路建设管理科 农村公路建设项目管理
    """),
    _kind("卫生健康委员会",
          {"医政": "行政审批科 医政医管科 基层卫生科 中医科",
           "公卫": "疾病预防控制科 卫生健康监督所 人口监测与家庭发展科"}, """
        行政许可   license    医政医管科     医疗机构执业登记 设置审批、执业登记、变更登记、校验
        行政许可   license    医政医管科     医师执业注册 首次注册、变更注册
        行政许可   license    卫生健康监督所 公共场所卫生许可
        行政许可   license    医政医管科     放射诊疗许可
        行政处罚   penalty    卫生健康监督所 医疗卫生违法行为行政处罚
        行政处罚   penalty    卫生健康监督所 公共场所卫生违法行为行政处罚
        行政检查   inspection 卫生健康监督所 医疗机构依法执业监督检查
        行政给付   benefit    人口监测与家庭发展科 计划生育家庭特别扶助金发放
        内部管理   fund       基层卫生科     基本公共卫生服务补助资金分配
        内部管理   project    医政医管科     医疗卫生基础设施建设项目管理
    """, local="卫生健康局"),
    _kind("教育局",
          {"基教": "基础教育科 教师工作科 教育督导室",
           "保障": "民办教育管理科 学生资助管理中心 教育装备中心"}, """
        行政许可   license    民办教育管理科 民办学校办学许可 设立、变更、终止
        行政许可   license    教师工作科     教师资格认定
        行政给付   benefit    学生资助管理中心 家庭经济困难学生资助 学前教育、义务教育、普通高中
        行政处罚   penalty    民办教育管理科 民办学校违法办学行政处罚
        行政检查   inspection 民办教育管理科 校外培训机构监督检查
        行政检查   inspection 教育督导室     学校办学行为督导检查
        行政奖励   award      基础教育科     基础教育教学成果奖评审
        内部管理   fund       基础教育科     义务教育薄弱环节改善资金分配
        内部管理   project    教育装备中心   校舍新建改扩建项目管理
    """, common=Common("办公室", "组织人事科", "计划财务科", "政策法规科")),
    _kind("人民防空办公室",
          {"工程": "人防工程管理科 指挥通信科"}, """
        行政许可   license    人防工程管理科 防空地下室建设审批
        行政许可   license    人防工程管理科 人民防空工程拆除审批
        行政征收   levy       人防工程管理科 防空地下室易地建设费征收
        行政处罚   penalty    人防工程管理科 人防违法行为行政处罚
        行政检查   inspection 人防工程管理科 人防工程质量监督检查
        行政检查   inspection 指挥通信科     人防警报设施检查
    """, common=Common("综合科", "综合科", "综合科", "综合科")),
    _kind("应急管理局",
          {"安监": "危险化学品安全监督管理科 工贸行业安全监督管理科 应急管理综合行政执法支队",
           "应急": "应急救援科 救灾和物资保障科"}, """
        行政许可   license    危险化学品安全监督管理科 危险化学品经营许可 新办、变更、延续
        行政许可   license    危险化学品安全监督管理科 烟花爆竹经营（零售）许可
        行政处罚   penalty    应急管理综合行政执法支队 安全生产违法行为行政处罚
        行政强制   coercion   应急管理综合行政执法支队 查封扣押不符合安全标准的设施设备
        行政检查   inspection 应急管理综合行政执法支队 安全生产行政检查
        行政检查   inspection 工贸行业安全监督管理科 工贸企业安全生产标准化检查
        行政给付   benefit    救灾和物资保障科 受灾群众生活救助
        行政奖励   award      应急管理综合行政执法支队 安全生产举报奖励
    """),
    _kind("发展和改革委员会",
          {"投资": "固定资产投资科 重点项目推进科",
           "经济": "能源科 价格科"}, """
        行政许可   license    固定资产投资科 企业投资项目核准
        行政许可   license    能源科         固定资产投资项目节能审查
        其他行政权力 license  固定资产投资科 政府投资项目可行性研究报告审批
        其他行政权力 license  固定资产投资科 企业投资项目备案
        其他行政权力 license  价格科         政府定价成本监审
        行政处罚   penalty    能源科         违反节能审查规定行政处罚
        行政检查   inspection 重点项目推进科 政府投资项目稽察
        内部管理   fund       固定资产投资科 预算内基本建设资金分配
    """),
    _kind("水利局",
          {"水资源": "水资源管理科 河湖管理科 水土保持科",
           "建设": "水利工程建设管理科 农村水利科",
           "执法": "水政监察支队"}, """
        行政许可   license    水资源管理科   取水许可 新办、变更、延续
        行政许可   license    河湖管理科     河道管理范围内建设项目工程建设方案审批
        行政许可   license    水土保持科     生产建设项目水土保持方案审批
        行政许可   license    河湖管理科     河道采砂许可
        行政征收   levy       水资源管理科   水资源费征收
        行政征收   levy       水土保持科     水土保持补偿费征收
        行政处罚   penalty    水政监察支队   水事违法行为行政处罚
        行政强制   coercion   水政监察支队   扣押非法采砂船舶和机具
        行政检查   inspection 水政监察支队   河道采砂监督检查
        内部管理   fund       农村水利科     水利发展资金分配
        内部管理   project    水利工程建设管理科 水利工程建设项目管理
    """),
    _kind("农业农村局",
          {"种植": "行政审批科 种植业管理科 农产品质量安全监管科 农业机械化管理科",
           "畜牧": "畜牧兽医科",
           "经管": "农村经营管理科 农田建设管理科",
           "执法": "农业综合行政执法支队"}, """
        行政许可   license    种植业管理科   农药经营许可
        行政许可   license    种植业管理科   农作物种子生产经营许可
        行政许可   license    畜牧兽医科     兽药经营许可
        行政许可   license    畜牧兽医科     动物防疫条件合格证核发
        行政处罚   penalty    农业综合行政执法支队 农业投入品违法行为行政处罚
        行政处罚   penalty    农业综合行政执法支队 动物防疫违法行为行政处罚
        行政给付   benefit    种植业管理科   耕地地力保护补贴发放
        行政给付   benefit    农业机械化管理科 农机购置补贴发放
        行政检查   inspection 农产品质量安全监管科 农产品质量安全监督检查
        行政确认   confirm    农村经营管理科 农村土地承包经营权登记
        行政裁决   ruling     农村经营管理科 农村土地承包经营纠纷仲裁
        内部管理   fund       种植业管理科   农业生产发展资金分配
        内部管理   project    农田建设管理科 高标准农田建设项目管理
    """),
    _kind("医疗保障局",
          {"待遇": "待遇保障科 医药服务管理科",
           "基金": "基金监管科 医疗保障事务中心"}, """
        行政给付   benefit    待遇保障科     医疗救助
        行政给付   benefit    医疗保障事务中心 基本医疗保险待遇支付 门诊慢特病、住院、异地就医
        行政确认   confirm    医药服务管理科 定点医药机构确定
        行政确认   confirm    待遇保障科     门诊慢特病待遇认定
        行政处罚   penalty    基金监管科     医疗保障基金违法使用行政处罚
        行政检查   inspection 基金监管科     定点医药机构医保基金使用监督检查
        行政奖励   award      基金监管科     欺诈骗取医保基金举报奖励
    """),
    _kind("城市管理综合执法局",
          {"市容": "行政审批科 市容环境卫生管理科 城市绿化管理科 户外广告管理科",
           "市政": "市政设施管理科",
           "执法": "综合执法支队"}, """
        行政许可   license    市容环境卫生管理科 城市建筑垃圾处置核准
        行政许可   license    户外广告管理科 设置大型户外广告审批
        行政许可   license    市政设施管理科 挖掘城市道路审批
        行政许可   license    市政设施管理科 临时占用城市道路审批
        行政许可   license    城市绿化管理科 砍伐迁移城市树木审批
        行政处罚   penalty    综合执法支队   市容环境卫生违法行为行政处罚
        行政处罚   penalty    综合执法支队   城市规划区违法建设行政处罚
        行政强制   coercion   综合执法支队   强制拆除违法建筑物
        行政强制   coercion   综合执法支队   暂扣占道经营物品
        行政征收   levy       市容环境卫生管理科 城市生活垃圾处理费征收
        行政征收   levy       市政设施管理科 城市道路占用挖掘修复费征收
        行政检查   inspection 综合执法支队   市容市貌巡查
        内部管理   project    市政设施管理科 市政设施维护工程项目管理
    """),
    _kind("公安局",
          {"治安": "治安管理支队 出入境管理支队 户政管理科",
           "交管": "交通警察支队"}, """
        行政许可   license    治安管理支队   公章刻制业特种行业许可
        行政许可   license    治安管理支队   大型群众性活动安全许可
        行政许可   license    治安管理支队   烟花爆竹道路运输许可
        行政许可   license    交通警察支队   机动车驾驶证核发 初次申领、换证、补证
        行政许可   license    出入境管理支队 普通护照签发 首次申请、换发、补发
        行政处罚   penalty    治安管理支队   治安管理行政处罚
        行政处罚   penalty    交通警察支队   道路交通安全违法行为行政处罚
        行政强制   coercion   治安管理支队   扣押涉案财物
        行政确认   confirm    户政管理科     户口登记 出生登记、迁入登记、变更更正
        行政检查   inspection 治安管理支队   旅馆业治安检查
        行政奖励   award      治安管理支队   公民协助破案奖励
    """, common=Common("办公室", "政治处", "警务保障室", "法制支队"), staff="民警"),
    _kind("司法局",
          {"法律服务": "律师工作管理科 公共法律服务管理科 法律援助中心",
           "复议": "行政复议与应诉科 人民参与和促进法治科"}, """
        行政许可   license    律师工作管理科 律师事务所设立审核
        行政许可   license    公共法律服务管理科 基层法律服务工作者执业核准
        行政许可   license    公共法律服务管理科 司法鉴定机构登记审核
        行政给付   benefit    法律援助中心   法律援助
        行政处罚   penalty    律师工作管理科 律师和律师事务所违法行为行政处罚
        行政裁决   ruling     行政复议与应诉科 行政复议
        行政检查   inspection 公共法律服务管理科 司法鉴定机构监督检查
        行政奖励   award      人民参与和促进法治科 人民调解以奖代补
    """),
    _kind("审计局",
          {"审计": "财政审计科 经济责任审计科 固定资产投资审计科"}, """
        行政检查   inspection 财政审计科     预算执行审计
        行政检查   inspection 经济责任审计科 经济责任审计
        行政检查   inspection 固定资产投资审计科 政府投资项目审计
        行政处罚   penalty    法规审理科     审计处理处罚
    """, common=Common("办公室", "人事科", "财务科", "法规审理科")),
    _kind("统计局",
          {"统计": "综合统计科 统计执法监督科"}, """
        行政许可   license    综合统计科     涉外统计调查项目审批
        其他行政权力 license  综合统计科     部门统计调查项目审批
        行政处罚   penalty    统计执法监督科 统计违法行为行政处罚
        行政检查   inspection 统计执法监督科 统计执法检查
    """, common=Common("办公室", "办公室", "办公室", "统计执法监督科")),
    _kind("文化广电和旅游局",
          {"文化": "艺术科 文物科 公共服务科",
           "市场": "行政审批科 文化市场管理科 旅游市场管理科 文化市场综合执法支队"}, """
        行政许可   license    文化市场管理科 营业性演出审批
        行政许可   license    文化市场管理科 娱乐场所经营许可
        行政许可   license    文化市场管理科 互联网上网服务营业场所经营许可
        行政许可   license    旅游市场管理科 旅行社设立许可
        行政许可   license    文物科         文物保护单位保护范围内建设工程审批
        行政处罚   penalty    文化市场综合执法支队 文化市场违法行为行政处罚
        行政处罚   penalty    文化市场综合执法支队 旅游市场违法行为行政处罚
        行政检查   inspection 文化市场综合执法支队 文化市场监督检查
        行政确认   confirm    公共服务科     非物质文化遗产代表性传承人认定
        内部管理   fund       公共服务科     公共文化服务体系建设资金分配
    """),
    _kind("商务局",
          {"商贸": "市场运行科 商贸流通科",
           "外贸": "对外贸易科 外商投资管理科"}, """
        行政许可   license    商贸流通科     成品油零售经营资格审核
        行政许可   license    商贸流通科     报废机动车回收拆解企业资质认定
        行政确认   confirm    对外贸易科     对外贸易经营者备案登记
        行政处罚   penalty    市场运行科     商务领域违法行为行政处罚
        行政检查   inspection 市场运行科     单用途商业预付卡监督检查
        内部管理   fund       对外贸易科     外经贸发展专项资金分配
    """),
    _kind("林业局",
          {"资源": "林政资源管理科 生态保护修复科",
           "执法": "林业综合行政执法大队"}, """
        行政许可   license    林政资源管理科 林木采伐许可
        行政许可   license    林政资源管理科 使用林地审核
        行政许可   license    生态保护修复科 陆生野生动物人工繁育许可
        行政处罚   penalty    林业综合行政执法大队 林业违法行为行政处罚
        行政强制   coercion   林业综合行政执法大队 扣押非法运输木材
        行政给付   benefit    生态保护修复科 生态公益林补偿金发放
        行政检查   inspection 林业综合行政执法大队 林木采伐监督检查
    """),
    _kind("退役军人事务局",
          {"优抚": "拥军优抚科 移交安置科 就业创业科"}, """
        行政给付   benefit    拥军优抚科     优抚对象抚恤补助金发放
        行政给付   benefit    移交安置科     自主就业退役士兵一次性经济补助发放
        行政确认   confirm    拥军优抚科     残疾军人残疾等级评定
        行政奖励   award      拥军优抚科     立功受奖军人家庭奖励
        内部管理   fund       就业创业科     退役军人就业创业扶持资金分配
    """),
    _kind("住房公积金管理中心",
          {"归集": "归集管理科 信贷管理科 稽核科"}, """
        其他行政权力 benefit  归集管理科     住房公积金提取
        其他行政权力 benefit  信贷管理科     住房公积金个人贷款审批
        行政确认   confirm    归集管理科     住房公积金缴存登记
        行政处罚   penalty    稽核科         住房公积金违法行为行政处罚
        行政检查   inspection 稽核科         住房公积金缴存情况检查
    """),
    _kind("科学技术局",
          {"科技": "科技计划管理科 高新技术科 成果转化科"}, """
        行政确认   confirm    高新技术科     高新技术企业认定初审
        行政奖励   award      成果转化科     科学技术奖励 科技进步奖、技术发明奖
        其他行政权力 license  科技计划管理科 科技计划项目立项
        行政检查   inspection 科技计划管理科 科技计划项目监督检查
        内部管理   fund       科技计划管理科 科技计划项目资金分配
    """),
    _kind("工业和信息化局",
          {"工业": "产业发展科 技术改造科 节能与综合利用科"}, """
        其他行政权力 license  技术改造科     工业企业技术改造项目备案
        行政处罚   penalty    节能与综合利用科 节能违法行为行政处罚
        行政检查   inspection 节能与综合利用科 工业节能监察
        内部管理   fund       产业发展科     工业转型升级专项资金分配
    """),
    _kind("民族宗教事务局",
          {"宗教": "宗教事务科 民族工作科"}, """
        行政许可   license    宗教事务科     宗教活动场所设立审批
        行政许可   license    宗教事务科     宗教临时活动地点审批
        行政处罚   penalty    宗教事务科     宗教事务违法行为行政处罚
        行政检查   inspection 宗教事务科     宗教活动场所监督检查
        内部管理   fund       民族工作科     少数民族发展资金分配
    """, common=Common("办公室", "办公室", "办公室", "政策法规科")),
    _kind("体育局",
          {"体育": "群众体育科 竞技体育科 体育产业科"}, """
        行政许可   license    体育产业科     高危险性体育项目经营许可
        行政处罚   penalty    体育产业科     体育市场违法行为行政处罚
        行政检查   inspection 体育产业科     体育经营场所监督检查
        内部管理   fund       群众体育科     体育彩票公益金分配
        内部管理   project    群众体育科     全民健身设施建设项目管理
    """, common=Common("办公室", "办公室", "办公室", "政策法规科")),
    _kind("镇人民政府",
          {"常务": "便民服务中心", "民政": "社会事务办公室",
           "城建": "规划建设办公室 综合行政执法队", "农业": "农业农村服务中心"}, """
        行政给付   subsistence 社会事务办公室 最低生活保障审核
        行政给付   benefit    社会事务办公室 临时救助
        行政给付   benefit    社会事务办公室 特困人员救助供养审核
        行政给付   benefit    社会事务办公室 高龄津贴审核
        行政许可   license    规划建设办公室 农村村民宅基地审批
        行政许可   license    规划建设办公室 乡村建设规划许可
        行政处罚   penalty    综合行政执法队 乡村违法建设行政处罚
        行政检查   inspection 综合行政执法队 安全生产检查
        内部管理   fund       农业农村服务中心 一事一议财政奖补资金分配
        内部管理   project    规划建设办公室 村镇道路建设项目管理
    """, common=TOWN),
    _kind("街道办事处",
          {"常务": "便民服务中心", "民政": "社会事务科 社区建设科",
           "城管": "城市管理科 综合行政执法队"}, """
        行政给付   subsistence 社会事务科     最低生活保障审核
        行政给付   benefit    社会事务科     临时救助
        行政给付   benefit    社会事务科     困难残疾人生活补贴审核
        行政处罚   penalty    综合行政执法队 市容环境违法行为行政处罚
        行政强制   coercion   综合行政执法队 暂扣占道经营物品
        行政检查   inspection 城市管理科     安全生产检查
        内部管理   fund       社区建设科     社区服务专项资金分配
    """, common=STREET),
)}


@dataclass(frozen=True)
class ProcedureStep:
    """One step of a standard procedure (``S`` in the tables below): kind, label and the
    role of its post, plus what the builder needs to know about it.

    ``part`` marks the acceptance, the proposal, the check that a flawed chart leaves
    out, and the decision; ``discretion`` is a level or how to draw one (``light``,
    ``moderate``, ``heavy``, ``decide``); ``stakes`` names what is at stake (``rights
    money people``); ``from_amount`` and ``major`` draw the step only for large or major
    matters, ``chance`` only sometimes; ``big`` is the (role, label) deciding a major
    matter instead (``{board}`` in a label is the unit's leading group: 局党组会议,
    镇党委会议); ``back`` loops back to the previous step (or to the acceptance with
    ``back_to="accept"``); ``out`` is the end a refusal here leads to; ``pad`` marks
    where a long chart adds handling steps."""

    kind: str
    label: str
    role: str
    part: str = ""
    discretion: str = "none"
    stakes: str = ""
    controls: tuple[str, ...] = ()
    duty: str | None = None
    from_amount: int = 0
    major: bool = False
    chance: float = 1.0
    big: tuple[str, str] | None = None
    back: str | None = None
    back_to: str = "previous"
    out: str | None = None
    pad: bool = False


@dataclass(frozen=True)
class Procedure:
    """A standard procedure (domain.md §4): its steps after the start, the closing
    disclosure, the label of the fast track a flawed chart has, the matter's amount
    (log10 range of yuan, if money is at stake), the amount or chance that makes a
    matter major, and the handling steps a long chart adds."""

    start: str
    steps: tuple[ProcedureStep, ...]
    publish: str | None
    fast: str
    money: tuple[float, float] | None = None
    big: int = 5_000_000
    major: float = 0.0
    pool: tuple[str, ...] = ("补充材料审查", "现场核实", "征求相关部门意见", "专家论证",
                             "资料比对核验", "集体会商")


S = ProcedureStep

#: The reviews a long chart adds, by the section's chief or deputy chief.
REVIEWS = ("科室初审", "复核", "会审", "审核把关", "二次复核")

PROCEDURES = {
    "license": Procedure("提出申请", (
        S("task", "窗口受理", "window", "accept", "light", "rights", ("一次性告知", "限时办结"),
          out="不予受理"),
        S("task", "材料审查", "clerk", discretion="light", stakes="rights", pad=True),
        S("task", "现场核查（两人以上）", "clerk", discretion="light", controls=("双人核查",),
          chance=0.6),
        S("review", "初审", "vice", "check", back="退回补正"),
        S("task", "组织听证", "hearing", stakes="rights", major=True),
        S("task", "科室审核并提出审查意见", "chief", "propose", "heavy", "rights",
          ("电子监察", "限时办结")),
        S("review", "合法性审查", "legal", controls=("法制审核",), major=True),
        S("decision", "审批决定", "deputy", "decide", "decide", "rights", ("电子监察",),
          big=("meeting", "集体研究决定"), out="不予许可"),
        S("task", "制证送达", "window"),
    ), "审批结果公开", "即来即办当场决定", major=0.1,
        pool=("补正材料审查", "技术审查", "专家论证", "征求相关部门意见", "利害关系人意见听取",
              "实地踏勘", "部门会审", "档案资料核验", "信用记录核查", "公示征求意见")),
    "confirm": Procedure("提出申请", (
        S("task", "窗口受理", "window", "accept", "light", "rights", ("一次性告知",),
          out="不予受理"),
        S("task", "材料核验", "clerk", discretion="light", stakes="rights", pad=True),
        S("task", "调查核实", "clerk", discretion="light", controls=("双人核查",), chance=0.5),
        S("review", "初审", "vice", "check", back="退回补正"),
        S("task", "科室审核并提出确认意见", "chief", "propose", "heavy", "rights"),
        S("decision", "确认决定", "deputy", "decide", "decide", "rights", out="不予确认"),
        S("task", "登记发证", "window"),
    ), "确认结果公开", "窗口当场确认",
        pool=("申请材料比对", "权属调查", "档案查询", "征询相关部门意见", "现场查看",
              "公告征询异议")),
    "penalty": Procedure("发现案件线索", (
        S("task", "登记案源并提出立案建议", "clerk", "accept", "light", "rights"),
        S("decision", "立案审批", "chief", discretion="light", stakes="rights", out="不予立案"),
        S("task", "调查取证（两名以上执法人员）", "clerk", discretion="light", stakes="rights",
          controls=("执法记录仪", "双人执法"), pad=True),
        S("task", "提出处罚意见", "chief", "propose", "heavy", "rights money", ("裁量基准",)),
        S("review", "法制审核", "legal", "check", controls=("法制审核",), back="退回补充调查"),
        S("task", "告知陈述申辩和听证权利", "clerk", stakes="rights"),
        S("task", "举行听证（非调查人员主持）", "hearing", stakes="rights", major=True),
        S("decision", "作出处罚决定", "deputy", "decide", "decide", "rights money", ("裁量基准",),
          big=("casecommittee", "重大案件集体讨论决定"), out="不予处罚"),
        S("task", "送达处罚决定书", "clerk"),
        S("system", "当事人到银行缴纳罚款（罚缴分离）", ""),
        S("task", "结案归档", "clerk"),
    ), "行政处罚决定公开", "当场作出处罚决定", money=(3, 6.3), big=100_000,
        pool=("询问当事人并制作笔录", "现场勘验", "抽样取证", "调取书证", "委托检验检测",
              "补充调查", "证据先行登记保存", "案件合议")),
    "summary": Procedure("现场发现违法行为", (
        S("task", "出示执法证件并当场调查（两名执法人员）", "clerk", "accept", "light", "rights",
          ("执法记录仪",)),
        S("task", "制作现场笔录", "clerk"),
        S("task", "告知违法事实和陈述申辩权利", "clerk", stakes="rights"),
        S("decision", "当场作出处罚决定", "clerk", "decide", "low", "rights money", ("裁量基准",)),
        S("task", "当场交付处罚决定书", "clerk"),
        S("system", "当事人到银行缴纳罚款（罚缴分离）", ""),
        S("review", "报所属机关备案审查", "chief", "check"),
    ), None, "当场处罚不报备案", money=(1.7, 3.3)),
    "coercion": Procedure("发现涉嫌违法行为", (
        S("task", "提出采取强制措施建议", "clerk", "accept", "light", "rights"),
        S("task", "调查核实", "clerk", discretion="light", stakes="rights", pad=True),
        S("review", "科室审核", "vice", "check", back="退回补充材料"),
        S("task", "提出实施方案", "chief", "propose", "heavy", "rights money"),
        S("review", "法制审核", "legal", controls=("法制审核",), chance=0.7),
        S("decision", "批准实施", "deputy", "decide", "decide", "rights money", out="不予实施"),
        S("task", "通知当事人到场并实施（两名执法人员）", "clerk", stakes="rights",
          controls=("执法记录仪", "双人执法")),
        S("task", "制作现场笔录和财物清单", "clerk"),
        S("task", "依法处理或解除强制措施", "chief"),
    ), "强制措施信息公开", "情况紧急当场实施", money=(3.5, 6.5), big=1_000_000,
        pool=("现场勘验", "询问有关人员", "调取证据", "评估涉案财物", "补充调查")),
    "inspection": Procedure("制定年度检查计划", (
        S("task", "随机抽取检查对象和检查人员", "chief", "accept", "light",
          controls=("随机抽查",)),
        S("task", "现场检查（两名以上执法人员）", "clerk", discretion="light", stakes="rights",
          controls=("执法记录仪", "双人执法"), pad=True),
        S("task", "制作检查记录", "clerk"),
        S("review", "检查结果审核", "vice", "check"),
        S("task", "提出处理意见", "chief", "propose", "heavy", "rights"),
        S("decision", "作出处理决定（责令整改或移送立案）", "deputy", "decide", "decide",
          "rights"),
        S("task", "跟踪整改落实", "clerk"),
    ), "检查结果公开", "当场处理了结",
        pool=("调阅台账资料", "询问有关人员", "抽样检测", "复查", "约谈企业负责人",
              "专家会诊")),
    "levy": Procedure("缴费义务人申报", (
        S("task", "受理申报", "window", "accept", "light", controls=("一次性告知",)),
        S("task", "核定征收对象和计算应缴金额", "clerk", discretion="light", stakes="money",
          pad=True),
        S("review", "科室审核", "vice", "check", back="退回重新核算"),
        S("task", "提出征收和减免缓意见", "chief", "propose", "heavy", "money",
          ("裁量基准", "刚性收费")),
        S("review", "财务审核", "finance"),
        S("decision", "征收（减免缓）审批", "deputy", "decide", "decide", "money",
          big=("board", "{board}集体研究减免缓")),
        S("task", "开具缴款通知书", "clerk"),
        S("system", "缴费人通过银行缴入国库（票款分离）", ""),
        S("task", "对账销号", "accountant", duty="record"),
    ), "征收结果公开", "窗口当场核定征收", money=(4, 7.3), big=1_000_000,
        pool=("现场核实建设规模", "调取审批资料", "征求相关部门意见", "测算复核",
              "减免缓条件审查")),
    "benefit": Procedure("提出申请", (
        S("task", "受理申请", "window", "accept", "light", "rights", ("一次性告知",),
          out="不予受理"),
        S("task", "调查核实", "clerk", discretion="light", stakes="rights",
          controls=("双人核查",), pad=True),
        S("review", "科室审核", "vice", "check", back="退回补正"),
        S("task", "提出给付意见", "chief", "propose", "heavy", "rights money"),
        S("disclosure", "拟给付对象公示", "clerk", chance=0.7),
        S("decision", "给付审批", "deputy", "decide", "decide", "rights money", out="不予给付"),
        S("task", "资金发放", "cashier", duty="execute"),
        S("task", "登记入账", "accountant", duty="record"),
    ), "给付结果公开", "窗口当场审批发放", money=(3, 4.8),
        pool=("信息比对核查", "入户走访", "邻里访问", "征求相关部门意见", "资格复核")),
    "subsistence": Procedure("向镇（街道）提出申请", (
        S("task", "受理申请", "window", "accept", "light", "rights", ("一次性告知",),
          out="不予受理"),
        S("task", "入户调查（两名工作人员）", "clerk", discretion="light", stakes="rights",
          controls=("双人核查",), pad=True),
        S("system", "家庭经济状况信息核对", ""),
        S("task", "民主评议", "village_panel", stakes="rights"),
        S("task", "提出审核意见", "chief", "propose", "heavy", "rights money", ("回避",)),
        S("review", "复核", "vice", "check"),
        S("decision", "乡镇（街道）审核", "deputy", "decide", "decide", "rights money",
          out="审核不予通过"),
        S("disclosure", "审核结果公示（7天）", "clerk", "check"),
        S("decision", "县级民政部门审批（含抽查）", "civil_affairs", discretion="low",
          stakes="rights money"),
        S("system", "低保金社会化发放到户", ""),
    ), "低保对象长期公示", "窗口当场审核纳入", money=(3.3, 4.3),
        pool=("邻里访问", "核对车辆和房产信息", "核对工商登记信息", "村（居）委会初核",
              "补充调查")),
    "award": Procedure("举报或申报", (
        S("task", "受理登记", "clerk", "accept", "light", out="不予受理"),
        S("task", "核实情况", "clerk", discretion="light", pad=True),
        S("review", "科室审核", "vice", "check"),
        S("task", "评审", "expert_panel", chance=0.6),
        S("task", "提出奖励建议", "chief", "propose", "heavy", "money"),
        S("disclosure", "拟奖励对象公示", "clerk", chance=0.6),
        S("decision", "奖励决定", "deputy", "decide", "decide", "money",
          big=("board", "{board}集体研究"), out="不予奖励"),
        S("task", "发放奖金", "cashier", duty="execute"),
        S("task", "登记入账", "accountant", duty="record"),
    ), "奖励结果公开", "当场确定奖励", money=(3, 5.5), big=100_000),
    "ruling": Procedure("当事人提出申请", (
        S("task", "立案受理", "clerk", "accept", "light", "rights", out="不予受理"),
        S("task", "送达申请书副本并通知答辩", "clerk"),
        S("task", "调查取证和调解", "clerk", discretion="light", stakes="rights", pad=True),
        S("task", "组织审理", "chief", stakes="rights"),
        S("task", "提出裁决意见", "chief", "propose", "heavy", "rights money"),
        S("review", "合议审核", "legal", "check"),
        S("decision", "作出裁决", "deputy", "decide", "decide", "rights money",
          big=("meeting", "集体讨论作出裁决"), out="驳回申请"),
        S("task", "送达裁决书", "clerk"),
    ), "裁决结果公开", "承办人当场裁决", money=(4, 6.5), big=1_000_000,
        pool=("现场勘验", "调取证据", "委托鉴定", "组织调解", "补充调查")),
    "land": Procedure("编制年度国有建设用地供应计划", (
        S("task", "拟定地块出让计划", "chief", "accept", "light", "money"),
        S("review", "出具规划条件", "chief@用地规划科"),
        S("task", "委托地价评估", "appraiser", stakes="money", pad=True),
        S("task", "拟定出让方案和底价建议", "chief", "propose", "heavy", "money", ("底价保密",)),
        S("review", "出让方案合规审查", "legal", "check", back="退回修改方案"),
        S("decision", "集体决策确定出让底价", "land_group", "decide", "decide", "money",
          ("集体决策", "底价保密")),
        S("decision", "出让方案报批", "exec_meeting", stakes="money", controls=("集体决策",)),
        S("disclosure", "发布出让公告（不少于20日）", "clerk"),
        S("task", "招标拍卖挂牌出让", "trading_center", controls=("网上交易",)),
        S("disclosure", "成交结果公示", "clerk"),
        S("task", "签订出让合同", "chief", duty="execute", stakes="money"),
        S("system", "受让人缴纳出让金（缴入国库）", ""),
        S("task", "交付土地并办理登记", "clerk"),
    ), "出让结果公开", "协议出让（一事一议）", money=(7, 9.2),
        pool=("地块现状调查", "征求相关部门意见", "土地权属核查", "测算出让收益",
              "市场调查")),
    "procurement": Procedure("提出采购需求", (
        S("task", "编报采购需求和预算", "user", "accept", "light", "money", duty="apply",
          pad=True),
        S("review", "部门负责人审核", "user_chief", back="退回修改需求"),
        S("decision", "采购计划审批", "deputy", discretion="low", stakes="money", duty="approve"),
        S("review", "采购计划备案审核", "procurement_office"),
        S("task", "确定采购方式", "office", "propose", "heavy", "money"),
        S("task", "编制招标文件", "agency"),
        S("review", "招标文件审核", "legal", "check", back="退回修改招标文件"),
        S("disclosure", "发布招标公告", "clerk"),
        S("system", "电子投标与开标（公共资源交易中心）", ""),
        S("system", "随机抽取评审专家", ""),
        S("task", "评标", "bid_committee", stakes="money", controls=("专家随机抽取",)),
        S("disclosure", "中标候选人公示（3日）", "clerk"),
        S("decision", "确定中标人", "deputy", "decide", "decide", "money",
          big=("board", "{board}集体研究确定中标人")),
        S("task", "签订采购合同", "office", duty="execute", stakes="money"),
        S("review", "履约验收", "acceptance_group", duty="inspect"),
        S("task", "支付采购资金", "cashier", duty="execute"),
        S("task", "登记入账", "accountant", duty="record"),
    ), "采购合同公开", "化整为零直接采购", money=(5, 7.5), big=2_000_000,
        pool=("市场调研", "需求论证", "核对预算指标", "征求使用科室意见", "编制采购实施计划")),
    "spending": Procedure("发生支出事项", (
        S("task", "经办人填写报销单并附原始凭证", "user", "accept", "light", "money",
          duty="apply"),
        S("review", "部门负责人审核", "user_chief", back="退回补正", pad=True),
        S("review", "会计审核票据", "accountant", "check", back="票据不合规退回",
          back_to="accept"),
        S("decision", "分管领导审批", "deputy", "decide", "moderate", "money", duty="approve",
          back="不予同意退回", back_to="accept"),
        S("decision", "主要领导审批", "head", stakes="money", duty="approve",
          from_amount=50_000),
        S("decision", "{board}集体研究（三重一大）", "board", stakes="money",
          controls=("集体决策",), major=True),
        S("task", "出纳支付（公务卡或国库集中支付）", "cashier", duty="execute",
          controls=("公务卡结算",)),
        S("task", "会计记账", "accountant", duty="record"),
        S("task", "凭证装订归档", "accountant"),
    ), "财务收支情况公开", "经办人自行支付", money=(2.7, 6.3), big=500_000,
        pool=("核对预算指标", "审核支出标准", "核对合同和验收单", "核对公务卡消费记录",
              "查验发票真伪", "审核附件完整性")),
    "appointment": Procedure("职位出现空缺", (
        S("task", "分析研判并提出选任动议", "head", "accept", "light", "people"),
        S("decision", "{board}研究启动选任工作", "board", stakes="people",
          controls=("集体决策",)),
        S("task", "民主推荐（会议推荐和谈话推荐）", "personnel", discretion="light",
          stakes="people", controls=("全程纪实",), pad=True),
        S("decision", "{board}确定考察对象", "board", stakes="people", controls=("集体决策",)),
        S("task", "组织考察", "inquiry_group", stakes="people", controls=("全程纪实",)),
        S("review", "出具廉政意见", "inspect"),
        S("task", "提出任用建议", "personnel", "propose", "moderate", "people"),
        S("review", "分管领导审核", "deputy", "check"),
        S("decision", "{board}讨论决定（票决）", "board", "decide", "decide", "people",
          ("集体决策", "无记名投票")),
        S("disclosure", "任前公示（不少于5个工作日）", "clerk"),
        S("task", "任职谈话并发文", "personnel"),
    ), None, "主要领导直接确定人选",
        pool=("个别谈话推荐", "审核干部人事档案", "核查个人有关事项报告", "征求纪检意见",
              "民主测评")),
    "recruitment": Procedure("提出用人需求", (
        S("task", "制定招聘方案", "personnel", "accept", "light", "people"),
        S("decision", "{board}研究招聘方案", "board", stakes="people", controls=("集体决策",)),
        S("review", "招聘方案核准", "recruit_approver"),
        S("disclosure", "发布招聘公告", "clerk"),
        S("review", "报名资格审查", "clerk", discretion="light", stakes="people", pad=True),
        S("system", "笔试（委托考试机构）", ""),
        S("task", "面试（考官随机抽取）", "interview_panel", stakes="people",
          controls=("考官随机抽取",)),
        S("task", "体检和考察", "personnel", stakes="people"),
        S("task", "提出拟聘人员名单", "personnel", "propose", "moderate", "people"),
        S("review", "分管领导审核", "deputy", "check"),
        S("decision", "{board}研究确定拟聘人员", "board", "decide", "decide", "people",
          ("集体决策",)),
        S("disclosure", "拟聘人员公示（7个工作日）", "clerk"),
        S("task", "办理聘用手续", "personnel"),
    ), None, "未经公开招聘直接聘用",
        pool=("资格复审", "加分条件审核", "报名信息核对", "学历学位核验", "工作经历核实")),
    "hospitality": Procedure("收到来访单位公函", (
        S("task", "提出接待申请（列明标准和人数）", "clerk", "accept", "light", "money",
          duty="apply", pad=True),
        S("review", "办公室主任审核", "chief", "check", back="退回修改"),
        S("decision", "分管领导审批", "deputy", "decide", "moderate", "money", duty="approve",
          back="不予同意退回", back_to="accept"),
        S("task", "按标准安排接待", "clerk"),
        S("task", "公务卡结算", "cashier", duty="execute", controls=("公务卡结算",)),
        S("task", "会计审核记账（附接待清单）", "accountant", duty="record"),
    ), "公务接待情况公开", "经办人自行安排接待", money=(2.5, 4.3),
        pool=("核对接待标准", "核对来访公函", "核定陪餐人数", "安排住宿", "编制接待清单")),
    "fund": Procedure("发布资金申报指南", (
        S("task", "受理项目申报", "clerk", "accept", "light", "money", out="不予受理"),
        S("task", "项目初审和实地核查", "clerk", discretion="light", stakes="money", pad=True),
        S("task", "专家评审", "expert_panel", stakes="money", controls=("专家随机抽取",)),
        S("task", "提出资金分配方案", "chief", "propose", "heavy", "money", ("因素法分配",)),
        S("review", "财务审核", "finance", "check", back="退回调整方案"),
        S("decision", "分配方案审批", "deputy", "decide", "decide", "money",
          big=("board", "{board}集体研究（三重一大）")),
        S("disclosure", "分配方案公示", "clerk"),
        S("review", "报财政部门审核下达", "budget_office"),
        S("task", "资金拨付", "cashier", duty="execute"),
        S("task", "登记入账", "accountant", duty="record"),
        S("task", "绩效跟踪评价", "clerk"),
    ), "资金分配结果公开", "经办人直接安排资金", money=(5, 7.5), big=1_000_000,
        pool=("申报材料形式审查", "实地核查", "信用记录核查", "征求相关部门意见",
              "测算分配额度")),
    "project": Procedure("提出项目建议", (
        S("task", "编制项目建议书", "chief", "accept", "light", "money"),
        S("decision", "{board}研究立项", "board", stakes="money", controls=("集体决策",)),
        S("review", "可行性研究报告审批", "development"),
        S("review", "概算评审", "review_center"),
        S("task", "编制招标文件", "agency"),
        S("system", "公开招标（公共资源交易中心）", ""),
        S("task", "评标", "bid_committee", stakes="money", controls=("专家随机抽取",)),
        S("disclosure", "中标候选人公示", "clerk"),
        S("task", "签订施工合同", "chief", duty="execute", stakes="money"),
        S("task", "施工现场管理", "clerk", discretion="light", pad=True),
        S("task", "提出设计变更和现场签证意见", "chief", "propose", "heavy", "money"),
        S("review", "监理和跟踪审计审核", "supervisor", "check"),
        S("decision", "变更签证审批", "deputy", "decide", "decide", "money",
          big=("board", "{board}集体研究变更")),
        S("review", "竣工验收", "acceptance_group", duty="inspect"),
        S("review", "结算审计", "audit_office"),
        S("task", "支付工程款", "cashier", duty="execute"),
        S("task", "登记入账", "accountant", duty="record"),
    ), "项目建设信息公开", "直接发包", money=(6, 8.5), big=5_000_000,
        pool=("隐蔽工程验收", "工程进度核查", "材料设备进场检验", "工程量计量",
              "质量安全巡查")),
}


#: The city's own departments, in the order a report lists them.
CITY = ("自然资源和规划局", "住房和城乡建设局", "市场监督管理局", "生态环境局", "民政局",
        "人力资源和社会保障局", "财政局", "交通运输局", "卫生健康委员会", "教育局",
        "人民防空办公室", "应急管理局", "发展和改革委员会", "水利局", "农业农村局",
        "医疗保障局", "城市管理综合执法局", "公安局", "司法局", "审计局", "统计局",
        "文化广电和旅游局", "商务局", "林业局", "退役军人事务局", "住房公积金管理中心",
        "科学技术局", "工业和信息化局", "民族宗教事务局", "体育局")
#: A district's units and a county's, towns and street offices among their bureaus.
DISTRICT = ("民政局", "街道办事处", "住房和城乡建设局", "教育局", "街道办事处",
            "市场监督管理局", "人力资源和社会保障局", "镇人民政府", "财政局", "卫生健康委员会",
            "城市管理综合执法局")
COUNTY = ("民政局", "镇人民政府", "自然资源和规划局", "农业农村局", "镇人民政府",
          "住房和城乡建设局", "教育局", "镇人民政府", "水利局", "财政局", "市场监督管理局",
          "卫生健康委员会", "交通运输局")
#: After the city's departments, districts and counties take turns.
PERIOD = tuple(("区", stem) for stem in DISTRICT) + tuple(("县", stem) for stem in COUNTY)

#: Place names: the first ones a city would have, then combinations for larger batches.
PLACES = {
    "区县": ("青山", "临江", "河西", "永和", "城南", "桃源", "金水", "安平", "白云", "石门",
             "松山", "长宁"),
    "镇": ("石桥", "黄坪", "柳林", "双河", "龙泉", "马坊", "高庙", "杨集", "白沙", "新店",
           "枣林", "花园", "三汊", "大湾", "清水"),
    "街道": ("城关", "朝阳", "新华", "解放", "滨江", "东湖", "西苑", "南门", "北关", "人民路"),
}
SYLLABLES = {
    "区县": ("安宁丰广平富兴宜盛嘉永清长青临金白东西南北", "山江河和阳林源城溪泉水川乡陵"),
    "镇": ("石柳双龙马高杨白新枣黄三大清桃李王张刘陈", "桥坪林河泉坊庙集沙店湾汊口铺岭寨埠冲"),
    "街道": ("东西南北中新龙凤金银朝和建光文", "湖苑门关街园桥塘港岗路亭"),
}


def _places(kind: str) -> Iterator[str]:
    """Place names of one kind, each once: the curated ones, then two syllables, then
    three (an unbounded supply for batches far larger than a city)."""
    curated = PLACES[kind]
    yield from curated
    firsts, seconds = SYLLABLES[kind]
    for length in itertools.count(2):
        for letters in itertools.product(firsts, *[seconds] * (length - 1)):
            name = "".join(letters)
            if name not in curated and len(set(letters)) == length:
                yield name


@dataclass(frozen=True)
class Place:
    """Where a unit sits: its name, the government it belongs to (``市``, ``青山区``)
    for the names of outside bodies, and its superior leader in charge."""

    unit: str
    government: str
    superior: str


def units() -> Iterator[tuple[Kind, Place]]:
    """The units of a city in order: its departments, then districts and counties in
    turn with their bureaus, towns and street offices; without end."""
    for stem in CITY:
        yield CATALOGUE[stem], Place(f"市{stem}", "市", "市政府分管副市长")
    counties, towns, streets = _places("区县"), _places("镇"), _places("街道")
    while True:
        governments = {level: next(counties) + level for level in ("区", "县")}
        for level, stem in PERIOD:
            government = governments[level]
            kind = CATALOGUE[stem]
            if stem == "镇人民政府":
                yield kind, Place(f"{next(towns)}镇人民政府", government,
                                  f"{government}委分管副书记")
            elif stem == "街道办事处":
                yield kind, Place(f"{next(streets)}街道办事处", government,
                                  f"{government}委分管副书记")
            else:
                yield kind, Place(f"{government}{kind.local or stem}", government,
                                  f"{government}政府分管副{level}长")


def _weight(stem: str) -> int:
    """How many charts a unit draws, relatively: the number of items it holds."""
    return len(CATALOGUE[stem].items)


def _prefix(weights: list[int]) -> list[int]:
    """Running totals from 0: ``[0, w0, w0 + w1, …]``."""
    return list(itertools.accumulate(weights, initial=0))


CITY_WEIGHTS = _prefix([_weight(stem) for stem in CITY])
PERIOD_WEIGHTS = _prefix([_weight(stem) for _, stem in PERIOD])


def _cumulative_weight(first: int) -> int:
    """The total weight of the ``first`` units of ``units()``, in constant time (so
    that a batch of a billion charts starts at once)."""
    if first <= len(CITY):
        return CITY_WEIGHTS[first]
    periods, rest = divmod(first - len(CITY), len(PERIOD))
    return CITY_WEIGHTS[-1] + periods * PERIOD_WEIGHTS[-1] + PERIOD_WEIGHTS[rest]


def quotas(count: int) -> Iterator[int]:
    """How many of ``count`` charts each unit draws, in unit order: about ``count /
    16.4`` units (67 for 1,102), each in proportion to its items, summing to ``count``."""
    drawing = max(1, round(count / 16.4))
    total = _cumulative_weight(drawing)
    previous = 0
    for unit in range(drawing):
        reached = (2 * count * _cumulative_weight(unit + 1) + total) // (2 * total)
        yield reached - previous
        previous = reached


def _titles(rng: random.Random, kind: Kind, count: int) -> list[tuple[str, Item, str]]:
    """``count`` distinct (title, item, procedure) of a unit: each item once, in a
    seeded order (some left out when the unit draws fewer charts than it has items);
    where it draws more, items split into their sub-items, as practice titles them:
    the items listed first in the catalogue first, its internal powers last."""
    items = rng.sample(kind.items, len(kind.items))[:count]
    shares = [1] * len(items)
    extra = count - len(items)
    while extra > 0:  # one more sub-item of an item adds one chart (两项 for 一项 too)
        growable = [i for i, item in enumerate(items) if shares[i] < len(item.subitems)]
        growable.sort(key=lambda i: (items[i].category == "内部管理",
                                     kind.items.index(items[i])))
        if not growable:
            raise ValueError(f"{kind.stem}: {count} charts exceed its items and sub-items")
        for i in growable[:extra]:
            shares[i] += 1
        extra -= min(extra, len(growable))
    titles = []
    for item, share in zip(items, shares, strict=True):
        if share == 1:
            titles.append((item.title, item, item.procedure))
            continue
        for sub in item.subitems[:share]:
            procedure = SUBITEM_PROCEDURE.get((item.procedure, sub), item.procedure)
            titles.append((f"{item.title}（{sub}）", item, procedure))
    return titles


#: How a body calls its leader, its leading group's meeting and its office meeting, by
#: the end of its name; a town or street office is led by its party secretary, and has
#: its own discipline committee where a bureau has a stationed group.
LEADERSHIP = (
    ("镇人民政府", "镇长", "镇党委会议", "镇长办公会议", "党委书记", "镇纪委"),
    ("街道办事处", "主任", "街道党工委会议", "主任办公会议", "党工委书记", "街道纪工委"),
    ("委员会", "主任", "委党组会议", "主任办公会议", None, "派驻纪检监察组"),
    ("局", "局长", "局党组会议", "局长办公会议", None, "派驻纪检监察组"),
    ("", "主任", "党组会议", "主任办公会议", None, "派驻纪检监察组"),  # 办公室, 中心
)
#: A section's chief, deputy chief and staff, by the end of its name.
SECTION_POSTS = (
    ("支队", "支队长", "副支队长", "执法队员"), ("大队", "大队长", "副大队长", "执法队员"),
    ("队", "队长", "副队长", "执法队员"), ("科", "科长", "副科长", "科员"),
    ("所", "所长", "副所长", "工作人员"), ("站", "站长", "副站长", "工作人员"),
    ("院", "院长", "副院长", "工作人员"), ("", "主任", "副主任", "工作人员"),
)
#: Bodies outside the unit that its procedures involve: the name (``{g}`` is the
#: government the unit belongs to), the members of a collective body, and the section
#: that acts instead when the body is the unit itself (a 财政局's own procurement).
OUTSIDE = {
    "procurement_office": ("{g}财政局", 0, "政府采购监督管理科"),
    "budget_office": ("{g}财政局", 0, "预算科"),
    "recruit_approver": ("{g}人力资源和社会保障局", 0, "事业单位人事管理科"),
    "civil_affairs": ("{g}民政局", 0, "社会救助科"),
    "development": ("{g}发展和改革委员会", 0, "固定资产投资科"),
    "audit_office": ("{g}审计局", 0, "固定资产投资审计科"),
    "review_center": ("{g}财政投资评审中心", 0, None),
    "exec_meeting": ("{g}政府常务会议", 15, None),
    "land_group": ("{g}土地出让工作领导小组", 9, None),
    "trading_center": ("{g}公共资源交易中心", 0, None),
    "bid_committee": ("评标委员会", 5, None),
    "expert_panel": ("专家评审组", 5, None),
    "interview_panel": ("面试考官小组", 5, None),
    "village_panel": ("村（居）民民主评议小组", 7, None),
    "agency": ("招标代理机构", 0, None),
    "appraiser": ("土地估价机构", 0, None),
    "supervisor": ("工程监理单位", 0, None),
}


#: Roles of a procedure played by a section's post: the post, and the section (the
#: item's, the asking one's, or one of the unit's own).
SECTION_ROLES = {
    "clerk": ("staff", "item"), "vice": ("vice", "item"), "chief": ("chief", "item"),
    "user": ("staff", "user"), "user_chief": ("chief", "user"),
    "legal": ("chief", "legal"), "hearing": ("vice", "legal"),
    "finance": ("chief", "finance"), "office": ("chief", "office"),
    "personnel": ("chief", "personnel"),
}


def _ending(name: str, table: tuple) -> tuple:
    """The row of ``table`` whose ending (its first column) ``name`` has."""
    return next(row for row in table if name.endswith(row[0]))


@dataclass
class Roster:
    """A unit's posts and the bodies it deals with, shared by all its charts: actor ids
    with their titles, ranks and reporting lines, and who plays each role of a
    procedure for each section."""

    unit: str
    superior_in_charge: str | None
    kind: Kind
    actors: dict[str, dict] = field(default_factory=dict)
    principal: str = "head"
    deputy_of: dict[str, str] = field(default_factory=dict)
    section_ids: dict[str, int] = field(default_factory=dict)
    #: Roles played by one of the unit's own posts (a 财政局 reviews its own purchases).
    in_house: dict[str, str] = field(default_factory=dict)

    def role(self, role: str, section: str, user: str) -> str:
        """The actor id playing ``role`` in a chart of ``section``, the section
        ``user`` asking for the spending or purchase."""
        if role in SECTION_ROLES:
            post, of = SECTION_ROLES[role]
            of = {"item": section, "user": user}.get(of) or getattr(self.kind.common, of)
            return f"{post}{self.section_ids[of]}"
        if role == "deputy":
            return self.deputy_of[section]
        if "@" in role:  # a named section's post: chief@用地规划科
            post, of = role.split("@")
            return f"{post}{self.section_ids[of]}"
        return self.in_house.get(role, role)

    def lines(self, used: set[str]) -> list[str]:
        """The ``actors:`` block of a chart: the posts it uses, the lines of command
        above them and the principal leader, in the roster's order."""
        needed = set(used) | {self.principal}
        for actor_id in list(needed):
            while actor_id in self.actors and self.actors[actor_id].get("reports_to"):
                actor_id = self.actors[actor_id]["reports_to"]
                needed.add(actor_id)
        out = ["actors:"]
        for actor_id, a in self.actors.items():
            if actor_id not in needed:
                continue
            parts = [f"name: {scalar(a['name'])}"]
            for key in ("rank", "reports_to", "collective"):
                if a.get(key) is not None:
                    parts.append(f"{key}: {a[key]}")
            if a.get("oversight"):
                parts.append("oversight: true")
            out.append(f"  {actor_id}: {{{', '.join(parts)}}}")
        return out


def _roster(rng: random.Random, kind: Kind, place: Place) -> Roster:
    """A unit's roster: its leaders, its sections' posts, its finance posts, the
    stationed discipline-inspection group and the outside bodies it deals with."""
    roster = Roster(place.unit, None if rng.random() < 0.1 else place.superior, kind)
    _leaders(rng, roster)
    _sections(roster)
    a = roster.actors
    finance = f"chief{roster.section_ids[kind.common.finance]}"
    a["accountant"] = {"name": "会计", "rank": "staff", "reports_to": finance}
    a["cashier"] = {"name": "出纳", "rank": "staff", "reports_to": finance}
    a["inquiry_group"] = {"name": "干部考察组", "collective": 3}
    a["acceptance_group"] = {"name": "验收小组", "collective": 3}
    a["inspect"] = {"name": _ending(place.unit, LEADERSHIP)[-1], "oversight": True}
    for role, (name, members, in_house) in OUTSIDE.items():
        if name.format(g=place.government) == place.unit and in_house in roster.section_ids:
            roster.in_house[role] = f"chief{roster.section_ids[in_house]}"
        else:
            a[role] = {"name": name.format(g=place.government),
                       "collective": members or None}
    return roster


def _leaders(rng: random.Random, roster: Roster) -> None:
    """The principal leader (a town's party secretary, above its 镇长), the leading
    group's and the office meeting, and a deputy for each portfolio: 常务 for the
    unit's own affairs, the others named after their work (分管执法副局长)."""
    _, leader, board, meeting, secretary, _ = _ending(roster.unit, LEADERSHIP)
    a = roster.actors
    if secretary:
        roster.principal = "secretary"
        a["secretary"] = {"name": secretary, "rank": "principal"}
        a["head"] = {"name": leader, "rank": "deputy", "reports_to": "secretary"}
    else:
        a["head"] = {"name": leader, "rank": "principal"}
    a["board"] = {"name": board, "rank": "principal", "collective": rng.choice([5, 7, 9])}
    a["meeting"] = {"name": meeting, "rank": "principal", "collective": rng.choice([5, 7])}
    a["casecommittee"] = {"name": "案件审理委员会", "rank": "principal", "collective": 7}
    portfolios = ["常务", *(p for p in roster.kind.portfolios if p != "常务")]
    for number, portfolio in enumerate(portfolios):
        title = f"常务副{leader}" if portfolio == "常务" else f"分管{portfolio}副{leader}"
        a[f"deputy{number}"] = {"name": title, "rank": "deputy", "reports_to": "head"}
    for number, portfolio in enumerate(portfolios):
        for section in roster.kind.portfolios.get(portfolio, ()):
            roster.deputy_of[section] = f"deputy{number}"
    for section in roster.kind.sections:
        roster.deputy_of.setdefault(section, "deputy0")


def _sections(roster: Roster) -> None:
    """Each section's chief, deputy chief and staff, under its deputy leader; the
    service window under the section that runs it."""
    a = roster.actors
    for number, section in enumerate(roster.kind.sections):
        _, chief, vice, staff = _ending(section, SECTION_POSTS)
        roster.section_ids[section] = number
        a[f"chief{number}"] = {"name": section + chief, "rank": "section",
                               "reports_to": roster.deputy_of[section]}
        a[f"vice{number}"] = {"name": section + vice, "rank": "section",
                              "reports_to": f"chief{number}"}
        a[f"staff{number}"] = {"name": section + (roster.kind.staff or staff),
                               "rank": "staff", "reports_to": f"chief{number}"}
    intake = next((s for s in ("行政审批科", "便民服务中心") if s in roster.section_ids),
                  roster.kind.common.office)
    a["window"] = {"name": "窗口受理员", "rank": "staff",
                   "reports_to": f"chief{roster.section_ids[intake]}"}


class _Chart:
    """A flowchart being drawn: steps in drawing order, flow and oversight edges, the
    matter's amount and whether it is major, in the native format's terms."""

    def __init__(self, rng: random.Random, roster: Roster, section: str, user: str):
        self.rng, self.roster, self.section, self.user = rng, roster, section, user
        self.steps: dict[int, dict] = {}
        self.order: list[int] = []
        self.flows: list[tuple[int, int, str | None]] = []
        self.edges: set[tuple[int, int]] = set()
        self.watch: list[tuple[int, int]] = []
        self.amount: int | None = None
        self.major = False

    def actor(self, role: str) -> str | None:
        """The actor id of a role of the procedure (None for a system step)."""
        return self.roster.role(role, self.section, self.user) if role else None

    def step(self, kind: str, label: str, actor: str | None = None, after: int | None = None,
             **extra) -> int:
        """A new step, last in drawing order or right after step ``after``."""
        step_id = len(self.steps)
        attributes = {"kind": kind, "label": label}
        if actor is not None:
            attributes["actor"] = actor
        attributes.update({k: v for k, v in extra.items() if v not in (None, "none", [], False)})
        self.steps[step_id] = attributes
        if after is None:
            self.order.append(step_id)
        else:
            self.order.insert(self.order.index(after) + 1, step_id)
        return step_id

    def flow(self, a: int, b: int, label: str | None = None) -> None:
        """A flow edge, unless it is a loop or already drawn."""
        if a != b and (a, b) not in self.edges:
            self.edges.add((a, b))
            self.flows.append((a, b, label))

    def unflow(self, a: int, b: int) -> None:
        """Take a flow edge away (to put steps in between)."""
        self.edges.discard((a, b))
        self.flows = [edge for edge in self.flows if edge[:2] != (a, b)]

    def discretion(self, how: str) -> str:
        """A discretion level: given, or drawn as ``light`` (a handling step),
        ``moderate`` (within fixed standards: spending, personnel proposals), ``heavy``
        (a proposal) or ``decide`` (a decision: heavy half the time)."""
        r = self.rng.random()
        if how == "decide":
            how = "heavy" if r < 0.5 else "low"
            r = self.rng.random()
        if how == "heavy":
            return "high" if r < 0.3 else "medium" if r < 0.75 else "low"
        if how == "light":
            return "medium" if r < 0.12 else "low" if r < 0.55 else "none"
        if how == "moderate":
            return "medium" if r < 0.4 else "low"
        return how

    def text(self, title: str, category: str) -> str:
        """The chart in the native YAML format, steps named s1, s2, … in drawing order."""
        roster = self.roster
        names = {step_id: f"s{number + 1}" for number, step_id in enumerate(self.order)}
        lines = ["flowgraph: 1", f"title: {scalar(title)}", f"unit: {scalar(roster.unit)}",
                 f"category: {scalar(category)}"]
        if roster.superior_in_charge:
            lines.append(f"superior_in_charge: {scalar(roster.superior_in_charge)}")
        lines += roster.lines({a["actor"] for a in self.steps.values() if "actor" in a})
        lines.append("steps:")
        lines += [f"  {names[step_id]}: {{{_step_text(self.steps[step_id])}}}"
                  for step_id in self.order]
        lines.append("flow:")
        position = {step_id: number for number, step_id in enumerate(self.order)}
        for a, b, label in sorted(self.flows, key=lambda edge: position[edge[0]]):
            lines.append(f"  - [{names[a]}, {names[b]}" + (f", {scalar(label)}]" if label
                                                            else "]"))
        if self.watch:
            lines.append("oversight:")
            lines += [f"  - [{names[a]}, {names[b]}]" for a, b in self.watch]
        return "\n".join(lines) + "\n"


def _step_text(attributes: dict) -> str:
    """A step's attributes in the order of the native format, as one flow mapping."""
    parts = [f"kind: {attributes['kind']}", f"label: {scalar(attributes['label'])}"]
    for key in ("actor", "discretion", "duty", "declared_grade"):
        if key in attributes:
            value = attributes[key]
            parts.append(f"{key}: {scalar(value) if isinstance(value, str) else value}")
    stakes = [f"{key}: {'true' if attributes[key] is True else attributes[key]}"
              for key in ("money", "people", "rights") if key in attributes]
    if stakes:
        parts.append("stakes: {" + ", ".join(stakes) + "}")
    if attributes.get("controls"):
        parts.append("controls: [" + ", ".join(scalar(c) for c in attributes["controls"]) + "]")
    return ", ".join(parts)


RANK_WEIGHT = {"staff": 0, "section": 1, "deputy": 1, "principal": 2}


def _declared(rng: random.Random, attributes: dict, roster: Roster) -> int | None:
    """The grade a unit would declare: by discretion, stakes and the post's rank, less
    its measures, as the default policy weighs them but without the audit's findings
    (which the unit does not know), and one grade off in about one case in seven."""
    money = attributes.get("money") or 0
    level = {"high": 3, "medium": 2, "low": 1}.get(attributes.get("discretion"), 0)
    actor = roster.actors.get(attributes.get("actor"), {})
    inherent = level + (3 if money >= 10_000_000 else 2 if money >= 1_000_000 else
                        1 if money >= 100_000 else 0) + \
        (3 if attributes.get("people") else 0) + (1 if attributes.get("rights") else 0) + \
        RANK_WEIGHT.get(actor.get("rank"), 0)
    if inherent < 2:
        return None
    score = inherent - min(3, len(attributes.get("controls") or ())) - \
        (1 if actor.get("collective") else 0)
    grade = 1 if score >= 7 else 2 if score >= 5 else 3
    if rng.random() < 0.15:
        grade = min(3, max(1, grade + rng.choice((-1, 1))))
    return grade


FLAWS = [("unchecked", 0.07), ("alone", 0.04), ("cashier", 0.08), ("bypass", 0.04),
         ("unwatched", 0.08), ("subordinate", 0.03), ("unpublished", 0.03),
         ("one-branch", 0.02), ("no-actor", 0.02), ("no-benchmark", 0.08)]


def _procedure(rng: random.Random, roster: Roster, name: str, section: str, size: int,
               flaws: set[str]) -> _Chart:
    """One chart of procedure ``name`` handled by ``section``, of about ``size`` steps,
    with the given weaknesses: the procedure's steps, its refusals and closing, the
    flaws, the handling steps a long chart adds, oversight and declared grades (in
    this order: the seed decides all)."""
    procedure = PROCEDURES[name]
    c = _Chart(rng, roster, section, rng.choice(roster.kind.business or (section,)))
    if procedure.money:
        c.amount = int(10 ** rng.uniform(*procedure.money)) // 100 * 100
    c.major = (c.amount or 0) >= procedure.big or rng.random() < procedure.major
    marks = _draw(c, procedure, flaws)
    done = _closing(c, procedure, marks, flaws)
    _flaws(c, procedure, marks, done, flaws)
    _pad(c, procedure, marks, size - len(c.order) - ("unwatched" not in flaws))
    if "no-actor" in flaws:  # the first task or review after the acceptance
        for step_id in c.order[3:]:
            if c.steps[step_id]["kind"] in ("task", "review"):
                c.steps[step_id].pop("actor", None)
                break
    _oversee(c, flaws)
    for attributes in c.steps.values():
        if attributes["kind"] in ("task", "decision", "review") and rng.random() < 0.8:
            grade = _declared(rng, attributes, roster)
            if grade:
                attributes["declared_grade"] = grade
    return c


def _draw(c: _Chart, procedure: Procedure, flaws: set[str]) -> dict:
    """The procedure's steps in a chain from its start, with their return loops and the
    refusals before the decision; the steps marked accept, propose, decide and pad."""
    marks = {"start": c.step("start", procedure.start)}
    previous = marks["start"]
    for spec in procedure.steps:
        if not _drawn(c, spec, flaws):
            continue
        step = _spec_step(c, spec, flaws)
        c.flow(previous, step)
        if spec.back:
            c.flow(step, marks["accept"] if spec.back_to == "accept" else previous, spec.back)
        if spec.out and spec.part != "decide":
            _refusal(c, spec, step)
        for mark in (spec.part, "pad" if spec.pad else ""):
            if mark:
                marks.setdefault(mark, step)
        if spec.part == "decide":
            marks["out"] = spec.out
        previous = step
    marks["last"] = previous
    return marks


def _drawn(c: _Chart, spec: ProcedureStep, flaws: set[str]) -> bool:
    """Whether a step of the procedure is drawn in this chart."""
    if spec.part == "check" and "unchecked" in flaws:
        return False
    if (c.amount or 0) < spec.from_amount or (spec.major and not c.major):
        return False
    return spec.chance >= 1 or c.rng.random() < spec.chance


def _spec_step(c: _Chart, spec: ProcedureStep, flaws: set[str]) -> int:
    """The step of a procedure's row: its post (a collective one for a major matter
    where the row says so), discretion (a body deciding by vote at most medium),
    stakes, the measures listed, a benchmark for high discretion (unless the chart
    lacks it) and the cashier who keeps the books."""
    role, label = spec.big if spec.big and c.major else (spec.role, spec.label)
    label = label.replace("{board}", c.roster.actors["board"]["name"])  # 局党组会议, 镇党委会议
    actor = "cashier" if spec.duty == "record" and "cashier" in flaws else c.actor(role)
    level = c.discretion(spec.discretion)
    controls = [x for x in spec.controls if c.rng.random() < 0.7]
    if _collective(c, actor) and spec.part == "decide":  # the vote is the measure
        controls = list(dict.fromkeys(["集体决策", *controls]))
        level = "medium" if level == "high" else level
    if level == "high" and "no-benchmark" not in flaws and "裁量基准" not in controls:
        controls.append("裁量基准")
    return c.step(spec.kind, label, actor, discretion=level, duty=spec.duty,
                  money=c.amount if "money" in spec.stakes else None,
                  people="people" in spec.stakes, rights="rights" in spec.stakes,
                  controls=controls)


def _refusal(c: _Chart, spec: ProcedureStep, step: int) -> None:
    """A refusal before the decision, ending the matter: not accepting it (decided by
    the section chief, or the deputy where the chief accepts), or not opening a case
    (reviewed by the legal section, or the deputy where that section decided)."""
    actor = c.steps[step].get("actor")
    if spec.kind == "task":
        decider = c.actor("chief") if c.actor("chief") != actor else c.actor("deputy")
        check = c.step("decision", f"决定{spec.out}", decider, rights=True)
    else:
        checker = c.actor("legal") if c.actor("legal") != actor else c.actor("deputy")
        check = c.step("review", f"{spec.out}审查", checker)
    end = c.step("end", spec.out)
    c.flow(step, check, spec.out)
    c.flow(check, end)


def _closing(c: _Chart, procedure: Procedure, marks: dict, flaws: set[str]) -> int:
    """The outcome's publication and the end; the refusal of the decision, published
    with its reasons where the outcome is. Returns the end."""
    previous = marks["last"]
    if "one-branch" in flaws:
        gate = c.step("gateway", "是否通过")
        c.flow(previous, gate)
        previous = gate
    published = procedure.publish and not flaws & {"unchecked", "unpublished"}
    if published:
        disclose = c.step("disclosure", procedure.publish, c.actor("clerk"))
        c.flow(previous, disclose)
        previous = disclose
    done = c.step("end", "办结")
    c.flow(previous, done)
    if marks.get("out"):
        notice = published and c.step("disclosure", f"{marks['out']}决定及理由公开",
                                      c.actor("clerk"))
        refused = c.step("end", marks["out"])
        if notice:
            c.flow(marks["decide"], notice, marks["out"])
            c.flow(notice, refused)
        else:
            c.flow(marks["decide"], refused, marks["out"])
    return done


def _flaws(c: _Chart, procedure: Procedure, marks: dict, done: int,
           flaws: set[str]) -> None:
    """The weaknesses that add steps: a fast track the accepting post finishes alone,
    a leader's sign-off straight into the decision past its review, and a post that
    oversees itself."""
    accept = marks["accept"]
    if "alone" in flaws:
        stakes = {key: c.steps[accept].get(key) for key in ("money", "people", "rights")}
        fast = c.step("decision", procedure.fast, c.steps[accept].get("actor"),
                      discretion="medium", **stakes)
        c.flow(accept, fast, "简易办理")
        c.flow(fast, done)
    decide = marks.get("decide")
    reviewed = decide is not None and any(
        c.steps[s]["kind"] == "review" for s in c.order[:c.order.index(decide)])
    if "bypass" in flaws and reviewed:
        signed = c.step("start", "领导签批件")
        c.flow(signed, decide)
    if "subordinate" in flaws:
        watched = next((marks[m] for m in ("propose", "decide", "accept") if m in marks and
                        not _collective(c, c.steps[marks[m]].get("actor"))), accept)
        spot = c.step("oversight", "科室内部自查", c.steps[watched].get("actor"))
        c.watch.append((spot, watched))


def _collective(c: _Chart, actor: str | None) -> bool:
    """Whether ``actor`` is a body deciding together."""
    return bool((c.roster.actors.get(actor) or {}).get("collective"))


#: Rounds of a repeated handling step: 现场核实（二）.
NUMERALS = "一二三四五六七八九十"


def _pad(c: _Chart, procedure: Procedure, marks: dict, count: int) -> None:
    """``count`` handling steps of a long chart after the step marked pad: the
    procedure's checks and investigations and the section's reviews, with return
    loops. A procedure with no such step (an on-the-spot penalty) is never long."""
    if count <= 0 or "pad" not in marks:
        return
    rng = c.rng
    anchor = marks["pad"]
    following = next(b for a, b, label in c.flows if a == anchor and label is None)
    c.unflow(anchor, following)
    accepted = c.steps[marks["accept"]]
    stakes_key = next((key for key in ("people", "rights") if accepted.get(key)), None)
    labels = {"task": procedure.pool, "review": REVIEWS}
    drawn = {"task": 0, "review": 0}
    previous = anchor
    for _ in range(count):
        kind = rng.choice(("task", "task", "review"))
        rounds, index = divmod(drawn[kind], len(labels[kind]))
        drawn[kind] += 1
        label = labels[kind][index]
        if rounds:
            label += f"（{NUMERALS[rounds] if rounds < 10 else rounds + 1}）"
        actor = c.actor("clerk") if kind == "task" else c.actor(rng.choice(("chief", "vice")))
        money = c.amount if rng.random() < 0.2 else None
        stakes = {stakes_key: True} if rng.random() < 0.3 and stakes_key else {}
        step = c.step(kind, label, actor, after=previous, discretion=c.discretion("light"),
                      money=money, **stakes)
        c.flow(previous, step)
        if previous != anchor and rng.random() < 0.15:
            c.flow(step, previous, "退回补正")
        previous = step
    c.flow(previous, following)


def _oversee(c: _Chart, flaws: set[str]) -> None:
    """The unit's discipline body watches every high-stakes step but its own."""
    if "unwatched" in flaws:
        return
    inspect = c.roster.actors["inspect"]["name"]
    watch = c.step("oversight", f"{inspect}监督", "inspect")
    for step_id in c.order:
        attributes = c.steps[step_id]
        if attributes["kind"] in ("task", "decision", "review") and \
                attributes.get("actor") != "inspect" and (
                    attributes.get("discretion") in ("medium", "high") or
                    (attributes.get("money") or 0) >= 100_000 or attributes.get("people")):
            c.watch.append((watch, step_id))


def batch(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``count`` flowcharts of about ``count / 16.4`` units, as (path, YAML text), unit
    by unit: each unit's charts are its items (or their sub-items), each drawn by its
    procedure with the unit's one roster."""
    number = 0
    for unit, (quota, (kind, place)) in enumerate(zip(quotas(count), units(), strict=False)):
        unit_rng = random.Random(f"{seed}:unit:{unit}")
        roster = _roster(unit_rng, kind, place)
        for title, item, procedure in _titles(unit_rng, kind, quota):
            rng = random.Random(f"{seed}:{number}")
            size = min(60, max(8, int(rng.lognormvariate(2.6, 0.45))))
            flaws = {name for name, rate in FLAWS if rng.random() < rate}
            section = _section(kind, item)
            chart = _procedure(rng, roster, procedure, section, size, flaws)
            yield f"u{unit:03d}/{number:05d}-{procedure}.yaml", chart.text(title, item.category)
            number += 1


def _section(kind: Kind, item: Item) -> str:
    """The section handling an item: named, or one of the unit's own (``@finance``)."""
    if item.section.startswith("@"):
        return getattr(kind.common, item.section[1:])
    return item.section


def chart(steps: int, seed: int = 0) -> str:
    """One flowchart of exactly ``steps`` steps: a merged administration chart of the
    city's first department, each procedure branching off the previous one's
    acceptance (so every step is reachable and every procedure keeps its own ends)."""
    rng = random.Random(f"{seed}:huge")
    kind, place = next(units())
    roster = _roster(rng, kind, place)
    merged = _Chart(rng, roster, kind.sections[0], kind.sections[0])
    anchor = begin = merged.step("start", "启动")
    cut: list[int] = []
    while len(merged.order) < steps - 1:
        item = rng.choice(kind.items)
        part = _procedure(rng, roster, item.procedure, _section(kind, item),
                          rng.randint(10, 40), {name for name, rate in FLAWS
                                                if rng.random() < rate})
        kept = part.order[:steps - 1 - len(merged.order)]
        rename = {}
        for number, step_id in enumerate(kept):
            attributes = part.steps[step_id]
            if number == 0:  # the procedure's start: entered from the previous one
                attributes = dict(attributes, kind="task", label="转入" + attributes["label"],
                                  actor="window")
            rename[step_id] = merged.step(attributes.pop("kind"), attributes.pop("label"),
                                          **attributes)
        for a, b, label in part.flows:
            if a in rename and b in rename:
                merged.flow(rename[a], rename[b], label)
            elif a in rename:
                cut.append(rename[a])  # its way on is beyond the size limit
        merged.watch += [(rename[a], rename[b]) for a, b in part.watch
                         if a in rename and b in rename]
        merged.flow(anchor, rename[kept[0]])
        anchor = rename[kept[1]] if len(kept) > 1 else rename[kept[0]]
    end = merged.step("end", "全部办结")
    for step_id in cut:
        merged.flow(step_id, end)
    if not any(b == end for _, b, _ in merged.flows):
        merged.flow(begin, end, "无待办事项")  # every procedure ended on its own
    return merged.text(f"合并权力运行流程图（{steps}步）", "其他行政权力")
