"""Groups with topics end to end: /start inside a forum topic subscribes that topic; articles, digests and
broadcasts go to its message_thread_id; a deleted topic, or topics turned off, falls back to the main chat
like a migration (the subscription stays, a log line says so)."""

from __future__ import annotations

import logging

import pytest

from bot.clock import ManualClock
from tests.e2e.citizen_support import START, article, publish, settle
from tests.e2e.harness import make_settings, running_bot
from tests.standin import BotApiStandIn, SentMessage

GROUP = -1009001
ADMIN = 901


def thread_of(message: SentMessage) -> int | None:
    value = message.params.get("message_thread_id")
    return int(value) if value not in (None, "") else None


async def test_a_topic_subscription_receives_everything_in_its_topic_and_survives_its_deletion(
    server: BotApiStandIn, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.set_chat(GROUP, type="supergroup", title="Phường 3 - Thông tin")
    server.set_chat_member(GROUP, ADMIN, "administrator")
    topic = server.create_forum_topic(GROUP, "Tin của Sở")
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        server.inject_message("/start", chat_id=GROUP, user_id=ADMIN, message_thread_id=topic)
        welcome = await server.wait_for(chat_id=GROUP, contains="Chủ đề này đã đăng ký")
        assert thread_of(welcome) == topic  # the reply stays in the topic
        chat = await svc.store.chats.get_chat(GROUP)
        assert chat is not None and chat.subscribed and chat.thread_id == topic

        await settle(0.2)  # past the group's pacing interval (real time; the manual clock stands still)
        await publish(svc, clock, article("Hội nghị chuyển đổi số phường 3"))
        sent = await server.wait_for(chat_id=GROUP, contains="Hội nghị chuyển đổi số phường 3")
        assert thread_of(sent) == topic and sent.result.get("is_topic_message") is True

        await settle(0.2)
        assert await svc.store.chats.record_digest(
            GROUP, ["📰 Bản tin ngày 26/11/2026: 1 bài"], clock.now(), None
        )
        svc.sender.wake()
        digest = await server.wait_for(chat_id=GROUP, contains="Bản tin ngày 26/11/2026")
        assert thread_of(digest) == topic

        await settle(0.2)
        cast = await svc.broadcasts.draft(ADMIN, ADMIN, "Thông báo lịch tiếp công dân", [], None)
        await svc.broadcasts.send(cast.id, ADMIN)
        notice = await server.wait_for(chat_id=GROUP, contains="Thông báo lịch tiếp công dân")
        assert thread_of(notice) == topic

        before = len([c for c in server.calls("sendMessage") if c.params.get("message_thread_id") == topic])
        await settle(0.2)
        server.delete_forum_topic(GROUP, topic)  # an administrator deleted the topic
        with caplog.at_level(logging.WARNING, logger="bot.delivery.sender"):
            await publish(svc, clock, article("Lịch cắt điện tuần tới"))
            fallback = await server.wait_for(chat_id=GROUP, contains="Lịch cắt điện tuần tới")
        assert thread_of(fallback) is None  # the main chat, at once
        assert any(f"topic {topic} is gone" in r.getMessage() for r in caplog.records)
        chat = await svc.store.chats.get_chat(GROUP)
        assert chat is not None and chat.subscribed and chat.active and chat.thread_id is None
        to_topic = [c for c in server.calls("sendMessage") if c.params.get("message_thread_id") == topic]
        assert len(to_topic) == before + 1  # asked once with the gone topic, then the main chat got it

        await settle(0.2)
        await publish(svc, clock, article("Tin sau khi chủ đề bị xóa"))
        later = await server.wait_for(chat_id=GROUP, contains="Tin sau khi chủ đề bị xóa")
        assert thread_of(later) is None


async def test_a_group_that_turns_topics_off_gets_its_news_in_the_main_chat(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    server.set_chat(GROUP, type="supergroup", title="Phường 3 - Thông tin")
    server.set_chat_member(GROUP, ADMIN, "administrator")
    first = server.create_forum_topic(GROUP, "Chung")
    second = server.create_forum_topic(GROUP, "Tin của Sở")
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        server.inject_message("/start", chat_id=GROUP, user_id=ADMIN, message_thread_id=first)
        await server.wait_for(chat_id=GROUP, contains="Chủ đề này đã đăng ký")
        server.inject_message("/start", chat_id=GROUP, user_id=ADMIN, message_thread_id=second)
        moved = await server.wait_for(
            chat_id=GROUP, predicate=lambda m: "Chủ đề này" in m.plain_text and thread_of(m) == second
        )
        assert moved is not None
        chat = await svc.store.chats.get_chat(GROUP)
        assert chat is not None and chat.thread_id == second  # /start in another topic moves the news there

        await settle(0.2)
        server.set_forum(GROUP, False)
        await publish(svc, clock, article("Thông báo tuyển dụng viên chức"))
        sent = await server.wait_for(chat_id=GROUP, contains="Thông báo tuyển dụng viên chức")
        assert thread_of(sent) is None
        chat = await svc.store.chats.get_chat(GROUP)
        assert chat is not None and chat.subscribed and chat.thread_id is None
