import Foundation
import RuleModel
import Yams

/// How KQL `has` is written in Sigma, which has no term operator.
public enum SigmaHasForm: String, Sendable, CaseIterable {
    /// `|re` with term boundaries: exact for ASCII text.
    case re
    /// `|contains`: broader (matches inside longer words); marked in the rule and on stderr.
    case contains
}

/// Which Sigma features the output may use: all that carry the KQL rule best, or only those
/// every pySigma backend converts (its Kusto backend has neither correlation rules nor
/// case-sensitive matching).
public enum SigmaFeatures: String, Sendable, CaseIterable {
    /// A summarize becomes an `event_count` correlation rule; case-sensitive tests use `|cased`.
    case full
    /// No correlation rule (the grouping and the look-back are stated as left out); case-sensitive
    /// tests are anchored case-sensitive regular expressions (`|re`), the same test.
    case basic
}

/// Writes a rule as Sigma v2 YAML (through Yams). The event filter becomes the detection; a
/// `summarize ... by keys` over a look-back window becomes an `event_count` correlation rule in
/// a second YAML document (group-by the keys, timespan the window, condition >= 1). The
/// aggregates themselves (min, max, make_set, ...) have no Sigma counterpart, which the
/// description says.
public struct SigmaWriter: Sendable {
    public var hasForm: SigmaHasForm
    public var catalogue: SchemaCatalogue
    /// The rule's `date` (`YYYY-MM-DD`, see `TargetOptions.date(for:)`); left out when nil,
    /// never taken from the clock, so the same input gives the same output every day.
    public var date: String?
    public var features: SigmaFeatures

    public init(hasForm: SigmaHasForm = .re, catalogue: SchemaCatalogue = .defender, date: String? = nil, features: SigmaFeatures = .full) {
        self.hasForm = hasForm
        self.catalogue = catalogue
        self.date = date
        self.features = features
    }

    public func write(_ rule: Rule) throws(WriterError) -> Translation {
        var notes = rule.exclusionNotes(catalogue: catalogue)
        if date == nil {
            notes.append(WriterNote(.note, "no date to write: Sigma's `date` is left out (give --date YYYY-MM-DD, or x-date in the rule)", fidelity: .exact))
        }
        let detection = rule.detection
        let logsource = SigmaLogsource.forTable(detection.source.name)
        var builder = SigmaDetectionBuilder(logsource: logsource, hasForm: hasForm, detection: detection, casedAsRegex: features == .basic)

        // The event filter: every `where` before the first other operator, less the time window.
        let lookback = detection.lookback
        var predicates: [QueryExpression] = []
        var remaining: [QueryOperator] = []
        var leading = true
        for op in detection.operators {
            if leading, case .filter(let predicate) = op {
                // The look-back window is carried by the correlation's timespan (or stated as
                // not carried); its conjuncts leave the event filter.
                let conjuncts: [QueryExpression] = if case .and(let items) = predicate { items } else { [predicate] }
                predicates += conjuncts.filter { lookback == nil || !Self.isTimeWindow($0, in: detection) }
            } else {
                leading = false
                remaining.append(op)
            }
        }
        guard !predicates.isEmpty else {
            throw WriterError("a Sigma rule needs a detection, and this query filters no events (it has no where clause besides the time window)", at: detection.source.position)
        }
        var condition = try builder.condition(for: predicates.count == 1 ? predicates[0] : .and(predicates), prefix: "selection")
        for (index, (fp, outcome)) in rule.exclusionOutcomes(catalogue: catalogue).enumerated() {
            guard case .applied(let predicate) = outcome else { continue }
            let filterCondition = try builder.condition(for: predicate, prefix: "filter_fp_\(index + 1)")
            condition = "\(Self.parenthesised(condition)) and not \(Self.parenthesised(filterCondition))"
            _ = fp
        }
        notes += builder.notes

        // What the Sigma rule's description says about the translation; what broadens the rule
        // or leaves a part of it out is also a warning on stderr.
        var commentary: [(text: String, fidelity: WriterNote.Fidelity)] = rule.metadata.overrides.map { ("rulepack: local override: \($0)", .exact) }
        if builder.broadened {
            commentary.append(("rulepack: KQL `has` is written as |contains here, which also matches inside longer words (broader than the KQL rule).", .broadened))
        } else if builder.usedTermRegex {
            commentary.append(("rulepack: KQL `has` is written as |re with term boundaries (exact for ASCII text; non-ASCII letters count as boundaries).", .approximate))
        }
        var correlation: Node?
        let summarize = remaining.first { if case .summarize = $0 { true } else { false } }
        // Keys that are columns (renamed or not) group the same events in Sigma.
        let keyColumns = summarize.flatMap { op -> [String]? in
            guard case .summarize(let s) = op else { return nil }
            let columns = s.keys.compactMap { key -> String? in if case .column(let c) = key.expression { c.name } else { nil } }
            return columns.count == s.keys.count ? columns : nil
        }
        if features == .full, case .summarize(let s)? = summarize, let lookback, let keyColumns, !keyColumns.isEmpty {
            let keys = keyColumns.map { logsource.field($0) }
            commentary.append(("rulepack: the KQL query's look-back (\(Self.timespan(lookback))) and `summarize ... by \(s.keys.map(\.outputName).joined(separator: ", "))` are carried by the event_count correlation rule that follows; its aggregates (\(s.aggregates.map { $0.function.rawValue }.joined(separator: ", "))) have no Sigma counterpart.", .approximate))
            correlation = correlationNode(rule: rule, keys: keys, timespan: Self.timespan(lookback))
        } else {
            if let lookback { commentary.append(("rulepack: the KQL look-back of \(Self.timespan(lookback)) is not carried; set the time range in the SIEM.", .leftOut)) }
            if !remaining.isEmpty {
                commentary.append(("rulepack: the KQL operators after the filter (\(remaining.map(\.keyword).joined(separator: ", "))) are not carried.", .leftOut))
            }
        }
        for (text, fidelity) in commentary where fidelity.warrantsWarning {
            notes.append(WriterNote(.warning, text.replacingOccurrences(of: "rulepack: ", with: ""), fidelity: fidelity))
        }
        // The builder's own warnings are in `notes` already; the description states them too.
        for note in builder.notes where note.severity == .warning {
            commentary.append(("rulepack: " + note.message, note.fidelity))
        }

        let base = try ruleNode(rule, logsource: logsource, selections: builder.selections, condition: condition, commentary: commentary.map(\.text))
        let text: String
        do {
            text = try serialize(nodes: [base] + (correlation.map { [$0] } ?? []), width: -1, allowUnicode: true)
        } catch {
            throw WriterError("YAML emitter: \(error)")
        }
        return Translation(text: text, notes: notes)
    }

