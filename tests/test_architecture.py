"""The dependency rule of the layout (README, "How it works"), read from the source: every module of bot/
is parsed, its imports collected, and each rule checked against the graph.

  domain/    pure: nothing of bot outside domain/ but the message catalog (bot.i18n); no Telegram, HTTP or SQL
  store/     the only code that speaks SQL
  delivery/  the only code that sends; app, runner, startup and handlers hold the Bot as their framework
  services/  use cases: never the handlers or the composition root (app.py)
  and no import cycles anywhere in bot/, through lazy (function-level) imports too.
"""

from __future__ import annotations

import ast
import graphlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pytest

from bot.domain import choices, statuses

BOT = Path(__file__).resolve().parents[1] / "bot"


@dataclass(frozen=True, slots=True)
class Imported:
    module: str  # the module (or package) imported, absolute
    names: tuple[str, ...]  # the names taken from it (`from m import a, b`); () for `import m`
    runtime: bool  # run when the code runs (in a function too), not only under `if TYPE_CHECKING:`


def module_name(path: Path) -> str:
    parts = list(path.relative_to(BOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(BOT.rglob("*.py"))}


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str, source: str, path: Path) -> list[Imported]:
    tree = ast.parse(source)
    for_typing: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for_typing |= {id(inner) for inner in ast.walk(node) if inner is not node}
    found = []
    for node in ast.walk(tree):
        runtime = id(node) not in for_typing
        if isinstance(node, ast.Import):
            found += [Imported(alias.name, (), runtime) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, path, node)
            for alias in node.names:
                full = f"{base}.{alias.name}"  # `from bot.handlers import admin` imports a module
                found.append(Imported(full if full in MODULES else base, (alias.name,), runtime))
    return found


IMPORTS: dict[str, list[Imported]] = {
    name: imports_of(name, path.read_text(encoding="utf-8"), path) for name, path in MODULES.items()
}


