import Foundation

/// Creating a file with plain system calls: the one place rulepack writes file contents, for
/// the temporary files it renames into place and for a sync's staging folder.
public enum NewFile {
    /// Why a file could not be written: what was being done, the path, and the system's reason.
    public struct Failure: Error, CustomStringConvertible {
        public let action: String
        public let path: String
        public let reason: String
        public var description: String { "\(action) \(path): \(reason)" }
    }

    /// Creates `path`, which must not exist yet (never through a symbolic link), and writes all
    /// of `contents`. `exactMode` sets the permissions whatever the umask (without it they are
    /// 0666 less the umask); `durable` flushes the bytes to disk before returning. On failure
    /// the partial file is removed.
    public static func create(_ path: String, contents: Data, exactMode: mode_t? = nil, durable: Bool = false) throws(Failure) {
        func failure(_ action: String) -> Failure {
            Failure(action: action, path: path, reason: String(cString: strerror(errno)))
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, exactMode ?? 0o666)
        guard fd >= 0 else { throw failure("cannot write") }
        var problem: Failure?
        contents.withUnsafeBytes { bytes in
            var written = 0
            while written < bytes.count {
                let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else {
                    problem = failure("cannot write")
                    return
                }
                written += n
            }
        }
        if problem == nil, let exactMode, fchmod(fd, exactMode) != 0 { problem = failure("cannot set the permissions of") }
        if problem == nil, durable, fsync(fd) != 0 { problem = failure("cannot flush") }
        if close(fd) != 0, problem == nil { problem = failure("cannot write") }
        if let problem {
            unlink(path)
            throw problem
        }
    }
}
