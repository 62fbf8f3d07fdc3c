import Foundation
import PackSync
import RuleTestSupport
import Testing

@Suite("rulepack sync")
struct SyncCommandTests {
    @Test func firstSyncThenUpdateReportsChanges() throws {
        let f = try GitFixture()
        try f.write("RMM/A/a.yaml", GitFixture.rule(id: "aaaaaaaa-0000-4000-8000-000000000001"))
        try f.write("RMM/B/b.yaml", GitFixture.rule(id: "bbbbbbbb-0000-4000-8000-000000000002"))
        try f.write("RMM/B/c.yaml", GitFixture.rule(id: "cccccccc-0000-4000-8000-000000000003"))
        try f.write("README.md", "not a rule\n")
        let first = try f.commit("first")
        try f.manifest()

        let r1 = try f.sync()
        #expect(r1.status == 0, "\(r1.stderr)")
        #expect(r1.stdout.hasPrefix("rmm: main at \(first.prefix(12)), 3 files: 3 added, 0 removed, 0 modified\n"))
        #expect(f.packFiles == ["RMM/A/a.yaml", "RMM/B/b.yaml", "RMM/B/c.yaml"])
        #expect(f.lock.contains("commit: \(first)"))
        #expect(f.lock.contains("files: 3"))
        // The content hash is git's blob id of the sorted `path NUL blob-id` listing, so git
        // itself can check a pack against the lock.
        let listing = try f.git("ls-tree", "-r", first, "RMM").split(separator: "\n").map { line -> String in
            let parts = line.split(separator: "\t", maxSplits: 1)
            return "\(parts[1])\u{0}\(parts[0].split(separator: " ")[2])\n"
        }.sorted().joined()
        let listingFile = f.folder.appendingPathComponent("listing")
        try Data(listing.utf8).write(to: listingFile)
        let expected = try f.git("hash-object", listingFile.path).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(f.lock.contains("contentHash: sha1:\(expected)\n"))

        try f.write("RMM/D/d.yaml", GitFixture.rule(id: "dddddddd-0000-4000-8000-000000000004"))
        try f.remove("RMM/B/c.yaml")
        try f.write("RMM/A/a.yaml", GitFixture.rule(id: "aaaaaaaa-0000-4000-8000-000000000001", name: "Renamed"))
        let second = try f.commit("second")

        // Without --update the pack stays at the locked commit.
        let r2 = try f.sync()
        #expect(r2.status == 0)
        #expect(r2.stdout == "rmm: main at \(first.prefix(12)), 3 files, up to date\n")
        #expect(f.lock.contains("commit: \(first)"))

        let r3 = try f.sync("--update")
        #expect(r3.status == 0, "\(r3.stderr)")
        #expect(r3.stdout == """
        rmm: main at \(second.prefix(12)), 3 files (was \(first.prefix(12))): 1 added, 1 removed, 1 modified
          + dddddddd-0000-4000-8000-000000000004  RMM/D/d.yaml
          ~ aaaaaaaa-0000-4000-8000-000000000001  RMM/A/a.yaml
          - cccccccc-0000-4000-8000-000000000003  RMM/B/c.yaml

        """)
        #expect(f.packFiles == ["RMM/A/a.yaml", "RMM/B/b.yaml", "RMM/D/d.yaml"])
        #expect(try f.packText("RMM/A/a.yaml").contains("name: Renamed"))
        #expect(f.lock.contains("commit: \(second)"))
    }

    /// A catalogue with history, served from a local bare copy: synced at an older commit,
    /// then moved to the branch's newest with --update.
    @Test func fromABareCopyAtAnOlderCommitThenUpdate() throws {
        let f = try GitFixture()
        var commits: [String] = []
        for tool in ["AnyDesk", "Atera", "SyncroMSP"] {
            for kind in ["filesig", "createproc", "netconn"] {
                try f.write("RMM/\(tool)/rmm_\(tool)_\(kind).yaml", GitFixture.rule(id: SHA1Like.id(tool + kind), name: "\(tool) \(kind)"))
            }
            commits.append(try f.commit("add \(tool)"))
        }
        let bare = f.folder.appendingPathComponent("catalogue.git")
        try f.git("clone", "-q", "--bare", f.upstream.path, bare.path)
        try f.manifest(ref: commits[0], source: bare.path)
        let old = try f.sync()
        #expect(old.status == 0, "\(old.stderr)")
        #expect(old.stdout.hasPrefix("rmm: \(commits[0]) at \(commits[0].prefix(12)), 3 files: 3 added"))
        #expect(f.lock.contains("commit: \(commits[0])") && f.lock.contains("source: \(bare.path)"))

        try f.manifest(ref: "main", source: bare.path)
        let updated = try f.sync("--update")
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stdout.hasPrefix("rmm: main at \(commits[2].prefix(12)), 9 files (was \(commits[0].prefix(12))): 6 added, 0 removed, 0 modified\n"))
        #expect(updated.stdout.contains("  + \(SHA1Like.id("SyncroMSPnetconn"))  RMM/SyncroMSP/rmm_SyncroMSP_netconn.yaml"))
        #expect(f.lock.contains("commit: \(commits[2])") && f.lock.contains("files: 9") && f.lock.contains("ref: main"))
    }

    @Test func progressIsShownOnATerminalOnly() throws {
        let f = try GitFixture()
        for i in 0..<50 { try f.write("RMM/\(i).yaml", GitFixture.rule(id: SHA1Like.id("p\(i)"))) }
        try f.commit("first")
        try f.manifest()
        // script(1) gives the command a terminal.
        let command = "\(CommandRunner.binary.path) sync --no-lint"
        let onTerminal = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], in: f.project)
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("rmm [") && onTerminal.stdout.contains("indexed"))
        try FileManager.default.removeItem(at: f.project.appendingPathComponent(".rulepack"))
        try FileManager.default.removeItem(at: f.project.appendingPathComponent("rulepack.lock"))
        let piped = try f.sync()
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("indexed") && !piped.stdout.contains("indexed"))
    }

    @Test func pinToATagAndToACommit() throws {
        let f = try GitFixture()
        try f.write("RMM/a.yaml", GitFixture.rule(id: "aaaaaaaa-0000-4000-8000-000000000001"))
        let first = try f.commit("first")
        try f.git("tag", "v1")
        try f.write("RMM/b.yaml", GitFixture.rule(id: "bbbbbbbb-0000-4000-8000-000000000002"))
        let second = try f.commit("second")
        try f.write("RMM/c.yaml", GitFixture.rule(id: "cccccccc-0000-4000-8000-000000000003"))
        try f.commit("third")

        try f.manifest(ref: "v1")
        #expect(try f.sync().status == 0)
        #expect(f.packFiles == ["RMM/a.yaml"])
        #expect(f.lock.contains("commit: \(first)") && f.lock.contains("ref: v1"))

        // A changed ref is followed without --update.
        try f.manifest(ref: second)
        let r = try f.sync()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(f.packFiles == ["RMM/a.yaml", "RMM/b.yaml"])
        #expect(r.stdout.contains("1 added, 0 removed, 0 modified"))

        try f.manifest(ref: "no-such-branch")
        let bad = try f.sync()
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("ref 'no-such-branch' is neither a branch nor a tag of the source (branches: main; tags: v1)"))
        #expect(f.packFiles == ["RMM/a.yaml", "RMM/b.yaml"])
    }

    @Test func frozenSyncsTheLockedCommit() throws {
        let f = try GitFixture()
        try f.write("RMM/a.yaml", GitFixture.rule(id: "aaaaaaaa-0000-4000-8000-000000000001"))
        let first = try f.commit("first")
        try f.manifest()

        let noLock = try f.sync("--frozen")
        #expect(noLock.status == 1)
        #expect(noLock.stderr.contains("--frozen needs a rulepack.lock entry"))

        #expect(try f.sync().status == 0)
        try f.write("RMM/b.yaml", GitFixture.rule(id: "bbbbbbbb-0000-4000-8000-000000000002"))
        try f.commit("second")
        // A fresh checkout of the project (no pack, no cache) gets exactly the locked commit.
        try FileManager.default.removeItem(at: f.project.appendingPathComponent("packs"))
        try FileManager.default.removeItem(at: f.project.appendingPathComponent(".rulepack"))
        let frozen = try f.sync("--frozen")
        #expect(frozen.status == 0, "\(frozen.stderr)")
        #expect(frozen.stdout.hasPrefix("rmm: main at \(first.prefix(12)), 1 file"))
        #expect(f.packFiles == ["RMM/a.yaml"])

        // History rewritten upstream: the locked commit cannot be had any more.
        try f.git("checkout", "-q", "--orphan", "rewritten")
        try f.git("rm", "-rq", "--cached", ".")
        try f.write("RMM/z.yaml", GitFixture.rule(id: "ffffffff-0000-4000-8000-000000000009"))
        try f.commit("rewritten")
        try f.git("branch", "-f", "main", "rewritten")
        try f.git("checkout", "-q", "main")
        try f.git("branch", "-D", "rewritten")
        try f.git("reflog", "expire", "--expire=now", "--all")
        try f.git("gc", "-q", "--prune=now")
        try FileManager.default.removeItem(at: f.project.appendingPathComponent(".rulepack"))
        let gone = try f.sync("--frozen")
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("the locked commit \(first) cannot be had from ../upstream"))
        #expect(f.packFiles == ["RMM/a.yaml"])
    }

    @Test func unreachableSourceLeavesThePackAlone() throws {
        let f = try GitFixture()
        try f.write("RMM/a.yaml", GitFixture.rule(id: "aaaaaaaa-0000-4000-8000-000000000001"))
        try f.commit("first")
        try f.manifest()
        #expect(try f.sync().status == 0)
        let lockBefore = f.lock
        try f.manifest(source: "../nowhere")
        let r = try f.sync("--update")
        #expect(r.status == 1)
        #expect(r.stderr.contains("rulepack.yaml:2:5: error: rmm: cannot fetch file://"))
        #expect(f.packFiles == ["RMM/a.yaml"])
        #expect(f.lock == lockBefore)
    }

    @Test func credentialsAreNeverShownOrLocked() throws {
        let f = try GitFixture()
        try f.manifest(source: "https://reader:s3cret-token@127.0.0.1:9/catalogue.git")
        let r = try f.sync()
        #expect(r.status == 1)
        #expect(r.stderr.contains("https://127.0.0.1:9/catalogue.git"))
        #expect(!r.stderr.contains("s3cret") && !r.stdout.contains("s3cret") && !f.lock.contains("s3cret"))
    }

    @Test func symlinksSubmodulesAndFilesOutsideIncludeAreNotWritten() throws {
        let f = try GitFixture()
        try f.write("RMM/a.yaml", GitFixture.rule(id: "aaaaaaaa-0000-4000-8000-000000000001"))
        try f.write("Other/outside.yaml", GitFixture.rule(id: "eeeeeeee-0000-4000-8000-000000000005"))
        try FileManager.default.createSymbolicLink(atPath: f.upstream.appendingPathComponent("RMM/passwd.yaml").path, withDestinationPath: "/etc/passwd")
        try f.git("add", "-A")
        // A gitlink (submodule) entry; committed directly, as `add -A` would drop it.
        try f.git("update-index", "--add", "--cacheinfo", "160000,\(String(repeating: "1", count: 40)),RMM/sub.yaml")
        try f.git("commit", "-q", "-m", "with a symlink and a submodule")
        try f.manifest()
        let r = try f.sync()
        #expect(r.status == 1)
        #expect(r.stderr.contains("RMM/passwd.yaml: a symbolic link (to /etc/passwd); only regular files are written"))
        #expect(r.stderr.contains("RMM/sub.yaml: a submodule; only regular files are written"), "\(r.stderr)")
        #expect(f.packFiles == ["RMM/a.yaml"])
        #expect(!FileManager.default.fileExists(atPath: f.project.appendingPathComponent("packs/rmm/Other").path))
    }

    @Test func sizeLimitsStopThePackWhole() throws {
        let f = try GitFixture()
        try f.write("RMM/a.yaml", GitFixture.rule(id: "aaaaaaaa-0000-4000-8000-000000000001"))
        try f.commit("first")
        try f.manifest()
        #expect(try f.sync().status == 0)
        try f.write("RMM/big.yaml", String(repeating: "#", count: 5000))
        try f.commit("big")
        try f.manifest(extra: "    limits:\n      fileBytes: 4096\n")
        let r = try f.sync("--update")
        #expect(r.status == 1)
        #expect(r.stderr.contains("RMM/big.yaml is 5000 bytes, over the limit of 4096 (limits.fileBytes); the pack is left as it was"))
        #expect(f.packFiles == ["RMM/a.yaml"])
    }

    @Test func badManifestIsReportedAtItsLineAndColumn() throws {
        let f = try GitFixture()
        try "packs:\n  - name: rmm\n    source: ../upstream\n    refs: main\n".write(to: f.project.appendingPathComponent("rulepack.yaml"), atomically: true, encoding: .utf8)
        let r = try f.sync()
        #expect(r.status == 2)
        #expect(r.stderr.contains("rulepack.yaml:4:5: error: unknown key 'refs' (did you mean 'ref'?)"))
        try "packs:\n  - name: rmm\n    source: ../upstream\n    into: ../outside\n".write(to: f.project.appendingPathComponent("rulepack.yaml"), atomically: true, encoding: .utf8)
        #expect(try f.sync().stderr.contains("rulepack.yaml:4:11: error: 'into' must be a folder inside the project"))
    }

    @Test func twoSyncsAtOnceAreRefused() throws {
        let f = try GitFixture()
        try f.write("RMM/a.yaml", GitFixture.rule(id: "aaaaaaaa-0000-4000-8000-000000000001"))
        try f.commit("first")
        try f.manifest()
        do {
            let held = try SyncLock(root: f.project)
            let r = try f.sync()
            #expect(r.status == 1)
            #expect(r.stderr.contains("another rulepack sync is running"))
            #expect(f.packFiles.isEmpty)
            withExtendedLifetime(held) {}
        }
        let after = try f.sync()
        #expect(after.status == 0, "\(after.stderr)")
    }

    /// Killed at any moment, a sync leaves the old pack or the new one, never a mixture.
    @Test func aKilledSyncLeavesTheOldPackOrTheNew() throws {
        let f = try GitFixture()
        for i in 0..<400 { try f.write("RMM/old/\(i).yaml", GitFixture.rule(id: "00000000-0000-4000-8000-\(String(format: "%012d", i))") + String(repeating: "#", count: 4000)) }
        try f.commit("old")
        try f.manifest()
        #expect(try f.sync().status == 0)
        let old = f.packFiles
        for i in 0..<400 { try f.write("RMM/new/\(i).yaml", GitFixture.rule(id: "11111111-0000-4000-8000-\(String(format: "%012d", i))") + String(repeating: "#", count: 4000)) }
        try f.git("rm", "-rq", "RMM/old")
        try f.commit("new")
        // The first kill follows the start at once, so at least one sync is always killed midway,
        // however fast the machine; the later ones reach further into the sync.
        var killedMidway = 0
        for delay in [0, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.45] {
            let process = try CommandRunner.start(["sync", "--no-lint", "--update"], in: f.project)
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killedMidway += 1 }
            let now = f.packFiles
            let newFiles = (0..<400).map { "RMM/new/\($0).yaml" }.sorted()
            #expect(now == old || now == newFiles, "after a kill at \(delay)s the pack holds \(now.count) files")
            if now == newFiles { break }
        }
        #expect(killedMidway > 0, "no sync was killed before it finished")
        // The next sync completes and cleans up what the killed one left.
        #expect(try f.sync("--update").status == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.project.appendingPathComponent("packs").path).filter { $0.contains("rulepack-new") }
        #expect(leftovers.isEmpty)
        #expect(f.packFiles.count == 400 && f.packFiles.allSatisfy { $0.hasPrefix("RMM/new/") })
    }
}

@Suite("Sync helpers")
struct SyncHelperTests {
    @Test("glob", arguments: [
        ("RMM/**/*.yaml", "RMM/a.yaml", true), ("RMM/**/*.yaml", "RMM/x/y/a.yaml", true), ("RMM/**/*.yaml", "Other/a.yaml", false),
        ("Network Indicators/*.yaml", "Network Indicators/n.yaml", true), ("Network Indicators/*.yaml", "Network Indicators/x/n.yaml", false),
        ("**/*.yaml", "a.yaml", true), ("*.yaml", ".hidden.yaml", false), ("RMM/[AB]*/*.yaml", "RMM/Atera/a.yaml", true),
    ])
    func glob(pattern: String, path: String, matches: Bool) {
        #expect(Glob.matches(pattern, path) == matches)
    }

    @Test func redaction() {
        #expect(SourceURL.redacted("cannot fetch https://user:tok@host/x.git: refused") == "cannot fetch https://host/x.git: refused")
        #expect(SourceURL.redacted("ssh://git@host/x and https://a:b@c/d") == "ssh://host/x and https://c/d")
        #expect(SourceURL.redacted("git@github.com:o/r.git") == "git@github.com:o/r.git")
    }

    @Test func localPathsBecomeFileURLs() {
        #expect(SourceURL.fetchURL("../up", relativeTo: URL(fileURLWithPath: "/p/q")) == "file:///p/up")
        #expect(SourceURL.fetchURL("https://h/x.git", relativeTo: URL(fileURLWithPath: "/p")) == "https://h/x.git")
    }
}

/// Stable GUID-shaped ids for fixture rules.
enum SHA1Like {
    static func id(_ seed: String) -> String {
        var hash: UInt64 = 1469598103934665603
        for byte in seed.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        let hex = String(format: "%016llx", hash)
        return "\(hex.prefix(8))-\(hex.dropFirst(8).prefix(4))-4\(hex.dropFirst(13).prefix(3))-8000-\(hex.suffix(4))00000000"
    }
}
