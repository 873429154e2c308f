"""The admin console's queries on SQLite and PostgreSQL: broadcast fan-out, cancel, counts, statistics,
feed alerts, retraction, export and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.domain.models import Article, Kind
from bot.settings import FeedConfig
from bot.store.records import Outcome, PollOutcome
from bot.store.schema import audit_log, deliveries
from bot.store.store import Store

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Tây Ninh


async def chats(store: Store, ids: range, *, language: str = "vi", topics: str | None = None,
                at: datetime = NOW, type: str = "private") -> list[int]:  # fmt: skip
    for chat_id in ids:
        await store.chats.subscribe(
            chat_id, type=type, title=None, username=None, language=language, now=at, topics=topics
        )
    return list(ids)


async def test_broadcast_fan_out_is_once_per_chat_and_audited(store: Store) -> None:
    vi = await chats(store, range(1, 6))
    en = await chats(store, range(10, 13), language="en")
    await chats(store, range(20, 22), topics="awards")
    await store.chats.set_active(vi[0], False, NOW)
    await store.chats.unsubscribe(vi[1], NOW)
    sizes = {"all": 8, "awards": 2, "vi": 5, "en": 3, "telegram": 8, "zalo": 0}
    assert await store.broadcasts.audience_sizes() == sizes

    cast = await store.broadcasts.create_broadcast(
        99, 99, "Xin chào <b>", [{"type": "bold", "offset": 0, "length": 3}], None, NOW
    )
    assert await store.broadcasts.set_broadcast_audience(cast, "en")
    assert not await store.broadcasts.set_broadcast_audience(cast, "everyone")
    assert await store.broadcasts.start_broadcast(cast, 99, NOW) == 3
    assert (
        await store.broadcasts.start_broadcast(cast, 99, NOW) is None
    )  # pressed twice: nobody gets it twice
    assert not await store.broadcasts.set_broadcast_audience(cast, "all")  # no longer a draft
    async with store.engine.connect() as conn:
        targets = sorted(r[0] for r in await conn.execute(sa.select(deliveries.c.chat_id)))
        audit = (
            await conn.execute(sa.select(audit_log.c.admin_id, audit_log.c.action, audit_log.c.recipients))
        ).all()
    assert targets == en
    assert [tuple(a) for a in audit] == [(99, "broadcast", 3)]
    record = await store.broadcasts.get_broadcast(cast)
    assert record is not None and record.status == "sending" and record.total == 3
    assert record.entities == [{"type": "bold", "offset": 0, "length": 3}]


async def test_counts_finish_once_and_cancel(store: Store) -> None:
    await chats(store, range(1, 7))
    cast = await store.broadcasts.create_broadcast(99, 99, "Tin", [], None, NOW)
    assert await store.broadcasts.start_broadcast(cast, 99, NOW) == 6
    jobs = await store.outbox.claim("me", NOW, 3, 60)
    assert len(jobs) == 3 and all(j.broadcast_id == cast for j in jobs)
    await store.outbox.record_outcomes(
        [
            Outcome(jobs[0].id, "sent", NOW, message_id=7),
            Outcome(jobs[1].id, "failed", NOW, error="Forbidden: bot was blocked by the user",
                    deactivate_chat=jobs[1].chat_id),
            Outcome(jobs[2].id, "failed", NOW, error="Bad Request: entity text is invalid"),
        ]
    )  # fmt: skip
    counts = await store.broadcasts.broadcast_counts(cast)
    assert (counts.total, counts.sent, counts.blocked, counts.failed, counts.open) == (6, 1, 1, 1, 3)
    assert not await store.broadcasts.finish_broadcast(cast, NOW)  # still open
    assert [b.id for b in await store.broadcasts.unfinished_broadcasts()] == [cast]

    assert await store.broadcasts.cancel_broadcast(cast, 98, NOW) == 3
    assert await store.broadcasts.cancel_broadcast(cast, 98, NOW) is None
    counts = await store.broadcasts.broadcast_counts(cast)
    assert (counts.sent, counts.cancelled, counts.open) == (1, 3, 0)
    assert await store.broadcasts.finish_broadcast(cast, NOW)
    assert not await store.broadcasts.finish_broadcast(cast, NOW)  # the report is sent once
    record = await store.broadcasts.get_broadcast(cast)
    assert record is not None and record.status == "cancelled" and record.finished_at is not None
    assert await store.broadcasts.unfinished_broadcasts() == []


async def test_stats_and_daily_series_in_local_days(store: Store) -> None:
    await chats(store, range(1, 4), at=NOW - timedelta(days=40))
    await chats(store, range(4, 6), at=NOW - timedelta(days=2))
    await chats(store, range(-1005, -1004), type="channel", at=NOW - timedelta(hours=1))
    # 23:30 local on the 24th is 16:30 UTC: it counts for the 24th, not the 25th
    late = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)
    async with store.engine.begin() as conn:
        for at in (late, late, NOW - timedelta(hours=1)):
            await conn.execute(
                deliveries.insert().values(
                    chat_id=1, payload={"text": "x"}, status="sent", due_at=at, created_at=at, sent_at=at
                )
            )
        await conn.execute(
            deliveries.insert().values(
                chat_id=2, payload={"text": "x"}, status="pending", due_at=NOW, created_at=NOW
            )
        )
    stats = await store.stats.subscriber_stats(NOW)
    assert (stats.active, stats.new_week, stats.new_month) == (6, 3, 3)
    assert stats.by_type == {"private": 5, "channel": 1}
    assert (stats.sent_day, stats.sent_week, stats.queue) == (1, 3, 1)
    series = await store.stats.daily_series(NOW, 30, 7 * 3600)
    assert series.days[-1] == "2026-11-26" and series.days[0] == "2026-10-28"
    by_day = dict(zip(series.days, series.deliveries, strict=True))
    assert by_day["2026-11-24"] == 2 and by_day["2026-11-25"] == 0 and by_day["2026-11-26"] == 1
    subs = dict(zip(series.days, series.subscribers, strict=True))
    assert subs["2026-11-23"] == 3 and subs["2026-11-24"] == 5 and subs["2026-11-26"] == 6


async def test_feed_alert_is_compare_and_set(store: Store) -> None:
    [feed] = await store.feeds.sync_feeds([FeedConfig(url="https://sokhcn.tayninh.gov.vn/vi/news/rss/")], 600)
    assert await store.feeds.record_feed_alert(feed.id, None, "failing", {7: "⚠️ <b>x</b>"}, NOW)
    assert not await store.feeds.record_feed_alert(
        feed.id, None, "failing", {7: "again"}, NOW
    )  # another process
    jobs = await store.outbox.claim("me", NOW, 10, 60)
    assert [(j.chat_id, j.payload) for j in jobs] == [(7, {"text": "⚠️ <b>x</b>"})]
    admin = await store.chats.get_chat(7)
    assert admin is not None and not admin.subscribed and admin.active
    assert await store.feeds.record_feed_alert(feed.id, "failing", None, {7: "ok"}, NOW)
    [feed] = await store.feeds.list_feeds()
    assert feed.alerted is None


def article(n: int) -> Article:
    return Article(
        key=f"sokhcn.tayninh.gov.vn/news/{n}",
        link=f"https://sokhcn.tayninh.gov.vn/vi/news/tin-tuc/bai-{n}-{n}.html",
        title=f"Bài {n}",
        lead="",
        body="",
        image=None,
        published=NOW,
        summary="Tóm tắt.",
        kind=Kind.ARTICLE,
        award=None,
    )


async def test_retract_returns_the_delivered_messages_and_requeue_sends_again(store: Store) -> None:
    [feed] = await store.feeds.sync_feeds([FeedConfig(url="https://sokhcn.tayninh.gov.vn/vi/news/rss/")], 600)
    await chats(store, range(1, 4))
    poll = PollOutcome(feed_id=feed.id, at=NOW, next_poll_at=NOW + timedelta(minutes=10), ok=True)
    await store.articles.save_poll(poll, [article(5)], [article(5).key])
    jobs = await store.outbox.claim("me", NOW, 10, 60)
    await store.outbox.record_outcomes(
        [Outcome(jobs[0].id, "sent", NOW, message_id=41), Outcome(jobs[1].id, "sent", NOW, message_id=42)]
    )
    await store.outbox.release_stale_claims(NOW + timedelta(days=1))  # the third is still pending
    article_id = await store.articles.find_article_id(
        "https://sokhcn.tayninh.gov.vn/vi/news/tin-tuc/bai-5-5.html"
    )
    assert article_id is not None and await store.articles.find_article_id(str(article_id)) == article_id
    assert await store.articles.find_article_id("999") is None

    delivered = await store.articles.retract_article(article_id)
    assert sorted((m.chat_id, m.message_id) for m in delivered) == [
        (jobs[0].chat_id, 41),
        (jobs[1].chat_id, 42),
    ]
    assert await store.outbox.delivery_counts(article_id=article_id) == {"sent": 2, "cancelled": 1}
    stored = await store.articles.get_article(article_id)
    assert stored is not None and stored.status == "retracted"

    await chats(store, range(4, 5))
    assert (
        await store.articles.requeue_article(article_id, NOW) == 4
    )  # the 3 that had it or were due, and the new one
    assert await store.outbox.delivery_counts(article_id=article_id) == {"pending": 4}
    stored = await store.articles.get_article(article_id)
    assert stored is not None and stored.status == "published"


async def test_export_and_audit(store: Store) -> None:
    await chats(store, range(1, 3))
    await store.chats.subscribe(
        -100,
        type="supergroup",
        title='Nhóm, "trích"',
        username="nhom",
        language="vi",
        now=NOW + timedelta(seconds=1),
    )
    rows = await store.chats.export_chats()
    assert [r["id"] for r in rows] == [1, 2, -100] and rows[2]["title"] == 'Nhóm, "trích"'
    await store.audit.record_action(5, "export", "subscribers.csv", NOW, 3)
    await store.audit.record_action(6, "stats", "", NOW + timedelta(seconds=1))
    entries = await store.audit.latest_audit(10)
    assert [(e.admin_id, e.action, e.recipients) for e in entries] == [(6, "stats", None), (5, "export", 3)]
