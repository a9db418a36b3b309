"""Template checking: syntax errors and unknown placeholders, in Chinese.

An office edits the templates in WPS or Word, so mistakes are expected: a
half-deleted ``{{ 被检查单位 }``, a placeholder typed as ``{{ 被检单位 }}``,
a ``{% for %}`` row whose ``{% endfor %}`` went with a deleted table row.
Each is reported with the template's file name and the offending tag, and
says what to do next, before any document is produced.
"""
from __future__ import annotations

import html
from contextlib import contextmanager
import re
from dataclasses import dataclass

from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes

from .fields import FILTERS, DocumentKind

TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_BLOCKS = {"for": "endfor", "if": "endif", "with": "endwith", "macro": "endmacro",
           "filter": "endfilter", "set": "endset", "call": "endcall", "raw": "endraw"}
_MIDDLE = {"else", "elif"}


def make_env(autoescape: bool, cls: type[Environment] = Environment) -> Environment:
    """The Jinja environment templates are checked and rendered with.

    Values are XML-escaped in .docx (autoescape) so “A&B有限公司” cannot break
    the document; undefined names fail loudly instead of printing blanks.
    """
    env = cls(autoescape=autoescape, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


_CHECK_ENV = make_env(autoescape=False)


@dataclass(frozen=True)
class Problem:
    where: str
    tag: str
    message: str

    def __str__(self) -> str:
        if not self.tag:
            return f"{self.where}{self.message}"
        return f"{self.where}的标记“{self.tag}”{self.message}"


class TemplateProblem(ValueError):
    """A template that cannot be used; ``str()`` is the message for the clerk."""

    def __init__(self, template_name: str, problems: list[Problem]):
        self.template_name = template_name
        self.problems = problems
        lines = [f"模板“{template_name}”有{len(problems)}处问题，不能使用："]
        lines += [f"{i}. {p}" for i, p in enumerate(problems[:10], 1)]
        if len(problems) > 10:
            lines.append(f"……另有{len(problems) - 10}处。")
        lines.append("请在 WPS 或 Word 中改正模板后重试，或在设置页点“恢复默认”使用原模板。")
        super().__init__("\n".join(lines))

    @property
    def tags(self) -> list[str]:
        return [p.tag for p in self.problems]


def plain_tag(tag: str) -> str:
    """A tag as the clerk typed it (entities decoded, whitespace collapsed)."""
    return re.sub(r"\s+", " ", html.unescape(tag)).strip()


def _translate(message: str) -> str:
    msg = message or ""
    m = re.search(r"looking for the following tags: '(\w+)'", msg)
    if m:
        return f"缺少与之配对的“{{% {m.group(1)} %}}”"
    if "Encountered unknown tag" in msg:
        name = re.search(r"unknown tag '([^']+)'", msg)
        return f"不是可识别的标记（{name.group(1) if name else ''}）"
    if "unexpected end of template" in msg.lower():
        return "不完整，缺少结束的括号或配对标记"
    if "unexpected" in msg or "expected token" in msg:
        return f"写法有误（{msg}），请检查括号、引号和空格"
    if "no filter named" in msg:
        return f"使用了不存在的过滤器（{msg}）"
    return f"有语法错误（{msg}）"


def _statement(tag: str) -> tuple[str, str]:
    inner = tag[2:-2].strip("-+ \t\r\n")
    word = inner.split(None, 1)[0] if inner else ""
    return word, inner


def _check_each_tag(tags: list[str], where: str) -> list[Problem]:
    """Parse every tag on its own, so the message names the exact broken tag."""
    problems: list[Problem] = []
    for tag in tags:
        probe = tag
        if tag.startswith("{%"):
            word, _ = _statement(tag)
            if word in _BLOCKS and word not in ("set",):
                probe = tag + "{% " + _BLOCKS[word] + " %}"
            elif word in _MIDDLE or word in _BLOCKS.values() or word == "set":
                continue
        try:
            _CHECK_ENV.parse(probe)
        except TemplateSyntaxError as exc:
            problems.append(Problem(where, plain_tag(tag), _translate(exc.message)))
    return problems


def _check_nesting(tags: list[str], where: str) -> list[Problem]:
    """Pair block tags with their end tags (for … endfor, if … endif, …)."""
    stack: list[tuple[str, str]] = []
    problems: list[Problem] = []
    ends = {v: k for k, v in _BLOCKS.items()}
    for tag in tags:
        if not tag.startswith("{%"):
            continue
        word, inner = _statement(tag)
        if word == "set" and "=" in inner:
            continue
        if word in _BLOCKS:
            stack.append((word, tag))
        elif word in ends:
            if stack and stack[-1][0] == ends[word]:
                stack.pop()
            else:
                problems.append(Problem(where, plain_tag(tag),
                                        f"没有与之配对的“{{% {ends[word]} … %}}”"))
                return problems
        elif word in _MIDDLE and not (stack and stack[-1][0] in ("if", "for")):
            problems.append(Problem(where, plain_tag(tag), "不在“{% if %}”或“{% for %}”之内"))
            return problems
    for word, tag in stack:
        problems.append(Problem(where, plain_tag(tag), f"缺少与之配对的“{{% {_BLOCKS[word]} %}}”"))
    return problems


def _loop_field_checks(ast: nodes.Template, kind: DocumentKind, where: str,
                       tags: list[str]) -> list[Problem]:
    """``{% for 事项 in 检查事项 %}…{{ 事项.名称 }}``: 名称 must be a sub-field."""
    problems = []
    for loop in ast.find_all(nodes.For):
        if not (isinstance(loop.iter, nodes.Name) and isinstance(loop.target, nodes.Name)):
            continue
        field = kind.field(loop.iter.name)
        if field is None or not field.items:
            continue
        allowed = {f.name for f in field.items}
        var = loop.target.name
        for body in loop.body:
            for node in body.find_all((nodes.Getattr, nodes.Getitem)):
                if not (isinstance(node.node, nodes.Name) and node.node.name == var):
                    continue
                attr = node.attr if isinstance(node, nodes.Getattr) else \
                    getattr(node.arg, "value", None)
                if isinstance(attr, str) and attr not in allowed:
                    tag = _tag_with(tags, f"{var}.{attr}") or _tag_with(tags, attr) or f"{var}.{attr}"
                    problems.append(Problem(where, tag, (
                        f"中的“{attr}”不是“{field.name}”每一项的字段；可用："
                        + "、".join(sorted(allowed)))))
    return problems


def _tag_with(tags: list[str], name: str) -> str:
    pattern = re.compile(r"(?<![\w.])" + re.escape(name) + r"(?!\w)")
    for tag in tags:
        if pattern.search(html.unescape(tag)):
            return plain_tag(tag)
    return ""


_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def check_delimiters(where: str, raw_xml: str) -> list[Problem]:
    """Unclosed or stray ``{{ }}``/``{% %}`` in a .docx part, paragraph by paragraph.

    Must run on the XML *before* docxtpl's clean-up: that clean-up treats a
    ``{{ 字段 }`` as the start of a tag running to the next ``}}`` and would
    silently swallow the text in between.
    """
    problems = []
    for para in _PARAGRAPH.findall(raw_xml):
        text = html.unescape("".join(_TEXT.findall(para)))
        i = 0
        while True:
            starts = [(text.find(o, i), o) for o in _OPENERS if text.find(o, i) >= 0]
            if not starts:
                rest = text[i:]
                stray = next((c for c in _OPENERS.values() if c in rest), None)
                if stray:
                    j = i + rest.index(stray)
                    problems.append(Problem(where, text[max(i, j - 20):j + 2].strip(),
                                            "多出了结束括号，前面缺少开始括号"))
                break
            start, opener = min(starts)
            end = text.find(_OPENERS[opener], start + 2)
            nested = min((text.find(o, start + 2) for o in _OPENERS
                          if 0 <= text.find(o, start + 2) < (end if end >= 0 else len(text))),
                         default=-1)
            if end < 0 or nested >= 0:
                stop = nested if nested >= 0 else len(text)
                problems.append(Problem(where, text[start:min(stop, start + 40)].strip(),
                                        f"没有结束括号“{_OPENERS[opener]}”"))
                break
            i = end + 2
    return problems


def check_source(kind: DocumentKind, where: str, source: str) -> list[Problem]:
    """All problems of one template text (a .docx part or one .xlsx cell)."""
    tags = TAG_RE.findall(source)
    if not tags:
        return []
    problems = _check_each_tag(tags, where) or _check_nesting(tags, where)
    if problems:
        return problems
    try:
        ast = _CHECK_ENV.parse(source)
    except TemplateSyntaxError as exc:
        lines = source.splitlines()
        line = lines[exc.lineno - 1] if exc.lineno and exc.lineno <= len(lines) else ""
        near = TAG_RE.findall(line)
        tag = plain_tag(near[0]) if near else re.sub(r"<[^>]+>", "", line)[:40]
        return [Problem(where, tag, _translate(exc.message))]
    for node in ast.find_all((nodes.Filter, nodes.Test)):
        registry = _CHECK_ENV.filters if isinstance(node, nodes.Filter) else _CHECK_ENV.tests
        if node.name not in registry:
            problems.append(Problem(where, _tag_with(tags, node.name) or node.name, (
                f"中的“{node.name}”不是可用的过滤器；可用：" + "、".join(FILTERS))))
    if problems:
        return problems
    known = set(kind.field_names)
    for name in sorted(meta.find_undeclared_variables(ast) - known):
        tag = _tag_with(tags, name) or name
        problems.append(Problem(where, tag, (
            f"中的“{name}”不是《{kind.title}》可用的字段；可用字段："
            + "、".join(kind.field_names))))
    problems += _loop_field_checks(ast, kind, where, tags)
    return problems


@contextmanager
def filling_errors(template_name: str):
    """A template that passed the checks can still fail on values (a filter given a wrong type)."""
    try:
        yield
    except TemplateError as exc:
        raise TemplateProblem(template_name, [Problem("填写时", "", f"出错：{exc}。请检查模板中的标记。")]) from exc
