import Foundation

/// The one progress bar: a line on stderr, redrawn in place, shown only when stderr is a
/// terminal. At most about 20 redraws a second, and always the last one, so a fast stream of
/// updates costs nothing.
public final class ProgressBar: @unchecked Sendable {
    public let isShown: Bool
    private let lock = NSLock()
    private var lastDrawn = Date.distantPast
    private let width = 24

    public init(shown: Bool = isatty(STDERR_FILENO) == 1) {
        isShown = shown
    }

    /// `label [=====     ] detail`, filled to `done` of `total`.
    public func show(_ label: String, done: Int, total: Int, detail: String) {
        guard isShown, total > 0 else { return }
        let finished = done >= total
        lock.lock()
        defer { lock.unlock() }
        guard finished || Date().timeIntervalSince(lastDrawn) >= 0.05 else { return }
        lastDrawn = Date()
        let filled = min(width, max(0, width * done / total))
        let line = "\r\(label) [\(String(repeating: "=", count: filled))\(String(repeating: " ", count: width - filled))] \(detail)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Erases the bar's line.
    public func clear() {
        guard isShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
