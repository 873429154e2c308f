"""A Messenger that records what it is asked to send and answers with any failure on demand."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

from bot.delivery.messenger import (
    ArticleItem,
    BroadcastItem,
    Failed,
    FailureKind,
    OutgoingMessage,
    Platform,
    Refused,
    Renderable,
    SendResult,
    Sent,
)


@dataclass(frozen=True)
class Call:
    method: str  # send | edit | delete
    chat_id: str
    message: OutgoingMessage | None = None
    message_id: str | None = None


class FakeMessenger:
    """Plain-text rendering; a text over `max_text` is refused as TOO_LONG, as a real messenger does.
    `fail(kind, …)` queues answers: each queued failure answers one send (of `chat_id`, or any chat)."""

    def __init__(self, max_text: int = 500, platform: Platform = Platform.TELEGRAM) -> None:
        self.platform = platform
        self.max_text = max_text
        self.calls: list[Call] = []
        self._queued: deque[tuple[str | None, Failed]] = deque()
        self._next_id = 100

    # ---- scripting ---------------------------------------------------------------------------

    def fail(
        self,
        kind: FailureKind,
        *,
        times: int = 1,
        chat_id: str | None = None,
        retry_after: float | None = None,
        new_chat_id: str | None = None,
        refused: Refused | None = None,
        detail: str = "",
    ) -> None:
        failed = Failed(kind, detail or kind.value, retry_after, new_chat_id, refused)
        self._queued.extend((chat_id, failed) for _ in range(times))

    @property
    def sent(self) -> list[Call]:
        """The sends that were accepted, in order."""
        return [c for c in self.calls if c.method == "send" and c.message_id is not None]

    # ---- the port ----------------------------------------------------------------------------

    def render(self, item: Renderable, language: str) -> OutgoingMessage:
        if isinstance(item, ArticleItem):
            text = f"{item.article.title}\n\n{item.article.summary}"
            photos = item.article.images[:1] if item.with_photo and item.article.images else ()
            return OutgoingMessage(text, photos=tuple(photos))
        if isinstance(item, BroadcastItem):
            return OutgoingMessage(item.text, photos=(item.photo,) if item.photo else ())
        return OutgoingMessage(item.text, photos=(item.photo,) if item.photo else ())

    def shorten(self, item: Renderable, message: OutgoingMessage, language: str) -> OutgoingMessage:
        return replace(message, text=message.text[: max(1, len(message.text) * 2 // 3)])

    async def send(self, chat_id: str, message: OutgoingMessage) -> SendResult:
        answer = self._answer(chat_id, message)
        message_id = None
        if isinstance(answer, Sent):
            message_id = answer.message_ids[0]
        self.calls.append(Call("send", chat_id, message, message_id))
        return answer

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> SendResult:
        self.calls.append(Call("edit", chat_id, message, message_id))
        return self._answer(chat_id, message, message_id)

    async def delete(self, chat_id: str, message_id: str) -> SendResult:
        self.calls.append(Call("delete", chat_id, None, message_id))
        return self._answer(chat_id, None, message_id)

    def _answer(
        self, chat_id: str, message: OutgoingMessage | None, message_id: str | None = None
    ) -> SendResult:
        for index, (target, failed) in enumerate(self._queued):
            if target is None or target == chat_id:
                del self._queued[index]
                return failed
        if message is not None and len(message.text) > self.max_text:
            return Failed(FailureKind.TOO_LONG, "text too long")
        if message_id is None:
            self._next_id += 1
            message_id = str(self._next_id)
        return Sent((message_id,))
