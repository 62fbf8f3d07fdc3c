"""rulepack's Sigma output passes `sigma check` (sigma-cli 3.1.0, pySigma 1.5.1 and the SigmaHQ
validators, pinned in requirements.txt), run offline, failing on any issue. Only validators
that cannot apply are excluded, each for the reason given."""

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import VALID_RULES
from engines import ROOT, rulepack

# Files are named <rule id>.yml by the convert contract, not by SigmaHQ's repository convention.
ALWAYS = ["sigmahq_filename_convention", "sigmahq_filename_prefix", "sigmahq_correlation_filename_prefix"]
EXCLUDED = {
    # Sigma has no log source for code-signing certificate data.
    "rmm_SyncroMSP_filesig.yaml": ["sigmahq_logsource_unknown"],
    # SigmaHQ's network_connection taxonomy has no field for the initiating process's company;
    # Company is the name pySigma's microsoft_xdr pipeline maps to InitiatingProcessVersionInfoCompanyName.
    "rmm_SyncroMSP_netconn.yaml": ["sigmahq_invalid_fieldname"],
    "aggregates.yaml": [],
    # FileName tests other than equality and suffix keep the Defender name (writing them as
    # Image|contains would broaden them), and DeviceName has no process_creation field either.
    "operators.yaml": ["sigmahq_invalid_fieldname"],
    # host.name maps to DeviceName, which SigmaHQ's process_creation taxonomy does not name.
    "exclusions.yaml": ["sigmahq_invalid_fieldname"],
    # Control characters, escaped wildcards and the certificate table are the point of this fixture.
    "hostile.yaml": ["sigmahq_logsource_unknown", "control_character", "escaped_wildcard"],
}


def sigma_check(path: Path, exclude: list[str]) -> subprocess.CompletedProcess:
    args = [sys.executable, str(Path(__file__).parent / "sigma_offline.py"), "check", "--fail-on-issues"]
    for validator in ALWAYS + exclude:
        args += ["-x", validator]
    return subprocess.run(args + [str(path)], capture_output=True, text=True)


# Sigma has no subqueries: a rule that tests against a tabular let is refused, not approximated.
NOT_EXPRESSIBLE = {"lets.yaml", "time-bounds.yaml"}


@pytest.mark.parametrize("features", ["full", "basic"])
@pytest.mark.parametrize("rule", [r for r in VALID_RULES if r.name not in NOT_EXPRESSIBLE], ids=lambda p: p.name)
def test_sigma_check(rule, features):
    with tempfile.TemporaryDirectory() as folder:
        rulepack("convert", str(rule), "--to", "sigma", "--sigma-features", features, "--date", "2026-11-29", "--out", folder)
        (output,) = Path(folder).glob("*.yml")
        result = sigma_check(output, EXCLUDED.get(rule.name, []))
        assert "Found 0 errors, 0 condition errors and 0 issues." in result.stdout, result.stdout[-3000:]
        assert result.returncode == 0


def test_a_subquery_is_refused_with_its_reason():
    rule = next(r for r in VALID_RULES if r.name == "lets.yaml")
    result = rulepack("convert", str(rule), "--to", "sigma", check=False)
    assert result.returncode == 1
    assert "lets.yaml:11:11: error: Sigma cannot test a field against the results of another query (the tabular let 'SyncroDevices')" in result.stderr


def test_time_bounds_sigma_cannot_carry_are_refused():
    rule = next(r for r in VALID_RULES if r.name == "time-bounds.yaml")
    result = rulepack("convert", str(rule), "--to", "sigma", check=False)
    assert result.returncode == 1
    assert "time-bounds.yaml:8:11: error: between on times or expressions other than the look-back window has no Sigma counterpart" in result.stderr


def test_sigma_check_fails_on_a_broken_rule():
    # The check itself can fail: a rule without a condition is an error.
    with tempfile.TemporaryDirectory() as folder:
        bad = Path(folder) / "bad.yml"
        bad.write_text("title: Broken\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  selection:\n    Image: x\n")
        result = sigma_check(bad, [])
        assert result.returncode != 0
