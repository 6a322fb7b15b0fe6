"""The native YAML format, version 1 (design.md §3), read strictly.

Analysts write these files by hand, so a mistake must never pass silently: an unknown
key (a typo would drop a control), a key written twice (PyYAML would keep the last),
a value of the wrong type or outside its allowed set, a reference to an undeclared
step, a missing or unsupported version, an empty or non-UTF-8 file: each is a
:class:`~flowgraph.errors.LoadError` naming the file, line and column and what was
expected.

The document is *composed* (not constructed) with libyaml's C parser where available,
and the node tree is walked against the schema here, which gives every value its
position. Anchors and aliases are allowed, but the walk counts the nodes it visits and
stops once they exceed what the file could hold without aliases, so an alias bomb
fails at once instead of expanding.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import LoadError
from ..frozen import FrozenDict
from ..i18n import Text
from ..model import (
    DISCRETION_LEVELS,
    DUTIES,
    NEUTRAL_KINDS,
    RANKS,
    STEP_KINDS,
    Actor,
    Edge,
    Flowchart,
    Position,
    Stakes,
    Step,
)
from .builder import WAIVE_CODE

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader

SUPPORTED_VERSIONS = (1,)

TOP_KEYS = ("flowgraph", "id", "title", "unit", "category", "basis",
            "superior_in_charge", "actors", "steps", "flow", "oversight")
ACTOR_KEYS = ("name", "rank", "reports_to", "collective", "oversight", "public")
STEP_KEYS = ("kind", "label", "actor", "discretion", "stakes", "controls", "duty",
             "declared_grade", "time_limit", "basis", "waive")
STAKES_KEYS = ("money", "people", "rights")
GRADE_WORDS = {"一级": 1, "二级": 2, "三级": 3}

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_constructor = yaml.constructor.SafeConstructor()


def loads(data: bytes | str, name: str = "<string>") -> Flowchart:
    """Read one flowchart from the text of a native YAML file.

    ``name`` is the file's path: it appears in errors and gives the default ``id``.
    """
    text = _decode(data, name) if isinstance(data, bytes) else data
    if not text.strip():
        raise LoadError(Text("文件为空; 应为以 “flowgraph: 1” 开头的流程图",
                             "the file is empty; expected a flowchart starting with "
                             "'flowgraph: 1'"), name, 1, 1)
    _refuse_unprintable(text, name)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.composer.ComposerError) and "another document" in problem:
            raise LoadError(Text("一个文件只能有一个 YAML 文档 (一个流程图); 请删除 “---” 后的内容"
                                 "或拆分为多个文件",
                                 "a file holds one YAML document (one flowchart); remove what "
                                 "follows '---' or split it into several files"),
                            name, mark.line + 1 if mark else None,
                            mark.column + 1 if mark else None) from None
        raise LoadError(Text(f"YAML 语法错误: {problem}", f"YAML syntax error: {problem}"),
                        name, mark.line + 1 if mark else None,
                        mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        raise LoadError(Text(f"文件含有不允许的字符 {exc.character!r}",
                             f"the file holds a character YAML does not allow: "
                             f"{exc.character!r}"), name, line, column) from None
    except yaml.YAMLError as exc:
        raise LoadError(Text(f"YAML 错误: {exc}", f"YAML error: {exc}"), name) from None
    if root is None:
        raise LoadError(Text("文件只有注释; 应为以 “flowgraph: 1” 开头的流程图",
                             "the file holds only comments; expected a flowchart "
                             "starting with 'flowgraph: 1'"), name, 1, 1)
    return _Reader(name, budget=2 * len(text) + 1000).flowchart(root)


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(Text("文件是 UTF-16 编码; 请另存为 UTF-8",
                             "the file is UTF-16; save it as UTF-8"), name, 1, 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        # The column counts characters, as everywhere else, not bytes: what precedes the
        # bad byte on its line is valid UTF-8 (it may hold Chinese text).
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8")) + 1
        byte = data[exc.start]
        raise LoadError(Text(
            f"文件不是 UTF-8 编码 (无效字节 0x{byte:02x}); 若为 GBK 编码, 请另存为 UTF-8",
            f"the file is not UTF-8 (invalid byte 0x{byte:02x}); if it is GBK, "
            f"save it as UTF-8"), name, line, column) from None


def _refuse_unprintable(text: str, name: str) -> None:
    """Refuse a character YAML does not allow, at its true line and column.

    libyaml reports such a character with a *byte* offset into the UTF-8 text and the
    character as a number, so after any Chinese text the position was wrong (and the
    message said ``1`` for U+0001); a lone surrogate in a ``str`` even crashed it with a
    UnicodeEncodeError. The same check PyYAML's own reader makes, done here first.
    """
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is not None:
        line, column = _line_column(text, bad.start())
        code = f"U+{ord(bad.group()):04X}"
        raise LoadError(Text(f"文件含有不允许的字符 {code}",
                             f"the file holds a character YAML does not allow: {code}"),
                        name, line, column)


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _describe(node: Node) -> Text:
    if node.tag not in (_MAP, _SEQ, _STR, _INT, _FLOAT, _BOOL, _NULL):
        return Text(f"带标签 {node.tag} 的值", f"a value tagged {node.tag}")
    if isinstance(node, MappingNode):
        return Text("映射", "a mapping")
    if isinstance(node, SequenceNode):
        return Text("列表", "a list")
    return {
        _STR: Text(f"文本 “{node.value}”", f"the text '{node.value}'"),
        _INT: Text(f"整数 {node.value}", f"the integer {node.value}"),
        _FLOAT: Text(f"数字 {node.value}", f"the number {node.value}"),
        _BOOL: Text(f"布尔值 {node.value}", f"the boolean {node.value}"),
        _NULL: Text("空值", "nothing (null)"),
    }.get(node.tag, Text(f"“{node.value}”", f"'{node.value}'"))


class _Reader:
    """Walks a composed YAML node tree against the version 1 schema."""

    def __init__(self, name: str, budget: int):
        self.name = name
        self.budget = budget
        self.visits = 0

    # -- primitives ---------------------------------------------------------------

    def fail(self, node: Node, zh: str, en: str):
        mark = node.start_mark
        raise LoadError(Text(zh, en), self.name, mark.line + 1, mark.column + 1)

    def expected(self, node: Node, what: Text, expected: Text):
        got = _describe(node)
        self.fail(node, f"{what.zh}: 应为{expected.zh}, 实际为{got.zh}",
                  f"{what.en}: expected {expected.en}, got {got.en}")

    def visit(self, node: Node) -> Node:
        self.visits += 1
        if self.visits > self.budget:
            self.fail(node, "别名展开过多 (YAML 别名炸弹?): 文档展开后远大于文件本身",
                      "too many alias expansions (a YAML alias bomb?): the document "
                      "expands far beyond the size of the file")
        return node

    def mapping(self, node: Node, what: Text, allowed: tuple[str, ...] | None = None
                ) -> dict[str, tuple[ScalarNode, Node]]:
        """The entries of a mapping node, refusing duplicate and (when ``allowed`` is
        given) unknown keys."""
        self.visit(node)
        if not isinstance(node, MappingNode) or node.tag != _MAP:
            self.expected(node, what, Text("映射 (键: 值)", "a mapping (key: value)"))
        entries: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            self.visit(key)
            if not isinstance(key, ScalarNode) or key.tag != _STR:
                if key.tag == "tag:yaml.org,2002:merge":
                    self.fail(key, f"{what.zh}: 不支持合并键 “<<”",
                              f"{what.en}: merge keys ('<<') are not supported")
                self.fail(key, f"{what.zh}: 键应为文本 (请加引号), 实际为{_describe(key).zh}",
                          f"{what.en}: keys must be text (quote it), got "
                          f"{_describe(key).en}")
            if key.value in entries:
                first = entries[key.value][0].start_mark.line + 1
                self.fail(key, f"{what.zh}: 键 “{key.value}” 重复 (第 {first} 行已出现)",
                          f"{what.en}: duplicate key '{key.value}' (first on line {first})")
            if allowed is not None and key.value not in allowed:
                close = difflib.get_close_matches(key.value, allowed, n=1)
                hint = (Text(f"; 是否应为 “{close[0]}”?", f"; did you mean '{close[0]}'?")
                        if close else Text("", ""))
                self.fail(key, f"{what.zh}: 未知的键 “{key.value}”{hint.zh} "
                               f"(允许: {', '.join(allowed)})",
                          f"{what.en}: unknown key '{key.value}'{hint.en} "
                          f"(expected one of: {', '.join(allowed)})")
            entries[key.value] = (key, value)
        return entries

    def sequence(self, node: Node, what: Text, example: Text) -> list[Node]:
        self.visit(node)
        if not isinstance(node, SequenceNode) or node.tag != _SEQ:
            self.expected(node, what, example)
        return node.value

    def scalar(self, node: Node, what: Text, tags: tuple[str, ...], expected: Text):
        self.visit(node)
        if not isinstance(node, ScalarNode) or node.tag not in tags:
            self.expected(node, what, expected)
        if node.tag == _STR:
            return node.value
        # the tag's own constructor: construct_object would also remember every node in
        # the shared constructor, for ever (slow, and memory growing over a batch)
        return _constructor.yaml_constructors[node.tag](_constructor, node)

    def text(self, node: Node, what: Text) -> str:
        """Free text: a label, a title. A number is taken as written."""
        self.visit(node)
        if not isinstance(node, ScalarNode) or node.tag not in (_STR, _INT, _FLOAT):
            self.expected(node, what, Text("文本", "text"))
        if not node.value.strip():
            self.fail(node, f"{what.zh}: 不能为空", f"{what.en}: must not be empty")
        return node.value

    def identifier(self, node: Node, what: Text) -> str:
        value = self.scalar(node, what, (_STR,), Text("标识符 (文本)", "an identifier (text)"))
        if not value.strip():
            self.fail(node, f"{what.zh}: 不能为空", f"{what.en}: must not be empty")
        return value

    def choice(self, node: Node, what: Text, allowed: tuple[str, ...]) -> str:
        options = ", ".join(allowed)
        value = self.scalar(node, what, (_STR,), Text(f"以下之一: {options}",
                                                      f"one of: {options}"))
        if value not in allowed:
            close = difflib.get_close_matches(value, allowed, n=1)
            hint = Text(f" (是否应为 “{close[0]}”?)", f" (did you mean '{close[0]}'?)") \
                if close else Text("", "")
            self.fail(node, f"{what.zh}: “{value}” 不是允许的值{hint.zh}; 应为以下之一: {options}",
                      f"{what.en}: '{value}' is not allowed{hint.en}; expected one of: "
                      f"{options}")
        return value

    def boolean(self, node: Node, what: Text) -> bool:
        return self.scalar(node, what, (_BOOL,), Text("true 或 false", "true or false"))

    def integer(self, node: Node, what: Text, low: int, high: int | None = None) -> int:
        expected = Text(f"不小于 {low} 的整数", f"an integer of at least {low}") \
            if high is None else Text(f"{low} 到 {high} 的整数", f"an integer from {low} to {high}")
        value = self.scalar(node, what, (_INT,), expected)
        if value < low or (high is not None and value > high):
            self.expected(node, what, expected)
        return value

    def position(self, node: Node) -> Position:
        return Position(node.start_mark.line + 1, node.start_mark.column + 1)

    # -- the schema ---------------------------------------------------------------

    def flowchart(self, root: Node) -> Flowchart:
        top = Text("流程图", "flowchart")
        entries = self.mapping(root, top)
        if "flowgraph" not in entries:
            self.fail(root, "缺少格式版本 “flowgraph: 1” (这不是 flowgraph 流程图文件?)",
                      "missing the format version 'flowgraph: 1' (is this a flowgraph "
                      "flowchart?)")
        version_node = entries["flowgraph"][1]
        supported = ", ".join(map(str, SUPPORTED_VERSIONS))
        self.visit(version_node)
        if not (isinstance(version_node, ScalarNode) and version_node.tag == _INT):
            self.fail(version_node,
                      f"格式版本应为整数 (如 flowgraph: {supported}), 实际为"
                      f"{_describe(version_node).zh}",
                      f"the format version must be a whole number (flowgraph: {supported}), "
                      f"got {_describe(version_node).en}")
        # Constructed as YAML reads it: int() of the raw text crashed (ValueError) on
        # integers YAML 1.1 writes otherwise, such as 0x1, 0b1 or 1:00.
        if _constructor.construct_yaml_int(version_node) not in SUPPORTED_VERSIONS:
            self.fail(version_node,
                      f"不支持的格式版本 {version_node.value}; 本版 flowgraph 支持版本 {supported}",
                      f"unsupported format version {version_node.value}; this flowgraph "
                      f"reads version {supported}")
        self.mapping(root, top, TOP_KEYS)  # unknown keys, after the version check
        for required in ("title", "steps"):
            if required not in entries:
                self.fail(root, f"流程图缺少必需的键 “{required}”",
                          f"the flowchart lacks the required key '{required}'")

        def optional_text(key: str) -> str | None:
            return self.text(entries[key][1], Text(key, key)) if key in entries else None

        flowchart_id = (self.identifier(entries["id"][1], Text("id", "id"))
                        if "id" in entries else Path(self.name).stem)
        actors = self.actors(entries["actors"][1]) if "actors" in entries else []
        steps = self.steps(entries["steps"][1])
        flows = (self.edges(entries["flow"][1], "flow", steps) if "flow" in entries else [])
        oversights = (self.edges(entries["oversight"][1], "oversight", steps)
                      if "oversight" in entries else [])
        return Flowchart(
            flowchart_id, self.text(entries["title"][1], Text("title", "title")),
            steps.values(), flows, oversights, actors,
            unit=optional_text("unit"), category=optional_text("category"),
            basis=optional_text("basis"),
            superior_in_charge=optional_text("superior_in_charge"), source=self.name)

    def actors(self, node: Node) -> list[Actor]:
        actors: dict[str, Actor] = {}
        report_nodes: dict[str, Node] = {}
        for actor_id, (key, value) in self.mapping(node, Text("actors", "actors")).items():
            what = Text(f"岗位 “{actor_id}”", f"actor '{actor_id}'")
            fields = self.mapping(value, what, ACTOR_KEYS)

            def field(name: str, read, *args):
                if name not in fields:
                    return None
                return read(fields[name][1], Text(f"{what.zh} 的 {name}",
                                                  f"{name} of {what.en}"), *args)

            if "reports_to" in fields:
                report_nodes[actor_id] = fields["reports_to"][1]
            actors[actor_id] = Actor(
                actor_id, field("name", self.text) or actor_id,
                rank=field("rank", self.choice, RANKS),
                reports_to=field("reports_to", self.identifier),
                collective=field("collective", self.integer, 1),
                oversight=bool(field("oversight", self.boolean)),
                public=bool(field("public", self.boolean)),
                position=self.position(key))
        self.check_reporting_lines(actors, report_nodes)
        return list(actors.values())

    def check_reporting_lines(self, actors: dict[str, Actor], nodes: dict[str, Node]):
        """A reporting line that loops back on itself is an error: nobody is in charge."""
        done: set[str] = set()
        for start in actors:
            chain: list[str] = []
            current: str | None = start
            while current is not None and current in actors and current not in done:
                if current in chain:
                    loop = " → ".join(chain[chain.index(current):] + [current])
                    self.fail(nodes[current], f"汇报关系形成环: {loop}",
                              f"the reporting line loops: {loop}")
                chain.append(current)
                current = actors[current].reports_to
            done.update(chain)

    def steps(self, node: Node) -> dict[str, Step]:
        entries = self.mapping(node, Text("steps", "steps"))
        if not entries:
            self.fail(node, "steps 不能为空: 流程图至少要有一个步骤",
                      "steps must not be empty: a flowchart has at least one step")
        return {step_id: self.step(step_id, key, value)
                for step_id, (key, value) in entries.items()}

    def step(self, step_id: str, key: Node, node: Node) -> Step:
        what = Text(f"步骤 “{step_id}”", f"step '{step_id}'")
        fields = self.mapping(node, what, STEP_KEYS)

        def sub(name: str) -> Text:
            return Text(f"{what.zh} 的 {name}", f"{name} of {what.en}")

        if "kind" not in fields:
            self.fail(node, f"{what.zh} 缺少 kind (应为以下之一: {', '.join(STEP_KINDS)})",
                      f"{what.en} lacks its kind (one of: {', '.join(STEP_KINDS)})")
        kind = self.choice(fields["kind"][1], sub("kind"), STEP_KINDS)
        values: dict[str, object] = {}
        for name, (_, value) in fields.items():
            if name == "label":
                values[name] = self.text(value, sub(name))
            elif name == "actor":
                values[name] = self.identifier(value, sub(name))
            elif name == "discretion":
                values[name] = self.choice(value, sub(name), DISCRETION_LEVELS)
                if kind in NEUTRAL_KINDS and values[name] != "none":
                    self.fail(value, f"{what.zh} 的类型 {kind} 不掌握权力, 不能有裁量权",
                              f"{what.en} is a {kind}, which holds no power: it cannot "
                              f"have discretion")
            elif name == "stakes":
                values[name] = self.stakes(value, sub(name))
            elif name == "controls":
                items = self.sequence(value, sub(name), Text("列表, 如 [裁量基准, 集体决策]",
                                                             "a list, e.g. [裁量基准, 集体决策]"))
                values[name] = tuple(self.text(item, sub(name)) for item in items)
            elif name == "duty":
                values[name] = self.choice(value, sub(name), DUTIES)
            elif name == "declared_grade":
                values[name] = self.grade(value, sub(name))
            elif name in ("time_limit", "basis"):
                values[name] = self.text(value, sub(name))
            elif name == "waive":
                values[name] = self.waivers(value, sub(name))
        values.setdefault("label", step_id)
        return Step(step_id, kind, position=self.position(key), **values)

    def stakes(self, node: Node, what: Text) -> Stakes:
        fields = self.mapping(node, what, STAKES_KEYS)
        money = None
        if "money" in fields:
            money_node = fields["money"][1]
            money = self.scalar(money_node, Text(f"{what.zh} 的 money", f"money of {what.en}"),
                                (_INT, _FLOAT), Text("以元计的金额 (数字)",
                                                     "an amount in yuan (a number)"))
            if money < 0 or money != money or money == float("inf"):
                self.fail(money_node, "金额不能为负数或无穷", "the amount must be a finite "
                          "number of at least 0")
        return Stakes(money=money,
                      people=bool("people" in fields and self.boolean(
                          fields["people"][1], Text(f"{what.zh} 的 people",
                                                    f"people of {what.en}"))),
                      rights=bool("rights" in fields and self.boolean(
                          fields["rights"][1], Text(f"{what.zh} 的 rights",
                                                    f"rights of {what.en}"))))

    def grade(self, node: Node, what: Text) -> int:
        self.visit(node)
        if isinstance(node, ScalarNode):
            if node.tag == _INT and node.value in ("1", "2", "3"):
                return int(node.value)
            if node.tag == _STR and node.value in GRADE_WORDS:
                return GRADE_WORDS[node.value]
        self.expected(node, what, Text("1、2、3 (或 一级、二级、三级)",
                                       "1, 2 or 3 (or 一级, 二级, 三级)"))

    def waivers(self, node: Node, what: Text) -> FrozenDict:
        waivers = {}
        for code, (key, value) in self.mapping(node, what).items():
            if not WAIVE_CODE.fullmatch(code):
                self.fail(key, f"{what.zh}: “{code}” 不是规则代码 (如 FG301)",
                          f"{what.en}: '{code}' is not a rule code (such as FG301)")
            reason = self.scalar(value, Text(f"{what.zh} {code}", f"{what.en} {code}"),
                                 (_STR,), Text("豁免理由 (文本)", "the reason (text)"))
            if not reason.strip():
                self.fail(value, f"{what.zh}: 豁免 {code} 必须写明理由",
                          f"{what.en}: waiving {code} needs a reason")
            waivers[code] = reason
        return FrozenDict(waivers)

    def edges(self, node: Node, kind: str, steps: dict[str, Step]) -> list[Edge]:
        what = Text(kind, kind)
        example = Text("列表, 每项为 [起点, 终点] 或 [起点, 终点, 标签]",
                       "a list of [from, to] or [from, to, label]")
        edges: list[Edge] = []
        seen: dict[tuple[str, str], int] = {}
        for item in self.sequence(node, what, example):
            self.visit(item)
            if not isinstance(item, SequenceNode) or len(item.value) not in (2, 3):
                self.expected(item, Text(f"{kind} 中的一条边", f"an edge in {kind}"),
                              Text("[起点, 终点] 或 [起点, 终点, 标签]",
                                   "[from, to] or [from, to, label]"))
            ends = []
            for end_node in item.value[:2]:
                step_id = self.identifier(end_node, Text(f"{kind} 中的步骤", f"a step in {kind}"))
                if step_id not in steps:
                    close = difflib.get_close_matches(step_id, list(steps), n=1)
                    hint = Text(f" (是否应为 “{close[0]}”?)", f" (did you mean '{close[0]}'?)") \
                        if close else Text("", "")
                    self.fail(end_node, f"{kind} 引用了未声明的步骤 “{step_id}”{hint.zh}",
                              f"{kind} refers to the undeclared step '{step_id}'{hint.en}")
                ends.append(step_id)
            source, target = ends
            if source == target:
                self.fail(item, f"{kind} 中的边从 “{source}” 指向自身",
                          f"an edge in {kind} goes from '{source}' to itself")
            if (source, target) in seen:
                self.fail(item, f"{kind} 中的边 {source} → {target} 重复 (第 "
                                f"{seen[source, target]} 行已出现)",
                          f"duplicate edge {source} → {target} in {kind} (first on line "
                          f"{seen[source, target]})")
            seen[source, target] = item.start_mark.line + 1
            label = (self.text(item.value[2], Text(f"{kind} 中边的标签", f"an edge label in {kind}"))
                     if len(item.value) == 3 else None)
            edges.append(Edge(source, target, kind, label, self.position(item)))
        return edges
