import Foundation
import Support

/// A pack folder's files and their git blob ids, with a stat cache in the spirit of git's
/// index: a file whose size, mtime, ctime, inode and mode are what they were when it was last
/// hashed keeps its blob id without being read again.
///
/// A user cannot set ctime, so an edit that restores the size and mtime still shows; a chmod
/// changes ctime and mode; a replacement (a new file or a symbolic link) changes the inode
/// or the type. As in git, an entry is only trusted when its file changed strictly before the
/// cache was written: a file changed within the same clock tick as the cache is hashed again,
/// since a later change within that tick could leave every stamp as recorded.
public struct PackFolderScan {
    public struct File: Sendable, Equatable {
        public var path: String
        public var objectID: String
        /// The permission bits, which a sync writes as 0644.
        public var mode: mode_t
    }

    /// What the cache records of a file when it was hashed.
    struct Stamp: Equatable {
        var size: Int64
        var mtime: Int64
        var ctime: Int64
        var inode: UInt64
        var mode: UInt32

        init(_ status: stat) {
            size = Int64(status.st_size)
            mtime = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
            ctime = Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)
            inode = UInt64(status.st_ino)
            mode = UInt32(status.st_mode)
        }

        init(size: Int64, mtime: Int64, ctime: Int64, inode: UInt64, mode: UInt32) {
            (self.size, self.mtime, self.ctime, self.inode, self.mode) = (size, mtime, ctime, inode, mode)
        }
    }

    static let header = "rulepack-stat-cache 1"

    /// The files found, sorted by path; nil when there is no folder.
    public var files: [File]?
    /// How many files were read and hashed (the rest came from the cache).
    public var hashed = 0

    /// Scans `folder`, reusing blob ids from the cache at `cacheFile` (when given), and writes
    /// the cache again when it found anything new. A cache that cannot be read is ignored;
    /// one that cannot be written is left out (the next scan hashes again).
    public init(folder: URL, cacheFile: URL?) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            files = nil
            return
        }
        let (cached, cacheTime) = cacheFile.map(Self.load) ?? ([:], nil)
        var found: [File] = []
        var stamps: [String: (Stamp, String)] = [:]
        var hashed = 0
        func walk(_ path: String, _ relative: String) {
            guard let handle = opendir(path) else { return }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                guard name != ".", name != ".." else { continue }
                let full = path + "/" + name
                let inPack = relative.isEmpty ? name : relative + "/" + name
                var status = stat()
                guard lstat(full, &status) == 0 else { continue }
                switch status.st_mode & S_IFMT {
                case S_IFDIR: walk(full, inPack)
                case S_IFREG:
                    let stamp = Stamp(status)
                    let objectID: String
                    if let (recorded, id) = cached[inPack], recorded == stamp, let cacheTime, stamp.mtime < cacheTime, stamp.ctime < cacheTime {
                        objectID = id
                    } else if let data = FileManager.default.contents(atPath: full) {
                        objectID = GitRepository.blobID(of: data)
                        hashed += 1
                    } else {
                        continue
                    }
                    found.append(File(path: inPack, objectID: objectID, mode: status.st_mode & 0o7777))
                    stamps[inPack] = (stamp, objectID)
                default: continue
                }
            }
        }
        walk(folder.path, "")
        files = found.sorted { $0.path < $1.path }
        self.hashed = hashed
        if let cacheFile, hashed > 0 || stamps.count != cached.count {
            Self.save(stamps, to: cacheFile)
        }
    }

    /// Records the files a sync has just written, whose blob ids it knows, so the next scan
    /// reads none of them (those written within the cache's own clock tick aside).
    public static func record(folder: URL, files: [(path: String, objectID: String)], cacheFile: URL) {
        var stamps: [String: (Stamp, String)] = [:]
        for file in files {
            var status = stat()
            guard lstat(folder.path + "/" + file.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            stamps[file.path] = (Stamp(status), file.objectID)
        }
        save(stamps, to: cacheFile)
    }

    /// The recorded stamps and blob ids, and the cache's own mtime (ns); empty when absent or
    /// unreadable.
    static func load(_ file: URL) -> ([String: (Stamp, String)], Int64?) {
        var status = stat()
        guard stat(file.path, &status) == 0, let data = FileManager.default.contents(atPath: file.path) else { return ([:], nil) }
        // Parsed in one pass over the bytes: splitting 5,000 lines generically cost more than
        // the scan itself.
        let bytes = [UInt8](data)
        let headerBytes = Array((header + "\n").utf8)
        guard bytes.starts(with: headerBytes) else { return ([:], nil) }
        var entries: [String: (Stamp, String)] = [:]
        var fields: [Range<Int>] = []
        fields.reserveCapacity(7)
        var start = headerBytes.count
        var fieldStart = start
        func number(_ range: Range<Int>) -> UInt64? {
            guard !range.isEmpty, range.count <= 19 else { return nil }
            var value: UInt64 = 0
            for index in range {
                let digit = bytes[index] &- 48
                guard digit <= 9 else { return nil }
                value = value * 10 + UInt64(digit)
            }
            return value
        }
        for index in start..<bytes.count {
            let byte = bytes[index]
            if byte == 9 {
                fields.append(fieldStart..<index)
                fieldStart = index + 1
            } else if byte == 10 {
                fields.append(fieldStart..<index)
                guard fields.count == 7, let size = number(fields[1]), let mtime = number(fields[2]), let ctime = number(fields[3]),
                      let inode = number(fields[4]), let mode = number(fields[5]), mode <= UInt32.max else { return ([:], nil) }
                let stamp = Stamp(size: Int64(size), mtime: Int64(mtime), ctime: Int64(ctime), inode: inode, mode: UInt32(mode))
                entries[String(decoding: bytes[fields[0]], as: UTF8.self)] = (stamp, String(decoding: bytes[fields[6]], as: UTF8.self))
                fields.removeAll(keepingCapacity: true)
                start = index + 1
                fieldStart = start
            }
        }
        guard start == bytes.count else { return ([:], nil) }
        return (entries, Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
    }

    static func save(_ stamps: [String: (Stamp, String)], to file: URL) {
        var text = header + "\n"
        for (path, (stamp, id)) in stamps.sorted(by: { $0.key < $1.key }) where !path.contains("\t") && !path.contains("\n") {
            text += "\(path)\t\(stamp.size)\t\(stamp.mtime)\t\(stamp.ctime)\t\(stamp.inode)\t\(stamp.mode)\t\(id)\n"
        }
        try? writeAtomically(text, to: file, durable: false)
    }
}
