"""A letter's text as the report's Markdown, faithfully: the QA Panel's letters arrive as text, Markdown,
or text copied from a web page with bits of HTML in it (``25<sup>th</sup>``, ``<a href="mailto:…">``,
``## Dear …``). Headings become bold paragraphs (a letter's headings must not enter the report's
outline; a salutation marked as a heading becomes a plain paragraph), lists stay lists, links stay links,
superscripts stay superscripts, and no markup is left visible.
"""
from __future__ import annotations

import html
import re

from .markdown import escape

_INLINE = re.compile(
    r"<sup>(?P<sup>.*?)</sup>|<sub>(?P<sub>.*?)</sub>"
    r"|<a\s[^>]*?href\s*=\s*[\"'](?P<href>[^\"']+)[\"'][^>]*>(?P<label>.*?)</a>"
    r"|(?P<br><br\s*/?>)|<(?P<strong>/?(?:strong|b))>|<(?P<em>/?(?:em|i))>"
    r"|</?(?:p|span|div|u|font|o:p)(?:\s[^>]*)?>",
    re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*•]|\d{1,2}[.)])[ \t]+(?P<text>\S.*)$")
_SALUTATION = re.compile(r"^(?:Dear|To)\b", re.IGNORECASE)
_MARKUP = re.compile(r"^#{1,6}[ \t]|<(?:sup|sub|a\s|br|strong|em|b|i|p)\b|^[ \t]*[-*•][ \t]+\S", re.IGNORECASE | re.M)


def _literal(text: str, escaped: bool) -> str:
    text = html.unescape(text)
    if not escaped:
        return text
    lead = text[:len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    value = escape(text)
    return (" " if lead else "") + value + (" " if trail and value else "")


def inline(text: str, *, escaped: bool) -> str:
    """One line (or paragraph) of letter text with its HTML bits as Markdown; ``escaped``: the rest is
    plain text (a .txt letter), so Markdown characters in it are escaped."""
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(_literal(text[position:match.start()], escaped))
        position = match.end()
        if match["sup"] is not None or match["sub"] is not None:
            mark = "^" if match["sup"] is not None else "~"
            value = _literal((match["sup"] if match["sup"] is not None else match["sub"]).strip(), True)
            out.append(mark + value.replace(" ", "\\ ") + mark if value else "")
        elif match["href"] is not None:
            href = html.unescape(match["href"]).strip()
            label = html.unescape(re.sub(r"<[^>]+>", "", match["label"])).strip()
            address = href.removeprefix("mailto:")
            out.append(f"<{address}>" if label in ("", address, href) and re.match(r"[\w.+-]+@|https?://", address)
                       else f"[{_literal(label, True)}]({href})")
        elif match["br"]:
            out.append("\\\n")
        elif match["strong"]:
            out.append("**")
        elif match["em"]:
            out.append("*")
    out.append(_literal(text[position:], escaped))
    return "".join(out).strip()


def _heading(text: str, escaped: bool) -> str:
    value = inline(text.strip().strip("*").strip(), escaped=escaped)
    return value if _SALUTATION.match(value) else f"**{value}**"


def markdown_letter(text: str) -> str:
    """A Markdown letter: its own headings as bold paragraphs, HTML bits as Markdown."""
    lines = []
    for line in text.strip().splitlines():
        heading = _HEADING.match(line)
        lines.append(_heading(heading["text"], False) if heading else
                     (inline(line, escaped=False) if _INLINE.search(line) else line))
    return "\n".join(lines).strip()


def text_letter(text: str) -> str:
    """A plain-text letter: its line breaks kept (addresses, sign-off); lists, headings and HTML bits
    that text copied from a web page carries rendered as they were meant."""
    blocks: list[str] = []
    for paragraph in (p for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()):
        lines: list[str] = []  # the paragraph's plain lines (joined by hard breaks)
        items: list[str] = []
        in_item = False

        def flush() -> None:
            if lines:
                blocks.append("  \\\n".join(lines))
                lines.clear()

        for line in paragraph.splitlines():
            if not line.strip():
                continue
            heading = _HEADING.match(line)
            item = _ITEM.match(line)
            if heading:
                flush()
                blocks.append(_heading(heading["text"], True))
                in_item = False
            elif item:
                flush()
                marker = "-" if not item["marker"][0].isdigit() else item["marker"][:-1] + "."
                items.append(f"{marker} {inline(item['text'], escaped=True)}")
                in_item = True
            elif in_item and line[:1] in " \t":  # an item's wrapped line
                items[-1] += " " + inline(line, escaped=True)
            else:
                if items:
                    blocks.append("\n".join(items))
                    items.clear()
                in_item = False
                lines.append(inline(line, escaped=True))
        flush()
        if items:
            blocks.append("\n".join(items))
    return "\n\n".join(blocks)


def has_markup(text: str) -> bool:
    """Whether a .txt letter carries Markdown or HTML (headings, list markers, tags)."""
    return bool(_MARKUP.search(text))
