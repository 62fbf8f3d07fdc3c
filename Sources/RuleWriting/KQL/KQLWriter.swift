import RuleModel

/// Writes the model back as a complete, runnable KQL query (with its `let`s). Reading the
/// output gives the same detection; applicable false-positive filters appear as
/// `where not(...)` lines, each under a comment naming its scenario.
public struct KQLWriter: Sendable {
    public var catalogue: SchemaCatalogue

    public init(catalogue: SchemaCatalogue = .defender) {
        self.catalogue = catalogue
    }

    public func write(_ rule: Rule) -> Translation {
        var lines: [String] = []
        if let name = rule.metadata.name { lines.append("// \(KQLText.singleLine(name))") }
        if let id = rule.metadata.id { lines.append("// id: \(KQLText.singleLine(id))") }
        let notes = rule.exclusionNotes(catalogue: catalogue)
        for note in notes { lines.append("// \(KQLText.singleLine(note.message))") }
        let exclusions = rule.exclusionOutcomes(catalogue: catalogue).compactMap { fp, outcome -> (String, QueryExpression)? in
            if case .applied(let predicate) = outcome { return (fp.scenario, predicate) }
            return nil
        }
        var body = KQLText.query(rule.detection)
        if !exclusions.isEmpty {
            // Rendered from the effective detection so the text and the model agree exactly.
            body = KQLText.query(rule.effectiveDetection(catalogue: catalogue), comments: Dictionary(
                exclusions.map { (KQLText.expression(.not($0.1)), "false positive: \(KQLText.singleLine($0.0))") },
                uniquingKeysWith: { first, _ in first }
            ))
        }
        return Translation(text: (lines + [body]).joined(separator: "\n") + "\n", notes: notes)
    }
}

/// The writer as an output target (see `OutputTarget.all`).
extension KQLWriter {
    public static let target = OutputTarget(
        language: "kql", fileExtension: "kql", summary: "KQL (Sentinel, Defender XDR)", engine: "kql"
    ) { rule, options in
        KQLWriter(catalogue: options.catalogue).write(rule)
    }
}
