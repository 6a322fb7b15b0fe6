"""Configuration: a ``[flowgraph]`` section in ``setup.cfg`` or a ``flowgraph.toml``.

The file is found upward from the inputs (from their common directory to the root of
the file system; the first ``flowgraph.toml``, or ``setup.cfg`` with a ``[flowgraph]``
section, wins; in one directory ``flowgraph.toml`` comes first). Command-line options
override it. Keys (both files; lists are comma- or newline-separated in ``setup.cfg``):

``select``, ``ignore``
    rule codes or prefixes (``FG2``, ``FG301``).
``fail_on``
    ``error``, ``warning`` (default) or ``info``: the lowest severity that fails a run.
``lang``
    ``zh`` or ``en`` (default: the locale).
``severity``
    per-rule severity, e.g. ``FG303 = error``.
``high_stakes_money``
    yuan from which a step is high-stakes (default 100000).
``incompatible_duties``
    pairs such as ``apply/approve``, replacing the default pairs.
``controls``
    more synonyms for the control vocabulary, ``canonical = synonym, synonym``.
``max_file_size``
    the largest input file read, in bytes (default 64 MiB, at most 4 GiB).
``max_steps``
    the most steps of one flowchart (default 200,000, at most 10,000,000); the other
    bounds of what one file may make a reader build grow with it
    (``flowgraph.io.limits``).
``supervisory_names``
    words of the names of bodies that supervise the unit (纪检, 监察室, 审计局 …), marking
    a BPMN pool or lane, or a draw.io swimlane, as supervisory (its message flows and
    tasks are oversight); replaces the default list.
``grading_method``
    ``criteria`` (要素计数, default), ``consequence`` (后果) or ``score`` (加权评分):
    how a step's grade is made (docs/grading.md).
``criteria``
    the criteria the count uses, from ``resources, discretion, major, rights, field,
    weakness`` (default: all).
``grade_thresholds``
    the least counts (criteria) or scores (score) of grades 1, 2 and 3.
``weights``
    the weights of the score method, ``factor = weight`` (``discretion.high = 3``,
    ``money.1000000 = 2``, ``people = 3``, ``finding.FG201 = 2``; docs/grading.md).
``major_money``, ``crime_money``, ``frequent_fields``
    the sum that makes a matter major (三重一大, default 1,000,000 yuan), the sum whose
    misuse could be a crime (consequence method, default 300,000), the words of the
    fields where cases are frequent (default: docs/grading.md).
``ledger_columns``
    the risk ledger's columns, in order, by name or heading (``序号, 单位, 环节, 岗位,
    风险点表现形式, 风险等级, 责任领导``; default: the columns units keep, docs/ledger.md).
``key_post_flowcharts``, ``key_post_money``, ``key_post_ranks``
    when a post concentrates power (牛科长): power in at least this many flowcharts
    of its unit (default 5), or this much money under its control (default 50,000,000
    yuan); only posts of these ranks are flagged (default ``staff, section``).
``roster``
    the roster (在岗人员名册) of the units' posts, a path relative to the file that
    sets it (``--roster`` on the command line is relative to where it is run).
``rotation_grades``, ``rotation_years``, ``rotation_notice_months``
    the grades of the posts whose holders rotate (default ``1``), after how many years
    (default 5), and how many months ahead a rotation coming due is announced
    (default 6); docs/programme.md.
``commitment_grades``
    the grades of the posts whose holders must have signed the post's integrity
    commitment (岗位廉政承诺书), besides key posts (default ``1``).
``no_names``
    ``true`` to show the roster's people by their roles in every output (``--no-names``).
"""
from __future__ import annotations

import configparser
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError, LoadError
from .frozen import FrozenDict
from .grading.classes import PowerClasses
from .grading.methods import CRITERIA, METHODS, WeightedScore
from .grading.posts import KeyPostPolicy
from .grading.scoring import GradingPolicy
from .i18n import LANGUAGES, Text
from .io import DEFAULT_MAX_FILE_SIZE, DEFAULT_SUPERVISORY, ReadOptions, read_bytes
from .io.limits import DEFAULT_MAX_STEPS, Limits
from .model import DUTIES, RANKS, SEVERITIES
from .policy import Policy, RotationPolicy, merge_controls
from .vocabulary import DEFAULT_LEDGER_COLUMNS, LEDGER_COLUMNS, ledger_column