    /// A bound of the look-back window that the correlation's timespan (or the SIEM's search
    /// range) carries: a lower bound relative to now, or an upper bound at or after now. A
    /// bound that ends before now, or a negated range, is not: dropping it would broaden the rule.
    static func isTimeWindow(_ e: QueryExpression, in detection: Detection) -> Bool {
        let offset = detection.nowOffset(of:)
        switch e {
        case .between(.column, let low, let high, false):
            guard let start = offset(low) else { return false }
            if let end = offset(high) { return end.ticks >= 0 }
            if case .timespan(let span) = high { return start.ticks + span.ticks >= 0 }
            return false
        case .comparison(.greater, .column, let bound), .comparison(.greaterOrEqual, .column, let bound):
            return offset(bound) != nil
        case .comparison(.less, .column, let bound), .comparison(.lessOrEqual, .column, let bound):
            return (offset(bound)?.ticks ?? -1) >= 0
        default:
            return false
        }
    }

    static func parenthesised(_ condition: String) -> String {
        condition.contains(" ") ? "(\(condition))" : condition
    }

    static func timespan(_ t: Timespan) -> String {
        // Sigma timespans: s, m, h, d.
        let (value, unit) = t.largestExactUnit
        switch unit {
        case .d, .h, .m, .s: return "\(value)\(unit.rawValue)"
        default: return "\(max(1, t.ticks / Timespan.ticksPerSecond))s"
        }
    }

    /// Made once: each `Tag` builds a new Yams constructor, which dominated the writer's time.
    nonisolated(unsafe) static let stringTag = Tag(.str)
    nonisolated(unsafe) static let implicitTag = Tag(.implicit)

    /// A scalar written as it is: a key, a date, a number. Yams never writes tags, so the
    /// tag only spares the emitter its resolver's regular expressions.
    static func scalar(_ s: String, _ style: Node.Scalar.Style = .any) -> Node {
        Node.scalar(Node.Scalar(s, Self.stringTag, style))
    }

