"""Shared bits of the admin console's end-to-end tests."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app import Services
from bot.settings import Settings
from tests.e2e.harness import make_settings
from tests.standin import BotApiStandIn
from tests.standin.server import SentMessage

ADMIN = 900
OTHER_ADMIN = 901
CITIZEN = 555
SUBSCRIBER_BASE = 20_000


def admin_settings(server: BotApiStandIn, url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"admin_ids": [ADMIN, OTHER_ADMIN], "broadcast_progress_seconds": 0.3}
    values.update(overrides)
    return make_settings(server, url, **values)


async def add_subscribers(
    svc: Services, n: int, *, base: int = SUBSCRIBER_BASE, language: str = "vi", topics: str | None = None
) -> list[int]:
    ids = [base + i for i in range(n)]
    for chat_id in ids:
        await svc.store.chats.subscribe(
            chat_id,
            type="private",
            title=None,
            username=None,
            language=language,
            now=svc.clock.now(),
            topics=topics,
        )
    return ids


def to_subscribers(
    server: BotApiStandIn, ids: list[int], text: str | None = None
) -> dict[int, list[SentMessage]]:
    """What each subscriber received (sends only), optionally only messages with this exact text."""
    wanted = set(ids)
    got: dict[int, list[SentMessage]] = {i: [] for i in ids}
    for m in server.sent:
        if m.chat_id in wanted and not m.is_edit and (text is None or m.plain_text == text):
            got[m.chat_id].append(m)
    return got


async def wait_until(condition: Any, timeout: float = 10.0) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def preview_of(server: BotApiStandIn, text: str | None = None) -> tuple[SentMessage, int]:
    """The admin's preview (the message carrying the send/cancel buttons) and its broadcast id."""
    preview = await server.wait_for(
        lambda m: (
            not m.is_edit
            and any(d.startswith("bc:send:") for d in m.callback_data)
            and (text is None or m.plain_text == text)
        ),
        chat_id=ADMIN,
    )
    data = next(d for d in preview.callback_data if d.startswith("bc:send:"))
    return preview, int(data.split(":")[2])
