#!/usr/bin/env python3
"""rulepack's benchmarks (make bench; never part of the tests). Each figure is a ratio against
a peer measured in the same run, printed as a table and written as JSON:

1. lint + convert of a generated 10,000-rule pack (written by rulepack new), one file per rule
   and target: `convert --to all` (one read, every target) and the same six targets as one
   command each (the way before `--to` took a list), rules/s, against sigma-cli 3.1.0
   converting the same rules' Sigma output to SQLite; and, like for like, rulepack converting
   them to SQLite alone;
2. hunt over 1M generated events, against the sqlite3 shell running the same SQL on the same
   database file, and loading throughput in MB/s; and the same hunt on Spark's local mode
   (pyspark from the test venv) against the SQLite hunt loading the same CSV (a figure, not a
   goal: one machine's Spark is slower, the point is that it runs unchanged on a cluster);
3. sync of a generated repository of 5,000 rule files in 200 commits: a fresh sync against
   `git clone --bare` (and, as it writes the files too, `git clone` with a checkout), and a
   no-op re-sync against a no-op `git fetch`;
4. hostile YAML (an alias bomb, deep nesting, a 50 MB file, a 900 KB scalar): rulepack's time
   and peak memory against PyYAML's `yaml.safe_load` of the same file.

  Benchmarks/run.py [--rules N] [--events N] [--files N] [--commits N] [--only NAME...] [--json FILE]"""

import argparse
import csv
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-29T12:00:00Z"


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def timed(command, repeat=1, **kwargs):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(command, **kwargs)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(map(str, command))} exited {result.returncode}: {result.stderr[-2000:]}")
    return statistics.median(times), result


def build():
    subprocess.run(["swift", "build", "-c", "release", "--product", "rulepack"], cwd=ROOT, check=True, capture_output=True)
    return ROOT / ".build" / "release" / "rulepack"


def generate_pack(rulepack: Path, folder: Path, rules: int) -> int:
    """rulepack new for rules/3 tools, three rules each (signer, company and product, domain)."""
    tools = (rules + 2) // 3

    def one(i: int):
        name = f"Bench Tool {i:05d}"
        return run([str(rulepack), "new", name, "--signer", f"Bench Signer {i:05d}, Inc.", "--company", f"Bench Signer {i:05d}, Inc.",
                    "--product", f"BenchTool{i:05d}", "--domain", f"bench{i:05d}.example", "--domain", f"api.bench{i:05d}.example",
                    "--into", str(folder), "--template", str(ROOT / "templates")]).returncode

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        failures = sum(1 for code in pool.map(one, range(tools)) if code != 0)
    if failures:
        raise RuntimeError(f"rulepack new failed {failures} times")
    return len(list(folder.glob("*.yaml")))


def bench_lint_convert(rulepack: Path, work: Path, rules: int) -> dict:
    pack = work / "pack"
    count = generate_pack(rulepack, pack, rules)
    def lint():
        result = run([str(rulepack), "lint", str(pack)])
        if result.returncode != 0:
            raise RuntimeError(f"the generated pack does not lint clean: {result.stdout[-1000:]}")

    def convert(arguments, out):
        result = run([str(rulepack), "convert", str(pack), *arguments, "--out", str(out)])
        if result.returncode != 0:
            raise RuntimeError(f"convert {arguments} failed: {result.stderr[-1000:]}")

    # Every run writes into a new folder (see bench_sync on deleting thousands of files).
    # The way before `--to` took a list: lint, then one command per target.
    start = time.perf_counter()
    lint()
    steps = [["--to", "kql"], ["--to", "sql", "--dialect", "sqlite"], ["--to", "sql", "--dialect", "postgres"],
             ["--to", "sql", "--dialect", "duckdb"], ["--to", "sql", "--dialect", "spark"], ["--to", "sigma"]]
    for step in steps:
        convert(step, work / "separate" / "-".join(step[1::2]))
    separate = time.perf_counter() - start
    # The same six targets in one command, and every target (eight) in one command.
    start = time.perf_counter()
    lint()
    convert(["--to", "kql,sql,sigma", "--dialect", "sqlite,postgres,duckdb,spark"], work / "six")
    six = time.perf_counter() - start
    start = time.perf_counter()
    lint()
    convert(["--to", "all"], work / "all")
    ours = time.perf_counter() - start
    sigma = work / "all" / "sigma"
    venv_python = ROOT / ".venv" / "bin" / "python"
    theirs, result = timed([str(venv_python), str(ROOT / "Tests" / "oracles" / "sigma_offline.py"), "convert", "-t", "sqlite", "--without-pipeline", "-o", str(work / "sigma.sql"), str(sigma)])
    if result.returncode != 0:
        raise RuntimeError(f"sigma convert failed: {result.stderr[-1000:]}")
    # Like for like: one target, one output file, as sigma-cli does it.
    single, result = timed([str(rulepack), "convert", str(pack), "--to", "sql", "--dialect", "sqlite"], repeat=3)
    if result.returncode != 0:
        raise RuntimeError(f"convert to SQLite failed: {result.stderr[-1000:]}")
    return {
        "rules": count, "rulepack_seconds": ours, "rulepack_rules_per_second": count / ours,
        "separate_commands_seconds": separate, "six_targets_one_command_seconds": six,
        "ratio_separate_to_six": separate / six, "ratio_separate_to_all": separate / ours,
        "ratio_2026_11_29_to_all": 21.6 / ours,
        "sigma_cli_seconds": theirs, "sigma_cli_rules_per_second": count / theirs,
        "ratio_rules_per_second": (count / ours) / (count / theirs),
        "rulepack_sqlite_only_seconds": single, "ratio_sqlite_only_rules_per_second": theirs / single,
    }