    /// A string that YAML must keep a string. libyaml's emitter quotes what cannot be written
    /// plain (`a: b`, `#x`, ` x`), but writes `true`, `1.5` or `null` plain whatever the tag, so
    /// those are quoted here.
    static func string(_ s: String) -> Node {
        let style: Node.Scalar.Style = s.contains("\n") ? .literal : (plainReadsAsString(s) ? .any : .singleQuoted)
        return Node.scalar(Node.Scalar(s, Self.stringTag, style))
    }

    /// Whether `s`, written plain, reads back as a string (not a bool, number, null, timestamp,
    /// merge or value key). Only those start with one of `resolvableFirstCharacters`; the rest skip the
    /// resolver's regular expressions, which would dominate the writer's time.
    static func plainReadsAsString(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        guard resolvableFirstCharacters.contains(first) else { return true }
        return Resolver.default.resolveTag(of: Node.scalar(Node.Scalar(s, Self.implicitTag))) == .str
    }

    private static let resolvableFirstCharacters = Set("-+.0123456789~<=yYnNtTfFoO".unicodeScalars)

    func ruleNode(_ rule: Rule, logsource: SigmaLogsource, selections: [(String, Node)], condition: String, commentary: [String]) throws(WriterError) -> Node {
        let m = rule.metadata
        var pairs: [(Node, Node)] = []
        func add(_ key: String, _ value: Node) { pairs.append((Self.scalar(key), value)) }
        add("title", Self.string(Self.titleCased(m.name ?? URL(fileURLWithPath: rule.sourceFile).deletingPathExtension().lastPathComponent)))
        if let id = m.id, NameBasedUUID.bytes(ofUUID: id) != nil, id.count == 36 {
            add("id", Self.string(id.lowercased()))
        }
        add("status", Self.string("experimental"))
        var description = (m.description ?? m.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !commentary.isEmpty { description += "\n\n" + commentary.joined(separator: "\n") }
        add("description", Self.string(description + "\n"))
        let references = Self.urls(in: m.description ?? "")
        if !references.isEmpty { add("references", Node.sequence(Node.Sequence(references.map(Self.string)))) }
        add("author", Self.string("rulepack (translated from Microsoft Sentinel rule \(URL(fileURLWithPath: rule.sourceFile).lastPathComponent))"))
        if let date { add("date", Self.scalar(date)) }
        var tags: [String] = []
        for tactic in m.tactics {
            if let short = SentinelTactic.named(tactic)?.shortName, !tags.contains("attack." + short) { tags.append("attack." + short) }
        }
        for technique in m.techniques where !tags.contains("attack." + technique.lowercased()) {
            tags.append("attack." + technique.lowercased())
        }
        if !tags.isEmpty { add("tags", Node.sequence(Node.Sequence(tags.map(Self.string)))) }
        var logsourcePairs: [(Node, Node)] = [
            (Self.scalar("category"), Self.string(logsource.category)),
            (Self.scalar("product"), Self.string(logsource.product)),
        ]
        if let definition = logsource.definition { logsourcePairs.append((Self.scalar("definition"), Self.string(definition))) }
        add("logsource", Node.mapping(Node.Mapping(logsourcePairs)))
        add("detection", Node.mapping(Node.Mapping(selections.map { (Self.scalar($0.0), $0.1) } + [(Self.scalar("condition"), Self.string(condition))])))
        let falsePositives = rule.falsePositives.map { fp in
            fp.description.isEmpty ? fp.scenario : "\(fp.scenario): \(fp.description)"
        }
        add("falsepositives", Node.sequence(Node.Sequence((falsePositives.isEmpty ? ["Unknown"] : falsePositives).map(Self.string))))
        add("level", Self.string(Self.level(m.severity)))
        return Node.mapping(Node.Mapping(pairs))
    }

    func correlationNode(rule: Rule, keys: [String], timespan: String) -> Node? {
        guard let id = rule.metadata.id?.lowercased(), NameBasedUUID.bytes(ofUUID: id) != nil else { return nil }
        // The keys are in the description: SigmaHQ keeps titles short.
        let title = Self.titleCased(rule.metadata.name ?? id) + " - Event Count"
        var pairs: [(Node, Node)] = [
            (Self.scalar("title"), Self.string(title)),
            (Self.scalar("id"), Self.string(NameBasedUUID.make(namespace: id, name: "rulepack event_count correlation"))),
            (Self.scalar("status"), Self.string("experimental")),
            (Self.scalar("description"), Self.string("Groups the events of rule \(id) by \(keys.joined(separator: ", ")) over \(timespan), as the KQL query's summarize does; every group with at least one event is reported.\n")),
            (Self.scalar("author"), Self.string("rulepack (translated from Microsoft Sentinel rule \(URL(fileURLWithPath: rule.sourceFile).lastPathComponent))")),
            (Self.scalar("correlation"), Node.mapping(Node.Mapping([
                (Self.scalar("type"), Self.string("event_count")),
                (Self.scalar("rules"), Node.sequence(Node.Sequence([Self.string(id)]))),
                (Self.scalar("group-by"), Node.sequence(Node.Sequence(keys.map(Self.string)))),
                (Self.scalar("timespan"), Self.string(timespan)),
                (Self.scalar("condition"), Node.mapping(Node.Mapping([(Self.scalar("gte"), Self.scalar("1"))]))),
            ]))),
            (Self.scalar("level"), Self.string(Self.level(rule.metadata.severity))),
        ]
        if let date { pairs.insert((Self.scalar("date"), Self.scalar(date)), at: 5) }
        return Node.mapping(Node.Mapping(pairs))
    }

    /// SigmaHQ's title convention: each lower-case word capitalised, except short joining words
    /// and words with a dot, slash or underscore (names such as syncromsp.com stay as written).
    static func titleCased(_ title: String) -> String {
        let minor: Set<String> = ["a", "an", "and", "as", "at", "by", "for", "from", "in", "new", "of", "on", "or", "over", "the", "through", "to", "via", "with", "without"]
        return title.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let w = String(word)
            guard let first = w.first, w == w.lowercased(), w != w.uppercased(), !minor.contains(w),
                  !w.contains("."), !w.contains("/"), !w.contains("_"), !first.isNumber else { return w }
            guard let letter = w.firstIndex(where: \.isLetter) else { return w }
            return w[..<letter] + w[letter].uppercased() + w[w.index(after: letter)...]
        }.joined(separator: " ")
    }

