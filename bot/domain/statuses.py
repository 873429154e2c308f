"""Every status the database stores, as an enum whose values are the stored strings."""

from __future__ import annotations

from enum import StrEnum


class DeliveryStatus(StrEnum):
    """One message to one chat, through the outbox."""

    PENDING = "pending"  # queued, due at `due_at`
    SENDING = "sending"  # claimed by a process (its lease)
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_DELIVERY = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)  # not finished yet


class BroadcastStatus(StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


OPEN_BROADCAST = (BroadcastStatus.DRAFT, BroadcastStatus.SENDING)  # what /cancel_broadcast may stop


class ArticleStatus(StrEnum):
    PUBLISHED = "published"
    CORRECTED = "corrected"  # read again from its page and sent once more
    RETRACTED = "retracted"  # withdrawn by an admin: no longer shown


VISIBLE_ARTICLE = (ArticleStatus.PUBLISHED, ArticleStatus.CORRECTED)  # shown like any other


class FeedHealth(StrEnum):
    """The admin alert outstanding for a feed (stored in `feeds.alerted`; None: healthy)."""

    FAILING = "failing"
    STALE = "stale"


class FeedOrigin(StrEnum):
    CONFIG = "config"  # the settings file
    ADMIN = "admin"  # added from the chat


class ChatType(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"


class Platform(StrEnum):
    """Which messenger a chat lives on."""

    TELEGRAM = "telegram"
    ZALO = "zalo"


class Audience(StrEnum):
    """Who a broadcast goes to (every audience: subscribed and reachable chats)."""

    ALL = "all"
    AWARDS = "awards"  # chats that chose award announcements only
    VI = "vi"
    EN = "en"
    TELEGRAM = "telegram"  # chats on one messenger only
    ZALO = "zalo"
