"""Look-ups and keyword alerts end to end: /latest, /awards, /search with paging, /follow, /unfollow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from tests.e2e.citizen_support import START, article, command, news, press, publish, settle, start
from tests.e2e.harness import make_settings, running_bot
from tests.e2e.site import DATA, NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

USER = 711


async def test_search_finds_khen_thuong_from_khen_thuong_without_accents(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await publish(
            svc,
            clock,
            article("Hội nghị chuyển đổi số năm 2026", body="Không nhắc tới giải thưởng."),
            article("Sơ kết công tác thi đua", body="Đề nghị khen thưởng cho 3 tập thể."),
            article("Công tác Khen thưởng năm 2026", body="Tổng kết công tác khen thưởng."),
        )
        found = await command(server, USER, "/search khen thuong")
        text = found.plain_text
        assert "2 bài có «khen thuong»" in text
        assert text.index("Công tác Khen thưởng năm 2026") < text.index(
            "Sơ kết công tác thi đua"
        )  # title first
        assert "Hội nghị chuyển đổi số" not in text
        assert "Trang" not in text and found.buttons == []  # one page: no page line
        nothing = await command(server, USER, "/search huân chương lao động")
        assert "Không tìm thấy" in nothing.plain_text
        usage = await command(server, USER, "/search")
        assert "/search khen thuong" in usage.plain_text


async def test_search_pages_with_prev_and_next_in_place(server: BotApiStandIn, sqlite_url: str) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        items = [
            article(f"Tin nông nghiệp công nghệ cao số {n}", published=START - timedelta(days=n))
            for n in range(7)
        ]
        await publish(svc, clock, *items)
        first = await command(server, USER, "/search nong nghiep")
        assert "7 bài" in first.plain_text and "Trang 1/2" in first.plain_text
        assert first.callback_data == ["q|1|nong nghiep"]
        second = await press(server, USER, "q|1|nong nghiep", first.message_id)
        assert "Trang 2/2" in second.plain_text and "6. " in second.plain_text and "7. " in second.plain_text
        assert second.callback_data == ["q|0|nong nghiep"]
        back = await press(server, USER, "q|0|nong nghiep", first.message_id)
        assert "Trang 1/2" in back.plain_text and "1. " in back.plain_text


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("vi", "🔎 1 bài có «Khen Thưởng»", "🔎 2 bài có «công nghệ cao»"),
        ("en", "🔎 1 article mentions “Khen Thưởng”", "🔎 2 articles mention “công nghệ cao”"),
    ],
)
async def test_search_echoes_the_words_as_typed_with_the_right_plural(
    server: BotApiStandIn, sqlite_url: str, language: str, one: str, many: str
) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await publish(
            svc,
            clock,
            article("Công tác khen thưởng năm 2026"),
            *[article(f"Nông nghiệp công nghệ cao {n}") for n in range(2)],
        )
        single = await command(server, USER, "/search   Khen  Thưởng", language_code=language)
        assert single.plain_text.startswith(one) and "Page" not in single.plain_text
        several = await command(server, USER, "/search công nghệ cao", language_code=language)
        assert several.plain_text.startswith(many)
        many_items = [
            article(f"Tin chuyển đổi số {n}", published=START - timedelta(days=n)) for n in range(7)
        ]
        await publish(svc, clock, *many_items)
        paged = await command(server, USER, "/search chuyển đổi số", language_code=language)
        assert paged.callback_data == ["q|1|chuyển đổi số"]  # the typed words travel in the button
        second = await press(server, USER, "q|1|chuyển đổi số", paged.message_id, language_code=language)
        assert "chuyển đổi số" in second.plain_text.splitlines()[0]
        assert ("Trang 2/2" if language == "vi" else "Page 2 of 2") in second.plain_text


async def test_latest_and_awards_list_the_newest(server: BotApiStandIn, sqlite_url: str) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        empty = await command(server, USER, "/awards")
        assert "Chưa có tin khen thưởng" in empty.plain_text
        await publish(
            svc,
            clock,
            article("Bài cũ hơn", published=START - timedelta(days=2)),
            article("Tặng Bằng khen cho Sở", award=True, published=START - timedelta(days=1)),
            article("Bài mới nhất", published=START),
        )
        latest = await command(server, USER, "/latest")
        text = latest.plain_text
        assert text.index("Bài mới nhất") < text.index("Tặng Bằng khen") < text.index("Bài cũ hơn")
        assert "26/11/2026 10:00" in text  # local time, Vietnamese format
        awards = await command(server, USER, "/awards")
        assert "Tặng Bằng khen cho Sở" in awards.plain_text and "Bài mới nhất" not in awards.plain_text


async def test_keyword_alerts_fire_on_accent_free_words_and_stop_after_unfollow(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER, "khenthuong")  # awards only: other news comes only through keywords
        added = await command(server, USER, "/follow chuyen doi so")
        assert "Đã theo dõi «chuyen doi so»" in added.plain_text and "• chuyen doi so" in added.plain_text
        again = await command(server, USER, "/follow Chuyển đổi số")
        assert "đã theo dõi «Chuyển đổi số» rồi" in again.plain_text
        await publish(
            svc, clock, article("Hội nghị Chuyển đổi số tỉnh Tây Ninh"), article("Tập huấn phòng cháy")
        )
        await server.wait_for(chat_id=USER, contains="Hội nghị Chuyển đổi số tỉnh Tây Ninh")
        await settle()
        assert not any("Tập huấn phòng cháy" in m.plain_text for m in news(server, USER))

        listed = await command(server, USER, "/following")
        assert "chuyen doi so" in listed.plain_text
        removed = await command(server, USER, "/unfollow chuyen doi so")
        assert "Đã bỏ theo dõi" in removed.plain_text and "chưa theo dõi từ khóa nào" in removed.plain_text
        await publish(svc, clock, article("Chuyển đổi số trong nông nghiệp"))
        await settle()
        assert not any("trong nông nghiệp" in m.plain_text for m in news(server, USER))


async def test_keyword_alerts_are_bounded(server: BotApiStandIn, sqlite_url: str) -> None:
    async with running_bot(make_settings(server, sqlite_url), ManualClock(START)) as svc:
        await start(server, USER)
        for n in range(10):
            await command(server, USER, f"/follow tu khoa {n}")
        full = await command(server, USER, "/follow mot tu nua")
        assert "tối đa 10 từ khóa" in full.plain_text
        assert len(await svc.store.chats.list_follows(USER)) == 10
        short = await command(server, USER, "/follow a")
        assert "từ 2 đến 64 ký tự" in short.plain_text


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


async def test_awards_only_subscribers_get_only_award_announcements(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    """The deep link t.me/<bot>?start=khenthuong, through the real feed, page and award detection."""
    awards_only, everything = 721, 722
    site.publish(1200, "Bài cũ")
    clock = ManualClock(START)
    settings = make_settings(
        server, sqlite_url, feeds=[{"url": site.feed_url}], poll_interval_seconds=600, poll_jitter_fraction=0
    )
    async with running_bot(settings, clock) as svc:
        welcome = await start(server, awards_only, "khenthuong")
        assert "tin khen thưởng" in welcome.plain_text
        await start(server, everything, "all")
        await svc.ingest.poll_due()
        site.publish(1233, "Hội nghị chuyển đổi số năm 2026")
        seed = (DATA / "pages" / "seed-article-1234.html").read_bytes()
        site.publish(1234, "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông", page=seed)
        clock.advance(minutes=11)
        await svc.ingest.poll_due()
        award = await server.wait_for(chat_id=awards_only, contains="Điển hình tiên tiến")
        assert (
            award.plain_text.startswith("Hội nghị Điển hình tiên tiến")
            and "🏅 KHEN THƯỞNG" in award.plain_text
        )
        await server.wait_for(chat_id=everything, contains="Hội nghị chuyển đổi số năm 2026")
        await server.wait_for(chat_id=everything, contains="Điển hình tiên tiến")
        await settle()
        got = news(server, awards_only)
        assert len(got) == 1 and "chuyển đổi số" not in got[0].plain_text
