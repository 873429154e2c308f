"""Retractions edit delivered messages through the Messenger port: waits as told, the right kind of edit."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.delivery.editor import Editor, EditorSettings
from bot.delivery.messenger import FailureKind, Refused
from bot.domain.statuses import ArticleStatus
from bot.store.records import ArticleRecord, DeliveredMessage
from tests.delivery.fakes import FakeMessenger

ARTICLE = ArticleRecord(
    id=3, feed_id=1, key="k3", link="https://so.example/bai-3.html", title="Bài có sai sót", lead="",
    summary="Tóm tắt.", image="https://x/1.jpg", source=None, kind="news", award=None, published_at=None,
    discovered_at=datetime(2026, 3, 2, tzinfo=UTC), status=ArticleStatus.RETRACTED, media={"images": ["https://x/1.jpg"]},
)  # fmt: skip
MESSAGES = [DeliveredMessage(1, 501, 11, "vi"), DeliveredMessage(2, 502, 12, "en")]


def editor(fake: FakeMessenger, slept: list[float]) -> Editor:
    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    return Editor(EditorSettings(send_rate_per_second=10), fake, sleep=sleep)


async def test_each_delivered_message_is_edited_politely_and_a_429_waits_as_told() -> None:
    fake = FakeMessenger()
    slept: list[float] = []
    fake.fail(FailureKind.RATE_LIMITED, retry_after=4.0)
    report = await editor(fake, slept).mark_withdrawn(ARTICLE, MESSAGES)
    assert (report.edited, report.failed) == (2, 0)
    assert [(c.chat_id, c.message_id) for c in fake.calls] == [("501", "11"), ("501", "11"), ("502", "12")]
    assert slept == [4.0, 0.1]  # the 429's wait, then the spacing between two chats


async def test_a_message_that_went_out_as_text_is_edited_as_text() -> None:
    fake = FakeMessenger()
    slept: list[float] = []
    fake.fail(FailureKind.BAD_REQUEST, refused=Refused.KIND)
    report = await editor(fake, slept).mark_withdrawn(ARTICLE, MESSAGES[:1])
    assert (report.edited, report.failed) == (1, 0)
    assert [bool(c.message and c.message.photos) for c in fake.calls] == [True, False]


async def test_a_chat_that_blocked_the_bot_counts_as_not_edited() -> None:
    fake = FakeMessenger()
    slept: list[float] = []
    fake.fail(FailureKind.BLOCKED, chat_id="501")
    report = await editor(fake, slept).mark_withdrawn(ARTICLE, MESSAGES)
    assert (report.edited, report.failed) == (1, 1)
