"""Parsing untrusted XML (BPMN, draw.io) safely, with errors at their line.

Flowcharts come from dozens of units and many tools; an XML file can be hostile. The
parser here is lxml's with everything dangerous off: no DTD loaded, no entity
resolved, no network, no huge-tree mode (libxml2's own limits on depth and text size
stay on). A document that declares a DTD at all is refused: no BPMN or draw.io tool
writes one, and a DTD is where entity bombs and external entities live. lxml is used
rather than the standard library for its speed and because every element knows its
line (``sourceline``), which the errors name.

libxml2 builds every element of a document before flowgraph sees one, so the elements
are counted first, from the bytes (:func:`count_elements`): a file of millions of
empty elements is refused before it is parsed.

A syntax error is named in libxml2's English and, in Chinese, in plain words with what
usually causes it (:mod:`flowgraph.io.parser_problems`).
"""
from __future__ import annotations

from ..errors import LoadError
from ..i18n import Text
from .limits import Limits, too_many
from .parser_problems import XML_PROBLEMS, plain


def _parser(recover: bool = False):
    from lxml import etree
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True, recover=recover)


#: libxml2's complaints about namespaces, not about the XML: a prefix used but never
#: declared, a namespace name that is not a URI (IBM Process Designer writes
#: ``xmlns:Process="http://…/Collapsed Process"``). The document is well-formed XML,
#: and is read again with the prefix left unresolved (its elements then belong to no
#: namespace a reader knows, and are skipped as foreign content).
_NAMESPACE_ERRORS = ("Namespace prefix", "is not a valid URI", "xmlns")


def parse(data: bytes, name: str, what: Text):
    """The root element of ``data``, or a LoadError naming the line and ``what`` the
    file should have been (``a BPMN 2.0 file``)."""
    from lxml import etree
    try:
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            message = exc.msg or str(exc)
            if not any(word in message for word in _NAMESPACE_ERRORS):
                raise
            root = etree.fromstring(data, _parser(recover=True))
            if root is None:
                raise exc from None
    except etree.XMLSyntaxError as exc:
        # libxml2's position: 1-based, just past where it gave up
        line, column = exc.position if exc.position else (None, None)
        message = (exc.msg or str(exc)).split(", line ")[0]
        raise LoadError(Text(f"XML 语法错误：{plain(XML_PROBLEMS, message)}；应为{what.zh}",
                             f"XML syntax error: {message}; expected {what.en}"),
                        name, line or None, column or None) from None
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise LoadError(Text(f"无法解析 XML：{exc}", f"cannot parse the XML: {exc}"),
                        name) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise LoadError(Text(f"文件声明了 DTD（<!DOCTYPE>）：出于安全原因不予读取；应为{what.zh}",
                             f"the file declares a DTD (<!DOCTYPE>), which is refused for "
                             f"safety; expected {what.en}"), name, 1)
    return root


def count_elements(data: bytes, name: str, limits: Limits, before: int = 0) -> int:
    """``before`` (the elements of the file counted so far: draw.io's other pages) plus
    the elements ``data`` holds, refused past the limit. Counted without parsing, as
    every ``<`` but those of end tags (comments, processing instructions, CDATA and a
    ``<`` in them count too: they are parsed as well, and the count is never less than
    the elements). Linear: two passes of :meth:`bytes.count`."""
    total = before + data.count(b"<") - data.count(b"</")
    if total > limits.elements:
        raise LoadError(too_many("XML 元素", "XML elements in the file", limits.elements),
                        name)
    return total


def local(tag) -> str:
    """An element's name without its namespace (``task`` for ``{…MODEL}task``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(tag) -> str:
    """An element's namespace URI, or ``""``."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]
