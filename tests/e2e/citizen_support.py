"""Helpers for the citizen end-to-end tests: subscribe, press buttons, publish through the outbox."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

from bot.app import Services
from bot.clock import ManualClock
from bot.domain.models import Article, AwardInfo, Kind, Stage
from bot.store.records import PollOutcome
from tests.standin import BotApiStandIn, SentMessage

START = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # Thursday 10:00 in Tây Ninh: outside quiet hours
_numbers = itertools.count(1000)


def article(
    title: str,
    *,
    body: str = "",
    award: bool = False,
    image: str | None = None,
    published: datetime | None = None,
) -> Article:
    n = next(_numbers)
    return Article(
        key=f"sokhcn.tayninh.gov.vn/news/{n}",
        link=f"https://sokhcn.tayninh.gov.vn/vi/news/tin-tuc/bai-{n}-{n}.html",
        title=title,
        lead=f"{title}.",
        body=body,
        image=image,
        published=published or START,
        summary=f"Tóm tắt: {title}.",
        kind=Kind.AWARD if award else Kind.ARTICLE,
        award=AwardInfo(stage=Stage.CONFERRED, kinds=("Bằng khen",)) if award else None,
    )


async def publish(svc: Services, clock: ManualClock, *items: Article) -> dict[str, int]:
    """What a poll that found `items` writes: the articles and their deliveries, in one transaction."""
    [feed] = await svc.store.feeds.list_feeds()
    now = clock.now()
    outcome = PollOutcome(feed_id=feed.id, at=now, next_poll_at=now + timedelta(minutes=10), ok=True)
    queued = await svc.store.articles.save_poll(outcome, list(items), [a.key for a in items])
    svc.sender.wake()
    return queued


async def start(server: BotApiStandIn, chat_id: int, payload: str = "", language: str = "vi") -> SentMessage:
    server.inject_message(f"/start {payload}".strip(), chat_id=chat_id, language_code=language)
    return await server.wait_for(chat_id=chat_id, predicate=lambda m: "/stop" in m.plain_text)


def _after(server: BotApiStandIn) -> set[int]:
    return {id(m) for m in server.sent}


async def command(server: BotApiStandIn, chat_id: int, text: str, **kw: object) -> SentMessage:
    """Send a command; the bot's next new message in that chat."""
    before = _after(server)
    server.inject_message(text, chat_id=chat_id, **kw)  # type: ignore[arg-type]
    return await server.wait_for(chat_id=chat_id, predicate=lambda m: id(m) not in before and not m.is_edit)


async def press(server: BotApiStandIn, chat_id: int, data: str, message_id: int, **kw: object) -> SentMessage:
    """Press an inline button; the edit of that message that follows."""
    assert any(data in m.callback_data for m in server.messages_to(chat_id) if m.message_id == message_id), (
        f"no button {data!r} on message {message_id}"
    )
    before = _after(server)
    server.inject_callback(data, chat_id=chat_id, message_id=message_id, **kw)  # type: ignore[arg-type]
    return await server.wait_for(
        chat_id=chat_id,
        predicate=lambda m: id(m) not in before and m.is_edit and m.message_id == message_id,
    )


async def answered(server: BotApiStandIn, n: int) -> dict[str, object]:
    """The answer to the n-th callback query (1-based) once the bot gave it."""
    for _ in range(100):
        answers = list(server.callback_answers.values())
        if len(answers) >= n:
            return answers[n - 1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"callback query {n} was never answered")


def news(server: BotApiStandIn, chat_id: int) -> list[SentMessage]:
    """What the sender delivered to a chat (articles and digests), not the bot's replies."""
    return [
        m
        for m in server.messages_to(chat_id)
        if not m.is_edit
        and (
            any("url" in b for b in m.buttons)
            or m.plain_text.startswith("📰 ")
            or (m.method == "sendMediaGroup" and m.caption is not None)  # an album, counted once
        )
    ]


async def settle(seconds: float = 0.5) -> None:
    await asyncio.sleep(seconds)