def generate_events(folder: Path, total: int) -> list[Path]:
    rng = random.Random(1)
    columns = {
        "DeviceFileCertificateInfo": ["Timestamp", "DeviceId", "DeviceName", "SHA1", "Signer", "Issuer", "ReportId"],
        "DeviceProcessEvents": ["Timestamp", "DeviceId", "DeviceName", "FileName", "ProcessVersionInfoCompanyName", "ProcessVersionInfoProductName", "AccountUpn", "ReportId"],
        "DeviceNetworkEvents": ["Timestamp", "DeviceId", "DeviceName", "RemoteUrl", "RemotePort", "InitiatingProcessVersionInfoCompanyName", "InitiatingProcessAccountUpn", "ReportId"],
    }
    signers = ["Microsoft Windows", "Google LLC", "Adobe Inc.", "Servably, Inc.", "NotServably, Inc.x", "Zoom Video Communications, Inc."]
    urls = ["www.microsoft.com", "syncromsp.com", "admin.syncromsp.com", "notsyncromsp.com", "zoom.us", "github.com"]
    files = []
    for table, names in columns.items():
        path = folder / f"{table}.csv"
        with open(path, "w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(names)
            for i in range(total // len(columns)):
                device = rng.randint(0, 4999)
                row = {"Timestamp": f"2026-11-{rng.randint(20, 29):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 9999999):07d}Z",
                       "DeviceId": f"{device:040x}", "DeviceName": f"host-{device}", "ReportId": i, "SHA1": f"{rng.getrandbits(160):040x}",
                       "Signer": rng.choice(signers), "Issuer": "DigiCert", "FileName": rng.choice(["chrome.exe", "Syncro.Service.exe", "svchost.exe"]),
                       "ProcessVersionInfoCompanyName": rng.choice(["Servably, Inc.", "Microsoft Corporation", "Google LLC"]),
                       "ProcessVersionInfoProductName": rng.choice(["Syncro", "SyncroMSP Agent", "Microsoft Windows"]),
                       "AccountUpn": f"user{device % 300}@contoso.com", "RemoteUrl": rng.choice(urls), "RemotePort": 443,
                       "InitiatingProcessVersionInfoCompanyName": rng.choice(["Servably, Inc.", "Google LLC"]),
                       "InitiatingProcessAccountUpn": f"user{device % 300}@contoso.com"}
                writer.writerow([row[c] for c in names])
        files.append(path)
    return files


def bench_hunt(rulepack: Path, work: Path, events: int) -> dict:
    files = generate_events(work, events)
    megabytes = sum(f.stat().st_size for f in files) / 1_048_576
    db = work / "events.db"
    _, result = timed([str(rulepack), "hunt", str(ROOT / "packs" / "syncromsp"), "--db", str(db), "--now", NOW, "--events", *map(str, files)])
    load_seconds = sum(float(line.split(" in ")[1].split(" s ")[0]) for line in result.stderr.splitlines() if line.startswith("loaded "))
    loaded = sum(int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("loaded "))
    ours, _ = timed([str(rulepack), "hunt", str(ROOT / "packs" / "syncromsp"), "--db", str(db), "--now", NOW], repeat=5)
    sql = "".join(run([str(rulepack), "convert", str(rule), "--to", "sql", "--now", NOW]).stdout for rule in sorted((ROOT / "packs" / "syncromsp").glob("*.yaml")))
    theirs, _ = timed(["sqlite3", str(db)], repeat=5, input=sql)
    # Spark's local mode on every core, reading the CSV itself, against the SQLite hunt that
    # loads the same CSV into memory.
    venv_bin = ROOT / ".venv" / "bin"
    spark_env = {**os.environ, "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}", "PYSPARK_PYTHON": str(venv_bin / "python")}
    spark_env.pop("SPARK_HOME", None)
    spark, spark_result = timed([str(rulepack), "hunt", str(ROOT / "packs" / "syncromsp"), "--engine", "spark", "--now", NOW, "--format", "json", "--events", *map(str, files)], env=spark_env)
    sqlite_cold, sqlite_result = timed([str(rulepack), "hunt", str(ROOT / "packs" / "syncromsp"), "--now", NOW, "--format", "json", "--events", *map(str, files)])
    def counts(result):
        return {rule["file"]: len(rule["findings"]) for rule in json.loads(result.stdout)}
    if counts(spark_result) != counts(sqlite_result):
        raise RuntimeError(f"Spark and SQLite found different numbers of rows: {counts(spark_result)} and {counts(sqlite_result)}")
    return {
        "spark_local_seconds": spark, "sqlite_with_load_seconds": sqlite_cold, "ratio_spark_to_sqlite": spark / sqlite_cold,
        "events": loaded, "csv_megabytes": megabytes, "load_seconds": load_seconds,
        "load_events_per_second": loaded / load_seconds, "load_megabytes_per_second": megabytes / load_seconds,
        "hunt_seconds": ours, "sqlite3_seconds": theirs, "ratio_hunt_to_sqlite3": ours / theirs,
    }


def generate_repository(folder: Path, files: int, commits: int) -> Path:
    """A catalogue-like repository made with git fast-import: files/commits new rules a commit."""
    work = folder / "upstream"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(work)], check=True)
    per_commit = files // commits
    stream = []
    mark = 0
    for c in range(commits):
        message = f"commit {c}"
        # fast-import continues the branch from its last commit within one stream.
        stream.append(f"commit refs/heads/main\ncommitter Bench <bench@example.com> {1700000000 + c} +0000\ndata {len(message)}\n{message}\n")
        for i in range(per_commit):
            n = c * per_commit + i
            body = f"id: {n:08x}-0000-4000-8000-000000000000\nname: Bench rule {n}\ndescription: A rule.\nquery: |\n  DeviceProcessEvents\n  | where FileName =~ 'bench{n}.exe'\n"
            data = body.encode()
            stream.append(f"M 100644 inline RMM/Tool{n // 25:04d}/rule_{n:05d}.yaml\ndata {len(data)}\n{body}\n")
        stream.append("\n")
    subprocess.run(["git", "-C", str(work), "fast-import", "--quiet"], input="".join(stream).encode(), check=True)
    return work