KEYS = ("select", "ignore", "fail_on", "lang", "severity", "high_stakes_money",
        "incompatible_duties", "controls", "max_file_size", "max_steps", "supervisory_names",
        "grading_method", "criteria", "grade_thresholds", "weights", "major_money",
        "crime_money", "frequent_fields", "key_post_flowcharts", "key_post_money",
        "key_post_ranks", "key_post_grades", "power_classes", "ledger_columns", "roster",
        "rotation_grades", "rotation_years", "rotation_notice_months", "commitment_grades",
        "no_names", "actors")


@dataclass(frozen=True)
class Config:
    """Everything a run is configured with. Immutable: use :meth:`override`."""

    select: tuple[str, ...] = ("FG",)
    ignore: tuple[str, ...] = ()
    fail_on: str = "warning"
    lang: str | None = None
    severity: Mapping[str, str] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    grading: GradingPolicy = field(default_factory=GradingPolicy)
    classes: PowerClasses = field(default_factory=PowerClasses)
    key_posts: KeyPostPolicy = field(default_factory=KeyPostPolicy)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_steps: int = DEFAULT_MAX_STEPS
    supervisory_names: tuple[str, ...] = DEFAULT_SUPERVISORY
    source: str | None = None
    #: The side file or folder of actors the configuration names (``actors``), as a
    #: path relative to the working folder.
    actors: str | None = None
    #: Actors from side files (``--actors``, else ``actors``; :mod:`flowgraph.io.actors_file`),
    #: applied to the flowcharts of their units; None: the side files beside each
    #: flowchart file, if any.
    side_actors: object | None = None
    #: The risk ledger's columns, in order (names of :data:`~.vocabulary.LEDGER_COLUMNS`).
    ledger_columns: tuple[str, ...] = DEFAULT_LEDGER_COLUMNS
    #: The roster (在岗人员名册) of the posts, a path (relative to the configuration
    #: file when it set it), or None.
    roster: str | None = None
    #: When the holders of posts rotate and whose commitments are checked.
    rotation: RotationPolicy = field(default_factory=RotationPolicy)
    #: Show the roster's people by their roles, never by their names.
    no_names: bool = False

    @property
    def reading(self) -> ReadOptions:
        """The settings the readers take (:class:`flowgraph.io.ReadOptions`): the size
        cap, the supervisory names, the control vocabulary with its configured
        synonyms and the limits ``max_steps`` sets. A new object each time, so that what
        readers derive from it is cached on it, never on a module."""
        return ReadOptions(self.max_file_size, self.supervisory_names, self.policy.controls,
                           Limits(steps=self.max_steps))

    def override(self, **changes) -> Config:
        """A copy with the given settings replaced (``None`` leaves one unchanged)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def find_config_file(inputs: Iterable[str | os.PathLike]) -> Path | None:
    """The configuration file that applies to ``inputs``, searching upward. Only
    regular files count (a named pipe called ``setup.cfg`` is not a configuration);
    a ``setup.cfg`` that holds a ``[flowgraph]`` section but cannot be read as UTF-8,
    or cannot be read at all, is an error naming it rather than a configuration
    silently ignored (:func:`_has_section`)."""
    paths = [Path(p).resolve() for p in inputs]
    if not paths:
        paths = [Path.cwd()]
    dirs = [p if p.is_dir() else p.parent for p in paths]
    try:
        start = Path(os.path.commonpath([str(d) for d in dirs]))
    except ValueError:  # different drives
        start = dirs[0]
    for directory in (start, *start.parents):
        toml = directory / "flowgraph.toml"
        if toml.is_file():
            return toml
        cfg = directory / "setup.cfg"
        if cfg.is_file() and _has_section(cfg):
            return cfg
    return None


def load_config(path: str | os.PathLike | None) -> Config:
    """The configuration in ``path`` (defaults when None)."""
    if path is None:
        return Config()
    path = Path(path)
    if path.suffix == ".toml":
        values = _read_toml(path)
    else:
        values = _read_cfg(path)
    return _build(values, str(path), _locator(path))


#: The largest configuration file read: a configuration is a page of settings.
MAX_CONFIG_SIZE = 1024 * 1024


def _has_section(path: Path) -> bool:
    """Whether a ``setup.cfg`` holds a ``[flowgraph]`` section. The bytes are searched,
    so that a file in another encoding (GBK, as Windows tools save it) that holds one
    is found, and then refused with the place of its first byte that is not UTF-8
    (:func:`_text`), instead of being passed over as if it held no settings."""
    header = re.compile(rb"^[ \t]*\[flowgraph\][ \t]*\r?$", re.M)
    return header.search(_bytes(path)) is not None


def _bytes(path: Path) -> bytes:
    """The bytes of a configuration file: a regular file (never a pipe or a device,
    which would block or never end) of at most :data:`MAX_CONFIG_SIZE`; any problem is
    a ConfigError naming the file."""
    try:
        return read_bytes(path, MAX_CONFIG_SIZE)
    except LoadError as error:
        raise ConfigError(error.message, error.path) from None


def _text(path: Path) -> str:
    """The text of a configuration file, which must be UTF-8 (a byte order mark
    allowed); another encoding is an error at its first byte that is not UTF-8."""
    from .io.yaml_format import _decode
    try:
        return _decode(_bytes(path), str(path))
    except LoadError as error:
        raise ConfigError(error.message, error.path, error.line, error.column) from None


def _fail(path: str, zh: str, en: str, line: int | None = None):
    raise ConfigError(Text(zh, en), path, line)


def _read_toml(path: Path) -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    text = _text(path)
    try:
        return tomllib.loads(text)
    except ValueError as exc:  # TOMLDecodeError, or an integer too long to convert
        _fail(str(path), f"TOML 语法错误: {exc}", f"TOML syntax error: {exc}")


def _read_cfg(path: Path) -> dict:
    """The ``[flowgraph]`` section of a ``setup.cfg``, read as UTF-8 (:func:`_text`)."""
    parser = configparser.ConfigParser(interpolation=None)
    text = _text(path)
    try:
        parser.read_string(text, str(path))
    except configparser.Error as exc:
        _fail(str(path), f"无法读取配置文件: {exc}", f"cannot read the configuration: {exc}")
    if not parser.has_section("flowgraph"):
        return {}
    values: dict = {}
    for key, raw in parser.items("flowgraph"):
        if key in ("severity", "controls", "weights", "power_classes"):
            table = {}
            for line in _items(raw, separators="\n"):
                name, sep, rest = line.partition("=")
                if not sep:
                    name, sep, rest = line.partition(":")
                if not sep:
                    _fail(str(path), f"[flowgraph] {key}: “{line}” 应写成 名称 = 值",
                          f"[flowgraph] {key}: '{line}' should read name = value",
                          _locator(path)(key))
                table[name.strip()] = (_items(rest) if key in ("controls", "power_classes")
                                       else rest.strip())
            values[key] = table
        elif key in ("select", "ignore", "incompatible_duties", "grade_thresholds",
                     "key_post_ranks", "key_post_grades", "criteria", "frequent_fields",
                     "ledger_columns", "rotation_grades", "commitment_grades"):
            values[key] = _items(raw)
        else:
            values[key] = raw.strip()
    return values


def _items(raw: str, separators: str = ",\n") -> list[str]:
    return [item.strip() for item in re.split(f"[{separators}]", raw) if item.strip()]


def _flatten(table: Mapping, prefix: str = "") -> dict:
    """``{"discretion": {"high": 3}}`` (TOML dotted keys) → ``{"discretion.high": 3}``."""
    flat = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


#: The bounds of numbers in configuration. A value beyond them is a typo or an attack
#: (``1e400`` reads as infinity, ``99999999999999999999`` overflows a read), never a
#: policy: weights and thresholds (scores are sums of a few weights), the flowcharts
#: of a post, yuan (a thousand trillion), bytes of one input file (4 GiB).
MAX_WEIGHT = 10**6
MAX_COUNT = 10**6
MAX_AMOUNT = 10**15
MAX_FILE_SIZE = 2**32
MAX_STEPS = 10**7


def _integer(value, limit: int = MAX_WEIGHT) -> int:
    """A whole number from TOML or from setup.cfg text (``-1``, ``−1``) of at most
    ``limit`` either way; ValueError for anything else."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(value)
    number = value if isinstance(value, int) else int(str(value).replace("−", "-").strip())
    if abs(number) > limit:
        raise ValueError(value)
    return number


