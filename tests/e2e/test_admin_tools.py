"""Admin tools through the real Application and the Bot API stand-in: /qr posters of the deep links."""

from __future__ import annotations

import io
import struct

import pytest

from tests.e2e.admin_helpers import ADMIN, CITIZEN, admin_settings
from tests.e2e.harness import running_bot
from tests.standin import BotApiStandIn

zxingcpp = pytest.importorskip("zxingcpp", reason="the QR decoder of the test extra")
Image = pytest.importorskip("PIL.Image", reason="Pillow comes with the test extra (matplotlib)")


def decode_qr(png: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


async def test_qr_decodes_back_to_the_deep_link_of_the_topic(server: BotApiStandIn, sqlite_url: str) -> None:
    settings = admin_settings(server, sqlite_url, department_name="Sở Khoa học và Công nghệ tỉnh Tây Ninh")
    async with running_bot(settings):
        server.inject_message("/qr khenthuong", chat_id=ADMIN)
        sent = await server.wait_for(chat_id=ADMIN, method="sendDocument")
        [upload] = sent.files.values()
        assert upload.filename == "qr-khenthuong.png"
        png = upload.data
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert width == height >= 1200  # sized for print: about 10 cm at 300 dpi
        link = f"https://t.me/{server.bot_username}?start=khenthuong"
        assert decode_qr(png) == [link]
        caption = sent.plain_text
        assert caption.startswith("Sở Khoa học và Công nghệ tỉnh Tây Ninh\n")  # the name under the code
        assert link in caption and "chỉ tin khen thưởng" in caption

        server.inject_message("/qr", chat_id=ADMIN, language_code="en")
        plain = await server.wait_for(lambda m: m.method == "sendDocument" and m is not sent, chat_id=ADMIN)
        [upload] = plain.files.values()
        assert decode_qr(upload.data) == [f"https://t.me/{server.bot_username}"]


async def test_qr_refuses_an_unknown_topic_and_a_citizen(server: BotApiStandIn, sqlite_url: str) -> None:
    async with running_bot(admin_settings(server, sqlite_url)):
        server.inject_message("/qr sukien", chat_id=ADMIN)
        usage = await server.wait_for(chat_id=ADMIN, method="sendMessage")
        assert "khenthuong" in usage.plain_text and "/qr" in usage.plain_text
        server.inject_message("/qr khenthuong", chat_id=CITIZEN)
        refusal = await server.wait_for(chat_id=CITIZEN, method="sendMessage")
        assert "quản trị viên" in refusal.plain_text
        assert server.calls("sendDocument") == []


NEW_ADMIN_COMMANDS = ("addfeed", "removefeed", "opml", "qr")


async def test_the_new_admin_commands_are_in_the_admin_menus_and_help_in_both_languages(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)):
        menus = [c for c in server.calls("setMyCommands") if c.params["scope"].get("chat_id") == ADMIN]
        assert {c.params.get("language_code") for c in menus} == {None, "en"}
        for menu in menus:
            assert set(NEW_ADMIN_COMMANDS) <= {cmd["command"] for cmd in menu.params["commands"]}
        citizen_menus = [c for c in server.calls("setMyCommands") if "chat_id" not in c.params["scope"]]
        assert all(cmd["command"] != "addfeed" for c in citizen_menus for cmd in c.params["commands"])
        for language, heading in (("vi", "Thêm nguồn tin"), ("en", "Add a feed")):
            server.inject_message("/help", chat_id=ADMIN, language_code=language)
            helped = await server.wait_for(chat_id=ADMIN, contains=heading)
            for name in NEW_ADMIN_COMMANDS:
                assert f"/{name} — " in helped.plain_text
