"""One invalid byte costs only the damaged characters of the item that holds it, through the real fetch
and parse code against a local server: the rest of the feed (and of the page) reads exactly right."""

from bot.feeds.fetch import FeedClient, Validators
from bot.feeds.page import parse_page
from bot.feeds.parse import parse_feed
from tests.data.make_feed import make_feed
from tests.feedserver import FeedServer

TITLES = [f"Hội nghị tổng kết công tác thi đua – khen thưởng năm {2000 + n}, Sở Khoa học" for n in range(30)]
LEADS = [f"Ngày 26.6, Sở trao Bằng khen của Chủ tịch UBND tỉnh cho {n} tập thể." for n in range(30)]


def feed_with_bad_byte(bad: bytes) -> bytes:
    body = make_feed(
        [{"id": 1000 + n, "title": TITLES[n], "lead": LEADS[n]} for n in range(30)],
    )
    target = "năm 2015".encode()
    assert body.count(target) == 1
    return body.replace(target, b"n" + bad + "ăm 2015".encode())


async def test_an_invalid_utf8_byte_costs_only_its_characters():
    body = feed_with_bad_byte(b"\xff")
    async with FeedServer() as server, FeedClient() as client:
        server.set("/rss", body)
        result = await client.fetch_feed(server.url("/rss"), Validators())
    assert result.status == "ok" and result.body == body
    feed = parse_feed(result.body, result.url)
    titles = [e.title for e in feed.entries]
    assert len(titles) == 30
    damaged = TITLES[15].replace("năm 2015", "n\ufffdăm 2015")
    assert titles == [damaged if n == 15 else TITLES[n] for n in range(30)]
    assert [e.lead for e in feed.entries] == LEADS
    assert "replaced" in (feed.warning or "")


async def test_a_truncated_multibyte_character_in_a_lead():
    body = make_feed(
        [{"id": 1, "title": "Tin một", "lead": "Sở trao Bằng khen"}, {"id": 2, "title": "Tin hai"}]
    )
    body = body.replace("Bằng".encode(), b"B" + "ằ".encode()[:2] + b"ng")
    feed = parse_feed(body, "https://sokhcn.tayninh.gov.vn/vi/news/rss/")
    assert [e.title for e in feed.entries] == ["Tin một", "Tin hai"]
    assert feed.entries[0].lead == "Sở trao B\ufffdng khen"


def test_a_declared_single_byte_charset_is_still_honoured():
    text = '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Caf\xe9</title>'
    text += "<item><title>R\xe9sum\xe9</title><link>https://x.vn/a-1.html</link></item></channel></rss>"
    feed = parse_feed(text.encode("iso-8859-1"), "https://x.vn/rss/")
    assert feed.title == "Café" and feed.entries[0].title == "Résumé"


async def test_an_invalid_byte_in_a_page_costs_only_its_characters():
    paragraphs = [f"Đoạn {n}: Sở Khoa học và Công nghệ tổ chức hội nghị." for n in range(20)]
    html = (
        '<html><head><meta charset="utf-8"><title>T</title></head><body>'
        '<h1 class="title">Tiêu đề bài viết</h1>'
        '<div id="news-bodyhtml">' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></body></html>"
    ).encode()
    html = html.replace("Đoạn 3:".encode(), b"\xc0\xaf" + "Đoạn 3:".encode())
    async with FeedServer() as server, FeedClient() as client:
        server.set("/a-1.html", html, content_type="text/html; charset=utf-8")
        raw = await client.fetch_page(server.url("/a-1.html"))
    assert raw == html
    page = parse_page(raw, "https://x.vn/a-1.html")
    assert page.title == "Tiêu đề bài viết"
    expected = [("\ufffd\ufffd" + p) if n == 3 else p for n, p in enumerate(paragraphs)]
    assert list(page.paragraphs) == expected