    static func level(_ severity: String?) -> String {
        switch severity?.lowercased() {
        case "informational": "informational"
        case "low": "low"
        case "high": "high"
        default: "medium"
        }
    }

    static func urls(in text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init).filter { $0.hasPrefix("https://") || $0.hasPrefix("http://") }
    }
}

/// Turns the model's boolean predicates into Sigma selections and a condition.
struct SigmaDetectionBuilder {
    let logsource: SigmaLogsource
    let hasForm: SigmaHasForm
    let detection: Detection
    var selections: [(String, Node)] = []
    var notes: [WriterNote] = []
    var broadened = false
    var usedTermRegex = false
    /// Case-sensitive tests as anchored `|re` instead of `|cased` (see `SigmaFeatures.basic`).
    let casedAsRegex: Bool
    private var counters: [String: Int] = [:]

    init(logsource: SigmaLogsource, hasForm: SigmaHasForm, detection: Detection, casedAsRegex: Bool = false) {
        self.logsource = logsource
        self.hasForm = hasForm
        self.detection = detection
        self.casedAsRegex = casedAsRegex
    }

    /// Registers the selections for `e` and returns the condition that combines them.
    mutating func condition(for e: QueryExpression, prefix: String) throws(WriterError) -> String {
        let condition = try build(e, prefix: prefix)
        // A lone selection takes the plain prefix as its name.
        if counters[prefix] == 1, let index = selections.firstIndex(where: { $0.0 == prefix + "_1" }) {
            selections[index].0 = prefix
            return condition.replacingOccurrences(of: prefix + "_1", with: prefix)
        }
        return condition
    }

    private mutating func newSelection(_ prefix: String, _ items: [(String, Node)]) -> String {
        counters[prefix, default: 0] += 1
        let name = "\(prefix)_\(counters[prefix] ?? 1)"
        selections.append((name, Node.mapping(Node.Mapping(items.map { (SigmaWriter.scalar($0.0), $0.1) }))))
        return name
    }

    private func resolved(_ e: QueryExpression) -> QueryExpression { detection.resolvingScalarLets(e) }

