"""What YAML says is wrong with a file, in plain Chinese as well as in its English.

libyaml (and PyYAML without it) names a syntax error in its own words: "did not find
expected key", "found character that cannot start any token". An analyst who edited a
chart in a text editor reads those inside a Chinese message and learns nothing from
them. :func:`syntax_error` gives the error of a YAML file (a chart, a roster, a risk
library) with each problem YAML names put into plain Chinese, with what usually
causes it and how to mend it (a tab used to indent, a quote left open, a colon inside
a text); a problem it does not know keeps YAML's English. The English message is
YAML's own.
"""
from __future__ import annotations

from ..i18n import Text

#: The problems libyaml and PyYAML name, by the words they begin with, in plain Chinese.
PROBLEMS = {
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


def plain_problem(problem: str) -> str:
    """YAML's ``problem`` in plain Chinese, or as YAML wrote it when it is not known."""
    for start, chinese in PROBLEMS.items():
        if problem.startswith(start):
            return chinese
    return problem


def syntax_error(problem: str) -> Text:
    """The message of a YAML syntax error: ``YAML 语法错误：…`` in plain Chinese /
    ``YAML syntax error: …`` in YAML's words."""
    return Text(f"YAML 语法错误：{plain_problem(problem)}", f"YAML syntax error: {problem}")
