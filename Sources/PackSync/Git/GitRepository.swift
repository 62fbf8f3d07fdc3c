import CLibGit2
import Foundation
import Support

/// One file of a commit's tree.
public struct GitTreeFile: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case regular
        case executable
        case symlink
        /// A submodule (a gitlink).
        case submodule
    }

    public var path: String
    public var kind: Kind
    /// The blob's (or submodule commit's) object id.
    public var objectID: String
}

/// Fetch progress as libgit2 reports it.
public struct FetchProgress: Sendable {
    public var receivedObjects: Int
    public var indexedObjects: Int
    public var totalObjects: Int
    public var receivedBytes: Int
}

/// A bare repository used as a fetch cache.
public final class GitRepository {
    let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        git_repository_free(handle)
    }

    /// Opens the bare repository at `path`, creating it when it does not exist.
    public static func openOrCreateBare(at path: URL) throws -> GitRepository {
        LibGit2.ensureInitialised()
        var repo: OpaquePointer?
        if FileManager.default.fileExists(atPath: path.appendingPathComponent("HEAD").path) {
            try check(git_repository_open_bare(&repo, path.path), "cannot open the cache \(path.path)")
        } else {
            try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
            try check(git_repository_init(&repo, path.path, 1), "cannot create the cache \(path.path)")
        }
        guard let repo else { throw GitError(message: "cannot open the cache \(path.path)") }
        return GitRepository(handle: repo)
    }

    /// Fetches every branch (as refs/remotes/origin/*) and tag of `url`.
    public func fetch(from url: String, progress: ((FetchProgress) -> Void)?) throws {
        var remote: OpaquePointer?
        try check(git_remote_create_anonymous(&remote, handle, url), "cannot use \(url) as a source")
        defer { git_remote_free(remote) }
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL
        options.prune = GIT_FETCH_PRUNE
        let box = ProgressBox(progress)
        let payload = Unmanaged.passRetained(box)
        defer { payload.release() }
        options.callbacks.payload = payload.toOpaque()
        options.callbacks.transfer_progress = { stats, payload in
            guard let stats, let payload else { return 0 }
            let box = Unmanaged<ProgressBox>.fromOpaque(payload).takeUnretainedValue()
            box.report?(FetchProgress(
                receivedObjects: Int(stats.pointee.received_objects), indexedObjects: Int(stats.pointee.indexed_objects),
                totalObjects: Int(stats.pointee.total_objects), receivedBytes: Int(stats.pointee.received_bytes)
            ))
            return 0
        }
        let refspecs = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]
        var cStrings = refspecs.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        try cStrings.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            try check(git_remote_fetch(remote, &array, &options, nil), "cannot fetch \(url)")
        }
    }

    /// The commit a branch, tag or full commit id names, as a 40-character id.
    public func resolve(_ ref: String) throws -> String {
        let isCommitID = ref.count == 40 && ref.allSatisfy(\.isHexDigit)
        let candidates = isCommitID ? [ref] : ["refs/remotes/origin/\(ref)", "refs/tags/\(ref)"]
        for candidate in candidates {
            var object: OpaquePointer?
            guard git_revparse_single(&object, handle, candidate + "^{commit}") == 0, let object else { continue }
            defer { git_object_free(object) }
            return Self.string(git_object_id(object))
        }
        let branches = references(prefix: "refs/remotes/origin/")
        let tags = references(prefix: "refs/tags/")
        throw GitError(message: isCommitID
            ? "commit \(ref) is not in the source"
            : "ref '\(ref)' is neither a branch nor a tag of the source (branches: \(branches.joined(separator: ", ")); tags: \(tags.isEmpty ? "none" : tags.joined(separator: ", ")))")
    }

    /// Whether the repository has `commitID` (a full id) as a commit.
    public func hasCommit(_ commitID: String) -> Bool {
        var oid = git_oid()
        guard git_oid_fromstr(&oid, commitID) == 0 else { return false }
        var commit: OpaquePointer?
        guard git_commit_lookup(&commit, handle, &oid) == 0 else { return false }
        git_commit_free(commit)
        return true
    }

    func references(prefix: String) -> [String] {
        var names = git_strarray()
        guard git_reference_list(&names, handle) == 0 else { return [] }
        defer { git_strarray_dispose(&names) }
        var found: [String] = []
        for i in 0..<names.count {
            guard let c = names.strings[i] else { continue }
            let name = String(cString: c)
            if name.hasPrefix(prefix) { found.append(String(name.dropFirst(prefix.count))) }
        }
        return found.sorted()
    }

    /// Every file of the commit's tree, depth first, sorted by path.
    public func files(atCommit commitID: String) throws -> [GitTreeFile] {
        var oid = git_oid()
        try check(git_oid_fromstr(&oid, commitID), "bad commit id \(commitID)")
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, handle, &oid), "commit \(commitID) is not in the cache")
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try check(git_commit_tree(&tree, commit), "cannot read the tree of \(commitID)")
        defer { git_tree_free(tree) }
        var files: [GitTreeFile] = []
        try walk(tree, prefix: "", into: &files)
        return files.sorted { $0.path < $1.path }
    }

    private func walk(_ tree: OpaquePointer?, prefix: String, into files: inout [GitTreeFile]) throws {
        let count = git_tree_entrycount(tree)
        for i in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, i), let cName = git_tree_entry_name(entry) else { continue }
            let path = prefix + String(cString: cName)
            let id = Self.string(git_tree_entry_id(entry))
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_TREE:
                var subtree: OpaquePointer?
                try check(git_tree_lookup(&subtree, handle, git_tree_entry_id(entry)), "cannot read \(path)")
                defer { git_tree_free(subtree) }
                try walk(subtree, prefix: path + "/", into: &files)
            case GIT_FILEMODE_BLOB: files.append(GitTreeFile(path: path, kind: .regular, objectID: id))
            case GIT_FILEMODE_BLOB_EXECUTABLE: files.append(GitTreeFile(path: path, kind: .executable, objectID: id))
            case GIT_FILEMODE_LINK: files.append(GitTreeFile(path: path, kind: .symlink, objectID: id))
            case GIT_FILEMODE_COMMIT: files.append(GitTreeFile(path: path, kind: .submodule, objectID: id))
            default: continue
            }
        }
    }

    /// A blob's size from its object header, without inflating it: a huge blob is refused
    /// before it is read into memory.
    public func blobSize(_ objectID: String) throws -> Int {
        var oid = git_oid()
        try check(git_oid_fromstr(&oid, objectID), "bad object id \(objectID)")
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, handle), "cannot open the object database")
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_ANY
        try check(git_odb_read_header(&size, &type, odb, &oid), "cannot read object \(objectID)")
        return size
    }

    /// A blob's bytes.
    public func blob(_ objectID: String) throws -> Data {
        try withBlob(objectID) { blob in
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let bytes = git_blob_rawcontent(blob) else { return Data() }
            return Data(bytes: bytes, count: size)
        }
    }

    private func withBlob<T>(_ objectID: String, _ body: (OpaquePointer?) throws -> T) throws -> T {
        var oid = git_oid()
        try check(git_oid_fromstr(&oid, objectID), "bad object id \(objectID)")
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, handle, &oid), "cannot read object \(objectID)")
        defer { git_blob_free(blob) }
        return try body(blob)
    }

    /// The git blob id of some bytes (SHA-1 of "blob <size>\0" and the bytes), by libgit2.
    public static func blobID(of data: Data) -> String {
        LibGit2.ensureInitialised()
        var oid = git_oid()
        let result = data.withUnsafeBytes { bytes in
            git_odb_hash(&oid, bytes.baseAddress, bytes.count, GIT_OBJECT_BLOB)
        }
        return result == 0 ? string(&oid) : ""
    }

    static func string(_ oid: UnsafePointer<git_oid>?) -> String {
        guard let oid, let text = git_oid_tostr_s(oid) else { return "" }
        return String(cString: text)
    }
}

/// Carries the progress closure through libgit2's C callback.
private final class ProgressBox {
    let report: ((FetchProgress) -> Void)?
    init(_ report: ((FetchProgress) -> Void)?) { self.report = report }
}
