"""What the sender sends for a delivery, rendered once per article and language for a whole fan-out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Protocol

from bot.delivery.messenger import (
    ArticleItem,
    BroadcastItem,
    Messenger,
    OutgoingMessage,
    Renderable,
    TextItem,
)
from bot.domain.render import full_text_link
from bot.domain.statuses import BroadcastStatus
from bot.store.records import ArticleRecord, BroadcastRecord, DeliveryJob

ARTICLE_CACHE = 256


class Renderables(Protocol):
    """What the render cache reads of the store: the articles and broadcasts that deliveries refer to."""

    async def articles_by_ids(self, ids: Iterable[int]) -> dict[int, ArticleRecord]: ...

    async def broadcasts_by_ids(self, ids: Iterable[int]) -> dict[int, BroadcastRecord]: ...


class RenderCache:
    def __init__(
        self,
        store: Renderables,
        messengers: Messenger | Mapping[str, Messenger],
        public_base_url: str | None,  # where the full-text pages are (None: no such link)
        size: int = ARTICLE_CACHE,
    ) -> None:
        self.store = store
        if not isinstance(messengers, Mapping):
            messengers = {messengers.platform.value: messengers}
        self.messengers: Mapping[str, Messenger] = messengers
        self.public_base_url = public_base_url
        self.size = size
        self._articles: dict[int, ArticleRecord] = {}
        self._rendered: dict[tuple[int, str, str], OutgoingMessage] = {}  # (article, language, platform)
        self._broadcasts: dict[int, BroadcastRecord] = {}

    async def load(self, jobs: list[DeliveryJob]) -> None:
        """Read what a claimed batch refers to. Articles each batch: one corrected since (/resend) is
        rendered anew; broadcasts always fresh: a cancelled broadcast must stop at once."""
        wanted = {j.article_id for j in jobs if j.article_id is not None}
        if wanted:
            if len(self._articles) > self.size:
                self._articles.clear()
                self._rendered.clear()
            for article_id, record in (await self.store.articles_by_ids(wanted)).items():
                if self._articles.get(article_id) != record:
                    self._articles[article_id] = record
                    for key in [k for k in self._rendered if k[0] == article_id]:
                        del self._rendered[key]
        casts = {j.broadcast_id for j in jobs if j.broadcast_id is not None}
        if casts:
            self._broadcasts = await self.store.broadcasts_by_ids(casts)

    def forget_broadcast(self, broadcast_id: int) -> None:
        self._broadcasts.pop(broadcast_id, None)

    def item(self, job: DeliveryJob) -> Renderable | None:
        """What a delivery sends: an article, an admin's broadcast, or a message rendered when queued;
        None when there is nothing (any more) to send: withdrawn, cancelled."""
        if job.article_id is not None:
            article = self._articles.get(job.article_id)
            if article is None:
                return None
            keyword = job.payload.get("keyword") if job.payload else None
            return ArticleItem(
                article,
                full_text_url=full_text_link(self.public_base_url, job.article_id, job.language),
                reason=str(keyword) if keyword else None,
            )
        if job.broadcast_id is not None:
            cast = self._broadcasts.get(job.broadcast_id)
            if cast is None or cast.status == BroadcastStatus.CANCELLED:
                return None
            return BroadcastItem(cast.text, cast.photo, tuple(cast.entities or ()))
        if job.payload and job.payload.get("text"):
            return TextItem(
                str(job.payload["text"]), job.payload.get("photo"), plain=bool(job.payload.get("plain"))
            )
        return None

    def message(self, job: DeliveryJob, item: Renderable) -> OutgoingMessage:
        """`item` rendered by the delivery's messenger for its language and chat (notification, previews,
        forum topic). An article is rendered once per language and messenger; one sent for a followed
        keyword (rare) is not kept."""
        messenger = self.messengers[job.platform]
        if isinstance(item, ArticleItem) and item.reason is None:
            key = (item.article.id, job.language, job.platform)
            rendered = self._rendered.get(key)
            if rendered is None:
                rendered = self._rendered[key] = messenger.render(item, job.language)
        else:
            rendered = messenger.render(item, job.language)
        return replace(rendered, silent=job.silent, link_preview=job.link_previews, thread_id=job.thread_id)
