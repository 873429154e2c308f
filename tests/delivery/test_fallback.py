"""One send and its fallbacks, against a FakeMessenger: what is sent after each kind of refusal."""

from __future__ import annotations

from bot.delivery.fallback import Final, Moves, send_with_fallbacks
from bot.delivery.messenger import FailureKind, OutgoingMessage, Refused, Sent, TextItem
from bot.domain.outcomes import Action
from tests.delivery.fakes import FakeMessenger


class Recorded:
    def __init__(self) -> None:
        self.moves: list[tuple[str, str, object]] = []
        self.slots = 0

    async def migrated(self, old: str, new: str) -> None:
        self.moves.append(("migrated", old, new))

    async def thread_gone(self, chat_id: str, thread_id: int) -> None:
        self.moves.append(("thread_gone", chat_id, thread_id))

    async def next_slot(self) -> None:
        self.slots += 1

    def hooks(self) -> Moves:
        return Moves(self.migrated, self.thread_gone, self.next_slot)


async def send(fake: FakeMessenger, message: OutgoingMessage, recorded: Recorded | None = None) -> Final:
    return await send_with_fallbacks(
        fake,
        "42",
        message,
        TextItem(message.text),
        "vi",
        attempts=1,
        max_attempts=3,
        moves=(recorded or Recorded()).hooks(),
    )


ALBUM = OutgoingMessage(
    "<b>Tin</b> &amp; ảnh",
    photos=("http://127.0.0.1/1.jpg", "http://127.0.0.1/2.jpg"),
    html=True,
    silent=True,
    single=OutgoingMessage("<b>Tin</b> &amp; ảnh", photos=("http://127.0.0.1/1.jpg",), html=True),
)


async def test_a_refused_album_becomes_its_one_photo_message_and_keeps_its_chat_settings() -> None:
    fake = FakeMessenger()
    fake.fail(FailureKind.BAD_REQUEST, refused=Refused.PHOTO)
    final = await send(fake, ALBUM)
    assert isinstance(final.result, Sent)
    last = fake.sent[-1].message
    assert last is not None and last.photos == ("http://127.0.0.1/1.jpg",) and last.silent


async def test_each_fallback_waits_for_a_send_slot_of_its_own() -> None:
    fake = FakeMessenger()
    fake.fail(FailureKind.BAD_REQUEST, refused=Refused.PHOTO)
    fake.fail(FailureKind.BAD_REQUEST, refused=Refused.MARKUP)
    recorded = Recorded()
    final = await send(fake, OutgoingMessage("<b>Tin</b>", photos=("http://x/1.jpg",), html=True), recorded)
    assert (
        isinstance(final.result, Sent)
        and fake.sent[-1].message is not None
        and not fake.sent[-1].message.html
    )
    assert recorded.slots == 2  # the first send's slot is the sender's


async def test_a_refused_photo_then_markup_ends_as_plain_text() -> None:
    fake = FakeMessenger()
    fake.fail(FailureKind.BAD_REQUEST, refused=Refused.PHOTO)
    fake.fail(FailureKind.BAD_REQUEST, refused=Refused.MARKUP)
    final = await send(fake, OutgoingMessage("<b>Tin</b> &amp; ảnh", photos=("http://x/1.jpg",), html=True))
    assert isinstance(final.result, Sent)
    last = fake.sent[-1].message
    assert last is not None and (last.text, last.photos, last.html) == ("Tin & ảnh", (), False)


async def test_markup_refused_twice_is_parked() -> None:
    fake = FakeMessenger()
    fake.fail(FailureKind.BAD_REQUEST, refused=Refused.MARKUP, times=2)
    final = await send(fake, OutgoingMessage("<b>Tin</b>", html=True))
    assert final.decision is not None and final.decision.action is Action.FAIL
    assert len(fake.calls) == 2


async def test_too_long_is_sent_shorter() -> None:
    fake = FakeMessenger(max_text=20)
    final = await send(fake, OutgoingMessage("Một câu khá dài về lịch cắt điện."))
    assert isinstance(final.result, Sent)
    last = fake.sent[-1].message
    assert last is not None and len(last.text) <= 20


async def test_a_gone_topic_sends_to_the_main_chat_and_says_so_once() -> None:
    fake, recorded = FakeMessenger(), Recorded()
    fake.fail(FailureKind.BAD_REQUEST, refused=Refused.THREAD)
    final = await send(fake, OutgoingMessage("Tin", thread_id=7), recorded)
    assert isinstance(final.result, Sent)
    assert [c.message.thread_id for c in fake.calls if c.message] == [7, None]
    assert recorded.moves == [("thread_gone", "42", 7)]


async def test_a_migrated_group_is_sent_to_its_new_id() -> None:
    fake, recorded = FakeMessenger(), Recorded()
    fake.fail(FailureKind.MIGRATED, new_chat_id="-100777")
    final = await send(fake, OutgoingMessage("Tin"), recorded)
    assert isinstance(final.result, Sent) and final.chat_id == "-100777"
    assert recorded.moves == [("migrated", "42", "-100777")]
    assert [c.chat_id for c in fake.calls] == ["42", "-100777"]


async def test_a_server_error_goes_back_to_the_sender_to_retry_later_without_another_send() -> None:
    fake = FakeMessenger()
    fake.fail(FailureKind.SERVER)
    final = await send(fake, OutgoingMessage("Tin"))
    assert final.decision is not None and final.decision.action is Action.RETRY
    assert final.decision.delay > 0 and len(fake.calls) == 1


async def test_a_blocked_chat_goes_back_to_the_sender_to_be_made_inactive() -> None:
    fake = FakeMessenger()
    fake.fail(FailureKind.BLOCKED)
    final = await send(fake, OutgoingMessage("Tin"))
    assert final.decision is not None and final.decision.action is Action.DEACTIVATE
