"""Plain data shared by every room of the bot. No I/O, no Telegram, no SQL."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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
class FormCount:
    """How many received one award form, as the article states it (``None``: not stated)."""

    kind: str
    collectives: int | None = None
    individuals: int | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact came from: the sentence of the article that states it.

    ``fact`` is one of stage, kind, authority, recipient, count, total, decision; ``value`` is the
    fact as shown ("Giấy khen của Giám đốc Sở", "9 tập thể"); ``where`` is title, lead, body or caption.
    """

    fact: str
    value: str
    text: str
    where: str = "body"


@dataclass(frozen=True, slots=True)
class AwardInfo:
    """Who received what from whom, as far as the article says; each fact with its evidence.

    ``counts`` are per award form; ``collectives``/``individuals`` are a total only when the
    article states one for distinct recipients (or the single form's counts when there is one form).
    """

    stage: Stage
    kinds: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    collectives: int | None = None
    individuals: int | None = None
    decision: str | None = None
    reason: str | None = None
    period: str | None = None
    counts: tuple[FormCount, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def evidence_for(self, fact: str, value: str) -> Evidence | None:
        return next((e for e in self.evidence if e.fact == fact and e.value == value), None)

    def as_json(self) -> dict[str, object]:
        return {
            "stage": self.stage.value,
            "kinds": list(self.kinds),
            "authorities": list(self.authorities),
            "recipients": [{"name": r.name, "position": r.position} for r in self.recipients],
            "collectives": self.collectives,
            "individuals": self.individuals,
            "counts": {
                c.kind: {"collectives": c.collectives, "individuals": c.individuals} for c in self.counts
            },
            "decision": self.decision,
            "reason": self.reason,
            "period": self.period,
            "evidence": [
                {"fact": e.fact, "value": e.value, "text": e.text, "where": e.where} for e in self.evidence
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AwardInfo:
        """Read a stored award back; rows stored before counts and evidence existed stay readable
        (they come back without evidence, so only what they can prove is shown)."""

        def _int(v: object) -> int | None:
            return v if isinstance(v, int) and not isinstance(v, bool) else None

        def _str(v: object) -> str | None:
            return str(v) if v else None

        try:
            stage = Stage(str(data.get("stage")))
        except ValueError:
            stage = Stage.CONFERRED
        raw_counts = data.get("counts") or {}
        counts = tuple(
            FormCount(str(k), _int(v.get("collectives")), _int(v.get("individuals")))
            for k, v in (raw_counts.items() if isinstance(raw_counts, Mapping) else ())
            if isinstance(v, Mapping)
        )
        evidence = tuple(
            Evidence(
                str(e.get("fact", "")),
                str(e.get("value", "")),
                str(e.get("text", "")),
                str(e.get("where", "")),
            )
            for e in data.get("evidence") or ()
            if isinstance(e, Mapping)
        )
        recipients = tuple(
            Recipient(str(r["name"]), _str(r.get("position")))
            for r in data.get("recipients") or ()
            if isinstance(r, Mapping) and r.get("name")
        )
        return cls(
            stage=stage,
            kinds=tuple(str(k) for k in data.get("kinds") or ()),
            authorities=tuple(str(a) for a in data.get("authorities") or ()),
            recipients=recipients,
            collectives=_int(data.get("collectives")),
            individuals=_int(data.get("individuals")),
            decision=_str(data.get("decision")),
            reason=_str(data.get("reason")),
            period=_str(data.get("period")),
            counts=counts,
            evidence=evidence,
        )

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence)


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
    category_name: str | None = None  # the article's category as the breadcrumb names it ("Thông báo")
    attachment_names: tuple[str, ...] = ()  # what the page calls each attachment (same order)
    images: tuple[str, ...] = ()  # every photo of the article on the site's own host, the large one first


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
    category: str | None = None  # the site's category alias, from the link ("thong-bao")
    category_name: str | None = None  # its name, from the page's breadcrumb ("Thông báo")
    images: tuple[str, ...] = ()  # every photo of the page, the main one first (an album when > 1)
    attachments: tuple[tuple[str, str], ...] = ()  # (absolute URL, name) of attached documents
