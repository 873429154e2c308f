"""The site's categories end to end: read from the article links of a local NukeViet site, named by the
article pages' breadcrumbs, chosen in /settings (Vietnamese and English), obeyed by the delivery; a feed is
named readably before its first poll; a chat that chose whole feeds keeps receiving them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.app import Services
from bot.clock import ManualClock
from tests.codes import internal_codes
from tests.e2e.citizen_support import command, press, settle, start
from tests.e2e.harness import make_settings, running_bot
from tests.e2e.site import FEED_PATH, NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

START = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Tây Ninh
ADMIN = 9001


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


async def poll(svc: Services, clock: ManualClock) -> None:
    clock.advance(minutes=11)
    await svc.ingest.poll_due()


def received(server: BotApiStandIn, chat_id: int, title: str) -> bool:
    return any(title in m.plain_text for m in server.messages_to(chat_id) if not m.is_edit)


TEXTS = {
    "vi": {
        "empty": "sẽ hiện ở đây khi có bài đầu tiên",
        "saved": "Đã lưu: Quý vị nhận tin của 1 chuyên mục đã chọn",
        "line": "các chuyên mục: Thông báo",
        "two": "Đã lưu: Quý vị nhận tin của 2 chuyên mục đã chọn",
        "feed": "Tình trạng nguồn tin",
    },
    "en": {
        "empty": "appear here once their first articles arrive",
        "saved": "Saved: you receive the news of 1 chosen category.",
        "line": "categories: Thông báo",
        "two": "Saved: you receive the news of 2 chosen categories.",
        "feed": "Feed health",
    },
}


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_categories_are_the_sites_own_named_by_its_pages_and_chosen_in_settings(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str, language: str
) -> None:
    user, words = 951, TEXTS[language]
    site.publish(301, "Lịch tiếp công dân tháng 11", category="thong-bao", category_name="Thông báo")
    site.publish(302, "Hội thảo chuyển đổi số", category="chuyen-doi-so", category_name="Chuyển đổi số")
    category_feed = site.server.url("/vi/news/rss/thong-bao/")
    site.server.set(FEED_PATH, b"", status=503)  # the site is down when the bot starts
    settings = make_settings(
        server,
        sqlite_url,
        feeds=[],
        feed_urls=f"Tin tức của Sở={site.feed_url}, {category_feed}",
        admin_ids=[ADMIN],
        poll_interval_seconds=600,
        poll_jitter_fraction=0,
    )
    clock = ManualClock(START)
    async with running_bot(settings, clock) as svc:
        # before any poll: the feeds have readable names (the configured one, else site › category)
        feeds = await command(server, ADMIN, "/feeds", language_code=language)
        host = site.server.url("").split("//", 1)[1].rstrip("/")
        assert words["feed"] in feeds.plain_text
        assert "Tin tức của Sở" in feeds.plain_text and f"{host} › thong-bao" in feeds.plain_text
        assert "http" not in feeds.plain_text

        await start(server, user, language=language)
        menu = await command(server, user, "/settings", language_code=language)
        topics = await press(server, user, "s||menu|topics", menu.message_id)
        assert words["empty"] in topics.plain_text
        assert not any("|c|" in data for data in topics.callback_data)

        site.refresh()
        await poll(svc, clock)  # the first good poll archives the backlog without sending it
        site.publish(303, "Thông báo nghỉ Tết", category="thong-bao", category_name="Thông báo")
        await poll(svc, clock)
        await server.wait_for(chat_id=user, contains="Thông báo nghỉ Tết")  # "all news" until chosen

        topics = await press(server, user, "s||menu|topics", menu.message_id)
        labels = [b["text"] for b in topics.buttons]
        assert "⬜ Thông báo" in labels  # its name, from the page's breadcrumb
        assert "⬜ Chuyen doi so" in labels  # only the link seen so far: its alias in words
        assert not any("Tin tức của Sở" in label for label in labels)  # categories, not feeds
        chosen = await press(server, user, "s||c|thong-bao", menu.message_id)
        assert words["saved"] in chosen.plain_text and words["line"] in chosen.plain_text
        assert "☑️ Thông báo" in [b["text"] for b in chosen.buttons]
        if language == "vi":
            assert internal_codes(chosen.text or "") == []
        mine = await command(server, user, "/mydata", language_code=language)
        assert words["line"] in mine.plain_text  # /mydata names the chosen category too

        site.publish(304, "Tập huấn chuyển đổi số", category="chuyen-doi-so", category_name="Chuyển đổi số")
        site.publish(305, "Thông báo tuyển dụng", category="thong-bao", category_name="Thông báo")
        await poll(svc, clock)
        await server.wait_for(chat_id=user, contains="Thông báo tuyển dụng")
        await settle()
        assert not received(server, user, "Tập huấn chuyển đổi số")

        both = await press(server, user, "s||c|chuyen-doi-so", menu.message_id)
        assert words["two"] in both.plain_text
        assert "☑️ Chuyển đổi số" in [b["text"] for b in both.buttons]  # named once a page was read
        chat = await svc.store.chats.get_chat(user)
        assert chat is not None and (chat.topics, chat.categories) == (
            "categories",
            "chuyen-doi-so,thong-bao",
        )


async def test_a_chat_that_chose_whole_feeds_keeps_receiving_them(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    user = 952
    site.publish(401, "Tin cũ", category="thong-bao", category_name="Thông báo")
    settings = make_settings(
        server,
        sqlite_url,
        feeds=[],
        feed_urls=f"Tin tức của Sở={site.feed_url}",
        poll_interval_seconds=600,
        poll_jitter_fraction=0,
    )
    clock = ManualClock(START)
    async with running_bot(settings, clock) as svc:
        await start(server, user)
        [feed] = await svc.store.feeds.list_feeds()
        await svc.store.chats.set_prefs(user, clock.now(), topics="feeds", feed_ids=str(feed.id))
        await svc.ingest.poll_due()
        site.publish(402, "Thông báo mới", category="thong-bao", category_name="Thông báo")
        site.publish(403, "Chuyển đổi số mới", category="chuyen-doi-so", category_name="Chuyển đổi số")
        await poll(svc, clock)
        await server.wait_for(chat_id=user, contains="Thông báo mới")
        await server.wait_for(chat_id=user, contains="Chuyển đổi số mới")
        menu = await command(server, user, "/settings")
        assert "tất cả tin của Tin tức của Sở" in menu.plain_text
        mine = await command(server, user, "/mydata")
        assert "tất cả tin của Tin tức của Sở" in mine.plain_text
        topics = await press(server, user, "s||menu|topics", menu.message_id)
        labels = [b["text"] for b in topics.buttons]
        assert "☑️ Tin tức của Sở" in labels and "⬜ Thông báo" in labels
        # choosing a category replaces the old choice of the whole feed
        chosen = await press(server, user, "s||c|thong-bao", menu.message_id)
        assert "các chuyên mục: Thông báo" in chosen.plain_text
        assert not any("Tin tức của Sở" in b["text"] for b in chosen.buttons)
