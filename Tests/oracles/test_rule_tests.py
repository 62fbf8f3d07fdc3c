"""Detection tests (`rulepack test`): every test file of the bundled pack, the fixture pack and
the rules `rulepack new` writes for the fixture tools gives the same verdicts on SQLite and on PostgreSQL (all passing), every case's expectation
agrees with duckdb-kql running the rule's own KQL over the same events, and a wrong
expectation fails exactly its testcase in the JUnit report, as junitparser reads it."""

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import duckdb_kql
import pytest
import yaml
from junitparser import JUnitXml

from conftest import translation
from engines import FIXTURES, ROOT, normal_value, own_query, quote_id, duckdb_type, rulepack, schema

from test_differential import GENERATED_TESTS

PACKS = [ROOT / "packs" / "syncromsp", FIXTURES / "rules" / "valid"]
# The packs' tests, and the ones `rulepack new` wrote for the fixture tools.
TEST_FILES = [p for pack in PACKS for p in sorted(pack.rglob("*.tests.yaml"))] + GENERATED_TESTS


def postgres_url() -> str:
    host = os.environ.get("RULEPACK_PG_HOST")
    if not host:
        raise RuntimeError("RULEPACK_PG_HOST is not set: run the tests through scripts/test, which starts PostgreSQL")
    return f"host={host} port={os.environ.get('RULEPACK_PG_PORT', '5432')} user=postgres dbname=postgres"


def verdicts(path: Path, *engine: str) -> list[tuple[str, bool]]:
    result = rulepack("test", str(path), "--format", "json", *engine, check=False)
    assert result.returncode in (0, 1), result.stderr
    return [(case["name"], case["passed"]) for file in json.loads(result.stdout) for case in file["cases"]]


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.parent.parent.name + "/" + p.name)
def test_same_verdicts_on_sqlite_and_postgres(path):
    sqlite = verdicts(path)
    postgres = verdicts(path, "--engine", "postgres", "--db", postgres_url())
    assert sqlite == postgres
    assert sqlite and all(passed for _, passed in sqlite), sqlite


def rule_of(test_file: Path, reference: str) -> Path:
    if reference.endswith((".yaml", ".yml")) or "/" in reference:
        return (test_file.parent / reference).resolve()
    for candidate in sorted(test_file.parent.parent.rglob("*.yaml")):
        if candidate.name.endswith(".tests.yaml"):
            continue
        text = candidate.read_text()
        if f"id: {reference}" in text:
            return candidate
    raise AssertionError(f"no rule {reference}")


def as_instant(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def duckdb_with(events: dict) -> duckdb.DuckDBPyConnection:
    """The case's events in DuckDB as duckdb-kql reads them: naive UTC timestamps, "" for a
    missing string (KQL has no null strings)."""
    con = duckdb.connect()
    for table, columns in schema().items():
        con.execute(f'CREATE TABLE "{table}" ({", ".join(f"{quote_id(c)} {duckdb_type(k)}" for c, k in columns)})')
        for row in events.get(table, []) or []:
            values = []
            for column, kind in columns:
                value = row.get(column)
                if value is None:
                    values.append("" if kind == "string" else None)
                elif kind == "datetime":
                    values.append(as_instant(value).astimezone(dt.timezone.utc).replace(tzinfo=None))
                elif kind == "string":
                    values.append(str(value))
                else:
                    values.append(value)
            con.execute(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(values))})', values)
    return con


def normal_expected(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return normal_value(as_instant(value))
    if isinstance(value, str):
        try:
            return normal_value(as_instant(value)) if "T" in value and value[:4].isdigit() else value
        except ValueError:
            return value
    if isinstance(value, list):
        return sorted((normal_expected(v) for v in value), key=repr)
    return normal_value(value)


def matches(expected: list[dict], rows: list[dict]) -> bool:
    """A one-to-one pairing in which every expected row's columns equal the row's."""
    if len(expected) != len(rows):
        return False
    used = [False] * len(rows)

    def fits(e, r):
        return all(normal_expected(v) == r.get(k) for k, v in e.items())

    def pair(i):
        if i == len(expected):
            return True
        for j, row in enumerate(rows):
            if not used[j] and fits(expected[i], row):
                used[j] = True
                if pair(i + 1):
                    return True
                used[j] = False
        return False

    return pair(0)


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.parent.parent.name + "/" + p.name)
def test_every_case_agrees_with_duckdb_kql(path):
    document = yaml.safe_load(path.read_text())
    rule = rule_of(path, str(document["rule"]))
    kql = translation(rule, "kql")
    # The rule's own query, or rulepack's KQL where its false-positive filters apply (the own
    # query has no exclusions; the engines-agree suite checks the two match otherwise).
    query = kql if "// false positive:" in kql else own_query(rule)
    now = as_instant(document["now"]).astimezone(dt.timezone.utc).replace(tzinfo=None)
    for case in document["cases"]:
        con = duckdb_with(case.get("events") or {})
        result = duckdb_kql.query(con, query, query_now=now)
        columns = [d[0] for d in result.description]
        rows = [{c: normal_value(v) for c, v in zip(columns, row)} for row in result.fetchall()]
        assert matches(case["expect"] or [], rows), f"{case['name']}: duckdb-kql gives {rows}"


def test_a_wrong_expectation_fails_exactly_its_testcase_in_junit():
    with tempfile.TemporaryDirectory() as folder:
        pack = Path(folder) / "pack"
        shutil.copytree(ROOT / "packs" / "syncromsp", pack)
        tests = pack / "tests" / "netconn.tests.yaml"
        tests.write_text(tests.read_text().replace("Report: [2], Count: 1", "Report: [2], Count: 2"))
        result = rulepack("test", str(pack), "--format", "junit", check=False)
        assert result.returncode == 1
        report = Path(folder) / "report.xml"
        report.write_text(result.stdout)
        xml = JUnitXml.fromfile(str(report))
        failed = [(suite.name, case.name) for suite in xml for case in suite if not case.is_passed]
        assert failed == [(str(tests), "the agent reaching a SyncroMSP domain fires, one finding per URL")]
        # Every case of the pack's test files is a testcase.
        cases = sum(len(yaml.safe_load(f.read_text())["cases"]) for f in (pack / "tests").glob("*.tests.yaml"))
        assert cases >= 12 and sum(1 for suite in xml for _ in suite) == cases


def test_hunt_on_postgres_finds_what_sqlite_finds():
    """`hunt --engine postgres` loads the sample events into the server and finds exactly what
    the embedded SQLite hunt finds (and leaves no schema behind)."""
    samples = ROOT / "samples" / "syncromsp"
    arguments = ["hunt", str(ROOT / "packs" / "syncromsp"), "--now", "2026-11-29T12:00:00Z", "--format", "json", "--events",
                 str(samples / "DeviceFileCertificateInfo.csv"), str(samples / "DeviceProcessEvents.csv"), str(samples / "DeviceNetworkEvents.jsonl")]
    sqlite = rulepack(*arguments, check=False)
    postgres = rulepack(*arguments, "--engine", "postgres", "--db", postgres_url(), check=False)
    assert sqlite.returncode == postgres.returncode == 1, postgres.stderr
    assert json.loads(postgres.stdout) == json.loads(sqlite.stdout)
    assert sum(len(rule["findings"]) for rule in json.loads(sqlite.stdout)) == 8
    import psycopg
    with psycopg.connect(postgres_url()) as con:
        left = con.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rulepack_%'").fetchone()[0]
    assert left == 0
