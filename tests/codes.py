"""What an untranslated internal code looks like in a Vietnamese text: a snake_case token
(`not_modified`, `broadcast_cancel`) or an English status/topic word (`all 7, awards 1`, `sending`).

Commands (/cancel_broadcast), <code>…</code>, {placeholders}, tags, links and @names are not codes."""

from __future__ import annotations

import re

SNAKE = re.compile(r"(?<![/@\w.-])[a-z0-9]+(?:_[a-z0-9]+)+\b")
ENGLISH = frozenset(
    [
        "all",
        "awards",
        "feeds",
        "topics",
        "instant",
        "daily",
        "weekly",
        "hold",
        "silent",
        "off",
        "on",
        "yes",
        "no",
        "true",
        "false",
        "none",
        "null",
        "draft",
        "sending",
        "done",
        "cancelled",
        "canceled",
        "pending",
        "failed",
        "sent",
        "error",
        "errors",
        "new",
        "unchanged",
        "modified",
        "busy",
        "ok",
        "stats",
        "export",
        "retract",
        "resend",
        "poll",
        "broadcast",
        "audit",
        "private",
        "group",
        "supergroup",
        "channel",
        "admin",
        "subscribed",
        "unsubscribed",
        "blocked",
        "active",
        "inactive",
        "queue",
        "queued",
        "retry",
        "retracted",
        "corrected",
        "published",
    ]
)
SKIP = re.compile(
    r"<code>.*?</code>|<[^>]+>|\{[^}]*\}|https?://\S+|/[a-z_]+(?:@\w+)?|@\w+|'[^']*'|\"[^\"]*\"",
    re.DOTALL,
)
WORD = re.compile(r"[A-Za-z]+(?:_[A-Za-z0-9]+)*")


def internal_codes(text: str) -> list[str]:
    """The internal codes a Vietnamese reader would meet in `text` (empty when there are none)."""
    visible = SKIP.sub(" ", text)
    found = SNAKE.findall(visible)
    found += [w for w in WORD.findall(visible) if "_" not in w and w.lower() in ENGLISH]
    return found