def _locator(path: Path):
    """Finds the line where a key is set, for error messages."""
    try:
        lines = _text(path).splitlines()
    except ConfigError:
        lines = []

    def line_of(key: str, value: str | None = None) -> int | None:
        """The line setting ``key``; with ``value``, the line from there on where that
        value is written (a list may run over several lines)."""
        for number, line in enumerate(lines, 1):
            if re.match(rf"\s*{re.escape(key)}\s*[=:]", line):
                if value is None:
                    return number
                return next((number + n for n, later in enumerate(lines[number - 1:])
                             if value in later), number)
        return None
    return line_of


class _Values:
    """The settings read from a file, checked one by one; every complaint names the
    file, the line where the key is set, and what was expected."""

    def __init__(self, values: dict, source: str, line_of):
        self.values, self.source, self.line_of = values, source, line_of

    def fail(self, key: str, zh: str, en: str, value: str | None = None):
        """Refuse the setting ``key``, at the line of ``value`` when given."""
        _fail(self.source, f"{key}: {zh}", f"{key}: {en}", self.line_of(key, value))

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def table(self, key: str, zh: str, en: str) -> dict:
        value = self.values.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, zh, en)
        return value

    def as_list(self, key: str) -> tuple[str, ...] | None:
        if key not in self.values:
            return None
        value = self.values[key]
        if isinstance(value, str):
            value = _items(value)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, "应为文本列表", "expected a list of text")
        return tuple(value)

    def as_flag(self, key: str) -> bool | None:
        """A setting that is true or false (``true``/``false``, ``yes``/``no``, ``1``/``0``
        in setup.cfg; a boolean in TOML)."""
        if key not in self.values:
            return None
        value = self.values[key]
        if isinstance(value, bool):
            return value
        word = str(value).strip().casefold()
        if word in ("true", "yes", "on", "1"):
            return True
        if word in ("false", "no", "off", "0"):
            return False
        self.fail(key, "应为 true 或 false", "expected true or false")

    def as_grades(self, key: str) -> tuple[int, ...] | None:
        """Grades from 1, 2 and 3 (``1`` or ``1, 2``; TOML numbers or text), each once."""
        if key not in self.values:
            return None
        raw = self.values[key]
        items = _items(raw) if isinstance(raw, str) else raw if isinstance(raw, list) \
            else [raw]
        grades = []
        for item in items:
            word = str(item).strip()
            if isinstance(item, bool) or word not in ("1", "2", "3") or int(word) in grades:
                self.fail(key, "应为 1、2、3 中的等级, 各写一次",
                          "expected grades from 1, 2, 3, each once")
            grades.append(int(word))
        return tuple(grades)

    def as_choice(self, key: str, allowed) -> str | None:
        if key not in self.values:
            return None
        if self.values[key] not in allowed:
            self.fail(key, f"应为以下之一: {', '.join(allowed)}",
                      f"expected one of: {', '.join(allowed)}")
        return self.values[key]

    def as_number(self, key: str, kind, most) -> float | int | None:
        """A setting that is a number (``kind``: int for a whole one) from 0 to
        ``most``; infinity, NaN and anything larger are the setting's error."""
        if key not in self.values:
            return None
        value = self.values[key]
        try:
            number = _integer(value, most) if kind is int else float(value)
        except (TypeError, ValueError, OverflowError):
            number = math.nan
        if isinstance(value, bool) or not 0 <= number <= most:
            whole = Text("整数", "whole number") if kind is int else Text("数", "number")
            self.fail(key, f"应为 0 到 {most:,} 之间的{whole.zh}",
                      f"expected a {whole.en} from 0 to {most:,}")
        return number

    def as_thresholds(self, key: str) -> tuple[int, int, int] | None:
        """Three whole numbers, decreasing: the least scores of grades 1, 2 and 3."""
        if key not in self.values:
            return None
        raw = self.values[key]
        try:
            thresholds = tuple(_integer(v) for v in (_items(raw) if isinstance(raw, str)
                                                     else raw))
        except (TypeError, ValueError):
            thresholds = ()
        if len(thresholds) != 3 or not thresholds[0] > thresholds[1] > thresholds[2] >= 0:
            self.fail(key, f"应为一级、二级、三级的最低分, 三个递减的整数 "
                      f"({MAX_WEIGHT:,} 以内)",
                      f"expected the lowest scores of grades 1, 2, 3: three decreasing "
                      f"integers from 0 to {MAX_WEIGHT:,}")
        return thresholds


