"""Shared fixtures of the oracle tests: the fixture events loaded into every engine, and
rulepack's translations of a rule (cached per rule, target and dialect)."""

import functools
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from engines import FIXTURES, NOW_TEXT, ROOT, Events, postgres_connection, rulepack  # noqa: E402

# Rule files; detection tests (*.tests.yaml) live beside them and are not rules.
VALID_RULES = [p for p in sorted((ROOT / "packs").rglob("*.yaml")) + sorted((FIXTURES / "rules" / "valid").glob("*.yaml"))
               if not p.name.endswith(".tests.yaml")]


@functools.lru_cache(maxsize=None)
def translation(rule: Path, target: str, dialect: str = "sqlite") -> str:
    args = ["convert", str(rule), "--to", target]
    if target == "sql":
        args += ["--dialect", dialect, "--now", NOW_TEXT]
    return rulepack(*args).stdout


@pytest.fixture(scope="session")
def events() -> Events:
    return Events.from_fixtures()


@pytest.fixture(scope="session")
def sqlite_db(events):
    return events.sqlite()


@pytest.fixture(scope="session")
def duck_db(events):
    return events.duckdb()


@pytest.fixture(scope="session")
def pg_db(events):
    con = postgres_connection()
    events.postgres(con)
    yield con
    con.close()
