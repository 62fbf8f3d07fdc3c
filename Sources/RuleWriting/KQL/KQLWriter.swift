import RuleModel

/// Writes the model back as a complete, runnable KQL query (with its `let`s). Reading the
/// output gives the same detection; applicable false-positive filters appear as
/// `where not(...)` lines, each under a comment naming its scenario.
public struct KQLWriter: Sendable {
    public var catalogue: SchemaCatalogue
    /// Defender advanced hunting (`Timestamp`) or Sentinel's Log Analytics (`TimeGenerated`).
    public var platform: QueryPlatform
    /// Comment lines (the rule's name and id, notes, exclusion scenarios); Defender's
    /// continuous (NRT) detections accept none.
    public var comments: Bool

    public init(catalogue: SchemaCatalogue = .defender, platform: QueryPlatform = .defender, comments: Bool = true) {
        self.catalogue = catalogue
        self.platform = platform
        self.comments = comments
    }

    public func write(_ rule: Rule) -> Translation {
        write(rule, detection: rule.effectiveDetection(catalogue: catalogue))
    }

    /// Writes `detection` (the rule's effective detection, possibly rewritten by a deployment
    /// target) with the rule's header and exclusion comments.
    func write(_ rule: Rule, detection: Detection) -> Translation {
        var lines: [String] = []
        var notes = rule.exclusionNotes(catalogue: catalogue)
        if comments {
            if let name = rule.metadata.name { lines.append("// \(KQLText.singleLine(name))") }
            if let id = rule.metadata.id { lines.append("// id: \(KQLText.singleLine(id))") }
            for override in rule.metadata.overrides { lines.append("// local override: \(KQLText.singleLine(override))") }
            for note in notes { lines.append("// \(KQLText.singleLine(note.message))") }
        }
        let exclusions = rule.exclusionOutcomes(catalogue: catalogue).compactMap { fp, outcome -> (String, QueryExpression)? in
            if comments, case .applied(let predicate) = outcome { return (fp.scenario, predicate) }
            return nil
        }
        let adapted = platform.adapting(detection, catalogue: catalogue)
        if adapted != detection {
            notes.append(WriterNote(.note, "written for Microsoft Sentinel: Log Analytics names Defender's Timestamp column TimeGenerated", fidelity: .exact))
        }
        // Each applied exclusion is marked by a comment naming its scenario.
        let body = KQLText.query(adapted, comments: Dictionary(
            exclusions.map { (KQLText.expression(.not(adaptedPredicate($0.1, in: detection))), "false positive: \(KQLText.singleLine($0.0))") },
            uniquingKeysWith: { first, _ in first }
        ))
        return Translation(text: (lines + [body]).joined(separator: "\n") + "\n", notes: notes)
    }

    /// An exclusion predicate as it reads after the platform's renaming.
    private func adaptedPredicate(_ predicate: QueryExpression, in detection: Detection) -> QueryExpression {
        let probe = Detection(source: detection.source, operators: [.filter(predicate)])
        guard case .filter(let adapted)? = platform.adapting(probe, catalogue: catalogue).operators.first else { return predicate }
        return adapted
    }
}

/// The writer as an output target (see `OutputTarget.all`).
extension KQLWriter {
    public static let target = OutputTarget(
        language: "kql", fileExtension: "kql", summary: "KQL (Defender XDR, Sentinel)",
        options: [.platform], engine: "kql"
    ) { rule, options in
        KQLWriter(catalogue: options.catalogue, platform: options.platform).write(rule)
    }
}
