"""All the pictures, the attachments and "Đọc toàn văn", end to end: a local NukeViet-like site, the real
bot, the Bot API stand-in and the bot's own web server, all over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.clock import ManualClock
from bot.settings import Settings
from tests.e2e.harness import free_port, make_settings, running_bot
from tests.e2e.site import NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn, SentMessage, too_many

USER = 611
ENGLISH = 612
START = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Tây Ninh: outside quiet hours
DECISION = "Quyết định số 12/QĐ-SKHCN khen thưởng"
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


def photo_page(site: NewsSite, news_id: int, title: str) -> bytes:
    """An article page as NukeViet serves it: header photo, two photos in the body, an icon, a photo on
    another host and the decision attached for download."""
    up = site.server.url(f"/uploads/news/{news_id}")
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>
<body><div class="news_column"><h1 class="title">{title}</h1>
<div class="newsdetailmetatop"><span class="h5">Thứ năm - 26/11/2026 09:00</span></div>
<div id="imgpreview" style="display:none"><img src="{up}-main.jpg"></div>
<figure class="article left"><img src="{up}-main-small.jpg">
<figcaption>Quang cảnh hội nghị</figcaption></figure>
<div class="hometext">Sáng 26/11, Sở tổ chức hội nghị tổng kết phong trào thi đua.</div>
<div id="news-bodyhtml" class="bodytext">
<p>Hội nghị có 120 đại biểu tham dự.</p>
<figure class="image"><img src="{up}-2.jpg" width="600"><figcaption>Trao giấy khen</figcaption></figure>
<p>Đoạn thứ hai nói về kết quả năm 2026.</p>
<p><img src="/images/pdf.png" width="16" height="16"> Xem quyết định bên dưới.</p>
<p><img src="https://cdn.example.com/other.jpg"></p>
<p style="text-align:center"><img src="{up}-3.jpg"></p>
<p>Đoạn cuối cùng của bài.</p></div>
<div class="list-group news-download-file">
<a href="/uploads/news/{news_id}/qd-12.pdf" title="Tải về qd-12.pdf" download>
Tải về: <strong>{DECISION}</strong></a>
</div></div></body></html>""".encode()


def settings_for(server: BotApiStandIn, site: NewsSite, url: str, port: int, **kw: Any) -> Settings:
    return make_settings(
        server,
        url,
        feeds=[{"url": site.feed_url}],
        poll_interval_seconds=600,
        poll_jitter_fraction=0,
        health_port=port,
        public_base_url=f"http://127.0.0.1:{port}",
        **kw,
    )


async def subscribed(server: BotApiStandIn, chat_id: int = USER, language: str = "vi") -> None:
    server.inject_message("/start", chat_id=chat_id, language_code=language)
    await server.wait_for(chat_id=chat_id, contains="Hello" if language == "en" else "Xin chào")


def posts(server: BotApiStandIn, chat_id: int = USER) -> list[SentMessage]:
    return [
        m for m in server.messages_to(chat_id) if m.method in ("sendPhoto", "sendMessage", "sendMediaGroup")
    ][1:]


def keyboard(message: SentMessage) -> list[tuple[str, str]]:
    return [(b["text"], b["url"]) for row in message.inline_keyboard for b in row]


async def publish_and_poll(site: NewsSite, svc: Any, clock: ManualClock, news_id: int, title: str) -> None:
    site.publish(news_id, title, page=photo_page(site, news_id, title))
    clock.advance(minutes=11)
    await svc.ingest.poll_due()


