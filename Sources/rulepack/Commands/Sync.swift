import ArgumentParser
import Foundation
import PackSync
import RuleChecks
import RuleModel
import Support

struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring packs in line with their sources (rulepack.yaml), pinned in rulepack.lock.",
        discussion: """
        Each pack is fetched with libgit2 into .rulepack/cache, its ref resolved, and its included files swapped in atomically: a pack is always the old one or the new one. Without --update a pack stays at its locked commit; --frozen syncs exactly the locked commits and fails if one cannot be had.

        Exit status: 0 synced (and lint found no error), 1 a pack failed, a file was refused or lint found errors, 2 usage error or a bad manifest or lock.
        """
    )

    @Argument(help: "Packs to sync (default: all in the manifest).")
    var names: [String] = []

    @Option(name: .long, help: "The manifest (default: rulepack.yaml).")
    var manifest = "rulepack.yaml"

    @Flag(name: .long, help: "Sync exactly the locked commits; fail if one cannot be had.")
    var frozen = false

    @Flag(name: .long, help: "Move branch refs to their newest commits.")
    var update = false

    @Flag(name: .customLong("no-lint"), help: "Do not lint the synced packs.")
    var noLint = false

    func validate() throws {
        if frozen && update { throw ValidationError("--frozen and --update exclude each other") }
    }

    func run() throws {
        let printer = DiagnosticPrinter()
        let manifestURL = URL(fileURLWithPath: manifest)
        let spec: Manifest
        let lockURL = manifestURL.deletingLastPathComponent().appendingPathComponent("rulepack.lock")
        var lock: Lockfile
        do {
            spec = try Manifest.load(manifestURL)
            lock = try Lockfile.load(lockURL)
        } catch let error as ManifestError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let unknown = names.filter { name in !spec.packs.contains { $0.name == name } }
        guard unknown.isEmpty else {
            FileHandle.standardError.write(Data("\(manifest):1:1: error: no pack named \(unknown.joined(separator: ", ")) (packs: \(spec.packs.map(\.name).joined(separator: ", ")))\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let processLock: SyncLock
        do {
            processLock = try SyncLock(root: spec.root)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        defer { withExtendedLifetime(processLock) {} }

        let bar = ProgressBar()
        let syncer = PackSyncer(manifest: spec, frozen: frozen, update: update, progress: bar.isShown ? { name, p in Self.show(p, of: name, on: bar) } : nil)
        var failed = false
        var synced: [PackSyncReport] = []
        for pack in spec.packs where names.isEmpty || names.contains(pack.name) {
            do {
                let report = try syncer.sync(pack, lock: &lock)
                bar.clear()
                try writeAtomically(try lock.yaml(), to: lockURL)
                print(Self.describe(report))
                for refusal in report.refused {
                    printer.print(Diagnostic(.warning, file: pack.into, at: SourcePosition(line: 1, column: 1), refusal))
                    failed = true
                }
                synced.append(report)
            } catch {
                bar.clear()
                printer.print(Diagnostic(.error, file: manifest, at: pack.position, "\(error)"))
                failed = true
            }
        }

        if !noLint && !synced.isEmpty {
            // Paths as the user would write them: relative to where the manifest was named.
            let base = (manifest as NSString).deletingLastPathComponent
            let folders = synced.compactMap { report in spec.packs.first { $0.name == report.name }.map { base.isEmpty ? $0.into : base + "/" + $0.into } }
            let files = try RuleFiles.expand(folders)
            let lintFiles = try files.map { try LintFile.load($0) }
            let findings = Linter().lint(lintFiles)
            for (finding, line) in zip(findings, TextReporter.lines(findings)) {
                printer.printLine(line, severity: finding.severity, toStandardOutput: true)
            }
            print("lint: " + TextReporter.summary(findings, files: lintFiles.count))
            if findings.contains(where: { $0.severity == .error }) { failed = true }
        }
        if failed { throw ExitCode(ExitStatus.findings.rawValue) }
    }

    static func describe(_ report: PackSyncReport) -> String {
        let short = String(report.commit.prefix(12))
        var head = "\(report.name): \(report.ref) at \(short), \(report.files) file\(report.files == 1 ? "" : "s")"
        if let previous = report.previousCommit, previous != report.commit {
            head += " (was \(previous.prefix(12)))"
        }
        if report.upToDate { return head + ", up to date" }
        guard let changes = report.changes else { return head + "; the previous commit is not in the cache, so changes are not known" }
        func counts(_ changes: [RuleFileChange]) -> String {
            RuleFileChange.Kind.allCases.map { kind in "\(changes.filter { $0.kind == kind }.count) \(kind.rawValue)" }.joined(separator: ", ")
        }
        var lines = [head + ": " + (report.tools == nil ? "" : "rules ") + counts(changes)]
        if let tools = report.tools {
            // A generated pack: which tools changed, then its rules.
            lines.append("  tools: " + counts(tools))
            for tool in tools { lines.append("  \(tool.kind == .added ? "+" : tool.kind == .removed ? "-" : "~") tool \(tool.path)") }
            lines += report.notes.map { "  " + $0 }
        }
        for change in changes {
            let mark = switch change.kind {
            case .added: "+"
            case .removed: "-"
            case .modified: "~"
            }
            lines.append("  \(mark) \(change.ruleID ?? "(no id)")  \(change.path)")
        }
        return lines.joined(separator: "\n")
    }
}

extension RuleFileChange.Kind: CaseIterable {
    public static let allCases: [RuleFileChange.Kind] = [.added, .removed, .modified]
}

extension Sync {
    /// Fetch progress: objects received and indexed, and bytes.
    static func show(_ p: FetchProgress, of name: String, on bar: ProgressBar) {
        let mib = Double(p.receivedBytes) / 1_048_576
        let detail = "\(p.receivedObjects)/\(p.totalObjects) received, \(p.indexedObjects) indexed, \(String(format: "%.1f", mib)) MiB"
        bar.show(name, done: (p.receivedObjects + p.indexedObjects) / 2, total: max(p.totalObjects, 1), detail: detail)
    }
}