def _in(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _offenders(modules: list[str], bad: str, *, only: tuple[str, ...] = ()) -> list[str]:
    """`module → import` pairs where one of `modules` imports `bad` (or a name in `only` from it)."""
    return [
        f"{name} → {imp.module}"
        for name in modules
        for imp in IMPORTS[name]
        if _in(imp.module, bad) and (not only or set(imp.names) & set(only))
    ]


def in_package(package: str) -> list[str]:
    return [name for name in MODULES if _in(name, package)]


def test_the_scan_sees_the_whole_package() -> None:
    assert {"bot.app", "bot.domain.choices", "bot.handlers.callbacks", "bot.store.store"} <= set(MODULES)
    app = {imp.module for imp in IMPORTS["bot.app"]}
    assert "bot.handlers.commands" in app and "telegram.ext" in app


def test_the_checks_catch_what_they_are_for() -> None:
    """The collector reads relative imports, names and function-level imports as the rules need them;
    an import under `if TYPE_CHECKING:` is for the type checker only."""
    path = BOT / "services" / "example.py"
    source = (
        "from typing import TYPE_CHECKING\nfrom ..handlers import common\nfrom . import lookup\n"
        "def f():\n    from telegram import Bot\nif TYPE_CHECKING:\n    from bot.app import App\n"
    )
    found = imports_of("bot.services.example", source, path)
    assert Imported("bot.handlers.common", ("common",), True) in found
    assert Imported("bot.services.lookup", ("lookup",), True) in found
    assert Imported("telegram", ("Bot",), True) in found
    assert Imported("bot.app", ("App",), False) in found


def test_the_domain_depends_on_nothing_but_itself() -> None:
    outside = [
        f"{name} → {imp.module}"
        for name in in_package("bot.domain")
        for imp in IMPORTS[name]
        if _in(imp.module, "bot") and not _in(imp.module, "bot.domain", "bot.i18n")
    ]
    assert outside == []
    for library in ("telegram", "httpx", "aiohttp", "sqlalchemy", "alembic"):  # parsers (lxml) are pure
        assert _offenders(in_package("bot.domain"), library) == [], library


def test_only_the_store_speaks_sql() -> None:
    elsewhere = [name for name in MODULES if not _in(name, "bot.store")]
    found = [
        line
        for library in ("sqlalchemy", "alembic")
        for line in _offenders(elsewhere, library)
        if line != "bot.runner → sqlalchemy.engine"  # make_url: reading a database URL, no SQL
    ]
    assert found == []
    runner = [imp for imp in IMPORTS["bot.runner"] if _in(imp.module, "sqlalchemy")]
    assert all(imp.names == ("make_url",) for imp in runner)


FRAMEWORK = ("bot.delivery", "bot.handlers", "bot.app", "bot.runner", "bot.startup", "bot.webhook_secret")


def test_only_delivery_and_the_framework_hold_telegrams_bot() -> None:
    others = [name for name in MODULES if not _in(name, *FRAMEWORK)]
    assert _offenders(others, "telegram", only=("Bot", "ExtBot")) == []
    assert _offenders(others, "telegram.ext", only=("Bot", "ExtBot")) == []


def test_layers_below_the_handlers_do_not_use_telegram() -> None:
    below = [name for name in MODULES if _in(name, "bot.domain", "bot.store", "bot.feeds", "bot.services")]
    assert _offenders(below, "telegram") == []


@pytest.mark.parametrize("layer", ["bot.services", "bot.store", "bot.feeds", "bot.delivery", "bot.domain"])
def test_lower_layers_never_import_handlers_or_the_composition_root(layer: str) -> None:
    assert _offenders(in_package(layer), "bot.handlers") == []
    assert _offenders(in_package(layer), "bot.app") == []
    assert _offenders(in_package(layer), "bot.runner") == []


def import_graph() -> dict[str, set[str]]:
    """Module → the bot modules it imports when it runs. A function-level import is only deferred: a cycle
    through one is still a cycle (it breaks as soon as the function runs first at import time)."""
    return {
        name: {imp.module for imp in found if imp.runtime and imp.module in MODULES and imp.module != name}
        for name, found in IMPORTS.items()
    }


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        return list(exc.args[1])
    return None


def test_the_cycle_check_finds_a_cycle() -> None:
    found = cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert found is not None and found[0] == found[-1] and set(found) == {"a", "b", "c"}
    assert cycle_in({"a": {"b"}, "b": set()}) is None


def test_no_module_of_the_bot_imports_itself_back() -> None:
    assert cycle_in(import_graph()) is None


def test_the_store_families_share_a_leaf() -> None:
    """The families import the shared module (base); it imports none of them, nor the facade."""
    graph = import_graph()
    assert "bot.store.base" in graph["bot.store.chats"]  # the scan reads real imports
    families = {"chats", "feeds", "articles", "outbox", "broadcasts", "stats", "leases", "audit", "store"}
    assert graph["bot.store.base"] & {f"bot.store.{family}" for family in families} == set()


# ---- status, topic and mode strings live in their enums -----------------------------------------


def _vocabulary() -> dict[str, str]:
    """Every stored status, chat type and audience (statuses.py) and every topic, delivery mode and quiet
    mode (choices.py): value → the enum it belongs to. Language codes ("vi", "en") are left out: the
    audience borrows them, but elsewhere they name a catalog language, which is not a status."""
    words: dict[str, str] = {}
    enums: list[type[StrEnum]] = [
        v
        for v in vars(statuses).values()
        if isinstance(v, type) and issubclass(v, StrEnum) and v is not StrEnum
    ]
    kinds: list[type[StrEnum]] = [*enums, choices.Topics, choices.DeliveryMode, choices.QuietMode]
    for kind in kinds:
        for member in kind:
            if member.value not in set(choices.Language):
                words[member.value] = kind.__name__
    return words


VOCABULARY = _vocabulary()
ENUM_MODULES = {"bot.domain.statuses", "bot.domain.choices"}

# where such a word is genuinely something else (module, word): why
NOT_A_STATUS: dict[tuple[str, str], str] = {
    ("bot.app", "feeds"): "the name of the feed-polling job",
    ("bot.feeds.parse", "published"): "a field of a parsed feed entry",
    ("bot.services.preview", "published"): "a key of the preview's JSON",
    ("bot.handlers.callbacks", "off"): "the link-preview switch in a button's data (on/off)",
    ("bot.handlers.citizen_views", "off"): "the link-preview switch's catalog key (on/off)",
    ("bot.handlers.commands", "awards"): "the /awards command",
    ("bot.handlers.commands", "feeds"): "the /feeds command",
    ("bot.domain.render_plain", "awards"): "the /awards command in the plain-text help",
    ("bot.domain.textcommands", "awards"): "the /awards command and its typed words",
    ("bot.runner", "telegram"): "the Telegram webhook's URL path",
    ("bot.handlers.word_lists", "done"): "part of a catalog key",
    ("bot.handlers.zalo", "done"): "part of a catalog key",
    ("bot.services.admin", "feeds"): "the audit log's name for the /feeds command",
    ("bot.services.broadcast", "sent"): "a placeholder of the progress catalog text",
    ("bot.services.broadcast", "failed"): "a placeholder of the progress catalog text",
    ("bot.services.broadcast", "cancelled"): "a placeholder of the progress catalog text",
    ("bot.store.chats", "categories"): "a column name",
    ("bot.store.schema", "categories"): "a column name",
    ("bot.store.schema", "feeds"): "a table name",
    ("bot.store.schema", "silent"): "a column name",
}


def status_literals(source: str) -> list[tuple[int, str]]:
    """(line, word) of each string constant that is a status, topic or mode value; docstrings and the
    bodies of enum classes (which define such values) are not code that compares or stores a status."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
        if isinstance(node, ast.ClassDef) and any("Enum" in ast.unparse(base) for base in node.bases):
            skipped |= {id(inner) for inner in ast.walk(node)}
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in VOCABULARY
        and id(node) not in skipped
    )


def test_the_literal_scan_finds_a_status_and_spares_enums_and_docstrings() -> None:
    source = (
        '"""A module that says "pending"."""\n'
        "class Mode(enum.StrEnum):\n    DAILY = 'daily'\n"
        "def f(job):\n    '''sent'''\n    return job.status == 'failed' or job.mode == 'hold'\n"
    )
    assert status_literals(source) == [(6, "failed"), (6, "hold")]
    assert {"pending", "sent", "private", "awards", "weekly", "off", "retracted"} <= set(VOCABULARY)


def test_no_status_topic_or_mode_literal_outside_its_enum() -> None:
    found = [
        f"{name}:{line} {word!r} (use {VOCABULARY[word]})"
        for name, path in MODULES.items()
        if name not in ENUM_MODULES and ".migrations." not in name  # migrations are frozen history
        for line, word in status_literals(path.read_text(encoding="utf-8"))
        if (name, word) not in NOT_A_STATUS
    ]
    assert found == []


def test_the_allow_list_has_no_stale_entries() -> None:
    still_there = {
        (name, word)
        for name, path in MODULES.items()
        for _, word in status_literals(path.read_text(encoding="utf-8"))
    }
    assert set(NOT_A_STATUS) <= still_there
