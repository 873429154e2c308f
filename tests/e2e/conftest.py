from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.standin import BotApiStandIn


@pytest.fixture
async def server() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as standin:
        yield standin


@pytest.fixture
def no_gc_pauses() -> Iterator[None]:
    """For tests that measure the bots' send rate on the stand-in. The stand-in stamps a request when this
    process's event loop reads it; a pass of the cyclic garbage collector over its growing request log
    (0.1-0.5 s on a loaded machine) stamps everything that arrived meanwhile at one instant — a burst the
    bots never sent. So the collector runs before and after the test, not during it."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()
