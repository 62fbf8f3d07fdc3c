"""The SyncroMSP rules over the fixture events return exactly the groups, counts and sets that
Tests/Fixtures/expected holds (written by hand from KQL's semantics): rulepack's SQL in SQLite and
PostgreSQL, and, as a check on the expectations themselves, the rule's own KQL in duckdb-kql."""

import json

import pytest
from conftest import translation
from engines import FIXTURES, ROOT, normal_value, own_query, run_kql, run_postgres, run_sqlite

RULES = {
    "rmm_SyncroMSP_filesig.yaml": "3510a677-6a63-45f5-a0cd-509c5b865e0e",
    "rmm_SyncroMSP_createproc.yaml": "d22805c7-d987-48d3-bb98-5e1d4bb053af",
    "rmm_SyncroMSP_netconn.yaml": "b9e378d6-850c-4b7d-9133-b4be3c7433eb",
}


def expected_rows(events, rule_id):
    data = json.loads((FIXTURES / "expected" / f"{rule_id}.json").read_text())
    rows = []
    for group in data["groups"]:
        row = {k: group[k] for k in data["keys"]}
        row["FirstSeen"] = normal_value(events.moment(group["FirstSeen"]))
        row["LastSeen"] = normal_value(events.moment(group["LastSeen"]))
        row["Report"] = sorted(group["Report"], key=repr)
        row["Count"] = group["Count"]
        rows.append(row)
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


@pytest.mark.parametrize("name", RULES)
def test_sqlite(name, events, sqlite_db):
    rule = ROOT / "packs" / "syncromsp" / name
    assert run_sqlite(sqlite_db, translation(rule, "sql", "sqlite")) == expected_rows(events, RULES[name])


@pytest.mark.parametrize("name", RULES)
def test_postgres(name, events, pg_db):
    rule = ROOT / "packs" / "syncromsp" / name
    assert run_postgres(pg_db, translation(rule, "sql", "postgres")) == expected_rows(events, RULES[name])


@pytest.mark.parametrize("name", RULES)
def test_expectations_agree_with_duckdb_kql(name, events, duck_db):
    rule = ROOT / "packs" / "syncromsp" / name
    assert run_kql(duck_db, own_query(rule)) == expected_rows(events, RULES[name])
