import Foundation

/// Pack sources: https, ssh, `file://` URLs or local paths. Credentials in a URL are used for
/// fetching and never shown, logged or written to the lock.
public enum SourceURL {
    /// The URL libgit2 fetches from: a local path becomes an absolute `file://` URL (libgit2's
    /// plain-path transport reports no progress).
    public static func fetchURL(_ source: String, relativeTo root: URL) -> String {
        if source.contains("://") || isSCPLike(source) { return source }
        let path = source.hasPrefix("/") ? URL(fileURLWithPath: source) : root.appendingPathComponent(source)
        return "file://" + path.standardizedFileURL.path
    }

    /// `user@host:path` (scp-like ssh) without a scheme.
    static func isSCPLike(_ source: String) -> Bool {
        guard let colon = source.firstIndex(of: ":"), let at = source.firstIndex(of: "@"), at < colon else { return false }
        return !source[..<colon].contains("/")
    }

    /// The text with the user name and password removed from every URL in it
    /// (`https://user:token@host/x` becomes `https://host/x`); scp-like `git@host:x` keeps its
    /// user, which is not a secret.
    public static func redacted(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            result += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            // The authority runs to the first '/', or a character that cannot be in a URL.
            let end = rest.firstIndex { $0 == "/" || $0.isWhitespace || $0 == "'" || $0 == "\"" } ?? rest.endIndex
            if let at = rest[..<end].lastIndex(of: "@") {
                rest = rest[rest.index(after: at)...]
            }
        }
        return result + rest
    }
}
