"""A department web site for end-to-end tests: a NukeViet feed and article pages on a local server."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.data.make_feed import make_feed, slugify
from tests.feedserver import FeedServer

DATA = Path(__file__).resolve().parents[1] / "data"
FEED_PATH = "/vi/news/rss/"
BASE_TIME = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def article_page(
    title: str, lead: str, paragraphs: list[str], image: str, local_date: str, crumbs: str = ""
) -> bytes:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{html.escape(title)}</title></head><body>{crumbs}<div class="news_column">
<h1 class="title">{html.escape(title)}</h1>
<div class="newsdetailmetatop"><span class="h5">Thứ sáu - {local_date}</span> <span class="h5">12</span></div>
<figure class="article left"><p class="text-center"><img src="{image}" class="img-thumbnail"/></p>
<figcaption>Ảnh minh họa</figcaption></figure>
<div class="hometext">{html.escape(lead)}</div>
<div id="news-bodyhtml" class="bodytext">{body}</div>
<div class="newsdetailbox"><h3>Tin liên quan</h3>
<ul class="related"><li><a href="#">Khen thưởng 2019</a></li></ul></div>
</div></body></html>""".encode()


@dataclass
class NewsSite:
    server: FeedServer
    items: list[dict[str, object]] = field(default_factory=list)

    @property
    def feed_url(self) -> str:
        return self.server.url(FEED_PATH)

    def publish(
        self,
        news_id: int,
        title: str,
        *,
        lead: str = "",
        paragraphs: list[str] | None = None,
        minutes: int = 0,
        page: bytes | None = None,
        with_page: bool = True,
        trickle: float = 0.0,
        category: str = "tin-hoat-dong",
        category_name: str | None = None,
    ) -> str:
        """Put a new article on top of the feed (newest first, at most 30) and serve its page (with a
        NukeViet breadcrumb naming its category when `category_name` is given)."""
        published = BASE_TIME + timedelta(hours=news_id % 1000, minutes=minutes)
        path = f"/vi/news/{category}/{slugify(title)}-{news_id}.html"
        crumbs = ""
        if category_name:
            crumbs = (
                '<div class="breadcrumbs-wrap"><ul class="temp-breadcrumbs hidden">'
                '<li><a href="/vi/news/"><span>Tin Tức</span></a></li>'
                f'<li><a href="/vi/news/{category}/"><span>{html.escape(category_name)}</span></a></li>'
                "</ul></div>"
            )
        lead = lead or f"Tin {news_id}: {title}."
        item = {
            "id": news_id,
            "title": title,
            "link": self.server.url(path),
            "lead": lead,
            "thumbnail": self.server.url(f"/assets/news/{news_id}.jpg"),
            "published": published,
        }
        self.items.insert(0, item)
        del self.items[30:]
        if with_page:
            local = published.astimezone(timezone_vn()).strftime("%d/%m/%Y %H:%M")
            self.server.set(
                path,
                page
                or article_page(
                    title,
                    lead,
                    paragraphs or [f"Nội dung bài {news_id}."],
                    f"/uploads/news/{news_id}.jpg",
                    local,
                    crumbs,
                ),
                content_type="text/html; charset=utf-8",
                trickle=trickle,
            )
        self.refresh()
        return path

    def retitle(self, news_id: int, title: str) -> None:
        for item in self.items:
            if item["id"] == news_id:
                item["title"] = title
        self.refresh()

    def reorder(self) -> None:
        self.items.reverse()
        self.refresh()

    def refresh(self) -> None:
        newest = max((i["published"] for i in self.items), default=BASE_TIME)  # type: ignore[type-var]
        self.server.set(
            FEED_PATH,
            make_feed(self.items, host=self.server.url(""), self_url=self.feed_url),
            last_modified=format_http_date(newest),  # type: ignore[arg-type]
        )


def timezone_vn() -> ZoneInfo:

    return ZoneInfo("Asia/Ho_Chi_Minh")


def format_http_date(moment: datetime) -> str:
    from email.utils import format_datetime

    return format_datetime(moment.astimezone(UTC), usegmt=True)
