"""/khenthuong end to end: who received an award, found by a name typed without diacritics."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.domain.models import Article, AwardInfo, Evidence, Kind, Recipient, Stage
from tests.e2e.citizen_support import START, command, press, publish
from tests.e2e.harness import make_settings, running_bot
from tests.e2e.site import DATA, NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

USER = 731


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


async def test_a_name_without_diacritics_finds_the_award_read_from_the_article(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    """The seed article goes through the real feed, page and award reading; the search finds its facts."""
    site.publish(1200, "Bài cũ")
    clock = ManualClock(START)
    settings = make_settings(
        server, sqlite_url, feeds=[{"url": site.feed_url}], poll_interval_seconds=600, poll_jitter_fraction=0
    )
    async with running_bot(settings, clock) as svc:
        await svc.ingest.poll_due()
        seed = (DATA / "pages" / "seed-article-1234.html").read_bytes()
        site.publish(1234, "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông", page=seed)
        site.publish(1235, "Bà Oanh Trần dự hội thảo chuyển đổi số")  # the words, but no award fact
        clock.advance(minutes=11)
        await svc.ingest.poll_due()

        found = await command(server, USER, "/khenthuong nguyen thi kieu oanh")
        text = found.plain_text
        assert "1 tin khen thưởng cho «nguyen thi kieu oanh»" in text
        assert "Hội nghị Điển hình tiên tiến" in text and "chuyển đổi số" not in text
        assert "Người nhận: Nguyễn Thị Kiều Oanh" in text  # the name as the article writes it
        assert (
            "Hình thức: Bằng khen của Chủ tịch UBND tỉnh\n" in text
        )  # which award: not the Giấy khen of others
        assert "Cấp khen: Chủ tịch UBND tỉnh" in text and "Giám đốc Sở" not in text  # from whom
        assert found.text is not None and "-1234.html" in found.text  # the article's link
        assert "(28/06/2020" in text  # when: the article's date

        english = await command(server, USER, "/khenthuong Kieu Oanh", language_code="en")
        assert "1 award announcement for “Kieu Oanh”" in english.plain_text
        assert "Nguyễn Thị Kiều Oanh" in english.plain_text

        partial = await command(server, USER, "/khenthuong oan")  # whole words only
        assert "Không tìm thấy khen thưởng nào cho «oan»" in partial.plain_text
        usage = await command(server, USER, "/khenthuong")
        assert "/khenthuong tên hoặc đơn vị" in usage.plain_text


def award_article(n: int, name: str, unit: str) -> Article:
    sentence = f"Tặng Bằng khen cho {name} - {unit}."
    info = AwardInfo(
        stage=Stage.CONFERRED,
        kinds=("Bằng khen",),
        authorities=("Giám đốc Sở",),
        recipients=(Recipient(name, unit),),
        evidence=(
            Evidence("kind", "Bằng khen", sentence),
            Evidence("authority", "Giám đốc Sở", sentence),
            Evidence("recipient", name, sentence),
        ),
    )
    return Article(
        key=f"sokhcn.tayninh.gov.vn/news/{5000 + n}",
        link=f"https://sokhcn.tayninh.gov.vn/vi/news/tin-tuc/khen-{n}-{5000 + n}.html",
        title=f"Khen thưởng đợt {n}",
        lead=sentence,
        body=sentence,
        image=None,
        published=START,
        summary=sentence,
        kind=Kind.AWARD,
        award=info,
    )


async def test_award_search_by_organisation_pages_with_prev_and_next(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        items = [award_article(n, f"Người thứ {n}", "Phòng Quản lý Khoa học") for n in range(1, 8)]
        items.append(award_article(9, "Lê Văn Tám", "Trung tâm Ứng dụng"))
        await publish(svc, clock, *items)
        first = await command(server, USER, "/khenthuong phong quan ly khoa hoc")
        assert "7 tin khen thưởng" in first.plain_text and "Trang 1/2" in first.plain_text
        assert "Lê Văn Tám" not in first.plain_text
        assert first.callback_data == ["kt|1|phong quan ly khoa hoc"]
        second = await press(server, USER, "kt|1|phong quan ly khoa hoc", first.message_id)
        assert "Trang 2/2" in second.plain_text and second.plain_text.count("👤") == 2
