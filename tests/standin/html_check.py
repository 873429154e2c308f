"""Validator for Telegram's HTML parse mode (pure functions, no I/O).

Follows the rules of Telegram's parser (tdlib ``parse_html``) for tags, attributes and
error messages ("Unsupported start tag "div" at byte offset 12", ...), and is stricter
than Telegram in one respect when ``strict=True`` (the default): a raw ``>`` or a ``&``
that does not start one of ``&lt; &gt; &amp; &quot; &#NN; &#xHH;`` is an error. Telegram
itself shows such characters literally, which usually means the bot forgot to escape
something (``&nbsp;`` appears verbatim to users), so the stand-in rejects them.

Offsets in the returned entities are in UTF-16 code units, like the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ALLOWED_TAGS",
    "HtmlParseError",
    "ParsedHtml",
    "check_html",
    "parse_html",
    "utf16_len",
]

#: Start tag name -> entity type ("" means resolved from attributes/context).
ALLOWED_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,10})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z][a-zA-Z0-9]*));")


class HtmlParseError(ValueError):
    """Raised for text Telegram would answer with "Bad Request: can't parse entities: <reason>"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParsedHtml:
    """Visible text (tags stripped, entities decoded) and the Bot API entities it carries."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    byte_offset: int
    start16: int
    attrs: dict[str, str]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (the unit of Bot API entity offsets)."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, index: int) -> tuple[str, int] | None:
    """Decode the character reference at ``text[index]`` ('&'); None if not a supported one."""
    match = _ENTITY_RE.match(text, index)
    if match is None:
        return None
    dec, hexa, name = match.groups()
    if name is not None:
        value = _NAMED_ENTITIES.get(name)
        if value is None:
            return None
        return value, match.end()
    code = int(dec) if dec is not None else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def _is_space(ch: str) -> bool:
    return ch in " \t\r\n\f\v"


def _parse_attributes(text: str, i: int, tag: str, tag_offset: int) -> tuple[dict[str, str], int]:
    """Parse attributes starting at ``i`` up to and including the closing '>'."""
    n = len(text)
    attrs: dict[str, str] = {}
    while True:
        while i < n and _is_space(text[i]):
            i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {tag_offset}")
        if text[i] == ">":
            return attrs, i + 1
        if text[i] == "/" and i + 1 < n and text[i + 1] == ">":
            raise HtmlParseError(f'Unsupported self-closing tag "{tag}" at byte offset {tag_offset}')
        start = i
        while i < n and not _is_space(text[i]) and text[i] not in "=>":
            i += 1
        name = text[start:i].lower()
        if not name:
            raise HtmlParseError(f'Empty attribute name in the tag "{tag}" at byte offset {tag_offset}')
        while i < n and _is_space(text[i]):
            i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {tag_offset}")
        if text[i] != "=":
            # Value-less attribute, e.g. <blockquote expandable>.
            attrs[name] = ""
            continue
        i += 1
        while i < n and _is_space(text[i]):
            i += 1
        if i >= n:
            raise HtmlParseError(
                f'Unclosed value of attribute "{name}" at byte offset {_byte_offset(text, i)}'
            )
        quote = text[i]
        if quote in "\"'":
            end = text.find(quote, i + 1)
            if end == -1:
                raise HtmlParseError(
                    f'Unclosed value of attribute "{name}" at byte offset {_byte_offset(text, i)}'
                )
            raw = text[i + 1 : end]
            i = end + 1
        else:
            start = i
            while i < n and not _is_space(text[i]) and text[i] != ">":
                i += 1
            raw = text[start:i]
        attrs[name] = _decode_attribute(raw)


def _decode_attribute(raw: str) -> str:
    if "&" not in raw:
        return raw
    out: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "&":
            decoded = _decode_entity(raw, i)
            if decoded is not None:
                out.append(decoded[0])
                i = decoded[1]
                continue
        out.append(raw[i])
        i += 1
    return "".join(out)


def _check_start_tag(tag: str, attrs: dict[str, str], offset: int) -> None:
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if tag == "a" and not attrs.get("href"):
        raise HtmlParseError(f'Tag "a" must have attribute "href" at byte offset {offset}')
    if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
        raise HtmlParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}')


def _make_entity(tag: _OpenTag, end16: int, stack: list[_OpenTag]) -> dict[str, Any] | None:
    length = end16 - tag.start16
    if length <= 0:
        return None
    entity: dict[str, Any] = {"type": ALLOWED_TAGS[tag.name], "offset": tag.start16, "length": length}
    if tag.name == "a":
        entity["url"] = tag.attrs["href"]
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "code" and stack and stack[-1].name == "pre":
        language = tag.attrs.get("class", "")
        if language.startswith("language-"):
            # Telegram folds <pre><code class="language-x"> into one pre entity with a language.
            stack[-1].attrs["__language"] = language[len("language-") :]
        return None
    elif tag.name == "pre" and tag.attrs.get("__language"):
        entity["language"] = tag.attrs["__language"]
    return entity


def parse_html(text: str, *, strict: bool = True) -> ParsedHtml:
    """Parse Telegram HTML; raise :class:`HtmlParseError` where Telegram (or strict mode) would."""
    out: list[str] = []
    pos16 = 0
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_entity(text, i)
            if decoded is None:
                if strict:
                    match = re.match(r"&#?[a-zA-Z0-9]*;?", text[i:])
                    shown = match.group(0) if match else "&"
                    if shown == "&" or not shown.endswith(";"):
                        raise HtmlParseError(f'Unescaped "&" at byte offset {_byte_offset(text, i)}')
                    raise HtmlParseError(
                        f'Unsupported HTML entity "{shown}" at byte offset {_byte_offset(text, i)}'
                    )
                out.append("&")
                pos16 += 1
                i += 1
                continue
            value, i = decoded
            out.append(value)
            pos16 += utf16_len(value)
            continue
        if ch == ">" and strict:
            raise HtmlParseError(f'Unescaped ">" at byte offset {_byte_offset(text, i)}')
        if ch != "<":
            out.append(ch)
            pos16 += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue

        begin = i
        offset = _byte_offset(text, begin)
        i += 1
        if i < n and text[i] == "/":
            end = text.find(">", i)
            if end == -1:
                raise HtmlParseError(f"Unclosed end tag at byte offset {offset}")
            name = text[i + 1 : end].strip().lower()
            i = end + 1
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {offset}")
            top = stack.pop()
            if top.name != name:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", found "</{name}>"'
                )
            entity = _make_entity(top, pos16, stack)
            if entity is not None:
                entities.append(entity)
            continue

        start = i
        while i < n and not _is_space(text[i]) and text[i] != ">":
            i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {offset}")
        name = text[start:i].lower()
        if name not in ALLOWED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
        attrs, i = _parse_attributes(text, i, name, offset)
        _check_start_tag(name, attrs, offset)
        stack.append(_OpenTag(name=name, byte_offset=offset, start16=pos16, attrs=attrs))

    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedHtml(text="".join(out), entities=entities)


def check_html(text: str, *, strict: bool = True) -> str | None:
    """Return the parse error reason, or None when ``text`` is valid Telegram HTML."""
    try:
        parse_html(text, strict=strict)
    except HtmlParseError as exc:
        return exc.reason
    return None
