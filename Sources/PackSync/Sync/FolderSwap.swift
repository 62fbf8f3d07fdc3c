import CSystemShims
import Foundation
import Support

/// Replaces a folder with new content in one step: the content is written into a new folder
/// beside it, flushed, and the two exchanged in one rename, so a reader (or a kill) sees the
/// old folder or the new one, never a mixture; the old content is then removed.
public enum FolderSwap {
    public struct Failure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
        public init(reason: String) { self.reason = reason }
    }

    /// Staging folders are named `.<name>.rulepack-new-<uuid>` beside the folder.
    public static func stagingPrefix(of folder: URL) -> String { ".\(folder.lastPathComponent).rulepack-new-" }

    /// Whether a path relative to a folder stays inside it: not absolute, no empty, `.` or
    /// `..` segment, no NUL.
    public static func staysInside(_ relativePath: String) -> Bool {
        !relativePath.contains("\u{0}")
            && !relativePath.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    /// Writes files (paths relative to `folder`, inside it) into a new staging folder, mode 0644.
    public static func write(_ files: [(path: String, data: Data)], into folder: URL) throws {
        // Plain path strings: URL building and standardizing per file took a quarter of a
        // fresh sync's time.
        let root = folder.path
        var folders: Set<Substring> = [""]
        for file in files {
            guard staysInside(file.path) else {
                throw Failure(reason: "\(file.path) would leave \(folder.lastPathComponent)")
            }
            let parent = file.path.lastIndex(of: "/").map { file.path[..<$0] } ?? ""
            if folders.insert(parent).inserted {
                try FileManager.default.createDirectory(atPath: root + "/" + parent, withIntermediateDirectories: true)
            }
            try NewFile.create(root + "/" + file.path, contents: file.data, exactMode: 0o644)
        }
    }

    /// `durable: false` skips the flush, for output rulepack can write again (translations).
    public static func replace(_ folder: URL, durable: Bool = true, writing: (URL) throws -> Void) throws {
        let parent = folder.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(stagingPrefix(of: folder) + UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
            try writing(staging)
            // One flush for the whole folder, so the new content is on disk before it replaces the old.
            guard !durable || rulepack_flush_file_system(staging.path) == 0 else {
                throw Failure(reason: "cannot flush the new folder to disk: \(String(cString: strerror(errno)))")
            }
            if FileManager.default.fileExists(atPath: folder.path) {
                guard rulepack_exchange_paths(staging.path, folder.path) == 0 else {
                    throw Failure(reason: "cannot swap in the new folder: \(String(cString: strerror(errno)))")
                }
            } else {
                guard rename(staging.path, folder.path) == 0 else {
                    throw Failure(reason: "cannot move the new folder into place: \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        // After the exchange, the staging name holds the old content.
        try? FileManager.default.removeItem(at: staging)
    }
}
