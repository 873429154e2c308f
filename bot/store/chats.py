"""Chats: subscriptions, preferences, keyword alerts and mute words, privacy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.domain.choices import DeliveryMode, Topics
from bot.domain.statuses import ChatType, DeliveryStatus
from bot.store.base import Family, cancel_open, chat_record, locked
from bot.store.records import ChatRecord
from bot.store.schema import chat_menus, chats, deliveries, follows, mutes

ZALO_ID_BASE = 2**62  # chats of other messengers get internal ids from here up (Telegram never uses them)
NEW_ID_TRIES = 5

PREF_COLUMNS = frozenset(
    {
        "topics",
        "feed_ids",
        "categories",
        "mode",
        "digest_hour",
        "digest_weekday",
        "quiet_start",
        "quiet_end",
        "quiet_mode",
        "link_previews",
        "language",
        "last_digest_at",
    }
)
EXPORT_COLUMNS = (
    "id",
    "platform",
    "address",
    "type",
    "title",
    "username",
    "language",
    "subscribed",
    "active",
    "topics",
    "feed_ids",
    "categories",
    "mode",
    "digest_hour",
    "digest_weekday",
    "quiet_start",
    "quiet_end",
    "quiet_mode",
    "link_previews",
    "created_at",
)


class Chats(Family):
    """Chats and what they chose: subscription, preferences, word lists, their data."""

    async def get_chat(self, chat_id: int) -> ChatRecord | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(chats).where(chats.c.id == chat_id))).first()
        return chat_record(row) if row else None

    async def chat_by_address(self, platform: str, address: str) -> ChatRecord | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    sa.select(chats).where(chats.c.platform == platform, chats.c.address == address)
                )
            ).first()
        return chat_record(row) if row else None

    async def get_or_create_chat(
        self, platform: str, address: str, *, type: str, title: str | None, language: str, now: datetime
    ) -> ChatRecord:
        """The chat `address` on `platform`; a new one is stored unsubscribed, with an internal id from
        ZALO_ID_BASE up (two processes creating chats at once: the loser takes the next id)."""
        for _ in range(NEW_ID_TRIES):
            found = await self.chat_by_address(platform, address)
            if found is not None:
                return found
            try:
                async with self.engine.begin() as conn:
                    top = (
                        await conn.execute(
                            sa.select(sa.func.max(chats.c.id)).where(chats.c.id >= ZALO_ID_BASE)
                        )
                    ).scalar()
                    await conn.execute(
                        chats.insert().values(
                            id=int(top) + 1 if top is not None else ZALO_ID_BASE,
                            platform=platform,
                            address=address,
                            type=type,
                            title=title,
                            language=language,
                            subscribed=False,
                            active=True,
                            quiet_start=22 if type == ChatType.PRIVATE else None,
                            quiet_end=6 if type == ChatType.PRIVATE else None,
                            created_at=now,
                            updated_at=now,
                        )
                    )
            except sa.exc.IntegrityError:
                continue
        found = await self.chat_by_address(platform, address)
        if found is None:
            raise RuntimeError(f"could not store the {platform} chat")
        return found

    async def save_menu(self, chat_id: int, kind: str, options: Sequence[str], now: datetime) -> None:
        """The numbered menu just shown to a chat (a messenger without buttons): its answer is a number."""
        async with self.engine.begin() as conn:
            await conn.execute(chat_menus.delete().where(chat_menus.c.chat_id == chat_id))
            await conn.execute(
                chat_menus.insert().values(chat_id=chat_id, kind=kind, options=list(options), shown_at=now)
            )

    async def last_menu(self, chat_id: int) -> tuple[str, list[str], datetime] | None:
        """(kind, options, shown at) of the last numbered menu shown to the chat."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(chat_menus).where(chat_menus.c.chat_id == chat_id))).first()
        if row is None:
            return None
        return str(row.kind), [str(o) for o in row.options or ()], row.shown_at

    async def clear_menu(self, chat_id: int) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(chat_menus.delete().where(chat_menus.c.chat_id == chat_id))

    async def subscribe(
        self,
        chat_id: int,
        *,
        type: str,
        title: str | None,
        username: str | None,
        language: str,
        now: datetime,
        topics: str | None = None,
        added_by: int | None = None,
        thread_id: int | None = None,
    ) -> bool:
        """Subscribe (or re-activate) a chat. Returns True when it was not subscribed before. In a forum
        supergroup `thread_id` is the topic /start was sent in (None: the main chat); a later /start
        elsewhere in the group moves the subscription there."""
        async with self.engine.begin() as conn:
            row = (await conn.execute(sa.select(chats).where(chats.c.id == chat_id))).first()
            if row is None:
                await conn.execute(
                    chats.insert().values(
                        id=chat_id,
                        type=type,
                        title=title,
                        username=username,
                        language=language,
                        subscribed=True,
                        active=True,
                        topics=topics or Topics.ALL,
                        quiet_start=22 if type == ChatType.PRIVATE else None,
                        quiet_end=6 if type == ChatType.PRIVATE else None,
                        added_by=added_by,
                        created_at=now,
                        updated_at=now,
                        thread_id=thread_id,
                    )
                )
                return True
            values: dict[str, Any] = {
                "subscribed": True,
                "active": True,
                "type": type,
                "title": title,
                "username": username,
                "updated_at": now,
                "thread_id": thread_id,
            }
            if topics:
                values["topics"] = topics
            if added_by is not None:
                values["added_by"] = added_by
            await conn.execute(chats.update().where(chats.c.id == chat_id).values(**values))
            return not (row.subscribed and row.active)

    async def unsubscribe(self, chat_id: int, now: datetime) -> bool:
        """End a subscription; its queued deliveries are cancelled. True when it was subscribed."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                chats.update()
                .where(chats.c.id == chat_id, chats.c.subscribed)
                .values(subscribed=False, updated_at=now)
            )
            await cancel_open(conn, chat_id, "unsubscribed")
            return bool(result.rowcount)

    async def set_active(self, chat_id: int, active: bool, now: datetime) -> None:
        """Reachability: a blocked or kicked bot makes the chat inactive (kept for statistics)."""
        async with self.engine.begin() as conn:
            await conn.execute(
                chats.update().where(chats.c.id == chat_id).values(active=active, updated_at=now)
            )
            if not active:
                await cancel_open(conn, chat_id, "chat inactive")

    async def leave_thread(self, chat_id: int, thread_id: int, now: datetime) -> bool:
        """The chat's topic is gone (deleted, or topics turned off): messages go to the main chat from now
        on; the subscription stays. False when the chat had already moved on to another place."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                chats.update()
                .where(chats.c.id == chat_id, chats.c.thread_id == thread_id)
                .values(thread_id=None, updated_at=now)
            )
        return bool(result.rowcount)

    async def migrate_chat(self, old_id: int, new_id: int, now: datetime) -> None:
        """A group became a supergroup: its id changes everywhere (deliveries and follows cascade)."""
        async with self.engine.begin() as conn:
            exists = (await conn.execute(sa.select(chats.c.id).where(chats.c.id == new_id))).first()
            if exists:
                # Both ids are known: keep the new row, move over what it does not have yet.
                mine = sa.select(deliveries.c.article_id).where(deliveries.c.chat_id == new_id)
                await conn.execute(
                    deliveries.delete().where(
                        deliveries.c.chat_id == old_id, deliveries.c.article_id.in_(mine)
                    )
                )
                await conn.execute(
                    deliveries.update().where(deliveries.c.chat_id == old_id).values(chat_id=new_id)
                )
                await conn.execute(chats.delete().where(chats.c.id == old_id))
            else:
                await conn.execute(
                    chats.update()
                    .where(chats.c.id == old_id)
                    .values(id=new_id, address=str(new_id), type=ChatType.SUPERGROUP, updated_at=now)
                )

    async def set_prefs(self, chat_id: int, now: datetime, **values: Any) -> ChatRecord | None:
        """Store a chat's choices; returns the chat as stored (None: unknown chat)."""
        unknown = set(values) - PREF_COLUMNS
        if unknown:
            raise ValueError(f"not a preference: {sorted(unknown)}")
        async with self.engine.begin() as conn:
            await conn.execute(chats.update().where(chats.c.id == chat_id).values(updated_at=now, **values))
            row = (await conn.execute(sa.select(chats).where(chats.c.id == chat_id))).first()
        return chat_record(row) if row else None

    async def _add_word(
        self, table: sa.Table, column: str, chat_id: int, word: str, shown: str, now: datetime, limit: int
    ) -> str:
        """'added', 'exists', or 'full' (the chat already has `limit`). The limit holds under concurrent
        requests: the count and the insert are one statement, and on PostgreSQL the chat's row is locked
        first, so two transactions cannot both see room for one."""
        async with self.engine.begin() as conn:
            await conn.execute(locked(self.is_postgres, sa.select(chats.c.id).where(chats.c.id == chat_id)))
            mine = table.c.chat_id == chat_id
            same = table.c[column] == word
            room = sa.select(sa.func.count()).select_from(table).where(mine).scalar_subquery() < limit
            values = sa.select(
                sa.literal(chat_id, sa.BigInteger),
                sa.literal(word, sa.String),
                sa.literal(shown, sa.String),
                sa.literal(now, table.c.created_at.type),
            ).where(room, ~sa.exists().where(mine, same))
            inserted = await conn.execute(
                table.insert().from_select(["chat_id", column, "shown", "created_at"], values)
            )
            if inserted.rowcount == 1:
                return "added"
            exists = (await conn.execute(sa.select(table.c[column]).where(mine, same))).first()
        return "exists" if exists else "full"

    async def _remove_word(self, table: sa.Table, column: str, chat_id: int, word: str) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(
                table.delete().where(table.c.chat_id == chat_id, table.c[column] == word)
            )
        return bool(result.rowcount)

    async def _list_words(self, table: sa.Table, column: str, chat_id: int) -> list[tuple[str, str]]:
        """(folded word, as the user wrote it), oldest first."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                sa.select(table.c[column], table.c.shown)
                .where(table.c.chat_id == chat_id)
                .order_by(table.c.created_at, table.c[column])
            )
            return [(r[0], r[1]) for r in rows]

    async def add_follow(self, chat_id: int, keyword: str, shown: str, now: datetime, limit: int) -> str:
        """Follow a folded keyword: 'added', 'exists', or 'full'."""
        return await self._add_word(follows, "keyword", chat_id, keyword, shown, now, limit)

    async def remove_follow(self, chat_id: int, keyword: str) -> bool:
        return await self._remove_word(follows, "keyword", chat_id, keyword)

    async def list_follows(self, chat_id: int) -> list[tuple[str, str]]:
        return await self._list_words(follows, "keyword", chat_id)

    async def add_mute(self, chat_id: int, word: str, shown: str, now: datetime, limit: int) -> str:
        """Mute folded words: 'added', 'exists', or 'full'."""
        return await self._add_word(mutes, "word", chat_id, word, shown, now, limit)

    async def remove_mute(self, chat_id: int, word: str) -> bool:
        return await self._remove_word(mutes, "word", chat_id, word)

    async def list_mutes(self, chat_id: int) -> list[tuple[str, str]]:
        return await self._list_words(mutes, "word", chat_id)

    async def chat_data(
        self, chat_id: int
    ) -> tuple[ChatRecord | None, list[tuple[str, str]], dict[str, int]]:
        """Everything stored about a chat: its row, its followed keywords, its messages by status."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(chats).where(chats.c.id == chat_id))).first()
            kept = await conn.execute(
                sa.select(follows.c.keyword, follows.c.shown)
                .where(follows.c.chat_id == chat_id)
                .order_by(follows.c.created_at, follows.c.keyword)
            )
            words = [(r.keyword, r.shown) for r in kept]
            counts = await conn.execute(
                sa.select(deliveries.c.status, sa.func.count())
                .where(deliveries.c.chat_id == chat_id)
                .group_by(deliveries.c.status)
            )
            by_status = {str(r[0]): int(r[1]) for r in counts}
        return (chat_record(row) if row else None), words, by_status

    async def erase_chat(self, chat_id: int, user_id: int | None = None) -> bool:
        """Forget a chat: its deliveries, keywords and row; and `user_id` as the one who added other
        chats. True when something was stored."""
        async with self.engine.begin() as conn:
            removed = 0
            owned = (
                (deliveries, deliveries.c.chat_id),
                (follows, follows.c.chat_id),
                (mutes, mutes.c.chat_id),
                (chat_menus, chat_menus.c.chat_id),
            )
            for table, column in owned:
                result = await conn.execute(table.delete().where(column == chat_id))
                removed += int(result.rowcount or 0)
            result = await conn.execute(chats.delete().where(chats.c.id == chat_id))
            removed += int(result.rowcount or 0)
            if user_id is not None:
                await conn.execute(chats.update().where(chats.c.added_by == user_id).values(added_by=None))
        return removed > 0

    async def chat_languages(self, chat_ids: Sequence[int]) -> dict[int, str]:
        if not chat_ids:
            return {}
        async with self.engine.connect() as conn:
            rows = await conn.execute(sa.select(chats.c.id, chats.c.language).where(chats.c.id.in_(chat_ids)))
            return {r[0]: r[1] for r in rows}

    async def export_chats(self) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(*(chats.c[name] for name in EXPORT_COLUMNS)).order_by(
                        chats.c.created_at, chats.c.id
                    )
                )
            ).all()
        return [dict(r._mapping) for r in rows]

    async def digest_chats(self) -> list[ChatRecord]:
        """Subscribed, reachable chats that receive a daily or weekly digest."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(chats)
                    .where(
                        chats.c.subscribed,
                        chats.c.active,
                        chats.c.mode.in_((DeliveryMode.DAILY, DeliveryMode.WEEKLY)),
                    )
                    .order_by(chats.c.id)
                )
            ).all()
        return [chat_record(r) for r in rows]

    async def record_digest(
        self,
        chat_id: int,
        texts: Sequence[str],
        now: datetime,
        previous: datetime | None,
        *,
        silent: bool = False,
        plain: bool = False,
    ) -> bool:
        """One transaction: mark the digest done (only if nobody did since `previous` was read) and
        queue its messages, in order, through the outbox. False: already done, nothing queued."""
        done = chats.c.last_digest_at.is_(None) if previous is None else chats.c.last_digest_at == previous
        async with self.engine.begin() as conn:
            result = await conn.execute(
                chats.update().where(chats.c.id == chat_id, done).values(last_digest_at=now)
            )
            if not result.rowcount:
                return False
            for text in texts:
                await conn.execute(
                    deliveries.insert().values(
                        chat_id=chat_id,
                        payload={"text": text, "plain": True} if plain else {"text": text},
                        status=DeliveryStatus.PENDING,
                        due_at=now,
                        created_at=now,
                        silent=silent,
                    )
                )
        return True