    private mutating func build(_ e: QueryExpression, prefix: String) throws(WriterError) -> String {
        switch e {
        case .and(let items):
            // Positive single-field tests on distinct fields share one selection (Sigma ANDs a map's keys).
            var merged: [(String, Node)] = []
            var others: [String] = []
            for item in items {
                if let (key, value) = try leaf(item), !merged.contains(where: { $0.0 == key }) {
                    merged.append((key, value))
                } else {
                    others.append(SigmaWriter.parenthesised(try build(item, prefix: prefix)))
                }
            }
            var parts: [String] = []
            if !merged.isEmpty { parts.append(newSelection(prefix, merged)) }
            return (parts + others).joined(separator: " and ")
        case .or(let items):
            return try items.map { item throws(WriterError) in SigmaWriter.parenthesised(try build(item, prefix: prefix)) }.joined(separator: " or ")
        case .not(let inner):
            return "not " + SigmaWriter.parenthesised(try build(inner, prefix: prefix))
        case .stringPredicate(let p) where p.negated:
            var positive = p
            positive.negated = false
            return "not " + (try build(.stringPredicate(positive), prefix: prefix))
        case .list(let p) where p.quantifier == .all && !p.negated:
            // Sigma's |all over regular expressions is flagged by its validators; one selection
            // per needle, ANDed, says the same.
            guard case .literals(let values) = p.values, values.count > 1 else {
                guard let (key, value) = try leaf(e) else {
                    throw WriterError("this predicate has no Sigma counterpart: \(KQLText.expression(e))", at: e.columns.first?.position)
                }
                return newSelection(prefix, [(key, value)])
            }
            let parts = try values.map { value throws(WriterError) in
                try build(.list(ListPredicate(p.subject, p.match, .any, .literals([value]), caseSensitive: p.caseSensitive)), prefix: prefix)
            }
            return "(" + parts.joined(separator: " and ") + ")"
        case .list(let p) where p.negated:
            var positive = p
            positive.negated = false
            return "not " + (try build(.list(positive), prefix: prefix))
        case .function(.isempty, let args):
            guard case .column(let c) = args.first else { throw WriterError("isempty() of an expression has no Sigma counterpart", at: e.columns.first?.position) }
            let field = logsource.field(c.name)
            let empty = newSelection(prefix, [(field, SigmaWriter.string(""))])
            let null = newSelection(prefix, [(field, SigmaWriter.scalar("null"))])
            return "(\(empty) or \(null))"
        case .function(.isnotempty, let args):
            return "not " + (try build(.function(.isempty, args), prefix: prefix))
        case .between(let subject, let low, let high, let negated):
            guard case .column(let c) = subject, let lowValue = Self.number(resolved(low)), let highValue = Self.number(resolved(high)) else {
                throw WriterError("between on times or expressions other than the look-back window has no Sigma counterpart", at: subject.columns.first?.position)
            }
            let field = logsource.field(c.name)
            let name = newSelection(prefix, [(field + "|gte", lowValue)])
            let upper = newSelection(prefix, [(field + "|lte", highValue)])
            return negated ? "not (\(name) and \(upper))" : "\(name) and \(upper)"
        default:
            guard let (key, value) = try leaf(e) else {
                if case .list(let p) = e, case .tabularLet(let name) = p.values {
                    throw WriterError("Sigma cannot test a field against the results of another query (the tabular let '\(name)')", at: e.columns.first?.position)
                }
                throw WriterError("this predicate has no Sigma counterpart: \(KQLText.expression(e))", at: e.columns.first?.position)
            }
            return newSelection(prefix, [(key, value)])
        }
    }

    static func number(_ e: QueryExpression) -> Node? {
        switch e {
        case .long(let n): SigmaWriter.scalar(String(n))
        case .real(let x): SigmaWriter.scalar(String(x))
        default: nil
        }
    }