def bench_sync(rulepack: Path, work: Path, files: int, commits: int) -> dict:
    upstream = generate_repository(work, files, commits)
    url = "file://" + str(upstream)
    manifest = f"packs:\n  - name: bench\n    source: {url}\n    ref: main\n    include: [\"RMM/**/*.yaml\"]\n    into: packs/bench\n"
    # Every run writes into a new folder and nothing is deleted until the end: on ext4, creating
    # files soon after deleting thousands costs several times more, whichever tool does it.
    fresh_times, clone_times, checkout_times = [], [], []
    for n in range(3):
        project = work / f"project{n}"
        project.mkdir()
        (project / "rulepack.yaml").write_text(manifest)
        seconds, _ = timed([str(rulepack), "sync", "--no-lint"], cwd=project)
        fresh_times.append(seconds)
        seconds, _ = timed(["git", "clone", "-q", "--bare", url, str(work / f"clone{n}.git")])
        clone_times.append(seconds)
        # A bare clone writes no files; a clone with a checkout writes what a sync writes.
        seconds, _ = timed(["git", "clone", "-q", url, str(work / f"checkout{n}")])
        checkout_times.append(seconds)
    project = work / "project0"
    synced = len(list((project / "packs" / "bench").rglob("*.yaml")))
    noop, _ = timed([str(rulepack), "sync", "--no-lint", "--update"], repeat=5, cwd=project)
    fetch, _ = timed(["git", "-C", str(work / "clone0.git"), "fetch", "-q", url, "+refs/heads/*:refs/heads/*"], repeat=5)
    # The same no-op without the stat cache (removed before each run): every file read and hashed.
    uncached_times = []
    for _ in range(5):
        shutil.rmtree(project / ".rulepack" / "stat", ignore_errors=True)
        seconds, _ = timed([str(rulepack), "sync", "--no-lint", "--update"], cwd=project)
        uncached_times.append(seconds)
    uncached = statistics.median(uncached_times)
    # The floor under any rulepack command: starting the process (Swift runtime, Foundation).
    startup, _ = timed([str(rulepack), "--version"], repeat=5)
    return {
        "startup_seconds": startup, "ratio_startup_to_git_fetch": startup / fetch,
        "noop_sync_without_stat_cache_seconds": uncached, "ratio_uncached_to_cached_noop": uncached / noop,
        "files": synced, "commits": commits,
        "fresh_sync_seconds": statistics.median(fresh_times), "git_clone_bare_seconds": statistics.median(clone_times),
        "ratio_fresh_sync_to_git_clone": statistics.median(fresh_times) / statistics.median(clone_times),
        "git_clone_checkout_seconds": statistics.median(checkout_times),
        "ratio_fresh_sync_to_git_clone_checkout": statistics.median(fresh_times) / statistics.median(checkout_times),
        "noop_sync_seconds": noop, "git_noop_fetch_seconds": fetch, "ratio_noop_sync_to_git_fetch": noop / fetch,
    }


