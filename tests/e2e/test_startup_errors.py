"""A database that cannot be opened or written at start stops `python -m bot run` with one clear line (no
traceback) and exit status 2."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


async def run_bot(database_url: str) -> tuple[int, list[str]]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
        "DATABASE_URL": database_url,
        "HEALTH_PORT": "0",
        "LOG_LEVEL": "WARNING",
    }
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _out, err = await asyncio.wait_for(bot.communicate(), 60)
    assert bot.returncode is not None
    return bot.returncode, [line for line in err.decode().splitlines() if line.strip()]


def read_only_sqlite(tmp_path: Path) -> str:
    path = tmp_path / "bot.sqlite3"
    sqlite3.connect(path).close()
    return f"sqlite:///file:{path}?mode=ro&uri=true"


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("read-only", "readonly database"),
        ("not a folder", "File exists"),
        ("refused", "Connect call failed"),
    ],
)
async def test_a_database_that_cannot_be_opened_or_written_gives_one_clear_line(
    tmp_path: Path, case: str, says: str
) -> None:
    (tmp_path / "file").write_text("not a folder")
    url = {
        "read-only": read_only_sqlite(tmp_path),
        "not a folder": f"sqlite:///{tmp_path / 'file' / 'bot.sqlite3'}",
        "refused": "postgresql://bot:secret-password@127.0.0.1:9/bot",
    }[case]
    status, lines = await run_bot(url)
    assert status == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: cannot open or write the database ") and says in lines[0]
    assert "secret-password" not in lines[0]
