"""The delivery engine end to end: the real Application (as `python -m bot run` wires it), the store's
outbox and the Bot API stand-in over HTTP, including Telegram's failures and flood limits."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable

from bot.app import Services
from bot.clock import ManualClock
from bot.store.store import Store
from tests.e2e.harness import make_settings, running_bot
from tests.e2e.outbox import T0, add_chats, article, delivery_rows, queue
from tests.standin import BotApiStandIn
from tests.standin.server import SentMessage, bad_request, delay, drop, server_error, too_many

POSTS = ("sendPhoto", "sendMessage")


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def posts(server: BotApiStandIn, chat_id: int) -> list[SentMessage]:
    return [m for m in server.messages_to(chat_id) if m.method in POSTS]


def requests_to(server: BotApiStandIn, chat_id: int) -> list[str]:
    """Outcome of every send request to a chat, in order ("ok", "error 403", …)."""
    return [
        r.outcome if r.ok else f"{r.outcome} {r.status or ''}".strip()
        for r in server.requests
        if r.method in POSTS and str(r.chat_id) == str(chat_id)
    ]


async def counts(store: Store, expected: dict[str, int], **where: object) -> None:
    """Wait until the deliveries (optionally of one chat) have these statuses; outcomes are written in
    batches a few milliseconds after the send."""

    async def check() -> bool:
        return await store.outbox.delivery_counts(**where) == expected

    try:
        await until(check, 3.0)
    except AssertionError:
        assert await store.outbox.delivery_counts(**where) == expected


async def row(store: Store, chat_id: int, index: int = 0) -> dict[str, object]:
    rows = await delivery_rows(store, chat_id)
    return dict(rows[index]._mapping)


async def retry_now(svc: Services, clock: ManualClock, seconds: float) -> None:
    clock.advance(seconds=seconds)
    svc.sender.wake()


# ---- outcomes ------------------------------------------------------------------------------------


async def test_429_pauses_all_sending_and_the_delivery_arrives_after_the_pause(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    server.fail_next("sendPhoto", chat_id=1, error=too_many(1))
    async with running_bot(make_settings(server, sqlite_url, send_rate_per_second=20)) as svc:
        await add_chats(svc.store, range(1, 11))
        await queue(svc.store, [article(1)])
        svc.sender.wake()
        got = await server.wait_for_count(10, method="sendPhoto", timeout=10)
        flood = next(r for r in server.requests if r.status == 429)
        # Nothing was sent during the pause: every later send waited for retry_after (1 s).
        later = [
            r.time - flood.time for r in server.requests if r.method == "sendPhoto" and r.time > flood.time
        ]
        assert later and min(later) >= 0.95
        assert sorted(m.chat_id for m in got) == list(range(1, 11))  # chat 1 too: nothing dropped
        assert requests_to(server, 1) == ["error 429", "ok"]
        await counts(svc.store, {"sent": 10})


async def test_403_makes_the_chat_inactive_and_nothing_more_is_sent_to_it(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    server.block_chat(1)
    async with running_bot(make_settings(server, sqlite_url)) as svc:
        await add_chats(svc.store, [1, 2])
        await queue(svc.store, [article(1), article(2)])
        svc.sender.wake()
        await server.wait_for_count(2, chat_id=2)
        await until(lambda: _inactive(svc.store, 1))
        await queue(svc.store, [article(3)])  # a later article is not even queued for it
        svc.sender.wake()
        await server.wait_for(chat_id=2, contains="Bài số 3")
        await asyncio.sleep(0.3)
        assert requests_to(server, 1) == ["error 403"]
        await counts(svc.store, {"failed": 1, "cancelled": 1}, chat_id=1)
        assert "blocked" in str((await row(svc.store, 1))["error"])


async def _inactive(store: Store, chat_id: int) -> bool:
    chat = await store.chats.get_chat(chat_id)
    return chat is not None and not chat.active


async def test_a_migrated_group_is_rewritten_and_the_message_arrives_at_the_new_id(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    server.set_chat(-5, "group", title="Chi bộ")
    server.migrate_chat(-5, -1005)
    async with running_bot(make_settings(server, sqlite_url)) as svc:
        await add_chats(svc.store, [-5], type="group")
        await queue(svc.store, [article(1), article(2)])
        svc.sender.wake()
        got = await server.wait_for_count(2, chat_id=-1005)
        assert ["Bài số 1" in (got[0].text or ""), "Bài số 2" in (got[1].text or "")] == [True, True]
        assert requests_to(server, -5) == ["error 400"]  # only the first; the second went to the new id
        assert await svc.store.chats.get_chat(-5) is None
        chat = await svc.store.chats.get_chat(-1005)
        assert chat is not None and chat.type == "supergroup" and chat.subscribed and chat.active
        await counts(svc.store, {"sent": 2}, chat_id=-1005)


async def test_cant_parse_entities_is_sent_again_as_plain_text(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    server.fail_next("sendPhoto", chat_id=1, error=bad_request("can't parse entities: Unsupported start tag"))
    title = "Hội nghị <tổng kết> năm 2026 & định hướng"
    async with running_bot(make_settings(server, sqlite_url)) as svc:
        await add_chats(svc.store, [1])
        await queue(svc.store, [article(1, title=title)])
        svc.sender.wake()
        got = await server.wait_for(chat_id=1)
        first = server.calls("sendPhoto")[0]
        assert first.params["parse_mode"] == "HTML"
        assert "Hội nghị &lt;tổng kết&gt; năm 2026 &amp; định hướng" in first.params["caption"]  # escaped
        assert got.parse_mode is None and title in got.plain_text and "<b>" not in got.plain_text
        assert got.buttons[0]["url"].endswith("bai-1.html")
        await counts(svc.store, {"sent": 1})


async def test_too_long_is_trimmed_at_a_sentence(server: BotApiStandIn, sqlite_url: str) -> None:
    sentences = [f"Câu số {k} nói về hoạt động của Sở trong tháng {k}." for k in range(1, 16)]
    server.fail_next("sendPhoto", chat_id=1, error=bad_request("message caption is too long"))
    async with running_bot(make_settings(server, sqlite_url)) as svc:
        await add_chats(svc.store, [1])
        await queue(svc.store, [article(1, summary=" ".join(sentences))])
        svc.sender.wake()
        got = await server.wait_for(chat_id=1)
        refused = server.calls("sendPhoto")[0]
        assert len(got.plain_text) < len(refused.params["caption"]) * 0.8
        kept = [s for s in sentences if s in got.plain_text]
        assert kept == sentences[: len(kept)] and 1 <= len(kept) < len(sentences)  # whole sentences, in order
        assert "…" not in got.plain_text
        assert got.plain_text.startswith("Bài số 1") and got.buttons[0]["text"] == "📖 Đọc tiếp"
        assert got.photo is not None and got.parse_mode == "HTML"


async def test_a_photo_that_fails_is_sent_as_text(server: BotApiStandIn, sqlite_url: str) -> None:
    server.fail_next("sendPhoto", chat_id=1, error=bad_request("wrong file identifier/HTTP URL specified"))
    async with running_bot(make_settings(server, sqlite_url)) as svc:
        await add_chats(svc.store, [1])
        await queue(svc.store, [article(1)])
        svc.sender.wake()
        got = await server.wait_for(chat_id=1)
        assert got.method == "sendMessage" and got.photo is None
        assert "Bài số 1" in got.plain_text and "Tóm tắt bài số 1" in got.plain_text
        assert got.buttons == [{"text": "📖 Đọc tiếp", "url": article(1).link}]
        assert got.link_preview_disabled  # previews are off unless the chat asked for them
        assert requests_to(server, 1) == ["error 400", "ok"]


async def test_server_errors_and_dropped_connections_retry_with_backoff(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    server.fail_next("sendPhoto", chat_id=1, error=server_error())
    server.fail_next("sendPhoto", chat_id=1, error=drop())
    clock = ManualClock(T0)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await add_chats(svc.store, [1, 2])
        await queue(svc.store, [article(1)], now=T0)
        svc.sender.wake()
        await server.wait_for(chat_id=2)  # the other chat is not held up
        await until(lambda: _attempts(svc.store, 1, 1))
        first = await row(svc.store, 1)
        wait1 = (first["due_at"] - clock.now()).total_seconds()  # type: ignore[operator]
        assert (
            first["status"] == "pending"
            and 4.0 <= wait1 <= 6.0
            and "Internal Server Error" in str(first["error"])
        )
        await asyncio.sleep(0.3)
        assert requests_to(server, 1) == ["error 500"]  # not before its time

        await retry_now(svc, clock, wait1)
        await until(lambda: _attempts(svc.store, 1, 2))
        second = await row(svc.store, 1)
        wait2 = (second["due_at"] - clock.now()).total_seconds()  # type: ignore[operator]
        assert second["status"] == "pending" and 8.0 <= wait2 <= 12.0  # backing off: twice as long
        await retry_now(svc, clock, wait2)
        await server.wait_for(chat_id=1)
        assert requests_to(server, 1) == ["error 500", "dropped", "ok"]
        assert len(posts(server, 1)) == 1
        await until(lambda: _status(svc.store, 1, "sent"))


async def _attempts(store: Store, chat_id: int, n: int) -> bool:
    rows = await delivery_rows(store, chat_id)
    return bool(rows) and rows[0].attempts == n and rows[0].status == "pending"


async def _status(store: Store, chat_id: int, status: str, index: int = 0) -> bool:
    rows = await delivery_rows(store, chat_id)
    return len(rows) > index and rows[index].status == status


async def test_repeated_failures_park_the_delivery_as_failed_and_the_next_article_follows(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    server.fail_next("sendPhoto", chat_id=1, error=server_error(), count=3)
    clock = ManualClock(T0)
    async with running_bot(make_settings(server, sqlite_url, max_send_attempts=3), clock) as svc:
        await add_chats(svc.store, [1])
        await queue(svc.store, [article(1), article(2)], now=T0)
        svc.sender.wake()
        for n in (1, 2):
            await until(lambda n=n: _attempts(svc.store, 1, n))  # type: ignore[misc]
            await retry_now(svc, clock, 60)
        await until(lambda: _status(svc.store, 1, "failed"))
        parked = await row(svc.store, 1)
        assert parked["attempts"] == 3 and "Internal Server Error" in str(parked["error"])
        got = await server.wait_for(chat_id=1)
        assert "Bài số 2" in got.plain_text
        await counts(svc.store, {"failed": 1}, status="failed")  # what admin statistics count
        assert requests_to(server, 1) == ["error 500"] * 3 + ["ok"]


async def test_a_read_timeout_is_retried_as_the_rule_says(server: BotApiStandIn, sqlite_url: str) -> None:
    """The rule: a read timeout may have delivered, but there is no idempotency key; the delivery is
    retried with backoff (at least once), counted as an attempt."""
    server.fail_next("sendPhoto", chat_id=1, error=delay(2.0))
    clock = ManualClock(T0)
    async with running_bot(make_settings(server, sqlite_url, send_timeout_seconds=0.5), clock) as svc:
        await add_chats(svc.store, [1])
        await queue(svc.store, [article(1)], now=T0)
        svc.sender.wake()
        await until(lambda: _attempts(svc.store, 1, 1))
        timed_out = await row(svc.store, 1)
        assert "timed out" in str(timed_out["error"]).lower()
        await retry_now(svc, clock, 10)
        await server.wait_for(chat_id=1)
        await until(lambda: _status(svc.store, 1, "sent"))
        assert len(server.calls("sendPhoto")) == 2
        assert len(posts(server, 1)) == 1  # the timed-out request was abandoned by the client here


# ---- ordering and pacing -------------------------------------------------------------------------


async def test_each_chat_receives_articles_in_publication_order_even_after_a_failure(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    server.fail_next("sendPhoto", chat_id=1, error=server_error())
    clock = ManualClock(T0)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await add_chats(svc.store, [1, 2])
        await queue(svc.store, [article(n) for n in (1, 2, 3)], now=T0)
        svc.sender.wake()
        other = await server.wait_for_count(3, chat_id=2)
        assert [m.plain_text.split("\n")[0] for m in other] == ["Bài số 1", "Bài số 2", "Bài số 3"]
        await asyncio.sleep(0.3)
        assert posts(server, 1) == []  # 2 and 3 wait for 1
        await retry_now(svc, clock, 10)
        got = await server.wait_for_count(3, chat_id=1)
        assert [m.plain_text.split("\n")[0] for m in got] == ["Bài số 1", "Bài số 2", "Bài số 3"]


async def test_pacing_under_strict_limits_draws_no_429(server: BotApiStandIn, sqlite_url: str) -> None:
    server.strict_limits(global_per_second=30, per_private_chat_per_second=1, per_group_per_minute=20)
    settings = make_settings(
        server,
        sqlite_url,
        send_rate_per_second=28,
        private_chat_interval_seconds=1,
        group_messages_per_minute=20,
    )
    private = list(range(1, 41))
    groups = [-11, -12]
    async with running_bot(settings) as svc:
        await add_chats(svc.store, private)
        await add_chats(svc.store, groups, type="group")
        await queue(svc.store, [article(n) for n in (1, 2, 3)])
        svc.sender.wake()
        got = await server.wait_for_count(3 * 42, method="sendPhoto", timeout=20)
    assert server.rate_violations == []
    assert [r for r in server.requests if r.status == 429] == []
    for chat in private + groups:
        times = [m.time for m in got if m.chat_id == chat]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(times) == 3 and min(gaps) >= (1.0 if chat > 0 else 3.0)
    # the overall cap is used: the first round (40 private chats + 2 groups) goes at ~28/s
    first = sorted(m.time for m in got)[:42]
    rate = 41 / (first[-1] - first[0])
    assert 26.5 <= rate <= 29.5


async def test_help_is_answered_promptly_during_a_large_fan_out(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    server.strict_limits(global_per_second=30, per_private_chat_per_second=1, per_group_per_minute=20)
    settings = make_settings(server, sqlite_url, send_rate_per_second=28, private_chat_interval_seconds=1)
    async with running_bot(settings) as svc:
        await add_chats(svc.store, range(1, 2001))
        await queue(svc.store, [article(1)])
        svc.sender.wake()
        await server.wait_for_count(40, method="sendPhoto", timeout=10)
        before, began = len(server.calls("sendPhoto")), time.monotonic()
        waits = []
        for user in (1999, 2000, 1998):
            asked = time.monotonic()
            server.inject_message("/help", chat_id=user)
            await server.wait_for(chat_id=user, method="sendMessage", timeout=3)
            waits.append(time.monotonic() - asked)
            await asyncio.sleep(0.5)
        await asyncio.sleep(max(0.0, began + 4.0 - time.monotonic()))  # measure the rate over 4 s at least
        rate = (len(server.calls("sendPhoto")) - before) / (time.monotonic() - began)
    assert max(waits) < 1.0, waits
    assert 25 <= rate <= 29.5  # the fan-out kept going at full speed meanwhile
    assert server.rate_violations == []
