"""The SyncroMSP rules over the fixture events return exactly the groups, counts and sets that
Tests/Fixtures/expected holds (written by hand from KQL's semantics): rulepack's SQL in every
dialect of its target registry, each on its engine, and, as a check on the expectations
themselves, the rule's own KQL in duckdb-kql."""

import json

import pytest
from conftest import translation
from engines import FIXTURES, ROOT, SQL_RUNNERS, normal_value, own_query, run_kql, sql_targets

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


@pytest.fixture(scope="module")
def databases(sqlite_db, pg_db, events):
    from engines import spark_session
    spark = spark_session().newSession()
    events.spark(spark)
    return {"sqlite": sqlite_db, "postgres": pg_db, "duckdb": events.duckdb_sql(), "spark": spark}


@pytest.mark.parametrize("target", sql_targets(), ids=lambda t: t["name"])
@pytest.mark.parametrize("name", RULES)
def test_sql(name, target, events, databases):
    """Every SQL dialect of rulepack's registry, on its engine."""
    rule = ROOT / "packs" / "syncromsp" / name
    run = SQL_RUNNERS[target["engine"]]
    assert run(databases[target["engine"]], translation(rule, "sql", target["dialect"])) == expected_rows(events, RULES[name])


@pytest.mark.parametrize("name", RULES)
def test_expectations_agree_with_duckdb_kql(name, events, duck_db):
    rule = ROOT / "packs" / "syncromsp" / name
    assert run_kql(duck_db, own_query(rule)) == expected_rows(events, RULES[name])
