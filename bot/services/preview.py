"""`python -m bot preview SOURCE`: what the bot would post, without Telegram or a database."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.domain.article import build_article
from bot.domain.fetch_policy import FetchPolicy
from bot.domain.models import Article
from bot.domain.render import render_article
from bot.domain.statuses import ArticleStatus
from bot.feeds.fetch import FeedClient, Validators
from bot.feeds.page import parse_page
from bot.feeds.parse import FeedError, parse_feed
from bot.settings import Settings
from bot.store.records import ArticleRecord


def article_json(article: Article, zone: ZoneInfo) -> dict[str, object]:
    return {
        "id": article.key,
        "title": article.title,
        "link": article.link,
        "published": article.published.astimezone(zone).isoformat() if article.published else None,
        "image": article.image,
        "summary": article.summary,
        "kind": article.kind.value,
        "award": article.award.as_json() if article.award else None,
        "source": article.source,
        "images": list(article.images),
        "attachments": [{"url": url, "name": name} for url, name in article.attachments],
    }


def as_record(article: Article) -> ArticleRecord:
    """The shape the sender renders, so the preview shows exactly what would be posted."""
    return ArticleRecord(
        id=0,
        feed_id=0,
        key=article.key,
        link=article.link,
        title=article.title,
        lead=article.lead,
        summary=article.summary,
        image=article.image,
        source=article.source,
        kind=article.kind.value,
        award=article.award,
        published_at=article.published,
        discovered_at=article.published or datetime.now(UTC),
        status=ArticleStatus.PUBLISHED,
        media={
            "images": list(article.images),
            "attachments": [{"url": url, "name": name} for url, name in article.attachments],
        },
    )


async def preview(
    settings: Settings,
    source: str,
    *,
    as_json: bool,
    limit: int | None,
    fetch: bool,
    out: TextIO = sys.stdout,
) -> int:
    client = FeedClient(
        user_agent=settings.user_agent,
        timeout=settings.fetch_timeout_seconds,
        max_bytes=settings.max_feed_bytes,
        proxy=settings.feeds_proxy,
    )
    policy: FetchPolicy | None = None  # a file: each page from its own site
    try:
        if source.startswith(("http://", "https://")):
            listed = [h for f in settings.feed_list if f.url == source for h in f.allowed_hosts]
            policy = FetchPolicy.for_feed(source, listed)
            result = await client.fetch_feed(source, Validators(), policy=policy)
            if result.status != "ok" or result.body is None:
                print(
                    f"error: could not read the feed {source}: {result.error or result.status}",
                    file=sys.stderr,
                )
                return 1
            body, base = result.body, result.url
        else:
            try:
                body = await asyncio.to_thread(Path(source).read_bytes)
            except OSError as exc:
                print(f"error: {source} is not a URL nor a readable file: {exc.strerror}", file=sys.stderr)
                return 1
            base = "file:///" + source
        try:
            parsed = parse_feed(body, base)
        except FeedError as exc:
            print(f"error: {source} is not a usable feed: {exc}", file=sys.stderr)
            return 1
        if parsed.warning:
            print(f"warning: the feed is malformed but readable: {parsed.warning}", file=sys.stderr)
        entries = parsed.entries[:limit] if limit else parsed.entries
        for entry in entries:
            page = None
            if fetch and entry.link.startswith(("http://", "https://")):
                raw = await client.fetch_page(entry.link, policy=policy)
                page = parse_page(raw, entry.link) if raw else None
            article = build_article(entry, page, settings.summary_caption_budget)
            if as_json:
                out.write(json.dumps(article_json(article, settings.zone), ensure_ascii=False) + "\n")
            else:
                shown = render_article(as_record(article), settings.default_language, settings.zone)
                pictures = shown.album or ((shown.photo,) if shown.photo else ())
                files = "".join(
                    f"📎 {text[2:]}: {url}\n" for text, url in shown.buttons if text.startswith("📎")
                )
                out.write(
                    "".join(f"🖼 {url}\n" for url in pictures) + shown.text + "\n" + files + "─" * 40 + "\n"
                )
        return 0
    finally:
        await client.aclose()
