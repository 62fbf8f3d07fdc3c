import CLibGit2
import Foundation

/// The libgit2 that rulepack is linked against, initialised once.
public enum LibGit2 {
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    private static let initialised: Bool = {
        git_libgit2_init()
        return true
    }()

    static func ensureInitialised() {
        _ = initialised
    }
}

/// A libgit2 failure, with credentials removed from its message.
public struct GitError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }

    init(_ what: String, code: Int32 = -1) {
        let detail = git_error_last().map { String(cString: $0.pointee.message) } ?? "error \(code)"
        message = SourceURL.redacted("\(what): \(detail)")
    }

    init(message: String) {
        self.message = SourceURL.redacted(message)
    }
}

@discardableResult
func check(_ result: Int32, _ what: @autoclosure () -> String) throws -> Int32 {
    if result < 0 { throw GitError(what(), code: result) }
    return result
}
