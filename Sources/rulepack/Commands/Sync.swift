import ArgumentParser
import Foundation
import PackSync
import RuleChecks
import RuleModel

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
        let syncer = PackSyncer(manifest: spec, frozen: frozen, update: update, progress: bar.isShown ? { name, p in bar.show(name, p) } : nil)
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
        let counts = RuleFileChange.Kind.allCases.map { kind in "\(changes.filter { $0.kind == kind }.count) \(kind.rawValue)" }
        var lines = [head + ": " + counts.joined(separator: ", ")]
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

/// A one-line progress bar on stderr, shown only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    let isShown = isatty(STDERR_FILENO) == 1
    private var lastDrawn = Date.distantPast

    func show(_ name: String, _ p: FetchProgress) {
        // At most about 20 redraws a second, and always the last one.
        let finished = p.totalObjects > 0 && p.indexedObjects == p.totalObjects
        guard finished || Date().timeIntervalSince(lastDrawn) >= 0.05 else { return }
        lastDrawn = Date()
        let total = max(p.totalObjects, 1)
        let done = (p.receivedObjects + p.indexedObjects) / 2
        let width = 24
        let filled = min(width, width * done / total)
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let mib = Double(p.receivedBytes) / 1_048_576
        let line = "\r\(name) [\(bar)] \(p.receivedObjects)/\(p.totalObjects) received, \(p.indexedObjects) indexed, \(String(format: "%.1f", mib)) MiB"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func clear() {
        guard isShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
