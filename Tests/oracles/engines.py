"""Loads fixture events into SQLite, PostgreSQL and DuckDB (for duckdb-kql) and runs queries,
returning results in one normal form so the engines can be compared row for row."""

import datetime as dt
import functools
import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "Fixtures"
SCHEMA_TSV = ROOT / "Sources" / "RuleModel" / "Resources" / "defender-tables.tsv"

# The instant every engine takes as now(): rulepack's SQL through `convert --now`, duckdb-kql
# through query_now, and the fixture events' ages count back from it. No test reads the clock,
# so none depends on how long the run takes or when it starts.
NOW_TEXT = "2026-11-29T12:00:00Z"
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)


def rulepack_binary() -> Path:
    path = Path(os.environ.get("RULEPACK_BIN", ROOT / ".build" / "debug" / "rulepack"))
    if not path.exists():
        raise RuntimeError(f"{path} not found: build first (swift build) or set RULEPACK_BIN")
    return path


def rulepack(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(rulepack_binary()), *args], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if check and result.returncode != 0:
        raise AssertionError(f"rulepack {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def own_query(rule: Path) -> str:
    """A rule file's `query: |` block as written, read from the text so that files with the
    catalogue's YAML defect can be read too."""
    lines = rule.read_text().replace("\r\n", "\n").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("query: |")) + 1
    body = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        body.append(line)
    indent = min(len(l) - len(l.lstrip(" ")) for l in body if l.strip())
    return "\n".join(l[indent:] for l in body).strip("\n") + "\n"


def schema() -> dict[str, list[tuple[str, str]]]:
    tables: dict[str, list[tuple[str, str]]] = {}
    for line in SCHEMA_TSV.read_text().splitlines()[1:]:
        table, column, kind = line.split("\t")
        tables.setdefault(table, []).append((column, kind))
    return tables


AGE = re.compile(r"(\d+)([dhms])")


def parse_age(text: str) -> dt.timedelta:
    units = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
    parts = AGE.findall(text)
    assert parts and "".join(n + u for n, u in parts) == text, f"bad age {text!r}"
    return sum((dt.timedelta(**{units[u]: int(n)}) for n, u in parts), dt.timedelta())


