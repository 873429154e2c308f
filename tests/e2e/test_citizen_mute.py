"""Mute words end to end: /mute, /unmute, the list with ❌ buttons; whole words, accents ignored, a mute
wins over a followed keyword, at most 20 per chat."""

from __future__ import annotations

from bot.clock import ManualClock
from tests.e2e.citizen_support import START, article, command, news, press, publish, settle, start
from tests.e2e.harness import make_settings, running_bot
from tests.standin import BotApiStandIn

USER = 721
OTHER = 722


async def test_a_muted_word_keeps_its_articles_away_until_unmuted(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER)
        await start(server, OTHER)
        await command(server, USER, "/follow xổ số")  # a followed keyword does not beat a mute
        muted = await command(server, USER, "/mute Xo so")
        assert "Đã chặn «Xo so»" in muted.plain_text and "• Xo so" in muted.plain_text
        assert muted.callback_data == ["mu|Xo so"]
        again = await command(server, USER, "/mute xổ số")
        assert "đã chặn «xổ số» rồi" in again.plain_text
        await publish(
            svc,
            clock,
            article("Kết quả XỔ SỐ kiến thiết Tây Ninh"),  # muted, accents and case aside
            article("Khai trương Trung tâm Xoso Tây Ninh"),  # "xoso" is another word
        )
        await server.wait_for(chat_id=OTHER, contains="Khai trương Trung tâm Xoso")
        await server.wait_for(chat_id=USER, contains="Khai trương Trung tâm Xoso")
        await settle()
        mine = " ".join(m.plain_text for m in news(server, USER))
        assert "Kết quả XỔ SỐ" not in mine
        assert "Kết quả XỔ SỐ" in " ".join(m.plain_text for m in news(server, OTHER))  # only this chat

        listed = await command(server, USER, "/mute")
        assert "Từ đang chặn (1)" in listed.plain_text
        unmuted = await press(server, USER, "mu|Xo so", listed.message_id)
        assert "Đã bỏ chặn «Xo so»" in unmuted.plain_text and "chưa chặn từ nào" in unmuted.plain_text
        assert await svc.store.chats.list_mutes(USER) == []
        await publish(svc, clock, article("Kết quả xổ số ngày mới"))
        await server.wait_for(chat_id=USER, contains="Kết quả xổ số ngày mới")


async def test_mute_words_are_whole_words_and_bounded(server: BotApiStandIn, sqlite_url: str) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER, language="en")
        await command(server, USER, "/mute an", language_code="en")
        await publish(svc, clock, article("An toàn thực phẩm"), article("Lễ khánh thành nhà văn hóa"))
        await server.wait_for(chat_id=USER, contains="Lễ khánh thành")  # "an" inside "khánh", "thành", "văn"
        await settle()
        assert not any("An toàn thực phẩm" in m.plain_text for m in news(server, USER))  # "An" is a word here

        await command(server, USER, "/unmute an", language_code="en")
        await command(server, USER, "/mute .*", language_code="en")  # no pattern: nothing left to mute
        assert await svc.store.chats.list_mutes(USER) == []
        await publish(svc, clock, article("Hội nghị toàn tỉnh"))
        await server.wait_for(chat_id=USER, contains="Hội nghị toàn tỉnh")  # "an" no longer muted

        for n in range(20):
            await command(server, USER, f"/mute tu {n}", language_code="en")
        full = await command(server, USER, "/mute one more", language_code="en")
        assert "at most 20 words" in full.plain_text
        assert len(await svc.store.chats.list_mutes(USER)) == 20
