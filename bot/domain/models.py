"""Plain data shared by every room of the bot. No I/O, no Telegram, no SQL."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Kind(enum.StrEnum):
    """What an article is, for routing and rendering."""

    ARTICLE = "article"
    AWARD = "award"


class Stage(enum.StrEnum):
    """How far an award has gone, as the article tells it."""

    CONFERRED = "conferred"
    DECIDED = "decided"
    PROPOSED = "proposed"


@dataclass(frozen=True, slots=True)
class Recipient:
    """A named person (or a named collective) who received an award."""

    name: str
    position: str | None = None


@dataclass(frozen=True, slots=True)
class AwardInfo:
    """Who received what from whom, as far as the article says."""

    stage: Stage
    kinds: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    collectives: int | None = None
    individuals: int | None = None
    decision: str | None = None
    reason: str | None = None
    period: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "stage": self.stage.value,
            "kinds": list(self.kinds),
            "authorities": list(self.authorities),
            "recipients": [{"name": r.name, "position": r.position} for r in self.recipients],
            "collectives": self.collectives,
            "individuals": self.individuals,
            "decision": self.decision,
            "reason": self.reason,
            "period": self.period,
        }


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One <item> of a feed, cleaned: plain text, absolute URLs, aware datetimes."""

    key: str  # stable identity, see domain.identity
    link: str
    title: str
    lead: str = ""
    thumbnail: str | None = None
    published: datetime | None = None
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document after parsing. `warning` is set for a malformed feed whose entries survived."""

    title: str
    entries: tuple[FeedEntry, ...]
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class PageContent:
    """What an article page adds to the feed's entry."""

    title: str | None = None
    lead: str | None = None
    paragraphs: tuple[str, ...] = ()  # body text, one paragraph each, captions and bylines excluded
    captions: tuple[str, ...] = ()  # photo captions found in the body or header
    image: str | None = None  # the large image, absolute URL
    published: datetime | None = None  # the visible date on the page, aware
    source: str | None = None  # credit line such as "Theo BTNO", without the text around it
    attachments: tuple[str, ...] = ()  # absolute URLs of attached documents


@dataclass(frozen=True, slots=True)
class Article:
    """Everything known about an article, ready to store and to render."""

    key: str
    link: str
    title: str
    lead: str
    body: str  # paragraphs joined by blank lines ("" when the page could not be read)
    image: str | None
    published: datetime | None
    summary: str
    kind: Kind = Kind.ARTICLE
    award: AwardInfo | None = None
    source: str | None = None
    captions: tuple[str, ...] = field(default=())
