import RuleModel

/// A translation and what the writer has to say about it: notes on broadened matches,
/// exclusions left out, constructs with no exact counterpart. Writers never change meaning
/// silently; what they could not carry exactly is stated here and in the output itself.
public struct Translation: Sendable {
    public var text: String
    public var notes: [WriterNote]
    /// The output as data, for targets that bundle a pack into one file (`--bundle`).
    public var document: StructuredValue?

    public init(text: String, notes: [WriterNote] = [], document: StructuredValue? = nil) {
        self.text = text
        self.notes = notes
        self.document = document
    }
}

public struct WriterNote: Hashable, Sendable {
    /// How the translation relates to the KQL rule at the place the note is about. (What a
    /// writer cannot express at all is refused with a `WriterError` instead.)
    public enum Fidelity: String, Hashable, Sendable {
        /// Same meaning; the note only explains the form.
        case exact
        /// Differs only in edge cases the note names (such as non-ASCII case folding).
        case approximate
        /// Matches more than the KQL rule.
        case broadened
        /// A part of the rule (an exclusion, a limit, an operator) is not carried.
        case leftOut

        /// Whether the translation may fire where the KQL rule does not, or differ in what it
        /// returns: a user must be told on stderr, not only in the output.
        public var warrantsWarning: Bool { self == .broadened || self == .leftOut }
    }

    public var severity: DiagnosticSeverity
    public var message: String
    public var fidelity: Fidelity
    public var position: SourcePosition?

    public init(_ severity: DiagnosticSeverity, _ message: String, fidelity: Fidelity, at position: SourcePosition? = nil) {
        self.severity = severity
        self.message = message
        self.fidelity = fidelity
        self.position = position
    }
}

/// A construct a writer cannot express in its target; the rule is not translated.
public struct WriterError: Error, Hashable, Sendable {
    public var message: String
    public var position: SourcePosition?

    public init(_ message: String, at position: SourcePosition? = nil) {
        self.message = message
        self.position = position
    }
}

extension Rule {
    /// One line per false-positive scenario whose filter was left out, for every writer's notes.
    func exclusionNotes(catalogue: SchemaCatalogue) -> [WriterNote] {
        exclusionOutcomes(catalogue: catalogue).compactMap { fp, outcome in
            if case .leftOut(let reason, let position) = outcome {
                return WriterNote(.warning, "false-positive filter of '\(fp.scenario)' left out: \(reason)", fidelity: .leftOut, at: position)
            }
            return nil
        }
    }
}
