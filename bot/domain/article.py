"""An entry of the feed plus (when it could be read) its page → the Article we store and post. Pure."""

from __future__ import annotations

from bot.domain.awards import detect_award
from bot.domain.identity import category_alias
from bot.domain.models import Article, FeedEntry, Kind, PageContent
from bot.domain.summary import summarize
from bot.domain.text import normalize


def build_article(entry: FeedEntry, page: PageContent | None, summary_budget: int) -> Article:
    """Merge what the feed and the page say. The page wins for body, image and date (the feed's
    pubDate has only date and hour right); the feed's lead stays when the page has none."""
    page = page or PageContent()
    title = normalize(entry.title or page.title or "")
    lead = normalize(page.lead or entry.lead or "")
    paragraphs = [normalize(p) for p in page.paragraphs if p.strip()]
    body = "\n\n".join(paragraphs)
    summary = summarize(title, lead, paragraphs, summary_budget)
    award = detect_award(title, lead, body, page.captions)
    return Article(
        key=entry.key,
        link=entry.link,
        title=title,
        lead=lead,
        body=body,
        image=page.image or entry.thumbnail,
        published=page.published or entry.published,
        summary=summary,
        kind=Kind.AWARD if award else Kind.ARTICLE,
        award=award,
        source=page.source,
        captions=tuple(page.captions),
        category=category_alias(entry.link),
        category_name=page.category_name,
        images=page.images,
        attachments=tuple(zip(page.attachments, page.attachment_names, strict=False)),
    )
