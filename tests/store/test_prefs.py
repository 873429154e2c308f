"""The citizen queries on SQLite and PostgreSQL: search, keyword follows, digests, erasure."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.domain.models import Article, AwardInfo, Kind, Stage
from bot.services.lookup import search_tokens
from bot.settings import FeedConfig
from bot.store.records import PollOutcome
from bot.store.store import Store

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def art(n: int, title: str, body: str = "", kind: Kind = Kind.ARTICLE, hours_ago: int = 0) -> Article:
    return Article(
        key=f"k/{n}",
        link=f"https://sokhcn.tayninh.gov.vn/vi/news/a-{n}.html",
        title=title,
        lead="",
        body=body,
        image=None,
        published=NOW - timedelta(hours=hours_ago),
        summary=title,
        kind=kind,
        award=AwardInfo(stage=Stage.CONFERRED) if kind is Kind.AWARD else None,
    )


async def save(store: Store, *items: Article, at: datetime = NOW, deliver: bool = False) -> int:
    [feed] = await store.feeds.sync_feeds([FeedConfig(url="https://sokhcn.tayninh.gov.vn/vi/news/rss/")], 600)
    outcome = PollOutcome(feed_id=feed.id, at=at, next_poll_at=at + timedelta(minutes=10), ok=True)
    await store.articles.save_poll(outcome, list(items), [a.key for a in items] if deliver else [])
    return feed.id


async def subscribe(store: Store, chat_id: int, **kw: object) -> None:
    await store.chats.subscribe(
        chat_id,
        type="private",
        title=None,
        username=None,
        language="vi",
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )


async def test_search_is_accent_insensitive_needs_every_word_and_ranks_titles_first(store: Store) -> None:
    await save(
        store,
        art(1, "Hội nghị chuyển đổi số", "Không liên quan."),
        art(2, "Sơ kết thi đua", "Đề nghị khen thưởng cho 3 tập thể."),
        art(3, "Công tác Khen Thưởng năm 2026", "Tổng kết công tác khen thưởng."),
        art(4, "Khen ngợi học sinh", "Thưởng nóng cho đội tuyển."),  # both words, never together
    )
    items, total = await store.articles.search_articles(search_tokens("khen thuong"), 10, 0)
    titles = [a.title for a in items]
    assert total == 3 and "Hội nghị chuyển đổi số" not in titles
    assert titles[0] == "Công tác Khen Thưởng năm 2026"
    assert titles.index("Sơ kết thi đua") < titles.index(
        "Khen ngợi học sinh"
    )  # the phrase beats scattered words
    same, _ = await store.articles.search_articles(search_tokens("KHEN THƯỞNG"), 10, 0)
    assert [a.id for a in same] == [a.id for a in items]
    assert await store.articles.search_articles(search_tokens("huân chương"), 10, 0) == ([], 0)


async def test_search_pages(store: Store) -> None:
    await save(store, *(art(n, f"Nông nghiệp công nghệ cao {n}", hours_ago=n) for n in range(7)))
    first, total = await store.articles.search_articles(["nong", "nghiep"], 5, 0)
    second, _ = await store.articles.search_articles(["nong", "nghiep"], 5, 5)
    assert total == 7 and len(first) == 5 and len(second) == 2
    assert not {a.id for a in first} & {a.id for a in second}
    assert first[0].title == "Nông nghiệp công nghệ cao 0"  # newest first on equal scores


async def test_search_treats_wildcards_as_text(store: Store) -> None:
    await save(store, art(1, "Tăng 100% chỉ tiêu"), art(2, "Bài khác"))
    items, total = await store.articles.search_articles(search_tokens("100%"), 10, 0)
    assert total == 1 and items[0].title == "Tăng 100% chỉ tiêu"


async def test_follows_are_bounded_and_match_new_articles(store: Store) -> None:
    await subscribe(store, 1, topics="awards")
    assert await store.chats.add_follow(1, "chuyen doi so", "chuyển đổi số", NOW, limit=2) == "added"
    assert await store.chats.add_follow(1, "chuyen doi so", "chuyen doi so", NOW, limit=2) == "exists"
    assert await store.chats.add_follow(1, "nong nghiep", "nông nghiệp", NOW, limit=2) == "added"
    assert await store.chats.add_follow(1, "y te", "y tế", NOW, limit=2) == "full"
    assert [shown for _, shown in await store.chats.list_follows(1)] == ["chuyển đổi số", "nông nghiệp"]
    await save(store, art(1, "Hội thảo Chuyển đổi số"), art(2, "Tập huấn phòng cháy"), deliver=True)
    counts = await store.outbox.delivery_counts(chat_id=1)
    assert counts == {"pending": 1}
    assert await store.chats.remove_follow(1, "chuyen doi so") is True
    assert await store.chats.remove_follow(1, "chuyen doi so") is False


async def test_a_digest_is_recorded_once_with_its_messages(store: Store) -> None:
    await subscribe(store, 1)
    chat = await store.chats.set_prefs(
        1, NOW, mode="daily", digest_hour=19, last_digest_at=NOW - timedelta(days=1)
    )
    assert chat is not None and chat.mode == "daily"
    await save(store, art(1, "Bài thường"), art(2, "Bằng khen", kind=Kind.AWARD), at=NOW - timedelta(hours=1))
    await save(store, art(3, "Bài quá cũ"), at=NOW - timedelta(days=2))
    [due] = await store.chats.digest_chats()
    items = await store.articles.digest_articles(due, due.last_digest_at or NOW, NOW)
    assert sorted(a.title for a in items) == ["Bài thường", "Bằng khen"]
    assert await store.chats.record_digest(1, ["một", "hai"], NOW, due.last_digest_at) is True
    assert (
        await store.chats.record_digest(1, ["một", "hai"], NOW, due.last_digest_at) is False
    )  # a second run
    assert await store.outbox.delivery_counts(chat_id=1) == {"pending": 2}
    after = await store.chats.get_chat(1)
    assert after is not None and after.last_digest_at == NOW


async def test_digest_articles_follow_the_chat_topics(store: Store) -> None:
    await subscribe(store, 1, topics="awards")
    chat = await store.chats.set_prefs(1, NOW, mode="weekly")
    assert chat is not None
    await save(store, art(1, "Bài thường"), art(2, "Bằng khen", kind=Kind.AWARD), at=NOW - timedelta(hours=1))
    items = await store.articles.digest_articles(chat, NOW - timedelta(days=7), NOW)
    assert [a.title for a in items] == ["Bằng khen"]


async def test_erase_chat_forgets_it_everywhere(store: Store) -> None:
    await subscribe(store, 1)
    await subscribe(store, 2)
    await store.chats.subscribe(
        -100, type="channel", title="Kênh", username="k", language="vi", now=NOW, added_by=1
    )
    await store.chats.add_follow(1, "khen thuong", "khen thưởng", NOW, limit=10)
    await save(store, art(1, "Bài"), deliver=True)
    assert await store.chats.erase_chat(1, user_id=1) is True
    chat, words, messages = await store.chats.chat_data(1)
    assert (chat, words, messages) == (None, [], {})
    async with store.engine.connect() as conn:
        added = (await conn.execute(sa.text("SELECT count(*) FROM chats WHERE added_by = 1"))).scalar_one()
    assert added == 0
    assert await store.outbox.delivery_counts(chat_id=2) == {"pending": 1}
    assert await store.chats.erase_chat(1) is False


async def test_set_prefs_refuses_other_columns(store: Store) -> None:
    await subscribe(store, 1)
    with pytest.raises(ValueError):
        await store.chats.set_prefs(1, NOW, subscribed=False)


async def test_the_keyword_limit_holds_under_30_concurrent_follows(store: Store) -> None:
    await subscribe(store, 1)
    words = [f"tu khoa {n}" for n in range(30)]
    results = await asyncio.gather(
        *(store.chats.add_follow(1, w, w, NOW, limit=10) for w in words + words[:5])
    )
    assert results.count("added") == 10
    assert len(await store.chats.list_follows(1)) == 10
    assert set(results) <= {"added", "full", "exists"}


async def test_the_mute_limit_holds_under_30_concurrent_mutes(store: Store) -> None:
    await subscribe(store, 1)
    words = [f"tu {n}" for n in range(30)]
    results = await asyncio.gather(*(store.chats.add_mute(1, w, w, NOW, limit=20) for w in words + words[:5]))
    assert results.count("added") == 20
    assert len(await store.chats.list_mutes(1)) == 20
    assert set(results) <= {"added", "full", "exists"}


async def test_a_muted_word_keeps_an_article_out_of_the_queue_and_the_digest(store: Store) -> None:
    await subscribe(store, 1)
    await subscribe(store, 2)
    await subscribe(store, 3)
    await store.chats.add_mute(1, "xo so", "xổ số", NOW, limit=20)
    await store.chats.add_follow(
        1, "xo so", "xổ số", NOW, limit=10
    )  # a followed keyword does not beat a mute
    await store.chats.add_mute(3, "so", "số", NOW, limit=20)  # a whole word of "xổ số", not a part of "Xoso"
    await save(store, art(1, "Kết quả xổ số kiến thiết"), art(2, "Xoso là tên riêng"), deliver=True)
    assert await store.outbox.delivery_counts(chat_id=1) == {"pending": 1}  # only "Xoso là tên riêng"
    assert await store.outbox.delivery_counts(chat_id=2) == {"pending": 2}
    assert await store.outbox.delivery_counts(chat_id=3) == {
        "pending": 1
    }  # whole word "so" muted in the first

    digest = await store.chats.set_prefs(1, NOW, mode="daily", last_digest_at=NOW - timedelta(days=1))
    assert digest is not None
    await save(store, art(3, "Xổ số tuần này"), art(4, "Sổ tay nông dân"), at=NOW - timedelta(hours=1))
    items = await store.articles.digest_articles(digest, NOW - timedelta(days=1), NOW)
    assert [a.title for a in items] == ["Xoso là tên riêng", "Sổ tay nông dân"]  # no "xổ số" in a digest
    assert await store.chats.erase_chat(1) is True
    assert await store.chats.list_mutes(1) == []


async def test_award_articles_are_the_visible_award_announcements_newest_first(store: Store) -> None:
    await save(
        store,
        art(1, "Bằng khen năm trước", kind=Kind.AWARD, hours_ago=30),
        art(2, "Bài thường"),
        art(3, "Bằng khen mới", kind=Kind.AWARD, hours_ago=1),
        art(4, "Bằng khen bị rút", kind=Kind.AWARD),
    )
    withdrawn = next(a for a in await store.articles.award_articles() if a.title == "Bằng khen bị rút")
    await store.articles.retract_article(withdrawn.id)
    found = await store.articles.award_articles()
    assert [a.title for a in found] == ["Bằng khen mới", "Bằng khen năm trước"]
    assert all(a.award and a.award.stage is Stage.CONFERRED for a in found)  # the stored facts come along
