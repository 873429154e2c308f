"""Migrations from empty and from the previous revision, with data in place, on both backends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from bot.store.db import alembic_config, create_engine, current_revision, downgrade, upgrade

NOW = datetime(2026, 11, 26, tzinfo=UTC)
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_upgrade_from_empty_reaches_head(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        assert await current_revision(engine) == HEAD
        await upgrade(engine)  # applying again is harmless (start-up does it every time)
        assert await current_revision(engine) == HEAD
    finally:
        await engine.dispose()


async def test_upgrade_from_the_previous_revision_keeps_the_data(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0001")  # a database from the first release
        async with engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "INSERT INTO chats (id, type, language, subscribed, active, topics, feed_ids, mode,"
                    " digest_hour, quiet_mode, link_previews, created_at, updated_at)"
                    " VALUES (42, 'private', 'vi', true, true, 'all', '', 'instant', 7, 'silent', false,"
                    " :now, :now)"
                ),
                {"now": NOW.replace(tzinfo=None)},
            )
        await upgrade(engine)
        assert await current_revision(engine) == HEAD
        async with engine.connect() as conn:
            row = (await conn.execute(sa.text("SELECT id, topics FROM chats"))).one()
            cols = await conn.run_sync(
                lambda c: {col["name"] for col in sa.inspect(c).get_columns("deliveries")}
            )
        assert tuple(row) == (42, "all")
        assert "payload" in cols
        await downgrade(engine, "0001")
        assert await current_revision(engine) == "0001"
        await upgrade(engine)
        assert await current_revision(engine) == HEAD
    finally:
        await engine.dispose()


def test_db_upgrade_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout

    async def revision() -> str | None:
        engine = create_engine(url)
        try:
            return await current_revision(engine)
        finally:
            await engine.dispose()

    assert asyncio.run(revision()) == HEAD


async def test_chats_become_platform_and_address_and_zalo_chats_get_ids_telegram_never_uses(
    database_url: str,
) -> None:
    from bot.store.store import Store

    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0009")
        async with engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "INSERT INTO chats (id, type, language, subscribed, active, topics, feed_ids, mode,"
                    " digest_hour, quiet_mode, link_previews, created_at, updated_at)"
                    " VALUES (-1001234, 'supergroup', 'vi', true, true, 'all', '', 'instant', 7, 'silent',"
                    " false, :now, :now)"
                ),
                {"now": NOW.replace(tzinfo=None)},
            )
        await upgrade(engine)
        store = Store(engine)
        old = await store.chats.get_chat(-1001234)
        assert old is not None and (old.platform, old.address) == ("telegram", "-1001234")
        zalo = await store.chats.get_or_create_chat(
            "zalo", "-1001234", type="private", title="Lan", language="vi", now=NOW
        )
        assert zalo.id >= 2**62 and (zalo.platform, zalo.address, zalo.subscribed) == (
            "zalo",
            "-1001234",
            False,
        )
        again = await store.chats.get_or_create_chat(
            "zalo", "-1001234", type="private", title="Lan", language="vi", now=NOW
        )
        other = await store.chats.get_or_create_chat(
            "zalo", "abc", type="private", title=None, language="vi", now=NOW
        )
        assert again.id == zalo.id and other.id == zalo.id + 1
        with pytest.raises(sa.exc.IntegrityError):  # one row per (platform, address)
            async with engine.begin() as conn:
                await conn.execute(
                    sa.text(
                        "INSERT INTO chats (id, platform, address, type, language, subscribed, active,"
                        " topics, feed_ids, mode, digest_hour, quiet_mode, link_previews, created_at,"
                        " updated_at) VALUES (7, 'zalo', 'abc', 'private', 'vi', true, true, 'all', '',"
                        " 'instant', 7, 'silent', false, :now, :now)"
                    ),
                    {"now": NOW.replace(tzinfo=None)},
                )
        await downgrade(engine, "0009")
        async with engine.connect() as conn:
            ids = [r[0] for r in await conn.execute(sa.text("SELECT id FROM chats"))]
        assert ids == [-1001234]  # the other messenger's chats go with their columns
    finally:
        await engine.dispose()
