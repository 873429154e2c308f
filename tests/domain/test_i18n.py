"""Message catalogs: every user-facing string exists in Vietnamese and English, with the same
placeholders, and the code shows users only catalog text."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from bot.app import CITIZEN_COMMANDS
from bot.i18n import LANGUAGES, catalog, t
from tests.codes import internal_codes

BOT = Path(__file__).resolve().parents[2] / "bot"
SENDS = {
    "reply_text", "reply_html", "reply_markdown", "edit_message_text", "edit_message_caption",
    "send_message", "send_photo", "answer", "answer_callback_query", "reply_photo",
}  # fmt: skip


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems(key: str, entry: dict[str, str]) -> list[str]:
    """What is wrong with one catalog entry: a language missing or empty, placeholders that differ."""
    found = [f"{key}: no {lang} text" for lang in LANGUAGES if not entry.get(lang, "").strip()]
    if not found and placeholders(entry["vi"]) != placeholders(entry["en"]):
        found.append(f"{key}: placeholders differ")
    return found


@pytest.mark.parametrize("key", sorted(catalog()))
def test_every_message_has_vietnamese_and_english_with_the_same_placeholders(key: str) -> None:
    assert problems(key, catalog()[key]) == []


def test_a_missing_or_different_english_translation_is_caught() -> None:
    assert problems("x", {"vi": "Xin chào {name}"}) == ["x: no en text"]
    assert problems("x", {"vi": "Xin chào {name}", "en": "  "}) == ["x: no en text"]
    assert problems("x", {"vi": "Xin chào {name}", "en": "Hello"}) == ["x: placeholders differ"]


def test_the_command_menu_is_translated() -> None:
    for name in CITIZEN_COMMANDS:
        vi, en = t(f"cmd_{name}", "vi"), t(f"cmd_{name}", "en")
        assert vi and en and 3 <= len(en) <= 256


def _modules() -> list[Path]:
    return sorted([*(BOT / "handlers").glob("*.py"), *(BOT / "services").glob("*.py")])


def _literal_text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return None


def user_literals(source: str) -> list[str]:
    """String literals with words passed as the text of a message, an edit or a callback answer."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in SENDS:
            continue
        args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg in ("text", "caption")]
        for arg in args:
            text = _literal_text(arg)
            if text is not None and any(ch.isalpha() for ch in text):
                found.append(text)
    return found


def test_the_literal_check_catches_a_hardcoded_reply() -> None:
    assert user_literals('async def f(m):\n    await m.reply_text("Xin chào bạn")') == ["Xin chào bạn"]
    assert user_literals('async def f(q):\n    await q.answer(text=f"Đã lưu {x}")') == ["Đã lưu "]
    assert user_literals('async def f(m):\n    await m.reply_text(t("welcome", "vi"))') == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_handlers_and_services_show_users_only_catalog_text(path: Path) -> None:
    assert user_literals(path.read_text(encoding="utf-8")) == []


def test_every_catalog_key_named_in_the_code_exists() -> None:
    known = catalog()
    missing = []
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value not in known
            ):
                missing.append(f"{path.name}: {node.args[0].value}")
    assert missing == []


def test_the_code_check_catches_what_a_clerk_should_never_read() -> None:
    assert internal_codes("Chủ đề: all 7, awards 1") == ["all", "awards"]
    assert internal_codes("• Nguồn A: not_modified, 0 bài mới") == ["not_modified"]
    assert internal_codes("10:00 · 900 · <b>broadcast_cancel</b> #3") == ["broadcast_cancel"]
    assert internal_codes("Trạng thái: sending") == ["sending"]
    assert internal_codes("Gõ /cancel_broadcast để dừng, <code>/follow từ khóa</code>, {n} tin") == []
    assert internal_codes("🇬🇧 English · Telegram · bot · CSV") == []


@pytest.mark.parametrize("key", sorted(catalog()))
def test_no_vietnamese_text_contains_an_internal_code(key: str) -> None:
    assert internal_codes(catalog()[key]["vi"]) == []


def test_a_count_of_one_reads_in_the_singular() -> None:
    assert t("set_ok_feeds", "en", n=1) == "✅ Saved: 1 category chosen."
    assert t("set_ok_feeds", "en", n=2) == "✅ Saved: 2 categories chosen."
    assert t("digest_heading_daily", "en", date="29/11/2026", n=1).endswith("1 article")
    assert t("admin_audit_recipients", "vi", n=1) == " · 1 người nhận"
