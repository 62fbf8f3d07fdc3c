import CSystemShims
import Foundation
import RuleModel
import Support

/// A rule file that changed between the locked commit and the synced one.
public struct RuleFileChange: Hashable, Sendable {
    public enum Kind: String, Sendable { case added, removed, modified }
    public var kind: Kind
    public var path: String
    public var ruleID: String?
}

/// What syncing one pack did.
public struct PackSyncReport: Sendable {
    public var name: String
    public var ref: String
    public var commit: String
    public var previousCommit: String?
    public var files: Int
    /// nil when the previous commit is not available to compare with.
    public var changes: [RuleFileChange]?
    /// Files the include patterns matched but that were not written, with why.
    public var refused: [String]
    /// The pack already held exactly this commit's files; nothing was written.
    public var upToDate: Bool
    public var into: URL
    /// For a generated pack: the tools (by file stem) whose rules were added, removed or changed.
    public var tools: [RuleFileChange]?
    /// For a generated pack: tools without a rule, and tool files that could not be read.
    public var notes: [String] = []
}

public struct SyncError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = SourceURL.redacted(message) }
}

/// Holds `.rulepack/sync.lock` so two syncs of one project never run at once. flock(2) is
/// released by the kernel when the process ends, however it ends.
public final class SyncLock {
    private let descriptor: Int32

