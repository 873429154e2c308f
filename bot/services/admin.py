"""The admin console's use cases besides broadcasts: statistics, feed health, corrections, export, audit.
Every admin action is written to the audit log."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.delivery.editor import Editor
from bot.domain.render_plain import render_article_plain
from bot.domain.statuses import ArticleStatus, ChatType, FeedHealth, Platform
from bot.i18n import catalog, t
from bot.services.health import error_words, feed_name, local_time
from bot.services.ingest import IngestService
from bot.services.stats_chart import render_chart
from bot.store.chats import EXPORT_COLUMNS
from bot.store.records import (
    ArticleRecord,
    AuditEntry,
    DailySeries,
    DeliveredMessage,
    FeedRecord,
    SubscriberStats,
)


class StatsRepo(Protocol):
    """What this module uses of the store's stats."""

    async def subscriber_stats(self, now: datetime) -> SubscriberStats: ...

    async def daily_series(self, now: datetime, days: int, offset_seconds: int) -> DailySeries: ...


class AuditRepo(Protocol):
    """What this module uses of the store's audit."""

    async def record_action(
        self, admin_id: int, action: str, detail: str, now: datetime, recipients: int | None = None
    ) -> None: ...

    async def latest_audit(self, limit: int) -> list[AuditEntry]: ...


class FeedRepo(Protocol):
    """What this module uses of the store's feeds."""

    async def list_feeds(self) -> list[FeedRecord]: ...


class ArticleRepo(Protocol):
    """What this module uses of the store's articles."""

    async def find_article_id(self, ref: str) -> int | None: ...

    async def get_article(self, article_id: int) -> ArticleRecord | None: ...

    async def latest_articles(
        self, limit: int, kind: str | None = None, *, with_retracted: bool = False
    ) -> list[ArticleRecord]: ...

    async def retract_article(self, article_id: int) -> list[DeliveredMessage]: ...

    async def queue_notices(self, notices: Sequence[tuple[int, str]], now: datetime) -> int: ...

    async def requeue_article(
        self, article_id: int, now: datetime, *, status: ArticleStatus = ArticleStatus.PUBLISHED
    ) -> int: ...


class ChatRepo(Protocol):
    """What this module uses of the store's chats."""

    async def export_chats(self) -> list[dict[str, Any]]: ...


CHART_DAYS = 30
AUDIT_LINES = 20
RECENT_ARTICLES = 8


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula: one starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe. Numbers are written as numbers and never altered."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


@dataclass(frozen=True, slots=True)
class StatsReport:
    caption: str  # HTML
    png: bytes | None  # None: matplotlib (the `chart` extra) is not installed


@dataclass(frozen=True, slots=True)
class ArticleAction:
    article_id: int | None  # None: no such article
    count: int = 0  # messages edited (retract) or recipients queued (resend)
    failed: int = 0  # messages that could not be edited
    edited: int = 0  # resend: earlier messages edited to point to the correction


@dataclass(frozen=True, slots=True)
class Export:
    filename: str
    data: bytes
    rows: int


class ChatDirectory(Protocol):
    """Looks a chat up by id (the admin's name in the audit log)."""

    async def get_chat(self, chat_id: int) -> Any: ...


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}"
    return f"{seconds}s"


@dataclass(frozen=True, slots=True)
class AdminSettings:
    zone: ZoneInfo  # the times an admin reads are local


