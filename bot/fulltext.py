"""GET /bai/<id>[?hl=en]: the "Đọc toàn văn" page of an article, served on the health port (behind the
address in PUBLIC_BASE_URL). Reads the store, renders with bot.domain.fullpage, answers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.domain.fullpage import full_page, notice_page
from bot.domain.statuses import ArticleStatus
from bot.i18n import t
from bot.store.records import ArticleRecord


class ArticleRepo(Protocol):
    """What this module uses of the store's articles."""

    async def article_with_body(self, article_id: int) -> tuple[ArticleRecord, str] | None: ...


log = logging.getLogger(__name__)
ROUTE = "/bai/{article_id}"


@dataclass(frozen=True, slots=True)
class PageSettings:
    department_name: str  # the page's publisher line
    zone: ZoneInfo  # its dates are local


class FullTextPages:
    def __init__(self, articles: ArticleRepo, settings: PageSettings) -> None:
        self.articles = articles
        self.settings = settings

    def add_to(self, app: web.Application) -> None:
        app.router.add_get(ROUTE, self.page)

    async def page(self, request: web.Request) -> web.Response:
        lang = "en" if request.query.get("hl") == "en" else "vi"
        raw = request.match_info.get("article_id", "")
        found = await self.articles.article_with_body(int(raw)) if raw.isdigit() and len(raw) < 12 else None
        if found is None:
            return _html(notice_page(t("page_not_found", lang), lang), 404)
        article, body = found
        if article.status == ArticleStatus.RETRACTED:  # withdrawn: the text is no longer shown
            return _html(notice_page(t("render_withdrawn", lang), lang), 410)
        page = full_page(
            title=article.title,
            lead=article.lead,
            body=body,
            link=article.link,
            images=article.images or ((article.image,) if article.image else ()),
            attachments=article.attachments,
            published=article.published_at,
            source=article.source,
            summary=article.summary,
            department=self.settings.department_name,
            lang=lang,
            zone=self.settings.zone,
        )
        return _html(page, 200)


def _html(text: str, status: int) -> web.Response:
    response = web.Response(text=text, status=status, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