async def test_a_page_with_several_photos_is_one_album_with_its_links_in_the_caption(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    port = free_port()
    async with running_bot(settings_for(server, site, sqlite_url, port), clock) as svc:
        await subscribed(server)
        await svc.ingest.poll_due()  # the backlog is archived, not sent
        server.fail_next("sendMediaGroup", error=too_many(1))  # 429: waits, then the same album once
        await publish_and_poll(site, svc, clock, 200, "Hội nghị tổng kết thi đua năm 2026")
        await server.wait_for_request("sendMediaGroup", timeout=10)
        clock.advance(seconds=2)  # the retry_after has passed
        svc.sender.wake()
        album = await server.wait_for_count(3, timeout=10, chat_id=USER, method="sendMediaGroup")
        await asyncio.sleep(0.5)
    up = site.server.url("/uploads/news/200")
    assert [m.photo for m in album] == [f"{up}-main.jpg", f"{up}-2.jpg", f"{up}-3.jpg"]
    assert len(server.calls("sendMediaGroup")) == 2  # the 429, then one album: one delivery, one send
    assert len({m.result["media_group_id"] for m in album}) == 1
    first = album[0]
    assert first.plain_text.startswith("Hội nghị tổng kết thi đua năm 2026")
    assert "Sở tổ chức hội nghị" in first.plain_text
    assert all(m.caption is None for m in album[1:]) and all(not m.reply_markup for m in album)
    links = {e["url"] for e in first.entities if e["type"] == "text_link"}
    assert site.server.url("/vi/news/tin-hoat-dong/") in " ".join(links)
    assert f"http://127.0.0.1:{port}/bai/2" in links
    assert site.server.url("/uploads/news/200/qd-12.pdf") in links
    assert f"📎 {DECISION}" in first.plain_text and "Đọc toàn văn" in first.plain_text
    assert len(posts(server)) == 3  # the album's three photos and nothing else


async def test_a_refused_image_falls_back_to_one_photo_then_to_text_with_every_button(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    port = free_port()
    async with running_bot(settings_for(server, site, sqlite_url, port), clock) as svc:
        await subscribed(server)
        await svc.ingest.poll_due()
        server.refused_photo_urls.add(site.server.url("/uploads/news/201-3.jpg"))
        await publish_and_poll(site, svc, clock, 201, "Trao giấy khen cho tập thể")
        photo = await server.wait_for(chat_id=USER, method="sendPhoto", timeout=10)

        server.refused_photo_urls.add(site.server.url("/uploads/news/202-main.jpg"))
        await publish_and_poll(site, svc, clock, 202, "Tổng kết năm học")
        text = await server.wait_for(
            chat_id=USER, method="sendMessage", contains="Tổng kết năm học", timeout=10
        )
        await asyncio.sleep(0.5)
    assert photo.photo == site.server.url("/uploads/news/201-main.jpg")
    assert photo.plain_text.startswith("Trao giấy khen cho tập thể")
    buttons = keyboard(photo)
    assert buttons[0][0] == "📖 Đọc tiếp"
    assert buttons[1] == ("📰 Đọc toàn văn", f"http://127.0.0.1:{port}/bai/2")
    assert buttons[2] == (f"📎 {DECISION}", site.server.url("/uploads/news/201/qd-12.pdf"))
    assert keyboard(text)[1:] == [
        ("📰 Đọc toàn văn", f"http://127.0.0.1:{port}/bai/3"),
        (f"📎 {DECISION}", site.server.url("/uploads/news/202/qd-12.pdf")),
    ]
    assert [m.method for m in posts(server)] == ["sendPhoto", "sendMessage"]  # each article exactly once
    refused = [r for r in server.calls("sendMediaGroup") if r.status == 400]
    assert len(refused) == 2  # nothing of a refused album reached the chat


async def test_the_full_text_page_is_served_in_the_readers_language(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    port = free_port()
    async with (
        running_bot(settings_for(server, site, sqlite_url, port), clock) as svc,
        httpx.AsyncClient() as web,
    ):
        await subscribed(server)
        await subscribed(server, ENGLISH, "en")
        await svc.ingest.poll_due()
        server.refused_photo_urls.add(site.server.url("/uploads/news/203-2.jpg"))
        await publish_and_poll(site, svc, clock, 203, "Hội nghị chuyển đổi số")
        english = await server.wait_for(chat_id=ENGLISH, method="sendPhoto", timeout=10)
        [(_, url)] = [b for b in keyboard(english) if b[0] == "📰 Full text"]
        assert url == f"http://127.0.0.1:{port}/bai/2?hl=en"
        page_en = await web.get(url)
        page_vi = await web.get(url.removesuffix("?hl=en"))
        missing = await web.get(f"http://127.0.0.1:{port}/bai/999")
        await svc.store.articles.retract_article(2)
        withdrawn = await web.get(url)
    assert page_vi.status_code == 200 and page_vi.headers["content-type"].startswith("text/html")
    vi = page_vi.text
    for paragraph in (
        "Sáng 26/11, Sở tổ chức hội nghị",
        "Hội nghị có 120 đại biểu tham dự.",
        "Đoạn thứ hai nói về kết quả năm 2026.",
        "Đoạn cuối cùng của bài.",
    ):
        assert paragraph in vi
    assert vi.index("Hội nghị có 120") < vi.index("Đoạn cuối cùng")
    assert "<h1>Hội nghị chuyển đổi số</h1>" in vi and '<meta property="og:title"' in vi
    for image in ("203-main.jpg", "203-2.jpg", "203-3.jpg"):
        assert site.server.url(f"/uploads/news/{image}") in vi
    assert "cdn.example.com" not in vi and "pdf.png" not in vi
    assert "Tệp đính kèm" in vi and DECISION in vi and "Xem bài trên trang của Sở" in vi
    assert "Attachments" in page_en.text and "See the article on the department" in page_en.text
    assert missing.status_code == 404 and "Không tìm thấy bài viết này." in missing.text
    assert withdrawn.status_code == 410 and "withdrawn" in withdrawn.text
    assert "Đoạn cuối cùng" not in withdrawn.text


async def test_without_a_public_address_there_is_no_full_text_button_and_no_page(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    port = free_port()
    settings = settings_for(server, site, sqlite_url, port).model_copy(update={"public_base_url": None})
    async with running_bot(settings, clock) as svc, httpx.AsyncClient() as web:
        await subscribed(server)
        await svc.ingest.poll_due()
        server.refused_photo_urls.add(site.server.url("/uploads/news/204-2.jpg"))
        await publish_and_poll(site, svc, clock, 204, "Tin không có trang riêng")
        photo = await server.wait_for(chat_id=USER, method="sendPhoto", timeout=10)
        page = await web.get(f"http://127.0.0.1:{port}/bai/2")
    assert [text for text, _ in keyboard(photo)] == ["📖 Đọc tiếp", f"📎 {DECISION}"]
    assert page.status_code == 404


async def test_a_withdrawn_album_has_its_caption_edited_without_buttons(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    port = free_port()
    async with running_bot(settings_for(server, site, sqlite_url, port), clock) as svc:
        await subscribed(server)
        await svc.ingest.poll_due()
        await publish_and_poll(site, svc, clock, 205, "Bài có sai sót")
        album = await server.wait_for_count(3, timeout=10, chat_id=USER, method="sendMediaGroup")
        await asyncio.sleep(0.3)  # the outcome (the album's first message id) is recorded
        done = await svc.admin.retract(900, 2)
    assert (done.count, done.failed) == (1, 0)
    [edit] = [m for m in server.sent if m.is_edit]
    assert (edit.method, edit.message_id) == ("editMessageCaption", album[0].message_id)
    assert edit.plain_text.startswith("⚠️ Sở đã gỡ bài viết này.\nBài có sai sót") and not edit.reply_markup