class AdminService:
    def __init__(
        self,
        stats: StatsRepo,
        audit_log: AuditRepo,
        feeds: FeedRepo,
        articles: ArticleRepo,
        chats: ChatRepo,
        clock: Clock,
        settings: AdminSettings,
        ingest: IngestService,
        editor: Editor,
        *,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.wake = wake
        self.stats_repo = stats
        self.audit_log = audit_log
        self.feeds_repo = feeds
        self.articles = articles
        self.chats = chats
        self.clock = clock
        self.settings = settings
        self.ingest = ingest
        self.editor = editor

    async def stats(self, admin_id: int, lang: str) -> StatsReport:
        now = self.clock.now()
        s = await self.stats_repo.subscriber_stats(now)
        offset = now.astimezone(self.settings.zone).utcoffset()
        series = await self.stats_repo.daily_series(
            now, CHART_DAYS, int(offset.total_seconds()) if offset else 0
        )
        topics = (
            " · ".join(f"{t(f'topics_name_{name}', lang)} {n}" for name, n in sorted(s.by_topic.items()))
            or "—"
        )
        caption = t(
            "admin_stats_caption",
            lang,
            active=s.active,
            blocked=s.blocked,
            unsubscribed=s.unsubscribed,
            private=s.by_type.get(ChatType.PRIVATE, 0),
            group=s.by_type.get(ChatType.GROUP, 0),
            channel=s.by_type.get(ChatType.CHANNEL, 0),
            telegram=s.by_platform.get(Platform.TELEGRAM, 0),
            zalo=s.by_platform.get(Platform.ZALO, 0),
            topics=html.escape(topics, quote=False),
            new_week=s.new_week,
            new_month=s.new_month,
            sent_day=s.sent_day,
            sent_week=s.sent_week,
            failed_day=s.failed_day,
            failed_week=s.failed_week,
            queue=s.queue,
        )
        png = render_chart(
            series,
            t("admin_chart_title", lang),
            t("admin_chart_subscribers", lang),
            t("admin_chart_deliveries", lang),
        )
        if png is None:
            caption += "\n\n" + t("admin_stats_no_chart", lang)
        await self.audit_log.record_action(admin_id, "stats", "", now)
        return StatsReport(caption, png)

    async def feeds(self, admin_id: int, lang: str) -> str:
        now = self.clock.now()
        lines = [t("admin_feeds_heading", lang)]
        feeds = await self.feeds_repo.list_feeds()
        if not feeds:
            return t("admin_no_feeds", lang)
        for feed in feeds:
            backoff = ""
            if feed.consecutive_errors and feed.next_poll_at is not None:
                backoff = t(
                    "admin_feed_backoff",
                    lang,
                    delay=_duration((feed.next_poll_at - now).total_seconds()),
                    error=error_words(feed.last_error, lang),
                )
            icon = (
                "🔴"
                if feed.alerted == FeedHealth.FAILING
                else "🟡"
                if feed.alerted == FeedHealth.STALE
                else "🟢"
            )
            if feed.consecutive_errors and icon == "🟢":
                icon = "🟠"
            lines.append(
                t(
                    "admin_feed_line",
                    lang,
                    icon=icon,
                    name=f"#{feed.id} {html.escape(feed_name(feed), quote=False)} · "
                    + t(f"admin_feed_origin_{feed.origin}", lang)
                    + (t("admin_feed_paused", lang) if feed.paused else ""),
                    success=local_time(feed.last_success_at, self.settings, lang),
                    new=local_time(feed.last_new_at, self.settings, lang),
                    errors=feed.consecutive_errors,
                    backoff=backoff,
                    next=local_time(feed.next_poll_at, self.settings, lang),
                )
            )
        await self.audit_log.record_action(admin_id, "feeds", "", now)
        return "\n\n".join(lines)

    async def poll(self, admin_id: int, lang: str) -> str:
        reports = await self.ingest.poll_now()
        names = {f.id: feed_name(f) for f in await self.feeds_repo.list_feeds()}
        lines = [t("admin_poll_heading", lang)]
        for r in reports:
            status = t(f"admin_poll_status_{r.status}", lang)
            if r.error is not None:
                status = f"{status}: {error_words(r.error, lang, 120)}"
            lines.append(
                t(
                    "admin_poll_line",
                    lang,
                    name=html.escape(names.get(r.feed_id, str(r.feed_id)), quote=False),
                    status=status,
                    new=r.new,
                    queued=r.queued,
                )
            )
        queued = sum(r.queued for r in reports)
        await self.audit_log.record_action(admin_id, "poll", str(len(reports)), self.clock.now(), queued)
        return "\n".join(lines)

    async def find_article(self, ref: str) -> ArticleRecord | None:
        """An article by the site's number (1234 of …-1234.html), its link, or its key."""
        article_id = await self.articles.find_article_id(ref.strip().lstrip("#"))
        return await self.articles.get_article(article_id) if article_id is not None else None

    async def article(self, article_id: int) -> ArticleRecord | None:
        return await self.articles.get_article(article_id)

    async def recent_articles(
        self, limit: int = RECENT_ARTICLES, *, retracted: bool = False
    ) -> list[ArticleRecord]:
        """The newest articles; with the retracted ones for a correction (often withdrawn first)."""
        return await self.articles.latest_articles(limit, with_retracted=retracted)

    async def retract(self, admin_id: int, article_id: int) -> ArticleAction:
        """Withdraw an article: unsent deliveries are cancelled and every delivered message is edited to
        say the department withdrew it."""
        article = await self.articles.get_article(article_id)
        if article is None:
            return ArticleAction(None)
        messages = await self.articles.retract_article(article.id)
        editable = [m for m in messages if m.platform == Platform.TELEGRAM]
        report = await self.editor.mark_withdrawn(article, editable)
        # Zalo cannot edit a sent message: its readers get a short notice instead
        notices = [
            (m.chat_id, render_article_plain(article, m.language, self.settings.zone, withdrawn=True).text)
            for m in messages
            if m.platform != Platform.TELEGRAM
        ]
        if await self.articles.queue_notices(notices, self.clock.now()):
            self.wake()
        edited = report.edited + len(notices)
        await self.audit_log.record_action(
            admin_id, "retract", f"#{article.id} {article.title[:200]}", self.clock.now(), edited
        )
        return ArticleAction(article.id, edited, report.failed)

    async def resend(self, admin_id: int, article_id: int) -> ArticleAction:
        """Publish a correction: the corrected text is read from the site, every delivered message is
        edited to say a correction follows, and the article goes out again labelled as a correction."""
        article = await self.articles.get_article(article_id)
        if article is None:
            return ArticleAction(None)
        messages = await self.articles.retract_article(article.id)  # nothing old goes out meanwhile
        await self.ingest.refresh_article(article.id)  # the corrected text, when the page can be read
        fresh = await self.articles.get_article(article.id) or article
        report = await self.editor.mark_withdrawn(fresh, messages, superseded=True)
        queued = await self.articles.requeue_article(
            article.id, self.clock.now(), status=ArticleStatus.CORRECTED
        )
        if queued:
            self.wake()
        detail = f"#{article.id} {fresh.title[:200]}"
        await self.audit_log.record_action(admin_id, "resend", detail, self.clock.now(), queued)
        return ArticleAction(article.id, queued, report.failed, edited=report.edited)

    async def export(self, admin_id: int) -> Export:
        """Every known chat (subscribed or not, reachable or not), for backup or another bot account."""
        rows = await self.chats.export_chats()
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: (
                        v.isoformat()
                        if isinstance(v, datetime)
                        else int(v)
                        if isinstance(v, bool)
                        else csv_cell(v)
                        if isinstance(v, str)
                        else v
                    )
                    for k, v in row.items()
                }
            )
        now = self.clock.now()
        await self.audit_log.record_action(admin_id, "export", "subscribers.csv", now, len(rows))
        stamp = now.astimezone(self.settings.zone).strftime("%Y%m%d-%H%M")
        return Export(f"subscribers-{stamp}.csv", out.getvalue().encode("utf-8-sig"), len(rows))

    async def audit(self, lang: str, bot: ChatDirectory | None = None, limit: int = AUDIT_LINES) -> str:
        """The latest admin actions, newest first: when, who (by name), what (in words), how many."""
        entries = await self.audit_log.latest_audit(limit)
        if not entries:
            return t("admin_audit_empty", lang)
        names: dict[int, str] = {}
        for admin_id in {e.admin_id for e in entries}:
            names[admin_id] = await self._admin_name(bot, admin_id, lang)
        lines = [t("admin_audit_heading", lang)]
        for e in entries:
            recipients = "" if e.recipients is None else t("admin_audit_recipients", lang, n=e.recipients)
            lines.append(
                t(
                    "admin_audit_line",
                    lang,
                    at=local_time(e.at, self.settings, lang),
                    admin=html.escape(names[e.admin_id], quote=False),
                    action=t(f"admin_action_{e.action}", lang)
                    if f"admin_action_{e.action}" in catalog()
                    else e.action,
                    detail=html.escape(audit_detail(e.action, e.detail, lang)[:200], quote=False),
                    recipients=recipients,
                )
            )
        return "\n".join(lines)

    async def _admin_name(self, bot: ChatDirectory | None, admin_id: int, lang: str) -> str:
        """An admin as Telegram names them (their private chat with the bot), else a neutral label."""
        if bot is not None:
            try:
                chat = await bot.get_chat(admin_id)
            except Exception:  # never opened a chat with the bot, or Telegram unreachable: a label will do
                chat = None
            name = " ".join(p for p in (chat.first_name, chat.last_name) if p) if chat else ""
            if name:
                return name
        return t("admin_name_unknown", lang, id=admin_id)


AUDIENCE_DETAIL = re.compile(r"^(#\d+) → (\w+)$")


def audit_detail(action: str, detail: str, lang: str) -> str:
    """What an audit line says after the action, in words: an audience by name, a count of feeds."""
    if action == "broadcast":
        found = AUDIENCE_DETAIL.match(detail)
        if found and f"admin_audience_name_{found.group(2)}" in catalog():
            return f"{found.group(1)} → {t(f'admin_audience_name_{found.group(2)}', lang)}"
    if action == "poll":
        number = re.match(r"^(\d+)", detail)
        if number:
            return t("admin_audit_feeds", lang, n=int(number.group(1)))
    return detail
