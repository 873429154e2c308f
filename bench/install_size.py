"""Install size: what `pip install -e .` puts on disk, with and without the `chart` extra.

    python -m bench.install_size            # from the repository root; a few minutes (two fresh venvs)

Creates fresh virtual environments (each with the pip it comes with, as the README's quickstart does),
installs the project into them and prints the size of each one's site-packages in MB: the runtime
alone, then with `[chart]` (matplotlib, numpy, pillow … for the admin's /stats chart).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = (".", ".[chart]")


def tree_bytes(path: Path) -> int:
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            file = Path(folder) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def installed_bytes(target: str, where: Path) -> int:
    venv.EnvBuilder(with_pip=True).create(where)
    python = where / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-e", target],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    [site] = list((where / "lib").glob("python*/site-packages"))
    return tree_bytes(site)


def main() -> int:
    sizes: dict[str, int] = {}
    for target in TARGETS:
        with tempfile.TemporaryDirectory(prefix="install-size-") as tmp:
            sizes[target] = installed_bytes(target, Path(tmp) / "venv")
        print(f"pip install -e '{target}': {sizes[target] / 1e6:.0f} MB in site-packages", flush=True)
    extra = sizes[".[chart]"] - sizes["."]
    share = extra / sizes[".[chart]"]
    print(f"the chart extra adds {extra / 1e6:.0f} MB ({share:.0%} of the install with it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
