"""Telegram counts a message's length in UTF-16 code units: every emoji outside the basic plane counts two.
Emoji-heavy award announcements and digests are filled up to the limit and accepted at the first try by a
stand-in that counts like Telegram."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.domain.models import Article, AwardInfo, Kind, Recipient, Stage
from tests.e2e.citizen_support import START, article, command, press, publish, settle, start
from tests.e2e.harness import make_settings, running_bot
from tests.standin import BotApiStandIn
from tests.standin.html_check import utf16_len

USER = 4242
POSTS = ("sendPhoto", "sendMessage")


def emoji_award(n: int, *, image: str | None) -> Article:
    sentences = [f"Tập thể số {k} 🏅🎖 nhận Bằng khen 🏆 của Chủ tịch UBND tỉnh 🎉👏." for k in range(1, 200)]
    return Article(
        key=f"news_{9000 + n}",
        link=f"https://sokhcn.tayninh.gov.vn/vi/news/thi-dua/khen-thuong-{n}.html",
        title=f"🏅 Khen thưởng 🎖 năm 2026 số {n} 🎉",
        lead="Khen thưởng.",
        body="",
        image=image,
        published=START,
        summary=" ".join(sentences),
        kind=Kind.AWARD,
        award=AwardInfo(
            stage=Stage.CONFERRED,
            kinds=("Bằng khen 🏅", "Giấy khen 🎖"),
            authorities=("Chủ tịch UBND tỉnh 🏛",),
            recipients=tuple(Recipient(f"Nguyễn Văn {k} 🌟", "Chuyên viên 💼") for k in range(8)),
            collectives=9,
            individuals=12,
            decision="1234/QĐ-UBND",
        ),
    )


def send_results(server: BotApiStandIn, chat_id: int) -> list[str]:
    return [
        "ok" if r.ok else f"{r.status} {r.description}"
        for r in server.requests
        if r.method in POSTS and str(r.chat_id) == str(chat_id)
    ]


async def test_emoji_heavy_award_messages_fill_the_limit_and_are_accepted_at_once(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER)
        before = len(send_results(server, USER))
        await publish(svc, clock, emoji_award(1, image=None), emoji_award(2, image="https://x.vn/2.jpg"))
        got = await server.wait_for_count(
            2, chat_id=USER, predicate=lambda m: "Khen thưởng 🎖" in m.plain_text, timeout=10
        )
        await settle(0.3)
    assert send_results(server, USER)[before:] == ["ok", "ok"]  # never "too long", never shortened
    text, caption = sorted(got, key=lambda m: m.photo is not None)
    for message, limit in ((text, 4096), (caption, 1024)):
        shown = message.plain_text
        assert limit - 120 <= utf16_len(shown) <= limit  # filled up to Telegram's count …
        assert len(shown) < utf16_len(shown) - 50  # … which counts the many emoji twice
        assert (
            shown.startswith("🏅 Khen thưởng 🎖 năm 2026") and "…" not in shown
        )  # headline first, cut at a sentence
        assert any(
            b.get("url", "").startswith("https://sokhcn.tayninh.gov.vn/") for b in message.buttons
        )  # link kept


async def test_emoji_heavy_digest_is_split_at_the_utf16_limit_and_accepted_at_once(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER)
        menu = await command(server, USER, "/settings")
        await press(server, USER, "s||menu|mode", menu.message_id)
        await press(server, USER, "s||m|daily", menu.message_id)
        await press(server, USER, "s||h|12", menu.message_id)
        titles = [f"Bài {n:02d} 🎉🏅🎖🏆👏🌟 " + "Hội nghị 📣 tổng kết 🗓 " * 4 for n in range(60)]
        clock.advance(minutes=5)
        await publish(svc, clock, *(article(t, award=n % 7 == 0) for n, t in enumerate(titles)))
        before = len(send_results(server, USER))
        clock.set(START + timedelta(hours=2))  # 12:00 local
        assert await svc.digests.run_due() == 1
        svc.sender.wake()
        await server.wait_for_count(2, chat_id=USER, timeout=12, predicate=lambda m: "Bài " in m.plain_text)
        await settle(1.0)
    parts = [m for m in server.messages_to(USER) if not m.is_edit and "Bài " in m.plain_text]
    results = send_results(server, USER)[before:]
    assert results == ["ok"] * len(parts) and len(parts) >= 3
    for part in parts:
        assert utf16_len(part.plain_text) <= 4096
    assert utf16_len(parts[0].plain_text) > 4096 - 250  # full, not split early
    assert len(parts[0].plain_text) < utf16_len(parts[0].plain_text) - 300  # emoji count twice
    joined = "\n".join(p.plain_text for p in parts)
    for n in range(60):
        assert joined.count(f"Bài {n:02d} ") == 1