def hostile_files(folder: Path) -> dict:
    """The inputs of the hostile-YAML tests (Tests/CommandLineTests/HostileYAMLTests.swift)."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    texts = {
        "alias bomb (10^10 nodes)": "\n".join(lines + ["tactics: *a9", "query: |", "  DeviceProcessEvents | take 1"]) + "\n",
        "deep nesting (200,000 levels)": "tactics: " + "[" * 200_000 + "]" * 200_000 + "\nquery: |\n  T\n",
        "huge file (54 MB)": "query: |\n  DeviceProcessEvents\n" + "  // padding padding padding padding padding padding padding padding\n" * 800_000,
        "900 KB scalar": "id: 00000000-0000-4000-8000-000000000000\nname: Big\nquery: |\n  DeviceProcessEvents\n  | where FileName has '" + "x" * 900_000 + "'\n",
    }
    files = {}
    for n, (name, text) in enumerate(texts.items()):
        path = folder / f"hostile{n}.yaml"
        path.write_text(text)
        files[name] = path
    return files


def measured(command, repeat=5) -> tuple[float, float]:
    """Median wall seconds and median peak resident MB (from GNU time) of a command."""
    seconds, megabytes = [], []
    for _ in range(repeat):
        with tempfile.NamedTemporaryFile("r") as report:
            start = time.perf_counter()
            run(["/usr/bin/time", "-o", report.name, "-f", "%M", *map(str, command)])
            seconds.append(time.perf_counter() - start)
            megabytes.append(int(report.read().splitlines()[-1]) / 1024)
    return statistics.median(seconds), statistics.median(megabytes)


def bench_hostile(rulepack: Path, work: Path) -> dict:
    """rulepack refuses the first three and translates the scalar; PyYAML loads what it can
    (it keeps aliases shared, so the bomb costs it little; it recurses, so deep nesting ends in
    a RecursionError) and reads the whole huge file."""
    peer = [str(ROOT / ".venv" / "bin" / "python"), "-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1], encoding='utf-8'))"]
    results = {}
    for name, path in hostile_files(work).items():
        command = [rulepack, "convert", path, "--to", "sql"] if "scalar" in name else [rulepack, "lint", path] if "huge" in name else [rulepack, "convert", path, "--to", "kql"]
        ours, ours_mb = measured(command)
        theirs, theirs_mb = measured([*peer, path])
        results[name] = {"rulepack_seconds": ours, "rulepack_peak_mb": ours_mb, "pyyaml_seconds": theirs, "pyyaml_peak_mb": theirs_mb,
                         "ratio_time": ours / theirs, "ratio_memory": ours_mb / theirs_mb}
    return results


def machine() -> dict:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
    memory = next((l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")), "0")
    swift = run(["swift", "--version"]).stdout.splitlines()[0] if shutil.which("swift") else ""
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(int(memory) / 1_048_576, 1), "os": platform.platform(), "swift": swift,
            "sqlite3": run(["sqlite3", "--version"]).stdout.split()[0], "git": run(["git", "--version"]).stdout.strip()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=5_000)
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--only", nargs="+", choices=["lint_convert", "hunt", "sync", "hostile"], help="run only these benchmarks")
    parser.add_argument("--json", default=str(ROOT / "Benchmarks" / "results.json"))
    args = parser.parse_args()
    print("building rulepack (release)...", flush=True)
    rulepack = build()
    results = {"machine": machine()}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        for name, bench in (("lint_convert", lambda w: bench_lint_convert(rulepack, w, args.rules)),
                            ("hunt", lambda w: bench_hunt(rulepack, w, args.events)),
                            ("sync", lambda w: bench_sync(rulepack, w, args.files, args.commits)),
                            ("hostile", lambda w: bench_hostile(rulepack, w))):
            if args.only and name not in args.only:
                continue
            print(f"{name}...", flush=True)
            folder = work / name
            folder.mkdir()
            results[name] = bench(folder)
    Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    rows = []
    if "lint_convert" in results:
        lc = results["lint_convert"]
        rows += [
            ("lint + convert --to all (8 targets)", f"{lc['rules']:,} rules", f"{lc['rulepack_seconds']:.2f} s, {lc['rulepack_rules_per_second']:,.0f} rules/s", f"sigma-cli → SQLite {lc['sigma_cli_rules_per_second']:,.0f} rules/s", f"{lc['ratio_rules_per_second']:.1f}× its rules/s"),
            ("", "", "", f"6 commands, one per target: {lc['separate_commands_seconds']:.2f} s", f"{lc['ratio_separate_to_all']:.1f}× faster"),
            ("", "", "", "2026-11-29's 21.6 s (6 targets)", f"{lc['ratio_2026_11_29_to_all']:.1f}× faster"),
            ("lint + convert (the 6 targets, one command)", "", f"{lc['six_targets_one_command_seconds']:.2f} s", f"6 commands: {lc['separate_commands_seconds']:.2f} s", f"{lc['ratio_separate_to_six']:.1f}× faster"),
            ("convert → SQLite only", f"{lc['rules']:,} rules", f"{lc['rules'] / lc['rulepack_sqlite_only_seconds']:,.0f} rules/s", "(one output, as sigma-cli)", f"{lc['ratio_sqlite_only_rules_per_second']:.1f}× its rules/s"),
        ]
    if "hunt" in results:
        h = results["hunt"]
        rows += [
            ("hunt (3 rules)", f"{h['events']:,} events", f"{h['hunt_seconds']:.3f} s", f"sqlite3 shell {h['sqlite3_seconds']:.3f} s", f"{h['ratio_hunt_to_sqlite3']:.2f}× its time"),
            ("loading events", f"{h['csv_megabytes']:.0f} MB CSV", f"{h['load_megabytes_per_second']:.1f} MB/s", f"{h['load_events_per_second']:,.0f} events/s", ""),
            ("hunt on Spark local[*], from CSV", f"{h['events']:,} events", f"{h['spark_local_seconds']:.2f} s", f"SQLite hunt with loading {h['sqlite_with_load_seconds']:.2f} s", f"{h['ratio_spark_to_sqlite']:.2f}× its time"),
        ]
    if "sync" in results:
        s = results["sync"]
        rows += [
            ("fresh sync", f"{s['files']:,} files, {s['commits']} commits", f"{s['fresh_sync_seconds']:.2f} s", f"git clone --bare {s['git_clone_bare_seconds']:.2f} s", f"{s['ratio_fresh_sync_to_git_clone']:.2f}× its time"),
            ("", "", "", f"git clone (checkout) {s['git_clone_checkout_seconds']:.2f} s", f"{s['ratio_fresh_sync_to_git_clone_checkout']:.2f}× its time"),
            ("no-op re-sync", "", f"{s['noop_sync_seconds']:.3f} s", f"git fetch (no-op) {s['git_noop_fetch_seconds']:.3f} s", f"{s['ratio_noop_sync_to_git_fetch']:.2f}× its time"),
            ("", "", "", f"the same without the stat cache {s['noop_sync_without_stat_cache_seconds']:.3f} s", f"{s['ratio_uncached_to_cached_noop']:.2f}× faster with it"),
            ("rulepack --version (startup)", "", f"{s['startup_seconds']:.3f} s", f"git fetch (no-op) {s['git_noop_fetch_seconds']:.3f} s", f"{s['ratio_startup_to_git_fetch']:.2f}× its time"),
        ]
    for name, r in results.get("hostile", {}).items():
        rows.append((f"hostile: {name}", "", f"{r['rulepack_seconds']:.2f} s, {r['rulepack_peak_mb']:.0f} MB",
                     f"PyYAML safe_load {r['pyyaml_seconds']:.2f} s, {r['pyyaml_peak_mb']:.0f} MB", f"{r['ratio_time']:.2f}× its time, {r['ratio_memory']:.2f}× its memory"))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print()
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    print(f"\nmachine: {results['machine']['cpu']}, {results['machine']['cores']} cores, {results['machine']['memory_gib']} GiB; results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
