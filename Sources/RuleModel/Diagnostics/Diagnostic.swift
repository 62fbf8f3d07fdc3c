/// How serious a finding is.
public enum DiagnosticSeverity: String, Sendable, Codable, Comparable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (lhs: DiagnosticSeverity, rhs: DiagnosticSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// A problem found in input, always tied to a file and a position in it.
/// Diagnostics are values: readers collect them and the run goes on with the next file.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var severity: DiagnosticSeverity
    public var file: String
    public var position: SourcePosition
    public var message: String
    /// A stable id for the kind of problem (used by lint checks and tests).
    public var code: String?

    public init(_ severity: DiagnosticSeverity, file: String, at position: SourcePosition, _ message: String, code: String? = nil) {
        self.severity = severity
        self.file = file
        self.position = position
        self.message = message
        self.code = code
    }

    /// `path:line:col: severity: message`, the form compilers use, so editors can jump to it.
    public var description: String {
        "\(file):\(position.line):\(position.column): \(severity.rawValue): \(message)"
    }
}

/// A problem located inside one piece of text (a query, a filter) before it is placed in its file.
public struct TextError: Error, Hashable, Sendable {
    public var position: SourcePosition
    public var message: String

    public init(_ message: String, at position: SourcePosition) {
        self.message = message
        self.position = position
    }
}
