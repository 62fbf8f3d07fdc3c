"""`rulepack hunt --engine spark` and `rulepack test --engine spark` on pyspark's local mode: the same
findings as the embedded SQLite hunt, for the bundled pack on its sample events and for every
fixture pack on the differential suite's random events, read by Spark from Parquet, CSV and
JSON Lines. Each rulepack run starts its own Spark driver through the venv's spark-submit."""

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import VALID_RULES, translation
from differential import Generator, literals
from engines import FIXTURES, NOW, NOW_TEXT, ROOT, Events, defender_text, rulepack_binary
from test_differential import GENERATED, GENERATED_RULES, ROWS, SEED, TABLES

SAMPLES = ROOT / "samples" / "syncromsp"
SAMPLE_EVENTS = sorted(str(p) for p in SAMPLES.iterdir() if p.suffix in (".csv", ".jsonl"))
# The instant the samples were exported at, as the README's hunt uses it.
SAMPLE_NOW = "2026-11-30T00:00:00Z"


def spark_environment(**extra) -> dict:
    """The venv's spark-submit first on PATH, running the venv's Python (which has pyspark)."""
    venv_bin = str(Path(sys.executable).parent)
    environment = {k: v for k, v in os.environ.items() if k != "SPARK_HOME"}
    return {**environment, "PATH": venv_bin + os.pathsep + environment.get("PATH", ""), "PYSPARK_PYTHON": sys.executable,
            "NO_COLOR": "1", **extra}


def run(*args: str, environment: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(rulepack_binary()), *args], capture_output=True, text=True, env=environment or spark_environment())


def findings(result: subprocess.CompletedProcess) -> dict:
    """Hunt's JSON by rule file: each finding with lists sorted (sets have no order), the findings
    as a sorted multiset (a summarize has no order either)."""
    assert result.returncode in (0, 1), result.stderr
    by_rule = {}
    for rule in json.loads(result.stdout):
        rows = [json.dumps({k: sorted(v, key=json.dumps) if isinstance(v, list) else v for k, v in row.items()}, sort_keys=True)
                for row in rule["findings"]]
        by_rule[rule["file"]] = (rule.get("error"), sorted(rows))
    return by_rule


def test_the_bundled_pack_finds_on_spark_what_it_finds_on_sqlite():
    common = ["hunt", str(ROOT / "packs" / "syncromsp"), "--now", SAMPLE_NOW, "--format", "json", "--events", *SAMPLE_EVENTS]
    sqlite = findings(run(*common))
    spark = findings(run(*common, "--engine", "spark", "--master", "local[1]"))
    assert spark == sqlite
    assert sum(len(rows) for _, rows in spark.values()) == 8, "the samples hold 8 SyncroMSP findings"


def write_events(events: Events, folder: Path) -> dict[str, dict[str, Path]]:
    """Each table as JSON Lines and CSV (for both engines) and as a Parquet folder (for Spark)."""
    import duckdb
    paths: dict[str, dict[str, Path]] = {}
    columns = events.schema
    for table in TABLES:
        rows = [{k: defender_text(v) if isinstance(v, dt.datetime) else v for k, v in row.items()} for row in events.rows.get(table, [])]
        jsonl = folder / "jsonl" / f"{table}.jsonl"
        jsonl.parent.mkdir(exist_ok=True)
        jsonl.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
        names = [c for c, _ in columns[table]]
        csv_path = folder / "csv" / f"{table}.csv"
        csv_path.parent.mkdir(exist_ok=True)
        with csv_path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: ("true" if v else "false") if isinstance(v, bool) else v for k, v in row.items()})
        parquet = folder / "parquet" / table
        parquet.mkdir(parents=True)
        con = events.duckdb_sql()
        con.execute(f"COPY \"{table}\" TO '{parquet / 'part-00000.parquet'}' (FORMAT parquet)")
        paths[table] = {"jsonl": jsonl, "csv": csv_path, "parquet": parquet}
    return paths


@pytest.fixture(scope="module")
def differential_events():
    rules = VALID_RULES + GENERATED_RULES
    groups = [literals(translation(rule, "kql")) for rule in rules]
    events = Generator(SEED, groups).events(TABLES, ROWS, NOW)
    with tempfile.TemporaryDirectory(prefix="rulepack-spark-events-") as folder:
        yield write_events(events, Path(folder))