def defender_text(moment: dt.datetime) -> str:
    """ISO-8601 UTC with seven fractional digits, as Defender exports write it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


class Events:
    """Fixture rows with timestamps counted back from `now` (NOW unless given)."""

    def __init__(self, rows_by_table: dict[str, list[dict]], now: dt.datetime | None = None):
        self.now = now or NOW
        self.schema = schema()
        self.rows: dict[str, list[dict]] = {}
        for table, rows in rows_by_table.items():
            columns = dict(self.schema[table])
            loaded = []
            for row in rows:
                values = {k: v for k, v in row.items() if not k.startswith("_")}
                for key in values:
                    assert key in columns, f"{table} has no column {key}"
                if "_age" in row:
                    values["Timestamp"] = self.now - parse_age(row["_age"])
                loaded.append(values)
            self.rows[table] = loaded

    @classmethod
    def from_fixtures(cls) -> "Events":
        data = {p.stem: json.loads(p.read_text()) for p in sorted((FIXTURES / "events").glob("*.json"))}
        return cls(data)

    def moment(self, age: str) -> dt.datetime:
        return self.now - parse_age(age)

    # SQLite: datetimes as Defender's ISO text, missing strings NULL.
    def sqlite(self) -> sqlite3.Connection:
        con = sqlite3.connect(":memory:")
        for table, columns in self.schema.items():
            con.execute(f'CREATE TABLE "{table}" ({", ".join(f"{quote_id(c)} {sqlite_type(k)}" for c, k in columns)})')
            for row in self.rows.get(table, []):
                names = list(row)
                values = [defender_text(v) if isinstance(v, dt.datetime) else v for v in row.values()]
                con.execute(f'INSERT INTO "{table}" ({", ".join(map(quote_id, names))}) VALUES ({", ".join("?" * len(names))})', values)
        return con

    # PostgreSQL: timestamptz, missing strings NULL.
    def postgres(self, con) -> None:
        with con.cursor() as cur:
            for table, columns in self.schema.items():
                cur.execute(f'DROP TABLE IF EXISTS "{table}"')
                cur.execute(f'CREATE TABLE "{table}" ({", ".join(f"{quote_id(c)} {postgres_type(k)}" for c, k in columns)})')
                for row in self.rows.get(table, []):
                    names = list(row)
                    cur.execute(f'INSERT INTO "{table}" ({", ".join(map(quote_id, names))}) VALUES ({", ".join(["%s"] * len(names))})', list(row.values()))
        con.commit()

    # DuckDB for duckdb-kql: naive UTC timestamps; a missing string is "" (KQL has no null strings).
    def duckdb(self):
        import duckdb
        con = duckdb.connect()
        for table, columns in self.schema.items():
            con.execute(f'CREATE TABLE "{table}" ({", ".join(f"{quote_id(c)} {duckdb_type(k)}" for c, k in columns)})')
            for row in self.rows.get(table, []):
                full = {c: row.get(c, "" if k == "string" else None) for c, k in columns}
                for c, k in columns:
                    if k == "string" and full[c] is None:
                        full[c] = ""
                values = [v.astimezone(dt.timezone.utc).replace(tzinfo=None) if isinstance(v, dt.datetime) else v for v in full.values()]
                con.execute(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(values))})', values)
        return con


    # DuckDB for the duckdb SQL dialect: TIMESTAMPTZ datetimes, missing strings NULL.
    def duckdb_sql(self):
        import duckdb
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        for table, columns in self.schema.items():
            con.execute(f'CREATE TABLE "{table}" ({", ".join(f"{quote_id(c)} {duckdb_type(k, tz=True)}" for c, k in columns)})')
            for row in self.rows.get(table, []):
                names = list(row)
                con.execute(f'INSERT INTO "{table}" ({", ".join(map(quote_id, names))}) VALUES ({", ".join("?" * len(names))})', list(row.values()))
        return con

    # Spark: TIMESTAMP datetimes in a UTC session, each table a temporary view.
    def spark(self, session) -> None:
        from pyspark.sql.types import (BooleanType, DoubleType, IntegerType, LongType, StringType, StructField,
                                       StructType, TimestampType)
        types = {"datetime": TimestampType(), "long": LongType(), "int": IntegerType(), "bool": BooleanType(), "real": DoubleType()}
        for table, columns in self.schema.items():
            schema = StructType([StructField(c, types.get(k, StringType()), True) for c, k in columns])
            rows = [tuple(utc_naive(row.get(c)) for c, _ in columns) for row in self.rows.get(table, [])]
            session.createDataFrame(rows, schema).createOrReplaceTempView(table)


_spark = None


def spark_session():
    """One local Spark session for the whole test run (starting one takes seconds)."""
    global _spark
    if _spark is None:
        from pyspark.sql import SparkSession
        _spark = (SparkSession.builder.master("local[1]").appName("rulepack-tests")
                  .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
                  .config("spark.sql.shuffle.partitions", "1").getOrCreate())
        _spark.sparkContext.setLogLevel("ERROR")
    return _spark


def sql_body(sql: str) -> str:
    """A translation without its comment header and final semicolon (for engines that run one statement)."""
    return "\n".join(line for line in sql.splitlines() if not line.startswith("--")).rstrip().rstrip(";")


def run_duckdb_sql(con, sql: str) -> list[dict]:
    result = con.execute(sql)
    return normal_rows([d[0] for d in result.description], result.fetchall())


def run_spark(session, sql: str) -> list[dict]:
    frame = session.sql(sql_body(sql))
    return normal_rows(frame.columns, [tuple(row) for row in frame.collect()])


def utc_naive(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def quote_id(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_type(kind: str) -> str:
    return {"long": "INTEGER", "int": "INTEGER", "bool": "INTEGER", "real": "REAL"}.get(kind, "TEXT")


def postgres_type(kind: str) -> str:
    return {"datetime": "timestamptz", "long": "bigint", "int": "integer", "bool": "boolean", "real": "double precision"}.get(kind, "text")


def duckdb_type(kind: str, tz: bool = False) -> str:
    return {"datetime": "TIMESTAMPTZ" if tz else "TIMESTAMP", "long": "BIGINT", "int": "INTEGER", "bool": "BOOLEAN", "real": "DOUBLE"}.get(kind, "VARCHAR")


ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def normal_value(value):
    """One form for every engine: datetimes to microseconds in UTC, arrays to sorted lists."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, str) and ISO.match(value):
        whole, _, fraction = value[:-1].partition(".")
        return whole + "." + (fraction + "000000")[:6]
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, (list, tuple)):
        return sorted((normal_value(v) for v in value), key=repr)
    if isinstance(value, bool):
        return int(value)
    return value


def normal_rows(columns: list[str], rows) -> list[dict]:
    result = [{c: normal_value(v) for c, v in zip(columns, row)} for row in rows]
    return sorted(result, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def run_sqlite(con: sqlite3.Connection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    return normal_rows([d[0] for d in cur.description], cur.fetchall())


def run_postgres(con, sql: str) -> list[dict]:
    with con.cursor() as cur:
        cur.execute(sql)
        rows = cur.fetchall()
        columns = [d.name for d in cur.description]
    con.rollback()
    return normal_rows(columns, rows)


# How each engine a SQL dialect names (`rulepack convert --list-targets`, "engine") runs a query.
SQL_RUNNERS = {"sqlite": run_sqlite, "postgres": run_postgres, "duckdb": run_duckdb_sql, "spark": run_spark}


@functools.lru_cache(maxsize=None)
def sql_targets() -> tuple:
    """rulepack's SQL dialects, from its own target registry (`convert --list-targets`): every oracle suite that runs SQL
    iterates this list, so a dialect added to rulepack is checked without editing the tests."""
    targets = json.loads(rulepack("convert", "--list-targets", "--format", "json").stdout)
    return tuple(t for t in targets if t["language"] == "sql")


def run_kql(con, kql: str) -> list[dict]:
    import duckdb_kql
    result = duckdb_kql.query(con, kql, query_now=NOW)
    return normal_rows([d[0] for d in result.description], result.fetchall())


def postgres_connection():
    """Connects to the throwaway cluster scripts/postgres starts (RULEPACK_PG_* variables)."""
    import psycopg
    host = os.environ.get("RULEPACK_PG_HOST")
    if not host:
        raise RuntimeError("RULEPACK_PG_HOST is not set: run the tests through scripts/test, which starts PostgreSQL")
    return psycopg.connect(host=host, port=int(os.environ.get("RULEPACK_PG_PORT", "5432")), user="postgres", dbname="postgres")
