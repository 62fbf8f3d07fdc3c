"""For every rule in packs/ and the valid fixtures: the KQL rulepack writes passes duckdb-kql's
validate(), and duckdb-kql running it returns exactly what rulepack's SQL returns in every SQL
dialect of rulepack's target registry, each on its engine, over the same fixture events. duckdb-kql also runs the rule's own query, so the
KQL writer is checked against the input as well."""

import duckdb_kql
import pytest
import sqlglot
from conftest import VALID_RULES, translation
from engines import SQL_RUNNERS, own_query, run_kql, spark_session, sql_body, sql_targets

# Fixture rules whose own query differs from the translation on purpose (exclusions applied).
WITH_EXCLUSIONS = {"exclusions.yaml"}
# Fixture rules that must return rows, so agreement is not agreement on nothing.
NON_EMPTY = {"rmm_SyncroMSP_filesig.yaml", "rmm_SyncroMSP_createproc.yaml", "rmm_SyncroMSP_netconn.yaml",
             "operators.yaml", "aggregates.yaml", "lets.yaml", "exclusions.yaml", "catalogue-style.yaml",
             "time-bounds.yaml"}


@pytest.mark.parametrize("rule", VALID_RULES, ids=lambda p: p.name)
def test_kql_validates(rule):
    assert duckdb_kql.validate(translation(rule, "kql")) == []


@pytest.fixture(scope="module")
def duckdb_sql_db(events):
    return events.duckdb_sql()


@pytest.fixture(scope="module")
def spark_db(events):
    session = spark_session().newSession()
    events.spark(session)
    return session


@pytest.mark.parametrize("rule", VALID_RULES, ids=lambda p: p.name)
def test_engines_agree(rule, duck_db, sqlite_db, pg_db, duckdb_sql_db, spark_db):
    kql = run_kql(duck_db, translation(rule, "kql"))
    databases = {"sqlite": sqlite_db, "postgres": pg_db, "duckdb": duckdb_sql_db, "spark": spark_db}
    for target in sql_targets():
        rows = SQL_RUNNERS[target["engine"]](databases[target["engine"]], translation(rule, "sql", target["dialect"]))
        assert rows == kql, f"{target['name']} differs from duckdb-kql"
    if rule.name in NON_EMPTY:
        assert kql, "the fixture events should give this rule rows"


@pytest.mark.parametrize("rule", [r for r in VALID_RULES if r.name not in WITH_EXCLUSIONS], ids=lambda p: p.name)
def test_translation_means_what_the_rule_says(rule, duck_db):
    query = own_query(rule)
    assert run_kql(duck_db, translation(rule, "kql")) == run_kql(duck_db, query)


def test_exclusions_remove_the_benign_rows(duck_db):
    rule = next(r for r in VALID_RULES if r.name == "exclusions.yaml")
    original = run_kql(duck_db, own_query(rule))
    excluded = run_kql(duck_db, translation(rule, "kql"))
    removed = [row for row in original if row not in excluded]
    assert [row["AccountUpn"] for row in removed] == ["msp-tech@example.com"]


@pytest.mark.parametrize("rule", VALID_RULES, ids=lambda p: p.name)
def test_spark_sql_parses_in_sqlglot(rule):
    for target in sql_targets():
        if target["engine"] == "spark":
            sqlglot.parse_one(sql_body(translation(rule, "sql", target["dialect"])), read="spark")