def test_every_fixture_pack_finds_on_spark_what_it_finds_on_sqlite(differential_events):
    """Every rule of packs/, the valid fixtures and the generated packs, in one run per engine;
    Spark reads one table from each format (a Parquet folder, CSV, JSON Lines)."""
    packs = [str(ROOT / "packs"), str(FIXTURES / "rules" / "valid"), str(GENERATED)]
    common = ["hunt", *packs, "--now", NOW_TEXT, "--format", "json"]
    sqlite_events = [str(paths["jsonl"]) for paths in differential_events.values()]
    spark_events = [str(differential_events["DeviceFileCertificateInfo"]["parquet"]),
                    str(differential_events["DeviceProcessEvents"]["csv"]),
                    str(differential_events["DeviceNetworkEvents"]["jsonl"])]
    sqlite = findings(run(*common, "--events", *sqlite_events))
    spark = findings(run(*common, "--engine", "spark", "--master", "local[2]", "--events", *spark_events))
    assert len(sqlite) == len(VALID_RULES) + len(GENERATED_RULES)
    differences = [rule for rule in sqlite if sqlite[rule] != spark.get(rule)]
    # SQLite's lower()/upper() fold ASCII letters only, as its translations say; Spark folds all.
    folded = [rule for rule in differences if "changes the case of ASCII letters only" in translation(Path(rule), "sql", "sqlite")]
    assert differences == folded, f"Spark and SQLite differ on {[Path(r).name for r in differences if r not in folded]}"
    assert sum(len(rows) for _, rows in sqlite.values()) > 100, "the random events should give many findings"
    assert all(error is None for error, _ in spark.values())


def test_detection_tests_pass_on_spark():
    result = run("test", str(ROOT / "packs" / "syncromsp"), "--engine", "spark", "--master", "local[1]", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    cases = [case for file in report for case in file["cases"]]
    assert len(cases) == 13 and all(case["passed"] for case in cases)
    assert {file["engine"] for file in report} == {"spark"}


OVERFLOW_RULE = """id: 7d0c5a52-7f7e-4d4c-9d55-0d7b2f0a1a11
name: Overflowing sum
description: Adds to the largest long, which Spark's ANSI mode refuses at run time.
severity: Low
requiredDataConnectors: []
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [Persistence]
relevantTechniques: [T1219]
query: |
  DeviceProcessEvents
  | extend Big = 9223372036854775807 + ProcessId
  | project Timestamp, DeviceName, Big
"""


def test_a_spark_error_names_the_rule_and_the_hunt_goes_on(tmp_path):
    (tmp_path / "a-overflow.yaml").write_text(OVERFLOW_RULE)
    createproc = ROOT / "packs" / "syncromsp" / "rmm_SyncroMSP_createproc.yaml"
    result = run("hunt", str(tmp_path / "a-overflow.yaml"), str(createproc), "--engine", "spark", "--master", "local[1]",
                 "--now", SAMPLE_NOW, "--format", "json", "--events", *SAMPLE_EVENTS)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{tmp_path / 'a-overflow.yaml'}:12:1: error: Spark: "), result.stderr
    assert "ARITHMETIC_OVERFLOW" in errors[0]
    by_rule = findings(result)
    assert len(by_rule[str(createproc)][1]) == 2, "the next rule still ran"


def test_a_missing_spark_is_one_line_and_exit_2(tmp_path):
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = run("hunt", str(ROOT / "packs" / "syncromsp"), "--engine", "spark", "--events", *SAMPLE_EVENTS, environment=environment)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: --engine spark needs Apache Spark (3.4 or newer, with Java 17+): set SPARK_HOME to its folder or put its "
        "bin/spark-submit on PATH ('pip install pyspark' provides one)"]
    result = run("hunt", str(ROOT / "packs" / "syncromsp"), "--engine", "spark", "--events", *SAMPLE_EVENTS,
                 environment={**environment, "SPARK_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: SPARK_HOME is {tmp_path}, but {tmp_path}/bin/spark-submit is not an executable spark-submit; "
        "point SPARK_HOME at an Apache Spark installation"]
