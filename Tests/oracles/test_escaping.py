"""Escaping, as a property: two thousand seeded random hostile strings (quotes, backslashes, SQL
and Sigma wildcards, braces, control characters, non-ASCII) become rule literals. They are
written into rule files by an escaper of this test's own, read by rulepack, written back as
KQL, SQL and Sigma, and executed: duckdb-kql runs the KQL, SQLite the SQL, and SQLite the SQL
that pySigma's SQLite backend makes of the Sigma rule; each must select exactly the rows Python
says it should. The Sigma value must also read back as the string."""

import json
import random
import tempfile
from pathlib import Path

import yaml

from engines import NOW_TEXT, Events, rulepack, run_kql, run_sqlite

SEED = 20261129
COUNT = 2000
ALPHABET = list("'\"`\\%_*?[]{}()$-/;:,. aZ09") + ["\n", "\t", "\r", "\x07", "\x1f", "é", "É", "ü", "署", "😀", "\u00a0"]


def hostile_strings():
    rng = random.Random(SEED)
    strings = []
    while len(strings) < COUNT:
        s = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12)))
        if s not in strings:
            strings.append(s)
    return strings


def kql_literal(s: str) -> str:
    """This test's own KQL escaper (not rulepack's)."""
    out = []
    for c in s:
        if c == "\\": out.append("\\\\")
        elif c == "'": out.append("\\'")
        elif c == "\n": out.append("\\n")
        elif c == "\t": out.append("\\t")
        elif c == "\r": out.append("\\r")
        elif ord(c) < 0x20: out.append("\\u%04x" % ord(c))
        else: out.append(c)
    return "'" + "".join(out) + "'"


def sigma_unescape(value: str) -> str:
    out, escaping = [], False
    for c in value:
        if c == "\\" and not escaping:
            escaping = True
            continue
        out.append(c)
        escaping = False
    return "".join(out)


def ascii_lower(s: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


def sigma_rows(con, document: str) -> list[int]:
    """The rows pySigma's SQLite backend selects for a Sigma rule (from its `logs` table)."""
    from sigma.backends.sqlite import sqliteBackend
    from sigma.collection import SigmaCollection
    [sql] = sqliteBackend().convert(SigmaCollection.from_yaml(document))
    return sorted(r["ReportId"] for r in run_sqlite(con, sql))


def read_exactly(path: Path) -> str:
    """A file's text with its line endings as written (read_text would turn a raw \\r into \\n)."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def test_hostile_literals_select_exactly_their_rows():
    strings = hostile_strings()
    haystacks = strings + ["<" + s + ">" for s in strings[:200]]
    rows = [{"_age": "1h", "DeviceId": f"d{i}", "Signer": h, "ReportId": i} for i, h in enumerate(haystacks)]
    events = Events({"DeviceFileCertificateInfo": rows})
    duck, lite = events.duckdb(), events.sqlite()
    lite.execute('CREATE VIEW logs AS SELECT * FROM "DeviceFileCertificateInfo"')
    with tempfile.TemporaryDirectory() as folder:
        rules = Path(folder) / "rules"
        rules.mkdir()
        cases = []
        for n, s in enumerate(strings):
            for k, op in enumerate(["==", "contains"]):
                rule_id = "00000000-0000-4000-8000-%012d" % (n * 10 + k)
                query = f"DeviceFileCertificateInfo | where Signer {op} {kql_literal(s)} | project ReportId"
                (rules / f"{rule_id}.yaml").write_text(f"id: {rule_id}\nname: hostile {n}\nquery: |\n  {query}\n", encoding="utf-8")
                cases.append((rule_id, s, op))
        out = {}
        for target in ("kql", "sql", "sigma"):
            out[target] = Path(folder) / target
            rulepack("convert", str(rules), "--to", target, "--out", str(out[target]), *(["--now", NOW_TEXT] if target == "sql" else []))
        failures = []
        for rule_id, s, op in cases:
            if op == "==":
                expected = [i for i, h in enumerate(haystacks) if h == s]
            else:
                expected = [i for i, h in enumerate(haystacks) if s.lower() in h.lower()]
            kql = sorted(r["ReportId"] for r in run_kql(duck, read_exactly(out["kql"] / f"{rule_id}.kql")))
            sql = sorted(r["ReportId"] for r in run_sqlite(lite, read_exactly(out["sql"] / f"{rule_id}.sql")))
            if kql != expected or sql != expected:
                failures.append((s, op, expected[:5], kql[:5], sql[:5]))
            sigma_text = read_exactly(out["sigma"] / f"{rule_id}.yml")
            values = list(next(yaml.safe_load_all(sigma_text))["detection"]["selection"].values())
            if sigma_unescape(values[0]) != s:
                failures.append((s, op, "sigma value", values[0], None))
            # Sigma's case-insensitive match becomes SQLite LIKE, which folds ASCII letters only.
            if op == "contains":
                expected = [i for i, h in enumerate(haystacks) if ascii_lower(s) in ascii_lower(h)]
            sigma = sigma_rows(lite, sigma_text)
            if sigma != expected:
                failures.append((s, op, "sigma rows", expected[:5], sigma[:5]))
        assert failures == [], "\n".join(json.dumps(f, ensure_ascii=False) for f in failures[:15])