def _build(values: dict, source: str, line_of) -> Config:
    read = _Values(values, source, line_of)
    for key in values:
        if key not in KEYS:
            read.fail(key, f"未知的配置项 (允许: {', '.join(KEYS)})",
                      f"unknown setting (expected one of: {', '.join(KEYS)})")
    select, ignore, severity = _rule_choice(read)
    return Config(
        select=select or ("FG",), ignore=ignore or (),
        grading=_grading(read), key_posts=_key_posts(read), classes=_classes(read),
        fail_on=read.as_choice("fail_on", SEVERITIES) or "warning",
        lang=read.as_choice("lang", LANGUAGES),
        severity=severity, policy=_policy(read),
        max_file_size=int(read.as_number("max_file_size", int, MAX_FILE_SIZE)
                          or DEFAULT_MAX_FILE_SIZE),
        max_steps=int(read.as_number("max_steps", int, MAX_STEPS) or DEFAULT_MAX_STEPS),
        supervisory_names=read.as_list("supervisory_names") or DEFAULT_SUPERVISORY,
        ledger_columns=_ledger_columns(read), roster=_roster_path(read),
        rotation=_rotation(read), no_names=read.as_flag("no_names") or False,
        actors=_path(read, "actors", "应为岗位文件或文件夹的路径",
                     "expected the path of an actors file or folder"), source=source)