    public init(root: URL) throws {
        let folder = root.appendingPathComponent(".rulepack")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("sync.lock").path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SyncError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw SyncError("another rulepack sync is running in \(root.path) (it holds .rulepack/sync.lock); try again when it has finished")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Syncs packs from their sources: fetch into a bare-repository cache, resolve the ref, and
/// replace the pack folder with the commit's included files in one atomic exchange.
public struct PackSyncer {
    public var manifest: Manifest
    public var frozen = false
    public var update = false
    public var progress: ((String, FetchProgress) -> Void)?

    public init(manifest: Manifest, frozen: Bool = false, update: Bool = false, progress: ((String, FetchProgress) -> Void)? = nil) {
        self.manifest = manifest
        self.frozen = frozen
        self.update = update
        self.progress = progress
    }

    var cacheFolder: URL { manifest.root.appendingPathComponent(".rulepack/cache") }

    /// Blobs read during one pack's sync: each is inflated once, however many steps need it.
    final class BlobCache {
        let repo: GitRepository
        private var blobs: [String: Data] = [:]
        init(_ repo: GitRepository) { self.repo = repo }
        func data(_ id: String) throws -> Data {
            if let cached = blobs[id] { return cached }
            let data = try repo.blob(id)
            blobs[id] = data
            return data
        }
    }

    public func sync(_ spec: PackSpec, lock: inout Lockfile) throws -> PackSyncReport {
        let url = SourceURL.fetchURL(spec.source, relativeTo: manifest.root)
        let shownSource = SourceURL.redacted(spec.source)
        let cacheName = spec.name + "-" + String(SHA1.hex(Array(SourceURL.redacted(url).utf8)).prefix(12)) + ".git"
        let repo: GitRepository
        do {
            repo = try GitRepository.openOrCreateBare(at: cacheFolder.appendingPathComponent(cacheName))
        } catch {
            throw SyncError("\(spec.name): \(error)")
        }
        let locked = lock.entry(spec.name).flatMap { $0.source == shownSource ? $0 : nil }
        func fetch() throws {
            do {
                try repo.fetch(from: url) { progress?(spec.name, $0) }
            } catch {
                throw SyncError("\(spec.name): \(error)")
            }
        }

        // Which commit: the locked one (--frozen, or no --update while the ref is unchanged),
        // or the ref's newest.
        let target: String
        if frozen {
            guard let locked else {
                throw SyncError("\(spec.name): --frozen needs a rulepack.lock entry for this pack and source; run rulepack sync without --frozen first")
            }
            guard locked.ref == spec.ref else {
                throw SyncError("\(spec.name): the manifest's ref (\(spec.ref)) differs from the locked ref (\(locked.ref)); run rulepack sync --update")
            }
            if !repo.hasCommit(locked.commit) { try fetch() }
            guard repo.hasCommit(locked.commit) else {
                throw SyncError("\(spec.name): the locked commit \(locked.commit) cannot be had from \(shownSource)")
            }
            target = locked.commit
        } else if let locked, locked.ref == spec.ref, !update {
            if !repo.hasCommit(locked.commit) { try fetch() }
            guard repo.hasCommit(locked.commit) else {
                throw SyncError("\(spec.name): the locked commit \(locked.commit) cannot be had from \(shownSource); rulepack sync --update moves to \(spec.ref)")
            }
            target = locked.commit
        } else {
            try fetch()
            do {
                target = try repo.resolve(spec.ref)
            } catch {
                throw SyncError("\(spec.name): \(error)")
            }
        }

        let into = manifest.root.appendingPathComponent(spec.into)
        let blobs = BlobCache(repo)
        let selection = try select(spec, commit: target, repo: repo, blobs: blobs)
        if spec.generate != nil {
            return try syncGenerated(spec, commit: target, locked: locked, source: shownSource, selection: selection, blobs: blobs, into: into, lock: &lock)
        }
        let hash = Lockfile.contentHash(selection.files.map { ($0.path, $0.objectID) })
        var report = PackSyncReport(
            name: spec.name, ref: spec.ref, commit: target, previousCommit: locked?.commit, files: selection.files.count,
            changes: nil, refused: selection.refused, upToDate: false, into: into
        )
        if let previous = locked?.commit {
            report.changes = try? changes(from: previous, to: target, selected: selection.files, spec: spec, repo: repo, blobs: blobs)
        } else {
            report.changes = try selection.files.map { RuleFileChange(kind: .added, path: $0.path, ruleID: Self.ruleID(try blobs.data($0.objectID))) }
        }

        try removeLeftovers(of: into)
        if locked?.commit == target, locked?.contentHash == hash, folderHolds(into, hash: hash) {
            report.upToDate = true
        } else {
            try materialise(selection.files, of: spec, blobs: blobs, into: into)
            PackFolderScan.record(folder: into, files: selection.files.map { ($0.path, $0.objectID) }, cacheFile: statCache(of: into))
        }
        lock.set(Lockfile.Entry(name: spec.name, source: shownSource, ref: spec.ref, commit: target, files: selection.files.count, contentHash: hash))
        return report
    }

    struct Selection {
        var files: [GitTreeFile]
        var refused: [String]
    }

    /// The commit's files that `include` matches and that may be written: regular files with
    /// safe paths, within the size limits. Symlinks and submodules are refused and reported.
    func select(_ spec: PackSpec, commit: String, repo: GitRepository, blobs: BlobCache) throws -> Selection {
        var files: [GitTreeFile] = []
        var refused: [String] = []
        var total = 0
        for file in try repo.files(atCommit: commit) where spec.include.contains(where: { Glob.matches($0, file.path) }) {
            if !FolderSwap.staysInside(file.path) {
                refused.append("\(file.path): the path would leave \(spec.into); not written")
                continue
            }
            switch file.kind {
            case .symlink:
                let target = (try? blobs.data(file.objectID)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
                refused.append("\(file.path): a symbolic link (to \(target)); only regular files are written")
                continue
            case .submodule:
                refused.append("\(file.path): a submodule; only regular files are written")
                continue
            case .regular, .executable:
                break
            }
            let size = try repo.blobSize(file.objectID)
            guard size <= spec.limits.fileBytes else {
                throw SyncError("\(spec.name): \(file.path) is \(size) bytes, over the limit of \(spec.limits.fileBytes) (limits.fileBytes); the pack is left as it was")
            }
            total += size
            guard total <= spec.limits.packBytes else {
                throw SyncError("\(spec.name): the included files pass \(spec.limits.packBytes) bytes (limits.packBytes); the pack is left as it was")
            }
            files.append(file)
            guard files.count <= spec.limits.files else {
                throw SyncError("\(spec.name): more than \(spec.limits.files) included files (limits.files); the pack is left as it was")
            }
        }
        return Selection(files: files, refused: refused)
    }

    /// Writes the files into a new folder beside the pack, then exchanges the two folders in
    /// one rename: a reader (or a kill) sees the old pack or the new one, never a mixture.
    func materialise(_ files: [GitTreeFile], of spec: PackSpec, blobs: BlobCache, into: URL) throws {
        do {
            let contents = try files.map { (path: $0.path, data: try blobs.data($0.objectID)) }
            try FolderSwap.replace(into) { staging in try FolderSwap.write(contents, into: staging) }
        } catch let failure as FolderSwap.Failure {
            throw SyncError("\(spec.name): \(failure.reason)")
        } catch let failure as NewFile.Failure {
            throw SyncError("\(spec.name): \(failure)")
        }
    }

    /// Staging folders left by a sync that was killed.
    func removeLeftovers(of into: URL) throws {
        let parent = into.deletingLastPathComponent()
        let prefix = FolderSwap.stagingPrefix(of: into)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    /// The rule files added, removed and modified between the old commit and the new one, whose
    /// selection the caller has already made.
    func changes(from old: String, to new: String, selected: [GitTreeFile], spec: PackSpec, repo: GitRepository, blobs: BlobCache) throws -> [RuleFileChange] {
        guard old != new else { return [] }
        guard repo.hasCommit(old) else { throw SyncError("previous commit unavailable") }
        let before = Dictionary(try select(spec, commit: old, repo: repo, blobs: blobs).files.map { ($0.path, $0.objectID) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(selected.map { ($0.path, $0.objectID) }, uniquingKeysWith: { a, _ in a })
        var changes: [RuleFileChange] = []
        for (path, id) in after {
            if let previous = before[path] {
                if previous != id { changes.append(RuleFileChange(kind: .modified, path: path, ruleID: Self.ruleID(try blobs.data(id)))) }
            } else {
                changes.append(RuleFileChange(kind: .added, path: path, ruleID: Self.ruleID(try blobs.data(id))))
            }
        }
        for (path, id) in before where after[path] == nil {
            changes.append(RuleFileChange(kind: .removed, path: path, ruleID: Self.ruleID(try blobs.data(id))))
        }
        return changes.sorted { ($0.kind.rawValue, $0.path) < ($1.kind.rawValue, $1.path) }
    }

    /// The top-level `id:` of a rule file, read from its text (a rule that does not parse still
    /// has its id shown).
    static func ruleID(_ data: Data) -> String? {
        // Bytes, not lines of Characters: this runs for every file of a first sync.
        let bytes = [UInt8](data)
        var lineStart = 0
        while lineStart + 3 <= bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(where: { $0 == 10 || $0 == 13 }) ?? bytes.count
            if bytes[lineStart] == UInt8(ascii: "i"), bytes[lineStart + 1] == UInt8(ascii: "d"), bytes[lineStart + 2] == UInt8(ascii: ":") {
                let unwanted: Set<UInt8> = [32, 9, UInt8(ascii: "'"), UInt8(ascii: "\"")]
                var value = bytes[(lineStart + 3)..<lineEnd]
                while let first = value.first, unwanted.contains(first) { value = value.dropFirst() }
                while let last = value.last, unwanted.contains(last) { value = value.dropLast() }
                return value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
            }
            lineStart = lineEnd + 1
        }
        return nil
    }

    /// Where the stat cache of a pack folder is kept (beside the git caches, which git ignores).
    func statCache(of folder: URL) -> URL {
        manifest.root.appendingPathComponent(".rulepack/stat/" + String(SHA1.hex(Array(folder.standardizedFileURL.path.utf8)).prefix(16)) + ".tsv")
    }

    /// Whether a pack folder holds exactly the files whose content hash the lock records, each
    /// as a sync writes it (mode 0644): an edited, added, removed, re-moded or replaced file
    /// makes the sync write the pack again.
    func folderHolds(_ folder: URL, hash: String) -> Bool {
        guard let files = PackFolderScan(folder: folder, cacheFile: statCache(of: folder)).files else { return false }
        return files.allSatisfy { $0.mode == 0o644 } && Lockfile.contentHash(files.map { ($0.path, $0.objectID) }) == hash
    }
}
