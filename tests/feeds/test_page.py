from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import PageContent
from bot.feeds.page import parse_page, parse_visible_date

DATA = Path(__file__).resolve().parent.parent / "data" / "pages"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEED_URL = (
    "https://sotttt.tayninh.gov.vn/vi/news/tin-hoat-dong/"
    "hoi-nghi-dien-hinh-tien-tien-so-thong-tin-va-truyen-thong-1234.html"
)


def load(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture(scope="module")
def seed() -> PageContent:
    return parse_page(load("seed-article-1234.html"), SEED_URL)


def test_seed_title_lead_date(seed):
    assert seed.title == "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông"
    assert seed.lead == (
        "Ngày 26.6, Sở Thông tin và Truyền thông tỉnh Tây Ninh tổ chức Hội nghị Điển hình tiên tiến "
        "giai đoạn 2015 - 2020."
    )
    assert seed.published == datetime(2020, 6, 28, 18, 0, tzinfo=VN)
    assert seed.published.utcoffset().total_seconds() == 7 * 3600


def test_seed_body_has_award_sentences(seed):
    body = "\n".join(seed.paragraphs)
    assert len(seed.paragraphs) == 10
    assert seed.paragraphs[0].startswith("Giai đoạn 2015 - 2020, công tác thi đua, khen thưởng")
    assert "Chủ tịch UBND tỉnh đã tặng bằng khen cho bà Nguyễn Thị Kiều Oanh" in body
    assert "tặng Giấy khen cho 9 tập thể, 12 cá nhân" in body
    assert "Cờ “Đơn vị dẫn đầu phong trào thi đua”" in body


def test_seed_body_excludes_noise(seed):
    everything = "\n".join((*seed.paragraphs, *seed.captions, seed.lead or ""))
    for noise in (
        "Lễ trao Bằng khen của Thủ tướng",  # related news
        "Tổng kết công tác thi đua, khen thưởng năm 2019",  # related news
        "Ý kiến bạn đọc",  # comments
        "Chúc mừng chị Oanh",  # a comment
        "Bạn đã không sử dụng Site",  # session-expiry chrome
        "Thời gian chờ",
        "Thống kê truy cập",  # sidebar
        "Phát động phong trào thi đua",  # sidebar
        "Chịu trách nhiệm chính",  # footer
        "Trình duyệt của bạn",  # noscript
        "Theo BTNO",
        "nv_base_siteurl",  # scripts
    ):
        assert noise not in everything, noise


def test_seed_captions(seed):
    assert seed.captions[0] == "Quang cảnh Hội nghị Điển hình tiên tiến giai đoạn 2015 - 2020"
    assert (
        "Trao bằng khen của Chủ tịch UBND tỉnh cho bà Nguyễn Thị Kiều Oanh - Chuyên viên Phòng Công nghệ "
        "thông tin, Bưu chính và Viễn thông." in seed.captions
    )
    assert "Tặng Giấy khen của Giám đốc Sở cho các tập thể, cá nhân điển hình tiên tiến." in seed.captions
    assert not any(c in seed.paragraphs for c in seed.captions)


def test_seed_image_source_attachments(seed):
    assert seed.image == "https://sotttt.tayninh.gov.vn/uploads/news/2020_06/hoi-nghi-dien-hinh-tien-tien.jpg"
    assert seed.source == "BTNO"
    assert seed.attachments == (SEED_URL + "?download=1&id=0",)


def test_br_page():
    page = parse_page(
        load("br-style-1232.html"), "https://sotttt.tayninh.gov.vn/vi/news/tin-hoat-dong/x-1232.html"
    )
    assert page.title == "Trao Giải Báo chí tỉnh Tây Ninh lần thứ VI năm 2020"
    assert page.published == datetime(2020, 6, 21, 20, 0, tzinfo=VN)
    assert len(page.paragraphs) == 4
    assert page.paragraphs[-1].startswith("Dịp này, Chủ tịch UBND tỉnh tặng bằng khen cho 3 tập thể")
    assert page.captions == ("Phó Chủ tịch UBND tỉnh trao giải A cho các tác giả đoạt giải.",)
    assert page.source == "Báo Tây Ninh"
    assert page.image == "https://sotttt.tayninh.gov.vn/uploads/news/2020_06/trao-giai-a.jpg"


def test_word_page():
    url = "https://sotttt.tayninh.gov.vn/vi/news/thi-dua-khen-thuong/x-1229.html"
    page = parse_page(load("word-style-1229.html"), url)
    assert page.published == datetime(2020, 6, 15, 11, 0, tzinfo=VN)
    assert page.captions == ("Giám đốc Sở trao Giấy khen cho các tập thể có thành tích xuất sắc năm 2019.",)
    assert len(page.paragraphs) == 4
    assert page.paragraphs[0].startswith(
        "Ngày 12/6/2020, Giám đốc Sở Thông tin và Truyền thông ký Quyết định"
    )
    assert any("ông Trần Văn Hùng - Phó Chánh Văn phòng Sở" in p for p in page.paragraphs)
    assert "Văn phòng Sở" not in page.paragraphs  # right-aligned byline dropped
    assert all(p.strip() for p in page.paragraphs)  # &nbsp; paragraphs gone
    assert page.attachments == ("https://sotttt.tayninh.gov.vn/uploads/news/2020_06/qd-85-stttt.pdf",)
    assert page.image == "https://sotttt.tayninh.gov.vn/uploads/news/2020_06/giay-khen-2019.jpg"
    assert page.source is None


def test_fallback_page_uses_trafilatura():
    page = parse_page(load("no-structure.html"), "https://tayninh.gov.vn/tin-tuc/telehealth.html")
    assert page.title == "Tây Ninh triển khai nền tảng hỗ trợ tư vấn, khám chữa bệnh từ xa"
    assert page.published == datetime(2020, 6, 30, 16, 45, tzinfo=VN)
    assert len(page.paragraphs) >= 3
    assert page.paragraphs[0].startswith("Sáng 30.6, Sở Thông tin và Truyền thông phối hợp")
    assert not any("Bản quyền" in p or "Thủ tục hành chính" in p for p in page.paragraphs)
    assert page.source == "Cổng TTĐT tỉnh"
    assert page.image == "https://tayninh.gov.vn/Data/images/telehealth-og.jpg"


@pytest.mark.parametrize(
    "garbage",
    [b"", b"   ", b"\x00\x01\x02\xff", b"<html>", b"<<<>>>", b"\xff\xfe\x00g\x00", "Hãy đợi...".encode()],
)
def test_garbage_gives_empty_content(garbage):
    page = parse_page(garbage, "https://sotttt.tayninh.gov.vn/")
    assert page.paragraphs == ()
    assert page.published is None


def test_visible_date_forms():
    assert parse_visible_date("Chủ nhật - 28/06/2020 18:00 128 0") == datetime(2020, 6, 28, 18, 0, tzinfo=VN)
    assert parse_visible_date("Thứ bảy, 4/7/2020 - 07:05") == datetime(2020, 7, 4, 7, 5, tzinfo=VN)
    assert parse_visible_date("08:30 ngày 01/07/2020") == datetime(2020, 7, 1, 8, 30, tzinfo=VN)
    assert parse_visible_date("31/02/2020 10:00") is None
    assert parse_visible_date("không có ngày") is None


def test_seed_every_photo_for_an_album_and_the_attachment_by_name(seed):
    assert seed.images == (
        "https://sotttt.tayninh.gov.vn/uploads/news/2020_06/hoi-nghi-dien-hinh-tien-tien.jpg",
        "https://sotttt.tayninh.gov.vn/uploads/news/2020_06/trao-bang-khen-ubnd.jpg",
        "https://sotttt.tayninh.gov.vn/uploads/news/2020_06/tang-giay-khen.jpg",
    )
    assert seed.attachment_names == ("quyet-dinh-khen-thuong.pdf",)


def test_album_photos_stay_on_the_site_and_leave_out_icons():
    url = "https://www.sokhcn.tayninh.gov.vn/vi/news/tin-hoat-dong/x-77.html"
    html = """<html><body><h1 class="title">Hội nghị</h1><div id="news-bodyhtml">
    <p>Đoạn một.</p><p><img src="/uploads/a.jpg" width="600"></p>
    <p><img src="https://cdn.example.com/b.jpg"></p>
    <p><img src="/images/icon-pdf.png" width="16" height="16">
    <a href="/uploads/qd-12.pdf">Quyết định số 12/QĐ-SKHCN</a></p>
    <p><img src="https://sokhcn.tayninh.gov.vn/uploads/c.jpg"></p><p><img src="/uploads/a.jpg"></p>
    </div></body></html>""".encode()
    page = parse_page(html, url)
    assert page.images == (
        "https://www.sokhcn.tayninh.gov.vn/uploads/a.jpg",
        "https://sokhcn.tayninh.gov.vn/uploads/c.jpg",
    )
    assert page.attachments == ("https://www.sokhcn.tayninh.gov.vn/uploads/qd-12.pdf",)
    assert page.attachment_names == ("Quyết định số 12/QĐ-SKHCN",)