def _rule_choice(read: _Values):
    """``select``, ``ignore`` and ``severity``: codes or prefixes of known rules."""
    from .rules import is_known_pattern
    select, ignore = read.as_list("select"), read.as_list("ignore")
    for key, patterns in (("select", select), ("ignore", ignore)):
        for pattern in patterns or ():
            if not is_known_pattern(pattern):
                read.fail(key, f"“{pattern}” 不是规则代码或前缀",
                          f"'{pattern}' is not a rule code or prefix")
    severity = read.table("severity", "应为 规则 = 严重程度 的表",
                          "expected a table of code = severity")
    for code, level in severity.items():
        if not is_known_pattern(code) or level not in SEVERITIES:
            read.fail("severity", f"“{code} = {level}”: 应为规则代码 = {'/'.join(SEVERITIES)}",
                      f"'{code} = {level}': expected a rule code = {'/'.join(SEVERITIES)}")
    return select, ignore, {code.upper(): level for code, level in severity.items()}


def _policy(read: _Values) -> Policy:
    """The analysis policy: the high-stakes amount, duty pairs, control synonyms."""
    policy = {}
    money = read.as_number("high_stakes_money", float, MAX_AMOUNT)
    if money is not None:
        policy["high_stakes_money"] = money
    pairs = read.as_list("incompatible_duties")
    if pairs is not None:
        parsed = []
        for pair in pairs:
            parts = [p.strip() for p in pair.split("/")]
            if len(parts) != 2 or not all(p in DUTIES for p in parts):
                read.fail("incompatible_duties",
                          f"“{pair}” 应写成 职务/职务, 职务为 {', '.join(DUTIES)}",
                          f"'{pair}' should read duty/duty with duties from "
                          f"{', '.join(DUTIES)}")
            parsed.append(tuple(parts))
        policy["incompatible_duties"] = tuple(parsed)
    if "controls" in read:
        controls = read.values["controls"]
        if not isinstance(controls, dict) or not all(
                isinstance(v, list) and all(isinstance(s, str) for s in v)
                for v in controls.values()):
            read.fail("controls", "应为 规范名称 = [同义词, …] 的表",
                      "expected a table of canonical = [synonym, …]")
        policy["controls"] = merge_controls(Policy().controls, controls)
    return Policy(**policy)


