"""The delivery figures on PostgreSQL, with one and with three bot processes sharing the database.

    python -m bench.fanout_pg_bench [--subscribers 100000] [--cap 500]   # from the repository root

Each configuration gets a fresh database with N subscribers and one article queued for all (the outbox
write is timed), then 1 or 3 bot processes (`bench.fanout_bench bot --drain`) deliver it against the Bot API
stand-in, which runs in a process of its own and answers 429 above the cap. Printed per configuration:
achieved messages/second as a ratio of the cap (for the bot as a whole), 429 answers, the bots' CPU
milliseconds per delivered message (all processes together), their peak memory, duplicates and misses.
Needs PostgreSQL (TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from typing import Any

from bench.fanout_bench import ROOT, StandIn, prepare, ratio
from tests.conftest import drop_postgres_database, new_postgres_database


def run_bots(standin: StandIn, db: str, cap: float, processes: int) -> list[dict[str, Any]]:
    command = [sys.executable, "-m", "bench.fanout_bench", "bot", "--db", db, "--rate", str(cap)]
    command += ["--stop-after", "10000000", "--concurrency", "16", "--drain"]
    command += ["--base-url", standin.base_url, "--token", standin.token]
    bots = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    results = []
    for bot in bots:
        out, _ = bot.communicate(timeout=3600)
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--cap", type=float, default=500.0)
    args = parser.parse_args()
    standin = StandIn()
    rows = []
    try:
        for processes in (1, 3):
            url = asyncio.run(new_postgres_database())
            try:
                enqueue = asyncio.run(prepare(url, args.subscribers))
                standin.call("benchReset", global_per_second=int(args.cap * 1.05) + 1)
                started = time.perf_counter()
                results = run_bots(standin, url, args.cap, processes)
                wall = time.perf_counter() - started
                stats = standin.call("benchStats")
            finally:
                asyncio.run(drop_postgres_database(url))
            sent = sum(r["sent"] for r in results)
            cpu = sum(r["cpu_seconds"] for r in results)
            per_chat = Counter(stats["chats"])
            rows.append(
                {
                    "processes": processes,
                    "enqueue": enqueue,
                    "ratio": ratio(stats["times"], len(stats["times"]), args.cap),
                    "too_many": stats["too_many"],
                    "cpu_ms": cpu * 1000 / max(sent, 1),
                    "rss": max(r["max_rss_mb"] for r in results),
                    "delivered": len(per_chat),
                    "duplicates": sum(n - 1 for n in per_chat.values()),
                    "wall": wall,
                }
            )
    finally:
        standin.close()
    print()
    print(
        f"fan-out on PostgreSQL: {args.subscribers:,} subscribers, cap {args.cap:g} msg/s for the whole bot"
    )
    for row in rows:
        print(
            f"  {row['processes']} process(es): {row['ratio']:.3f} of the cap, {row['too_many']} × 429, "
            f"{row['cpu_ms']:.2f} ms CPU per message, peak RSS {row['rss']:.0f} MB, "
            f"{row['delivered']:,} chats reached, {row['duplicates']} duplicates "
            f"(enqueue {row['enqueue']:.2f} s, run {row['wall']:.0f} s)"
        )


if __name__ == "__main__":
    main()
