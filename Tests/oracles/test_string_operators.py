"""KQL's string operators, `has` above all, against duckdb-kql: random haystack and needle pairs
(from a fixed seed) and hostile needles, each written as a rule, translated by rulepack and run
by duckdb-kql (the KQL), SQLite and PostgreSQL (the SQL) over the same rows."""

import random
import tempfile
from pathlib import Path

import duckdb_kql
import pytest

from engines import NOW_TEXT, Events, postgres_connection, rulepack, run_kql, run_postgres, run_sqlite

OPERATORS = ["has", "has_cs", "!has", "contains", "contains_cs", "startswith", "endswith", "=~", "==", "!contains"]

# Letters, digits, the separators that matter (space, underscore, dot, comma, hyphen, no-break
# space, en dash) and Latin-1 letters in both cases. Other non-ASCII symbols are a documented
# SQLite limitation (README) and are left out here.
ALPHABET = list("aAbBsS09 _.,-/@") + ["\u00a0", "\u2013", "é", "É", "ü", "Ü", "署"]
HOSTILE = ["O'Brien", '"quoted"', "back\\slash", "trailing\\", "%_*?", "[abc]", "' OR 1=1 --", "{0}", "line1\nline2",
           "tab\there", "Ünïcödé ✓", "ÉCOLE", "emoji 😀", "Servably, Inc.", "a--b", "/* x */", "$1"]


def kql_string(s: str) -> str:
    escaped = s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t")
    return "'" + escaped + "'"


def random_cases(seed: int, count: int):
    rng = random.Random(seed)
    def word(n):
        return "".join(rng.choice(ALPHABET) for _ in range(n))
    haystacks = [word(rng.randint(0, 14)) for _ in range(120)]
    needles = []
    for _ in range(count):
        source = rng.choice(haystacks)
        if source and rng.random() < 0.7:
            start = rng.randrange(len(source))
            needles.append(source[start:start + rng.randint(1, 5)])
        else:
            needles.append(word(rng.randint(1, 4)))
    return haystacks, needles


def run_cases(haystacks, needles, operators):
    rows = [{"_age": "1h", "DeviceId": f"d{i}", "Signer": h, "ReportId": i} for i, h in enumerate(haystacks)]
    events = Events({"DeviceFileCertificateInfo": rows})
    duck, lite = events.duckdb(), events.sqlite()
    pg = postgres_connection()
    events.postgres(pg)
    with tempfile.TemporaryDirectory() as folder:
        for n, needle in enumerate(needles):
            for k, op in enumerate(operators):
                path = Path(folder) / "rules" / f"case-{n:04d}-{k:02d}.yaml"
                path.parent.mkdir(exist_ok=True)
                query = f"DeviceFileCertificateInfo | where Signer {op} {kql_string(needle)} | project ReportId"
                path.write_text("id: 00000000-0000-4000-8000-%012d\nquery: |\n  %s\n" % (n * 100 + k, query))
        out = {}
        for target, dialect in (("kql", None), ("sql", "sqlite"), ("sql", "postgres")):
            folder_out = Path(folder) / (dialect or target)
            args = ["convert", str(Path(folder) / "rules"), "--to", target, "--out", str(folder_out)]
            if dialect:
                args += ["--dialect", dialect, "--now", NOW_TEXT]
            rulepack(*args)
            out[dialect or target] = folder_out
        failures = []
        for n, needle in enumerate(needles):
            for k, op in enumerate(operators):
                rule_id = "00000000-0000-4000-8000-%012d" % (n * 100 + k)
                kql = (out["kql"] / f"{rule_id}.kql").read_text()
                assert duckdb_kql.validate(kql) == [], kql
                expected = run_kql(duck, kql)
                sqlite = run_sqlite(lite, (out["sqlite"] / f"{rule_id}.sql").read_text())
                postgres = run_postgres(pg, (out["postgres"] / f"{rule_id}.sql").read_text())
                if sqlite != expected or postgres != expected:
                    failures.append((needle, op, [r["ReportId"] for r in expected], [r["ReportId"] for r in sqlite], [r["ReportId"] for r in postgres]))
    pg.close()
    return failures


def test_random_pairs_agree_with_duckdb_kql():
    haystacks, needles = random_cases(seed=20261129, count=60)
    failures = run_cases(haystacks, needles, OPERATORS)
    assert failures == [], "\n".join(f"{n!r} {op}: kql={k} sqlite={s} postgres={p}" for n, op, k, s, p in failures[:20])


def test_hostile_needles_agree_with_duckdb_kql():
    haystacks = HOSTILE + ["x" + h + "x" for h in HOSTILE] + [h.upper() for h in HOSTILE] + [h + " tail" for h in HOSTILE]
    failures = run_cases(haystacks, HOSTILE, OPERATORS)
    assert failures == [], "\n".join(f"{n!r} {op}: kql={k} sqlite={s} postgres={p}" for n, op, k, s, p in failures[:20])