def _grading(read: _Values) -> GradingPolicy:
    """The grading method and its settings (docs/grading.md)."""
    method = read.as_choice("grading_method", METHODS) or "criteria"
    grading = GradingPolicy(method=method)
    criteria = _criteria(read)
    if criteria is not None:
        grading = replace(grading, criteria=replace(grading.criteria, criteria=criteria))
    money = read.as_number("high_stakes_money", float, MAX_AMOUNT)
    if money is not None:
        grading = replace(grading, criteria=replace(grading.criteria, resources_money=money),
                          consequence=replace(grading.consequence, discipline_money=money))
    major = read.as_number("major_money", float, MAX_AMOUNT)
    if major is not None:
        grading = replace(grading, fields=replace(grading.fields, major_money=major))
    crime = read.as_number("crime_money", float, MAX_AMOUNT)
    if crime is not None:
        grading = replace(grading, consequence=replace(grading.consequence,
                                                       crime_money=crime))
    fields = read.as_list("frequent_fields")
    if fields is not None:
        grading = replace(grading, fields=replace(grading.fields, frequent_fields=fields))
    grading = replace(grading, score=_weights(read, grading.score))
    thresholds = read.as_thresholds("grade_thresholds")
    if thresholds is not None:
        if method == "consequence":
            read.fail("grade_thresholds", "后果法 (consequence) 没有分数线",
                      "the consequence method has no thresholds")
        chosen = replace(grading.chosen, thresholds=thresholds)
        grading = replace(grading, **{method: chosen})
    return grading


def _criteria(read: _Values) -> tuple[str, ...] | None:
    """The criteria the count uses: known names, each once."""
    criteria = read.as_list("criteria")
    for name in criteria or ():
        if name not in CRITERIA:
            read.fail("criteria", f"没有标准 “{name}” (可用: {', '.join(CRITERIA)})",
                      f"no criterion '{name}' (expected some of: {', '.join(CRITERIA)})")
        if criteria.count(name) > 1:
            read.fail("criteria", f"标准 “{name}” 重复",
                      f"the criterion '{name}' is named twice")
    return criteria


def _weights(read: _Values, score: WeightedScore) -> WeightedScore:
    """The score method's weights, ``factor = weight``."""
    weights = {}
    for name, weight in _flatten(read.table("weights", "应为 因素 = 权重 的表",
                                            "expected a table of factor = weight")).items():
        try:
            weights[name] = _integer(weight)
        except ValueError:
            read.fail("weights", f"“{name}”: 权重应为 ±{MAX_WEIGHT:,} 以内的整数",
                      f"'{name}': a weight is a whole number from −{MAX_WEIGHT:,} to "
                      f"{MAX_WEIGHT:,}")
    try:
        return score.with_weights(weights)
    except ValueError as exc:
        read.fail("weights", f"没有因素 “{exc}” (见 docs/grading.md)",
                  f"no factor '{exc}' (see docs/grading.md)")


def _classes(read: _Values) -> PowerClasses:
    """The classes of the power list, ``class = words of a category`` (others last)."""
    if "power_classes" not in read:
        return PowerClasses()
    table = read.values["power_classes"]
    if not isinstance(table, dict) or not table or not all(
            isinstance(words, list) and all(isinstance(w, str) for w in words)
            for words in table.values()):
        read.fail("power_classes", "应为 类别 = 词, 词 的表",
                  "expected a table of class = word, word")
    return PowerClasses(FrozenDict({name: tuple(words) for name, words in table.items()}))


