from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.standin import BotApiStandIn


@pytest.fixture
async def server() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as standin:
        yield standin
