"""`python -m bot preview`: what the bot would post, from a URL (pages fetched) or a file, no token, no DB."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.services.preview import preview
from bot.settings import Settings
from tests.data.make_feed import make_feed
from tests.feedserver import FeedServer

ROOT = Path(__file__).resolve().parents[1]
SEED_PAGE = ROOT / "tests" / "data" / "pages" / "seed-article-1234.html"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_preview_json_reads_the_page_and_finds_the_seed_award() -> None:
    async with FeedServer() as site:
        page = "/vi/news/tin-hoat-dong/hoi-nghi-dien-hinh-tien-tien-so-thong-tin-va-truyen-thong-1234.html"
        site.set(page, SEED_PAGE.read_bytes(), content_type="text/html; charset=utf-8")
        site.set(
            "/rss",
            make_feed(
                [
                    {
                        "id": 1234,
                        "title": "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông",
                        "link": site.url(page),
                        "lead": "Ngày 26.6, Sở Thông tin và Truyền thông tỉnh Tây Ninh tổ chức Hội nghị.",
                        "published": datetime(2020, 6, 28, 18, 0, tzinfo=VN),
                    }
                ],
                host=site.url(""),
            ),
        )
        out = io.StringIO()
        code = await preview(
            Settings(feed_urls=(site.url("/rss"),)),
            site.url("/rss"),
            as_json=True,
            limit=None,
            fetch=True,
            out=out,
        )
    assert code == 0
    [line] = out.getvalue().splitlines()
    item = json.loads(line)
    assert item["id"].endswith("/news/1234") and item["link"].endswith("-1234.html")
    assert item["published"] == "2020-06-28T18:00:00+07:00"  # the page's visible date, not the buggy pubDate
    assert item["image"].startswith("http://127.0.0.1:")
    assert len(item["images"]) == 3 and item["images"][0] == item["image"]  # posted as an album
    assert [a["name"] for a in item["attachments"]] == ["quyet-dinh-khen-thuong.pdf"]
    assert item["kind"] == "award"
    award = item["award"]
    assert award["stage"] == "conferred"
    assert "Bằng khen của Chủ tịch UBND tỉnh" in award["kinds"]
    assert "Giấy khen của Giám đốc Sở" in award["kinds"]
    assert {
        "name": "Nguyễn Thị Kiều Oanh",
        "position": "Chuyên viên Phòng Công nghệ thông tin, Bưu chính và Viễn thông",
    } in award["recipients"]
    assert award["counts"] == {
        "Bằng khen của Chủ tịch UBND tỉnh": {"collectives": None, "individuals": 1},
        "Giấy khen của Giám đốc Sở": {"collectives": 9, "individuals": 12},
    }
    assert (award["collectives"], award["individuals"]) == (None, None)  # no total is stated
    # every fact comes with the sentence it was read from
    evidence = {(e["fact"], e["value"]): e["text"] for e in award["evidence"]}
    for kind in award["kinds"]:
        assert kind.split(" của ")[0].lower() in evidence[("kind", kind)].lower()
    assert "9 tập thể, 12 cá nhân" in evidence[("count", "Giấy khen của Giám đốc Sở: 9 tập thể")]
    assert "Nguyễn Thị Kiều Oanh" in evidence[("recipient", "Nguyễn Thị Kiều Oanh")]
    assert {"stage", "authority"} <= {fact for fact, _ in evidence}
    assert "Theo BTNO" not in item["summary"] and len(item["summary"]) <= 700


def test_preview_cli_from_a_file_needs_no_token_or_database(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/never.db"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "preview",
            "tests/data/feeds/site-30.xml",
            "--json",
            "--no-fetch",
            "--limit",
            "3",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(items) == 3
    for item in items:
        assert set(item) >= {"id", "title", "link", "published", "image", "summary", "kind", "award"}
        assert item["kind"] in ("article", "award")
        assert item["published"].endswith("+07:00")
    assert not (tmp_path / "never.db").exists()


def test_preview_of_a_non_feed_says_so(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "preview", "tests/data/feeds/flood-blocker.html"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "not a usable feed" in result.stderr
