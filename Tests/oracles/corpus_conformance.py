"""Checks rulepack's translations of a whole catalogue against the oracles (used by
scripts/corpus-report --oracles; not a test, since a user's clone has no catalogue):
duckdb-kql validates each KQL output and finds it equivalent to the rule's own query over the
fixture events; each SQL output runs in SQLite and agrees with duckdb-kql; each Sigma output
passes sigma check; each ARM template validates against the published schema; each Defender
custom detection passes duckdb-kql and returns what the rule returns plus the latest event's
columns; Sigma written with --sigma-features basic converts with pySigma's Kusto backend and
rulepack's pipeline, and returns what the rule returns."""

import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb_kql

sys.path.insert(0, str(Path(__file__).parent))
from engines import Events, own_query, rulepack, run_kql, run_sqlite  # noqa: E402
from test_exports import composed_query, kusto_queries, sigma_to_kusto, validate_template  # noqa: E402
from test_sigma import ALWAYS  # noqa: E402


def main(folder: Path) -> int:
    files = sorted(folder.rglob("*.yaml"))
    events = Events.from_fixtures()
    duck, lite = events.duckdb(), events.sqlite()
    problems: list[str] = []
    counts = {"kql valid": 0, "kql same as own query": 0, "sql agrees": 0, "sigma check": 0,
              "arm schema-valid": 0, "defender agrees": 0, "sigma->kusto agrees": 0}
    with tempfile.TemporaryDirectory() as work:
        out = {}
        for target in ("kql", "sql", "sigma"):
            out[target] = Path(work) / target
            rulepack("convert", str(folder), "--to", target, "--out", str(out[target]), *(["--date", "2026-11-29"] if target == "sigma" else []), check=False)
        for target, extra in (("sentinel-arm", []), ("defender-xdr", []), ("sigma-basic", ["--sigma-features", "basic", "--date", "2026-11-29"])):
            out[target] = Path(work) / target
            rulepack("convert", str(folder), "--to", target.split("-basic")[0], "--out", str(out[target]), *extra, check=False)
        for file in files:
            rule_id = next((l.split(":", 1)[1].strip() for l in file.read_text().splitlines() if l.startswith("id:")), file.stem)
            kql_file = out["kql"] / f"{rule_id}.kql"
            if not kql_file.exists():
                problems.append(f"{file.name}: no KQL output")
                continue
            kql = kql_file.read_text()
            if duckdb_kql.validate(kql) == []:
                counts["kql valid"] += 1
            else:
                problems.append(f"{file.name}: duckdb-kql rejects the KQL output")
            try:
                expected = run_kql(duck, kql)
                if expected == run_kql(duck, own_query(file)):
                    counts["kql same as own query"] += 1
                else:
                    problems.append(f"{file.name}: KQL output differs from the rule's own query")
            except Exception as error:  # the rule's own query may not run on the emulator
                problems.append(f"{file.name}: duckdb-kql could not run it: {str(error)[:120]}")
                expected = None
            sql_file = out["sql"] / f"{rule_id}.sql"
            if sql_file.exists() and expected is not None:
                if run_sqlite(lite, sql_file.read_text()) == expected:
                    counts["sql agrees"] += 1
                else:
                    problems.append(f"{file.name}: SQLite result differs from duckdb-kql")
            sigma_file = out["sigma"] / f"{rule_id}.yml"
            if sigma_file.exists():
                excluded = ALWAYS + ["sigmahq_logsource_unknown", "sigmahq_invalid_fieldname"]
                args = [sys.executable, str(Path(__file__).parent / "sigma_offline.py"), "check", "--fail-on-issues"]
                for validator in excluded:
                    args += ["-x", validator]
                result = subprocess.run(args + [str(sigma_file)], capture_output=True, text=True)
                if result.returncode == 0 and "Found 0 errors, 0 condition errors and 0 issues." in result.stdout:
                    counts["sigma check"] += 1
                else:
                    problems.append(f"{file.name}: sigma check: {result.stdout.strip().splitlines()[-1:]} ")
            deployments_and_kusto(file, rule_id, out, duck, expected, counts, problems)
    counts.update(lint_and_fix(folder, files))
    print(f"{len(files)} rule files")
    for name, n in counts.items():
        print(f"  {name:24} {n}")
    for problem in problems:
        print("  " + problem)
    return 0


def deployments_and_kusto(file: Path, rule_id: str, out: dict, duck, expected, counts: dict, problems: list[str]) -> None:
    import json
    arm = out["sentinel-arm"] / f"{rule_id}.json"
    if not arm.exists():
        problems.append(f"{file.name}: no ARM template (refused; the reason is in the report above)")
        return
    try:
        validate_template(json.loads(arm.read_text()))
        counts["arm schema-valid"] += 1
    except Exception as error:
        problems.append(f"{file.name}: ARM template: {str(error)[:160]}")
    detection = out["defender-xdr"] / f"{rule_id}.json"
    if detection.exists() and expected is not None:
        rows = run_kql(duck, json.loads(detection.read_text())["queryCondition"]["queryText"])
        added = {"Timestamp", "ReportId", "DeviceId"} - set(expected[0] if expected else {})
        if [{c: v for c, v in r.items() if c not in added} for r in rows] == expected or (not rows and not expected):
            counts["defender agrees"] += 1
        else:
            problems.append(f"{file.name}: the custom detection returns other rows than the rule")
    sigma = out["sigma-basic"] / f"{rule_id}.yml"
    if sigma.exists() and expected is not None:
        result = sigma_to_kusto("-p", str(out["sigma-basic"] / "rulepack-pipeline.yaml"), str(sigma))
        queries = kusto_queries(result.stdout) if result.returncode == 0 else []
        if len(queries) == 1 and run_kql(duck, composed_query(file, queries[0])) == expected:
            counts["sigma->kusto agrees"] += 1
        else:
            problems.append(f"{file.name}: Sigma through pySigma's Kusto backend: {(result.stdout + result.stderr).strip().splitlines()[-1:]}")


def lint_and_fix(folder: Path, files: list[Path]) -> dict[str, int]:
    """rulepack lint over the catalogue, then --fix on a copy: every file must read as strict
    YAML in PyYAML, with nothing but spaces inserted."""
    import difflib
    import json
    import shutil

    import yaml
    findings = json.loads(rulepack("lint", str(folder), "--format", "json", check=False).stdout)
    indentation = {f["file"] for f in findings if f["check"] == "yaml-indentation"}
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "copy"
        shutil.copytree(folder, copy)
        rulepack("lint", str(copy), "--fix", check=False)
        strict = spaces_only = 0
        for file in files:
            fixed = copy / file.relative_to(folder)
            try:
                yaml.safe_load(fixed.read_bytes())
                strict += 1
            except yaml.YAMLError:
                pass
            a, b = file.read_bytes(), fixed.read_bytes()
            ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
            if all(tag == "equal" or (tag == "insert" and set(b[j1:j2]) == {32}) for tag, _, _, j1, j2 in ops):
                spaces_only += 1
    return {"lint: indentation found": len(indentation), "fixed copy strict YAML": strict, "fix inserted only spaces": spaces_only}


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
