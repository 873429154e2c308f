"""The store on SQLite and PostgreSQL: subscriptions, the outbox write, claiming and outcomes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.domain.models import Article, AwardInfo, Kind, Stage
from bot.settings import FeedConfig
from bot.store.records import Outcome, PollOutcome
from bot.store.schema import metadata
from bot.store.store import Store

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def article(n: int, kind: Kind = Kind.ARTICLE, body: str = "") -> Article:
    return Article(
        key=f"sokhcn.tayninh.gov.vn/news/{n}",
        link=f"https://sokhcn.tayninh.gov.vn/vi/news/tin-tuc/bai-{n}-{n}.html",
        title=f"Bài {n}",
        lead=f"Tóm tắt {n}.",
        body=body,
        image=None,
        published=NOW - timedelta(hours=10 - n),
        summary=f"Tóm tắt {n}.",
        kind=kind,
        award=AwardInfo(stage=Stage.CONFERRED, kinds=("Bằng khen",)) if kind is Kind.AWARD else None,
    )


async def feed_id(store: Store) -> int:
    feeds = await store.feeds.sync_feeds([FeedConfig(url="https://sokhcn.tayninh.gov.vn/vi/news/rss/")], 600)
    return feeds[0].id


def poll(fid: int, at: datetime = NOW, **kw: object) -> PollOutcome:
    return PollOutcome(feed_id=fid, at=at, next_poll_at=at + timedelta(minutes=10), ok=True, **kw)  # type: ignore[arg-type]


async def subscribe(store: Store, chat_id: int, **kw: object) -> bool:
    kind = "private" if chat_id > 0 else "supergroup"
    return await store.chats.subscribe(
        chat_id,
        type=kind,
        title=None,
        username=None,
        language="vi",
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )


async def test_migrations_build_the_schema_the_code_describes(store: Store) -> None:
    async with store.engine.connect() as conn:
        diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), metadata))
    relevant = [d for d in diff if not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index"))]
    assert relevant == []


async def test_subscribing_twice_keeps_one_subscription(store: Store) -> None:
    assert await subscribe(store, 1001) is True
    assert await subscribe(store, 1001) is False
    chat = await store.chats.get_chat(1001)
    assert chat is not None and chat.subscribed and chat.active and chat.topics == "all"


async def test_unsubscribe_and_come_back(store: Store) -> None:
    await subscribe(store, 1001)
    assert await store.chats.unsubscribe(1001, NOW) is True
    assert await store.chats.unsubscribe(1001, NOW) is False
    assert await subscribe(store, 1001) is True


async def test_outbox_queues_new_articles_for_the_chats_that_want_them(store: Store) -> None:
    fid = await feed_id(store)
    await subscribe(store, 1)
    await subscribe(store, 2, topics="awards")
    await subscribe(store, 3)
    await store.chats.set_active(3, False, NOW)  # blocked the bot
    await subscribe(store, 4)
    await store.chats.unsubscribe(4, NOW)
    arts = [article(1), article(2, Kind.AWARD)]
    queued = await store.articles.save_poll(
        poll(fid, etag='"x"', body_hash="h1"), arts, [a.key for a in arts]
    )
    assert queued == {arts[0].key: 1, arts[1].key: 2}
    feed = await store.feeds.get_feed(fid)
    assert feed is not None and feed.initialized and feed.etag == '"x"' and feed.body_hash == "h1"
    assert await store.articles.known_keys([a.key for a in arts] + ["other"]) == {a.key for a in arts}


async def test_backlog_is_archived_without_deliveries(store: Store) -> None:
    fid = await feed_id(store)
    await subscribe(store, 1)
    queued = await store.articles.save_poll(poll(fid), [article(1), article(2)], [])
    assert queued == {}
    assert await store.outbox.delivery_counts() == {}
    assert len(await store.articles.latest_articles(10)) == 2


async def test_claim_gives_each_chat_its_oldest_delivery_first(store: Store) -> None:
    fid = await feed_id(store)
    for chat in (1, 2):
        await subscribe(store, chat)
    arts = [article(1), article(2)]
    await store.articles.save_poll(poll(fid), arts, [a.key for a in arts])
    first = await store.outbox.claim("p1", NOW, 10, 60)
    assert sorted((j.chat_id, j.article_id) for j in first) == [(1, 1), (2, 1)]
    assert await store.outbox.claim("p2", NOW, 10, 60) == []  # nothing overlaps, the second article waits
    await store.outbox.record_outcomes([Outcome(j.id, "sent", NOW, message_id=7) for j in first])
    second = await store.outbox.claim("p1", NOW, 10, 60)
    assert sorted((j.chat_id, j.article_id) for j in second) == [(1, 2), (2, 2)]


async def test_a_dead_process_claims_come_back_after_the_lease(store: Store) -> None:
    fid = await feed_id(store)
    await subscribe(store, 1)
    await store.articles.save_poll(poll(fid), [article(1)], [article(1).key])
    assert len(await store.outbox.claim("dead", NOW, 10, 60)) == 1
    assert await store.outbox.release_stale_claims(NOW + timedelta(seconds=30)) == 0
    assert await store.outbox.release_stale_claims(NOW + timedelta(seconds=61)) == 1
    assert len(await store.outbox.claim("alive", NOW + timedelta(seconds=61), 10, 60)) == 1


async def test_outcomes_retry_later_or_deactivate_the_chat(store: Store) -> None:
    fid = await feed_id(store)
    await subscribe(store, 1)
    await subscribe(store, 2)
    arts = [article(1), article(2)]
    await store.articles.save_poll(poll(fid), arts, [a.key for a in arts])
    jobs = {j.chat_id: j for j in await store.outbox.claim("p", NOW, 10, 60)}
    later = NOW + timedelta(minutes=5)
    await store.outbox.record_outcomes(
        [
            Outcome(jobs[1].id, "pending", NOW, error="500", retry_at=later),
            Outcome(
                jobs[2].id, "failed", NOW, error="Forbidden: bot was blocked by the user", deactivate_chat=2
            ),
        ]
    )
    assert await store.outbox.claim("p", NOW, 10, 60) == []  # chat 1 waits for its retry, chat 2 is gone
    chat2 = await store.chats.get_chat(2)
    assert chat2 is not None and not chat2.active
    assert await store.outbox.delivery_counts(chat_id=2) == {"failed": 1, "cancelled": 1}
    retried = await store.outbox.claim("p", later, 10, 60)
    assert [(j.chat_id, j.article_id, j.attempts) for j in retried] == [(1, 1, 1)]


async def test_migrated_group_keeps_its_subscription_and_queue(store: Store) -> None:
    fid = await feed_id(store)
    await subscribe(store, -42)
    await store.articles.save_poll(poll(fid), [article(1)], [article(1).key])
    await store.chats.migrate_chat(-42, -1009999, NOW)
    assert await store.chats.get_chat(-42) is None
    chat = await store.chats.get_chat(-1009999)
    assert chat is not None and chat.subscribed and chat.type == "supergroup"
    jobs = await store.outbox.claim("p", NOW, 10, 60)
    assert [j.chat_id for j in jobs] == [-1009999]


async def test_feed_state_after_errors_and_success(store: Store) -> None:
    fid = await feed_id(store)
    await store.feeds.record_poll(
        PollOutcome(fid, NOW, NOW + timedelta(minutes=2), ok=False, error="HTTP 500")
    )
    await store.feeds.record_poll(
        PollOutcome(fid, NOW, NOW + timedelta(minutes=4), ok=False, error="HTTP 500")
    )
    feed = await store.feeds.get_feed(fid)
    assert feed is not None and feed.consecutive_errors == 2 and feed.last_error == "HTTP 500"
    assert await store.feeds.due_feeds(NOW) == []
    assert [f.id for f in await store.feeds.due_feeds(NOW + timedelta(minutes=4))] == [fid]
    await store.feeds.record_poll(poll(fid, body_hash="abc"))
    feed = await store.feeds.get_feed(fid)
    assert feed is not None and feed.consecutive_errors == 0 and feed.body_hash == "abc"


async def test_feed_lease_is_exclusive_until_it_expires(store: Store) -> None:
    fid = await feed_id(store)
    assert await store.leases.acquire_feed_lease(fid, "a", NOW, 60) is not None
    assert await store.leases.acquire_feed_lease(fid, "b", NOW, 60) is None
    assert await store.leases.acquire_feed_lease(fid, "b", NOW + timedelta(seconds=61), 60) is not None
    await store.leases.release_feed_lease(fid, "b")
    assert await store.leases.acquire_feed_lease(fid, "a", NOW, 60) is not None
    await store.feeds.record_poll(poll(fid))  # recording a poll gives the lease back
    assert await store.leases.acquire_feed_lease(fid, "b", NOW, 60) is not None


async def test_settings_sync_disables_removed_feeds_but_keeps_articles(store: Store) -> None:
    fid = await feed_id(store)
    await store.articles.save_poll(poll(fid), [article(1)], [])
    feeds = await store.feeds.sync_feeds([FeedConfig(url="https://tayninh.gov.vn/vi/news/rss/")], 300)
    assert [f.url for f in feeds] == ["https://tayninh.gov.vn/vi/news/rss/"]
    assert feeds[0].interval_seconds == 300
    assert len(await store.articles.latest_articles(5)) == 1
    async with store.engine.connect() as conn:
        assert (await conn.execute(sa.text("SELECT count(*) FROM feeds"))).scalar() == 2


async def test_shared_send_slots_are_consecutive_across_callers(postgres_url: str) -> None:
    """The bot-wide send timeline (PostgreSQL; SQLite runs one process and paces in memory)."""
    import time

    import pytest

    from bot.store.db import create_engine, upgrade

    engine = create_engine(postgres_url)
    await upgrade(engine)
    a, b = Store(engine), Store(engine)
    first = await a.leases.reserve_send_slots(10, 0.05)
    assert abs(first - time.time()) < 2
    second = await b.leases.reserve_send_slots(10, 0.05)
    assert second - first == pytest.approx(0.5, abs=0.02)  # b's block starts where a's ends
    paused_at = time.time()
    await a.leases.pause_send_slots(5)
    third = await b.leases.reserve_send_slots(1, 0.05)
    assert third >= paused_at + 4.9
    await engine.dispose()


async def test_one_leader_at_a_time_and_takeover_after_the_lease(store: Store) -> None:
    assert await store.leases.try_lead("updates", "a", NOW, 30)
    assert not await store.leases.try_lead("updates", "b", NOW + timedelta(seconds=10), 30)
    assert await store.leases.try_lead("updates", "a", NOW + timedelta(seconds=20), 30)  # renewed
    assert not await store.leases.try_lead("updates", "b", NOW + timedelta(seconds=45), 30)
    assert await store.leases.try_lead(
        "updates", "b", NOW + timedelta(seconds=51), 30
    )  # a died: b takes over
    assert not await store.leases.try_lead("updates", "a", NOW + timedelta(seconds=52), 30)
    await store.leases.resign("updates", "b")
    assert await store.leases.try_lead(
        "updates", "a", NOW + timedelta(seconds=53), 30
    )  # a clean stop hands over


async def test_a_silent_process_loses_its_claims_and_feed_lease_at_once(store: Store) -> None:
    fid = await feed_id(store)
    await subscribe(store, 1)
    await store.articles.save_poll(poll(fid), [article(1)], [article(1).key])
    await store.leases.heartbeat("dead", NOW)
    await store.leases.heartbeat("alive", NOW)
    assert len(await store.outbox.claim("dead", NOW, 10, 120)) == 1
    assert await store.leases.acquire_feed_lease(fid, "dead", NOW, 600) is not None
    if not store.is_postgres:  # one process per SQLite file: a restart takes back its own
        assert await store.leases.release_dead("alive", 0.0) == {}
        assert await store.leases.release_own("dead") == {"deliveries": 1, "feed_leases": 1}
    else:
        assert await store.leases.release_dead("alive", 60.0) == {}  # still within its heartbeat
        async with store.engine.begin() as conn:  # 'dead' fell silent 10 s ago; 'alive' beats on
            await conn.execute(
                sa.text(
                    "UPDATE processes SET heartbeat_at = clock_timestamp() - interval '10 seconds'"
                    " WHERE owner = 'dead'"
                )
            )
        await store.leases.heartbeat("alive", NOW)
        assert await store.leases.release_dead("alive", 5.0) == {"deliveries": 1, "feed_leases": 1}
        assert await store.leases.release_dead("alive", 5.0) == {}  # once
    # the work is free again, long before the 120 s claim or the 600 s lease would have run out
    assert len(await store.outbox.claim("alive", NOW, 10, 120)) == 1
    assert await store.leases.acquire_feed_lease(fid, "alive", NOW, 600) is not None


async def test_outcomes_of_a_taken_over_claim_are_not_written_by_the_old_owner(store: Store) -> None:
    fid = await feed_id(store)
    await subscribe(store, 1)
    await store.articles.save_poll(poll(fid), [article(1)], [article(1).key])
    [job] = await store.outbox.claim("old", NOW, 10, 120)
    await store.leases.release_own("old")  # taken over …
    [again] = await store.outbox.claim("new", NOW, 10, 120)
    await store.outbox.record_outcomes([Outcome(job.id, "pending", NOW, retry_at=NOW)], owner="old")
    assert (
        await store.outbox.claim("other", NOW, 10, 120) == []
    )  # … the old owner's hand-back changed nothing
    await store.outbox.record_outcomes([Outcome(again.id, "sent", NOW, message_id=3)], owner="new")
    assert await store.outbox.delivery_counts(chat_id=1) == {"sent": 1}
