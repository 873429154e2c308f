"""Helpers for delivery tests and the fan-out benchmark: many subscribers at once, and articles queued
through the store's own outbox write (`Store.save_poll`), as a poll that found them would."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.domain.models import Article
from bot.store.records import PollOutcome
from bot.store.schema import chats, deliveries
from bot.store.store import Store

T0 = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Tây Ninh: outside quiet hours


async def add_chats(
    store: Store, ids: Iterable[int], *, type: str = "private", language: str = "vi", now: datetime = T0
) -> None:
    """Subscribed, active chats without quiet hours, inserted in bulk."""
    rows = [
        {
            "id": chat_id,
            "type": type,
            "language": language,
            "subscribed": True,
            "active": True,
            "topics": "all",
            "created_at": now,
            "updated_at": now,
        }
        for chat_id in ids
    ]
    async with store.engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            await conn.execute(chats.insert(), rows[start : start + 5000])


def article(
    n: int,
    *,
    title: str | None = None,
    summary: str | None = None,
    image: str | None = "https://sokhcn.tayninh.gov.vn/uploads/news/{n}.jpg",
    published: datetime | None = None,
) -> Article:
    return Article(
        key=f"news_{n}",
        link=f"https://sokhcn.tayninh.gov.vn/vi/news/tin-hoat-dong/bai-{n}.html",
        title=title or f"Bài số {n}",
        lead=f"Tin {n}.",
        body=f"Nội dung bài {n}.",
        image=image.format(n=n) if image else None,
        published=published or T0 - timedelta(hours=1) + timedelta(minutes=n % 1000),
        summary=summary or f"Tóm tắt bài số {n}. Sở đã họp.",
    )


async def queue(
    store: Store, articles: Sequence[Article], now: datetime = T0, feed_id: int = 1
) -> dict[str, int]:
    """New articles (oldest first) and a delivery for every chat that wants each — the outbox write."""
    outcome = PollOutcome(feed_id=feed_id, at=now, next_poll_at=now + timedelta(hours=1), ok=True)
    return await store.articles.save_poll(outcome, articles, [a.key for a in articles])


async def statuses(store: Store, **where: object) -> dict[str, int]:
    return await store.outbox.delivery_counts(**where)


async def delivery_rows(store: Store, chat_id: int) -> list[sa.Row[tuple[object, ...]]]:
    async with store.engine.connect() as conn:
        return list(
            (
                await conn.execute(
                    sa.select(deliveries).where(deliveries.c.chat_id == chat_id).order_by(deliveries.c.id)
                )
            ).all()
        )