    /// A positive test on one field, as a selection key (field|modifiers) and value(s).
    private mutating func leaf(_ e: QueryExpression) throws(WriterError) -> (String, Node)? {
        switch e {
        case .stringPredicate(let p) where !p.negated:
            guard case .column(let c) = p.subject else { return nil }
            guard case .string(let needle) = resolved(p.needle) else {
                if p.match == .equals, let n = Self.number(resolved(p.needle)) { return (logsource.field(c.name), n) }
                return nil
            }
            return try keyed(c.name, p.match, caseSensitive: p.caseSensitive, all: false, needles: [needle])
        case .list(let p) where !p.negated:
            guard case .column(let c) = p.subject, case .literals(let items) = p.values else { return nil }
            var needles: [String] = []
            for item in items {
                switch resolved(item) {
                case .string(let s): needles.append(s)
                case .dynamicArray(let elements):
                    for element in elements {
                        guard case .string(let s) = resolved(element) else { return nil }
                        needles.append(s)
                    }
                default: return nil
                }
            }
            return try keyed(c.name, p.match, caseSensitive: p.caseSensitive, all: p.quantifier == .all, needles: needles)
        case .comparison(let op, .column(let c), let rhs):
            guard let value = Self.number(resolved(rhs)) else { return nil }
            let modifier = switch op {
            case .less: "lt"
            case .lessOrEqual: "lte"
            case .greater: "gt"
            case .greaterOrEqual: "gte"
            }
            return (logsource.field(c.name) + "|" + modifier, value)
        default:
            return nil
        }
    }

    private mutating func keyed(_ column: String, _ match: StringMatch, caseSensitive: Bool, all: Bool, needles: [String]) throws(WriterError) -> (String, Node) {
        var field = logsource.field(column)
        var match = match
        var needles = needles
        // A file name equals (or ends) the path's last component: Sigma's idiom, and the same test.
        if let pathField = logsource.pathFields[column], match == .equals || match == .endsWith {
            field = pathField
            if match == .equals { needles = needles.map { "\\" + $0 } }
            match = .endsWith
        }
        var modifiers: [String] = []
        var values: [String]
        switch match {
        case _ where caseSensitive && casedAsRegex && match != .has:
            // The same test as |cased: a case-sensitive regular expression anchored as the operator is.
            modifiers.append("re")
            let start = match == .equals || match == .startsWith ? "^" : ""
            let end = match == .equals || match == .endsWith ? "$" : ""
            values = needles.map { start + KQLTerms.regexEscaped($0) + end }
        case .equals:
            values = needles.map(Self.escapedPlain)
        case .contains:
            modifiers.append("contains")
            values = needles.map(Self.escapedPlain)
        case .startsWith:
            modifiers.append("startswith")
            values = needles.map(Self.escapedPlain)
        case .endsWith:
            modifiers.append("endswith")
            values = needles.map(Self.escapedPlain)
        case .has:
            if hasForm == .contains {
                broadened = true
                modifiers.append("contains")
                values = needles.map(Self.escapedPlain)
            } else {
                usedTermRegex = true
                modifiers.append("re")
                values = needles.map(Self.termRegex)
                if !caseSensitive { modifiers.append("i") }
            }
        }
        if all && values.count > 1 { modifiers.append("all") }
        if caseSensitive && !modifiers.contains("re") { modifiers.append("cased") }
        let key = ([field] + modifiers).joined(separator: "|")
        let node = values.count == 1 ? SigmaWriter.string(values[0]) : Node.sequence(Node.Sequence(values.map(SigmaWriter.string)))
        return (key, node)
    }

    /// Sigma plain values treat `*` and `?` as wildcards and `\` as their escape.
    static func escapedPlain(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "*" || c == "?" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// KQL `has` as a regular expression: the needle, with a term boundary at each end where
    /// the needle's own character is a letter or digit.
    static func termRegex(_ needle: String) -> String {
        guard let (left, right) = KQLTerms.boundaries(of: needle) else { return "" }
        // Plain groups: pySigma reads "(?:" as a wildcard, and every regex flavour knows "(".
        return (left ? "(^|[^A-Za-z0-9])" : "") + KQLTerms.regexEscaped(needle) + (right ? "($|[^A-Za-z0-9])" : "")
    }
}

/// The writer as an output target (see `OutputTarget.all`).
extension SigmaWriter {
    public static let target = OutputTarget(
        language: "sigma", fileExtension: "yml", summary: "Sigma v2 rules", options: [.sigmaHas, .sigmaFeatures, .date], separator: "---\n", engine: "sigma",
        companionFiles: [(SigmaPipeline.fileName, SigmaPipeline.yaml())]
    ) { rule, options throws(WriterError) in
        try SigmaWriter(hasForm: options.sigmaHas, catalogue: options.catalogue, date: options.date(for: rule), features: options.sigmaFeatures).write(rule)
    }
}
