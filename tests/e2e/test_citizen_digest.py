"""Daily digests end to end: chosen in the menu, sent once at the chosen local hour, awards first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import ManualClock
from tests.e2e.citizen_support import START, article, command, news, press, publish, settle, start
from tests.e2e.harness import make_settings, running_bot
from tests.standin import BotApiStandIn

USER = 911


async def test_the_daily_digest_arrives_once_at_the_chosen_hour(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)  # 10:00 local
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER)
        menu = await command(server, USER, "/settings")
        await press(server, USER, "s||menu|mode", menu.message_id)
        daily = await press(server, USER, "s||m|daily", menu.message_id)
        assert "Đã lưu: bản tin hằng ngày" in daily.plain_text
        later = await press(server, USER, "s||h|17", menu.message_id)
        later = await press(server, USER, "s||h|18", menu.message_id)  # the ▶ button after 17:00
        assert "s||h|19" in later.callback_data
        later = await press(server, USER, "s||h|19", menu.message_id)
        assert "bản tin hằng ngày lúc 19:00" in later.plain_text

        clock.advance(hours=1)
        await publish(
            svc,
            clock,
            article("Hội nghị chuyển đổi số"),
            article("Tặng Bằng khen cho 5 tập thể", award=True),
            article("Tập huấn an toàn thông tin"),
        )
        await settle()
        assert news(server, USER) == []  # nothing instantly: a digest reader waits

        clock.set(START + timedelta(hours=8, minutes=59))  # 18:59 local
        assert await svc.digests.run_due() == 0
        clock.set(START + timedelta(hours=9))  # 19:00 local
        assert await svc.digests.run_due() == 1
        digest = await server.wait_for(chat_id=USER, contains="Bản tin ngày 26/11/2026")
        text = digest.plain_text
        assert "3 bài" in text
        assert text.index("Tặng Bằng khen") < text.index("Hội nghị chuyển đổi số")  # awards first
        assert "Tập huấn an toàn thông tin" in text

        clock.advance(minutes=1)
        assert await svc.digests.run_due() == 0  # once per day
        await svc.digests.run_due()
        clock.set(START + timedelta(days=1, hours=9))  # the next day at 19:00, nothing new
        assert await svc.digests.run_due() == 0
        await settle()
        assert len(news(server, USER)) == 1


async def test_a_long_digest_is_split_cleanly_and_the_job_queue_sends_it(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER)
        menu = await command(server, USER, "/settings")
        await press(server, USER, "s||menu|mode", menu.message_id)
        await press(server, USER, "s||m|daily", menu.message_id)
        await press(server, USER, "s||h|12", menu.message_id)
        titles = [
            f"Bài số {n:02d}: " + "Sở Khoa học và Công nghệ tổ chức hội nghị tổng kết " * 3 for n in range(40)
        ]
        clock.advance(minutes=5)
        await publish(svc, clock, *(article(t) for t in titles))
        clock.set(
            START + timedelta(hours=2)
        )  # 12:00 local; the digest job (every 60 s, first after 5 s) finds it
        await server.wait_for_count(2, chat_id=USER, timeout=12, predicate=lambda m: "Bài số" in m.plain_text)
        await settle()
        parts = [m for m in server.messages_to(USER) if not m.is_edit and "Bài số" in m.plain_text]
        assert len(parts) >= 2 and all(len(p.plain_text) <= 4096 for p in parts)
        joined = "\n".join(p.plain_text for p in parts)
        for n in range(40):
            assert joined.count(f"Bài số {n:02d}:") == 1  # every article once, none cut in half
        assert parts[0].plain_text.startswith("📰 Bản tin ngày")


@pytest.mark.parametrize(
    ("language", "saved", "line"),
    [
        ("vi", "Đã lưu: bản tin hằng tuần gửi vào thứ Sáu", "bản tin hằng tuần, thứ Sáu lúc 07:00"),
        ("en", "Saved: the weekly digest comes on Fridays", "weekly digest, Fridays at 07:00"),
    ],
)
async def test_the_weekly_digest_comes_on_the_chosen_day(
    server: BotApiStandIn, sqlite_url: str, language: str, saved: str, line: str
) -> None:
    clock = ManualClock(START)  # Thursday 10:00 local
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER, language=language)
        menu = await command(server, USER, "/settings", language_code=language)
        await press(server, USER, "s||menu|mode", menu.message_id)
        weekly = await press(server, USER, "s||m|weekly", menu.message_id)
        days = [d for d in weekly.callback_data if d.startswith("s||w|")]
        assert days == [f"s||w|{d}" for d in range(7)]
        friday = await press(server, USER, "s||w|4", menu.message_id)
        assert saved in friday.plain_text and line in friday.plain_text
        clock.advance(hours=1)
        await publish(svc, clock, article("Tin trong tuần"))
        clock.set(START + timedelta(days=1, hours=-3, minutes=-1))  # Friday 06:59
        assert await svc.digests.run_due() == 0
        clock.set(START + timedelta(days=1, hours=-3))  # Friday 07:00
        assert await svc.digests.run_due() == 1
        digest = await server.wait_for(chat_id=USER, contains="Tin trong tuần")
        assert digest.plain_text.splitlines()[0].endswith(": 1 bài" if language == "vi" else ": 1 article")
        clock.set(START + timedelta(days=4, hours=-3))  # Monday 07:00: not the chosen day
        assert await svc.digests.run_due() == 0
