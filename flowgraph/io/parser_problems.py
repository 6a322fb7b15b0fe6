"""What a parser says is wrong with a file, in plain Chinese as well as in its English.

libyaml (charts, rosters, risk libraries) and libxml2 (BPMN, draw.io) name a syntax
error in their own words: "did not find expected key", "Premature end of data in tag
task". An analyst who edited a chart in a text editor, or received a file cut short,
reads those inside a Chinese message and learns nothing from them. Each parser's
problems are put into plain Chinese here, with what usually causes them and how to
mend it (a tab used to indent, a quote left open, an ``&`` written alone, a file saved
in GBK that declares UTF-8); a problem not in its table keeps the parser's words. The
English messages are the parsers' own.
"""
from __future__ import annotations

import re

from ..i18n import Text

#: The problems libyaml and PyYAML name, by the words they begin with, in plain Chinese.
_YAML_STARTS = {
    "mapping values are not allowed":
        "这里不能有冒号。一行只写一个“名称: 内容”；内容中有冒号和空格时，请给内容加引号",
    "did not find expected key":
        "这一行与上一行的缩进不一致，或上一行没有写完",
    "did not find expected ',' or '}'":
        "花括号 { } 没有闭合，或两项之间缺少逗号",
    "did not find expected ',' or ']'":
        "方括号 [ ] 没有闭合，或两项之间缺少逗号",
    "found character that cannot start any token":
        "这里的字符不能放在开头，多半是用制表符缩进了（请改用空格），"
        "或内容以 @、% 或反引号开头（请给内容加引号）",
    "found unexpected end of stream":
        "文件在中途结束，多半是有引号没有闭合",
    "found unexpected document indicator":
        "引号中出现了文档分隔线（“---”或“...”），多半是前面有引号没有闭合",
    "found undefined alias":
        "引用了没有定义的锚点（“*”后面的名称）",
    "second occurrence":
        "锚点名称（“&”后面的名称）重复",
    "found unknown escape character":
        "双引号中的反斜杠 \\ 后是无法识别的字符，请改用单引号，或把反斜杠写两次",
    "did not find expected '-' indicator":
        "列表中有一项没有以“- ”开头，或它的缩进与其他项不一致",
    "did not find expected node content":
        "这里缺少内容（例如两个逗号之间是空的）",
    "could not find expected ':'":
        "找不到应有的冒号。每一项写作“名称: 内容”，分行写的内容缩进要一致",
    "found undefined tag handle":
        "以“!”开头的写法无法识别，内容以“!”开头时请给内容加引号",
    "found a tab character":
        "用制表符缩进了，请改用空格",
    "block sequence entries are not allowed":
        "这里不能出现以“- ”开头的列表项，请检查缩进",
    "exceeded maximum nesting depth":
        "括号嵌套太深",
    "found duplicate %YAML directive":
        "“%YAML”声明写了两次",
}
YAML_PROBLEMS = tuple((re.escape(start), chinese) for start, chinese in _YAML_STARTS.items())

#: libxml2's syntax errors, by their words (names of elements and attributes caught),
#: in plain Chinese.
XML_PROBLEMS = (
    (r"Premature end of data in tag (\S+)",
     "文件在中途结束，<{0}> 没有结束标记，文件可能不完整，请重新导出"),
    (r"Opening and ending tag mismatch: (\S+) line \d+ and (\S+)",
     "<{0}> 的结束标记不对（遇到的是 </{1}>），文件可能不完整或被改坏了"),
    (r"Extra content at the end of the document", "文件在应当结束的地方之后还有内容"),
    (r"Document is empty", "文件是空的"),
    (r"Start tag expected", "这不是 XML 文件（开头不是 `<`）"),
    (r"Invalid bytes in character encoding",
     "文件中有不符合其编码的字节，多半是以 GBK 保存却声明为 UTF-8，请用原工具另存为 UTF-8"),
    (r"xmlParseEntityRef: no name|EntityRef: expecting ';'",
     "文字中有单独的 `&`，应写作 `&amp;`"),
    (r"Entity '([^']+)' not defined", "引用了 XML 中没有定义的 `&{0};`，请改写为文字"),
    (r"AttValue: \" or ' expected", "属性的值没有用引号括起来"),
    (r"Specification mandates value for attribute (\S+)", "属性 {0} 没有值"),
    (r"Unescaped '<' not allowed in attributes values",
     "属性的值中不能有 `<`，应写作 `&lt;`"),
    (r"Attribute (\S+) redefined", "属性 {0} 写了两次"),
    (r"StartTag: invalid element name", "`<` 后面的名称不合规则"),
    (r"Couldn't find end of Start Tag (\S+)", "<{0}> 的开始标记没有结束（缺少 `>`）"),
    (r"attributes construct error", "属性的写法有误（可能缺少引号或 `>`）"),
    (r"expected '>'", "缺少 `>`"),
    (r"Comment not terminated", "注释（`<!-- … -->`）没有结束"),
    (r"CData section not finished", "CDATA 段没有结束"),
    (r"Invalid character|PCDATA invalid Char value|Char 0x[0-9A-Fa-f]+ out of allowed range",
     "文件中有 XML 不允许的控制字符"),
    (r"Blank needed here", "这里缺少空格"),
)


def plain(problems: tuple[tuple[str, str], ...], message: str) -> str:
    """A parser's ``message`` in plain Chinese from its ``problems`` (a pattern its
    words begin with, and the Chinese, the names a pattern catches put in as ``{0}``,
    ``{1}``; a Chinese text of a pattern that catches none is taken as written), or as
    the parser wrote it when none matches."""
    for pattern, chinese in problems:
        found = re.match(pattern, message)
        if found:
            return chinese.format(*found.groups()) if found.groups() else chinese
    return message


def yaml_syntax_error(problem: str) -> Text:
    """The message of a YAML syntax error: ``YAML 语法错误：…`` in plain Chinese /
    ``YAML syntax error: …`` in YAML's words."""
    return Text(f"YAML 语法错误：{plain(YAML_PROBLEMS, problem)}",
                f"YAML syntax error: {problem}")
