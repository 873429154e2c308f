"""Unsafe links are dropped with their link element: no empty or dangerous href reaches a message."""

from __future__ import annotations

import pytest

from bot.domain.render import link, render_article, render_digest, safe_url
from tests.domain.test_render import VN, Art
from tests.standin import check_html

UNSAFE = [
    "javascript:alert(1)",
    " JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://sokhcn.tayninh.gov.vn/a",
    "//evil.example/a",
    "/vi/news/a-1.html",
    "https://",
    "https://exa mple.org/a",
    "https://example.org/\x00a",
    "",
]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_urls(url: str) -> None:
    assert safe_url(url) is None
    assert link(url, "<b>Tin</b>") == "<b>Tin</b>"


def test_safe_urls_are_kept_and_escaped() -> None:
    url = 'https://sokhcn.tayninh.gov.vn/a-1.html?x=1&y="2"'
    assert safe_url(url) == url
    assert (
        link(url, "Tin") == '<a href="https://sokhcn.tayninh.gov.vn/a-1.html?x=1&amp;y=&quot;2&quot;">Tin</a>'
    )


@pytest.mark.parametrize("url", UNSAFE)
def test_an_article_with_an_unsafe_link_has_no_link_element_nor_button(url: str) -> None:
    for with_photo in (True, False):
        out = render_article(Art(link=url), "vi", VN, with_photo=with_photo)
        assert "<a" not in out.text and "href" not in out.text
        assert out.button_url is None and out.button_text is None
        assert "Sở tổ chức hội nghị" in out.text and "Hội nghị diễn ra sáng 25/11." in out.text
        check_html(out.text)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:image/png;base64,AAAA", "/uploads/a.jpg"])
def test_an_unsafe_image_is_not_sent(url: str) -> None:
    out = render_article(Art(image=url), "vi", VN)
    assert out.photo is None
    assert out.button_url == Art().link  # the article's own link stays


def test_a_digest_line_with_an_unsafe_link_keeps_its_title_as_text() -> None:
    [message] = render_digest([Art(link="javascript:alert(1)"), Art(title="Tin hai")], "vi", VN, "Tin mới")
    assert message.count("<a ") == 1 and "javascript" not in message
    assert "• Sở tổ chức hội nghị" in message
    check_html(message)
