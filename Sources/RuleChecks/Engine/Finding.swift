import RuleModel

/// One problem a check found, at a line and column of a rule file.
public struct Finding: Hashable, Sendable, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    public var severity: DiagnosticSeverity
    public var check: String
    public var message: String
    public var fix: Fix?

    public init(file: String, position: SourcePosition, severity: DiagnosticSeverity, check: String, message: String, fix: Fix? = nil) {
        self.file = file
        line = position.line
        column = position.column
        self.severity = severity
        self.check = check
        self.message = message
        self.fix = fix
    }

    public var position: SourcePosition { SourcePosition(line: line, column: column) }

    /// Sorted by path, then position, then check, for stable output.
    public static func ordered(_ a: Finding, _ b: Finding) -> Bool {
        (a.file, a.line, a.column, a.check, a.message) < (b.file, b.line, b.column, b.check, b.message)
    }
}

/// A mechanical repair: edits to the file's text, applied by `lint --fix`.
public struct Fix: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Applied by --fix.
        case mechanical
        /// Applied only with --fix-ids (a new id changes the rule's identity).
        case newIdentifier
    }

    public var description: String
    public var kind: Kind
    public var edits: [TextEdit]

    public init(_ description: String, kind: Kind = .mechanical, edits: [TextEdit]) {
        self.description = description
        self.kind = kind
        self.edits = edits
    }
}

/// Replace `length` characters (Unicode scalars) at a line and column with `replacement`.
public struct TextEdit: Hashable, Sendable, Codable {
    public var line: Int
    public var column: Int
    public var length: Int
    public var replacement: String

    public init(line: Int, column: Int, length: Int, replacement: String) {
        self.line = line
        self.column = column
        self.length = length
        self.replacement = replacement
    }
}
