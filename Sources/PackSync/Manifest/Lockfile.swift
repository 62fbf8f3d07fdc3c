import Foundation
import RuleModel
import YAMLLoading
import Yams

/// `rulepack.lock`: the exact commit each pack was synced at. Commit it with the project.
public struct Lockfile: Sendable {
    public struct Entry: Hashable, Sendable {
        public var name: String
        /// The source with credentials removed.
        public var source: String
        public var ref: String
        public var commit: String
        public var files: Int
        /// `sha1:` and the git blob id of the pack's listing: its files' `path NUL blob-id` lines,
        /// sorted (a blob id is git's SHA-1 of a file's content), so the pack on disk can be
        /// checked against it.
        public var contentHash: String
    }

    public var entries: [Entry] = []

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    public mutating func set(_ entry: Entry) {
        if let i = entries.firstIndex(where: { $0.name == entry.name }) { entries[i] = entry } else { entries.append(entry) }
        entries.sort { $0.name < $1.name }
    }

    public static func load(_ url: URL) throws -> Lockfile {
        guard FileManager.default.fileExists(atPath: url.path) else { return Lockfile() }
        func fail(_ message: String, _ node: Node? = nil) -> ManifestError {
            let position = node?.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? SourcePosition(line: 1, column: 1)
            return ManifestError(file: url.path, position: position, message: message)
        }
        let root: Node?
        do {
            root = try BoundedYAML.load(fileAt: url.path).root
        } catch {
            throw ManifestError(file: url.path, position: SourcePosition(line: error.line, column: error.column), message: "the lock file cannot be read: \(error.message)")
        }
        guard case .mapping(let top)? = root, case .sequence(let items)? = top["packs"] else { throw fail("expected 'packs:' with a list") }
        var lock = Lockfile()
        for item in items {
            guard case .mapping(let m) = item,
                  let name = m["name"]?.string, let source = m["source"]?.string, let ref = m["ref"]?.string,
                  let commit = m["commit"]?.string, let files = m["files"]?.string.flatMap(Int.init), let hash = m["contentHash"]?.string
            else { throw fail("each locked pack needs name, source, ref, commit, files and contentHash", item) }
            lock.set(Entry(name: name, source: source, ref: ref, commit: commit, files: files, contentHash: hash))
        }
        return lock
    }

    public func yaml() throws -> String {
        func scalar(_ s: String) -> Node { Node.scalar(Node.Scalar(s)) }
        let packs = entries.map { e in
            Node.mapping(Node.Mapping([
                (scalar("name"), scalar(e.name)), (scalar("source"), scalar(e.source)), (scalar("ref"), scalar(e.ref)),
                (scalar("commit"), scalar(e.commit)), (scalar("files"), scalar(String(e.files))), (scalar("contentHash"), scalar(e.contentHash)),
            ]))
        }
        let body = try Yams.serialize(node: Node.mapping(Node.Mapping([
            (scalar("version"), scalar("1")), (scalar("packs"), Node.sequence(Node.Sequence(packs))),
        ])), width: -1, allowUnicode: true)
        return "# Written by rulepack sync: the exact commit of every pack. Commit this file.\n" + body
    }

    /// The content hash of a set of files (path and git blob id each).
    public static func contentHash(_ files: [(path: String, objectID: String)]) -> String {
        let lines = files.sorted { $0.path < $1.path }.map { "\($0.path)\u{0}\($0.objectID)\n" }.joined()
        return "sha1:" + GitRepository.blobID(of: Data(lines.utf8))
    }
}