def _ledger_columns(read: _Values) -> tuple[str, ...]:
    """The ledger's columns, each named once, by name or heading."""
    names = read.as_list("ledger_columns")
    if names is None:
        return DEFAULT_LEDGER_COLUMNS
    if not names:
        read.fail("ledger_columns", "至少要有一列", "name at least one column")
    columns = []
    for name in names:
        column = ledger_column(name)
        if column is None:
            known = "、".join(heading.zh for heading in LEDGER_COLUMNS.values())
            read.fail("ledger_columns", f"没有列 “{name}” (可用: {known})",
                      f"no column '{name}' (expected some of: {', '.join(LEDGER_COLUMNS)}, "
                      f"or their headings)", name)
        if column in columns:
            read.fail("ledger_columns", f"列 “{name}” 重复", f"the column '{name}' is named "
                      f"twice", name)
        columns.append(column)
    return tuple(columns)


#: The most years a rotation may wait, and months ahead it may be announced.
MAX_ROTATION_YEARS = 50
MAX_NOTICE_MONTHS = 120


def _rotation(read: _Values) -> RotationPolicy:
    """When holders rotate and whose commitments are checked (docs/programme.md)."""
    rotation = RotationPolicy()
    grades = read.as_grades("rotation_grades")
    if grades is not None:
        rotation = replace(rotation, grades=grades)
    years = read.as_number("rotation_years", int, MAX_ROTATION_YEARS)
    if years is not None:
        if years < 1:
            read.fail("rotation_years", f"应为 1 到 {MAX_ROTATION_YEARS} 之间的整数",
                      f"expected a whole number from 1 to {MAX_ROTATION_YEARS}")
        rotation = replace(rotation, years=years)
    months = read.as_number("rotation_notice_months", int, MAX_NOTICE_MONTHS)
    if months is not None:
        rotation = replace(rotation, notice_months=months)
    commitment = read.as_grades("commitment_grades")
    if commitment is not None:
        rotation = replace(rotation, commitment_grades=commitment)
    return rotation


def _roster_path(read: _Values) -> str | None:
    """The roster's path, relative to the configuration file that names it."""
    return _path(read, "roster", "应为名册文件的路径", "expected the path of a roster file")


def _path(read: _Values, key: str, zh: str, en: str) -> str | None:
    """A file's or folder's path, relative to the configuration file that names it (it
    need not exist yet: reading it says so)."""
    if key not in read:
        return None
    value = read.values[key]
    if not isinstance(value, str) or not value.strip():
        read.fail(key, zh, en)
    return os.path.join(os.path.dirname(read.source), value.strip())


def _key_posts(read: _Values) -> KeyPostPolicy:
    """When a post concentrates power (牛科长)."""
    key_posts = KeyPostPolicy()
    flowcharts = read.as_number("key_post_flowcharts", int, MAX_COUNT)
    if flowcharts is not None:
        key_posts = replace(key_posts, min_flowcharts=flowcharts)
    money_floor = read.as_number("key_post_money", float, MAX_AMOUNT)
    if money_floor is not None:
        key_posts = replace(key_posts, min_money=money_floor)
    grades = read.as_list("key_post_grades")
    if grades is not None:
        if not all(grade in ("1", "2", "3") for grade in grades):
            read.fail("key_post_grades", "应为 1、2、3 中的等级", "expected grades from 1, 2, 3")
        key_posts = replace(key_posts, grades=tuple(int(grade) for grade in grades))
    ranks = read.as_list("key_post_ranks")
    if ranks is not None:
        if not all(rank in RANKS for rank in ranks):
            read.fail("key_post_ranks", f"应为以下级别: {', '.join(RANKS)}",
                      f"expected ranks from: {', '.join(RANKS)}")
        key_posts = replace(key_posts, ranks=ranks)
    return key_posts
