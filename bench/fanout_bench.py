"""Fan-out benchmark: the real bot (Application + sender + SQLite outbox) against the Bot API stand-in,
which runs in a process of its own so that its CPU is not counted as the bot's.

    python -m bench.fanout_bench            # from the repository root; about two minutes

Prints, with the stand-in enforcing Telegram's limits (429 over 30/s overall, 1/s per private chat):
1. the achieved rate at the default cap (28/s) over the first 1,000 messages of a 10,000-subscriber
   fan-out, as a ratio of the cap, and the number of 429s;
2. the full 10,000-subscriber fan-out in paid-broadcast mode at 500/s: ratio, 429s, and the bot
   process's CPU milliseconds per delivered message;
3. the time to enqueue 100,000 deliveries on SQLite (one article, 100,000 subscribed chats, through
   store.articles.save_poll — the outbox write);
4. the bot process's peak memory (max RSS) while fanning out to those 100,000 subscribers.
Every bot run is a fresh subprocess (clean CPU and memory figures).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CAP = 28.0
PAID_CAP = 500.0


# ---- the stand-in, in its own process ---------------------------------------------------------------


async def serve_standin(global_per_second: int) -> None:
    from tests.standin import BotApiStandIn

    server = BotApiStandIn()
    await server.start()
    server.strict_limits(global_per_second=global_per_second, per_private_chat_per_second=1)

    async def stats(params: dict[str, Any], files: Any, record: Any) -> Any:
        sends = [m for m in server.sent if m.method in ("sendPhoto", "sendMessage")]
        times = [m.time for m in sends]
        return {
            "sent": len(times),
            "times": times,
            "chats": [m.chat_id for m in sends],
            "too_many": sum(1 for r in server.requests if r.status == 429),
            "violations": len(server.rate_violations),
        }

    async def reset(params: dict[str, Any], files: Any, record: Any) -> Any:
        server.sent.clear()
        server.requests.clear()
        server.rate_violations.clear()
        server._messages.clear()
        limit = int(params.get("global_per_second", global_per_second))
        server.strict_limits(global_per_second=limit, per_private_chat_per_second=1)
        return True

    server.add_method("benchStats", stats)
    server.add_method("benchReset", reset)
    print(json.dumps({"base_url": server.base_url, "token": server.token}), flush=True)
    await asyncio.Event().wait()


class StandIn:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.fanout_bench", "standin"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        info = json.loads(self.proc.stdout.readline())
        self.base_url: str = info["base_url"]
        self.token: str = info["token"]

    def call(self, method: str, **params: Any) -> Any:
        response = httpx.post(f"{self.base_url}{self.token}/{method}", json=params, timeout=30)
        return response.json()["result"]

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait()


# ---- preparing databases ------------------------------------------------------------------------------


async def prepare(url: str, subscribers: int) -> float:
    """A database with `subscribers` chats and one article queued for all of them; returns the seconds
    the outbox write (store.articles.save_poll) took."""
    from bot.settings import FeedConfig
    from bot.store.db import create_engine, upgrade
    from bot.store.store import Store
    from tests.e2e.outbox import add_chats, article, queue

    engine = create_engine(url)
    await upgrade(engine)
    store = Store(engine)
    await store.feeds.sync_feeds([FeedConfig(url="http://127.0.0.1:9/unused.rss")], 3600)
    await add_chats(store, range(1, subscribers + 1))
    started = time.perf_counter()
    queued = await queue(store, [article(1)])
    elapsed = time.perf_counter() - started
    assert queued == {"news_1": subscribers}, queued
    await engine.dispose()
    return elapsed


# ---- one bot run, in its own process ------------------------------------------------------------------


async def run_bot(args: argparse.Namespace) -> dict[str, Any]:
    """Run the bot until `stop_after` messages were delivered (or all of them); measure CPU and RSS."""
    from tests.e2e.harness import make_settings, running_bot

    class Server:  # what make_settings needs to know of the stand-in
        base_url = args.base_url
        token = args.token

    settings = make_settings(
        Server,  # type: ignore[arg-type]
        args.db,
        send_rate_per_second=args.rate,
        paid_broadcast=args.rate > 30,
        private_chat_interval_seconds=1,
        group_messages_per_minute=20,
        sender_concurrency=args.concurrency,
        log_level="WARNING",
    )
    async with running_bot(settings) as svc:
        cpu0, wall0 = time.process_time(), time.perf_counter()
        svc.sender.wake()
        while svc.sender.sent_count < args.stop_after:
            await asyncio.sleep(0.05)
            if args.drain:  # several processes share the queue: stop when nothing is left to send
                counts = await svc.store.outbox.delivery_counts()
                if not counts.get("pending") and not counts.get("sending"):
                    break
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        sent = svc.sender.sent_count
    return {
        "sent": sent,
        "cpu_seconds": cpu,
        "wall_seconds": wall,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bot_process(standin: StandIn, db: str, rate: float, stop_after: int, concurrency: int) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable, "-m", "bench.fanout_bench", "bot", "--db", db, "--rate", str(rate),
            "--stop-after", str(stop_after), "--concurrency", str(concurrency),
            "--base-url", standin.base_url, "--token", standin.token,
        ],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def ratio(times: list[float], n: int, cap: float) -> float:
    first = sorted(times)[:n]
    return (len(first) - 1) / (first[-1] - first[0]) / cap


# ---- the benchmark --------------------------------------------------------------------------------------


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="fanout-bench-"))
    standin = StandIn()
    try:
        print("preparing 10,000 and 100,000 subscribers …", flush=True)
        db10 = f"sqlite:///{work / 'ten.sqlite3'}"
        asyncio.run(prepare(db10, 10_000))
        db100 = f"sqlite:///{work / 'hundred.sqlite3'}"
        enqueue_seconds = asyncio.run(prepare(db100, 100_000))

        standin.call("benchReset", global_per_second=30)
        slow = bot_process(standin, db10, DEFAULT_CAP, 1_000, 16)
        stats = standin.call("benchStats")
        default_ratio = ratio(stats["times"], 1_000, DEFAULT_CAP)
        default_429 = stats["too_many"]

        db10b = f"sqlite:///{work / 'ten-paid.sqlite3'}"
        asyncio.run(prepare(db10b, 10_000))
        standin.call("benchReset", global_per_second=1000)
        paid = bot_process(standin, db10b, PAID_CAP, 10_000, 8)
        stats = standin.call("benchStats")
        paid_ratio = ratio(stats["times"], 10_000, PAID_CAP)
        paid_429 = stats["too_many"]

        standin.call("benchReset", global_per_second=1000)
        big = bot_process(standin, db100, PAID_CAP, 5_000, 8)
    finally:
        standin.close()

    cpu_ms = paid["cpu_seconds"] * 1000 / paid["sent"]
    print()
    print("fan-out benchmark (bot and stand-in in separate processes; stand-in enforces 429s)")
    print(f"  default cap {DEFAULT_CAP:g}/s, 10,000 subscribers, first 1,000 messages:")
    achieved = default_ratio * DEFAULT_CAP
    print(f"    achieved {achieved:.2f} msg/s = {default_ratio:.3f} of the cap   (target ≥ 0.95)")
    print(f"    429 answers: {default_429}   (target 0)")
    print(f"  paid broadcast cap {PAID_CAP:g}/s, 10,000 subscribers, all delivered ({paid['sent']}):")
    achieved = paid_ratio * PAID_CAP
    print(f"    achieved {achieved:.1f} msg/s = {paid_ratio:.3f} of the cap; 429 answers: {paid_429}")
    print(f"    bot CPU: {cpu_ms:.3f} ms per delivered message   (target ≤ 1 ms)")
    print(
        f"  enqueue 100,000 deliveries on SQLite (store.articles.save_poll): {enqueue_seconds:.2f} s "
        "(target ≤ 2 s)"
    )
    print(
        f"  peak RSS of the bot with 100,000 subscribers queued ({big['sent']} sent at {PAID_CAP:g}/s): "
        f"{big['max_rss_mb']:.0f} MB   (target ≤ 150 MB)"
    )
    print(f"  (default-cap run: bot CPU {slow['cpu_seconds'] * 1000 / slow['sent']:.3f} ms per message)")


def cli() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", nargs="?", default="main", choices=["main", "standin", "bot"])
    parser.add_argument("--db")
    parser.add_argument("--rate", type=float, default=DEFAULT_CAP)
    parser.add_argument("--stop-after", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--base-url")
    parser.add_argument("--token")
    parser.add_argument("--drain", action="store_true", help="stop when the shared queue is empty")
    args = parser.parse_args()
    if args.role == "standin":
        asyncio.run(serve_standin(30))
    elif args.role == "bot":
        os.environ.setdefault("PTB_TIMEDELTA", "1")
        print(json.dumps(asyncio.run(run_bot(args))))
    else:
        main()


if __name__ == "__main__":
    cli()
