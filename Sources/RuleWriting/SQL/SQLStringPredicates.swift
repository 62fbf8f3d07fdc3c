import RuleModel
import Support

/// KQL's string operators in SQL, each with its exact meaning: case folding, term matching,
/// lists, and the sets a tabular let gives.
extension SQLRenderContext {

    /// A string predicate's needle as literal text, when it is one (through lets).
    func literalText(_ e: QueryExpression) -> String? {
        if case .string(let s) = resolved(e) { return s }
        return nil
    }

    /// The needle of a case-insensitive match is folded once, here, as KQL folds it.
    func folded(_ s: String) -> String { KQLTerms.folded(s) }

    /// The haystack folded for comparison with folded needles. SQLite's lower() folds ASCII only,
    /// so the needles' own non-ASCII letters are folded with replace() first.
    func foldedHaystack(_ haystack: String, needles: [String]) throws(WriterError) -> String {
        var sql = haystack
        if !dialect.lowerFoldsUnicode {
            var seen: Set<Unicode.Scalar> = []
            for scalar in needles.joined().unicodeScalars where !scalar.isASCII {
                let lower = folded(String(scalar))
                for variant in [scalar.properties.uppercaseMapping, scalar.properties.titlecaseMapping, String(scalar)] {
                    guard variant.unicodeScalars.count == 1, let v = variant.unicodeScalars.first, v != lower.unicodeScalars.first, !seen.contains(v) else { continue }
                    seen.insert(v)
                    sql = "replace(\(sql), \(try dialect.quoteString(String(v))), \(try dialect.quoteString(lower)))"
                }
            }
        }
        return "lower(\(sql))"
    }

    mutating func stringPredicate(_ p: StringPredicate, in relation: [ColumnSchema]) throws(WriterError) -> String {
        let subject = try render(p.subject, in: relation)
        let positive: String
        if p.match == .equals, literalText(p.needle) == nil {
            // Column against column (or number against number): compare the values themselves.
            let needle = try render(p.needle, in: relation)
            if subject.type != .string && needle.type != .string {
                let both = subject.type == .datetime || needle.type == .datetime
                let l = both ? instant(subject) : subject.sql, r = both ? instant(needle) : needle.sql
                return "\(l) \(p.negated ? "<>" : "=") \(r)"
            }
            if p.caseSensitive {
                positive = "\(text(subject)) = \(text(needle))"
            } else {
                if !dialect.lowerFoldsUnicode {
                    notes.append(WriterNote(.note, "case-insensitive comparison of two columns folds ASCII letters only in \(dialect.name)", fidelity: .approximate))
                }
                positive = "lower(\(text(subject))) = lower(\(text(needle)))"
            }
        } else {
            guard let needle = literalText(p.needle) else {
                throw WriterError("'\(KQLSpelling.spelling(of: p) ?? "")' with a needle that is not a string literal is not translated to SQL", at: p.subject.columns.first?.position)
            }
            positive = try match(text(subject), p.match, needle, caseSensitive: p.caseSensitive)
        }
        return p.negated ? "NOT (\(positive))" : positive
    }

    mutating func listPredicate(_ p: ListPredicate, in relation: [ColumnSchema]) throws(WriterError) -> String {
        let subject = try render(p.subject, in: relation)
        let positive: String
        switch p.values {
        case .tabularLet(let name):
            guard p.match == .equals else {
                throw WriterError("has_any/has_all over a tabular let is not translated to SQL", at: p.subject.columns.first?.position)
            }
            let column = try tabularLetColumn(name)
            let inner = quote(column.name)
            positive = p.caseSensitive
                ? "\(text(subject)) IN (SELECT \(inner) FROM \(quote(name)))"
                : "lower(\(text(subject))) IN (SELECT lower(\(inner)) FROM \(quote(name)))"
        case .literals(let items):
            var values: [QueryExpression] = []
            for item in items {
                if case .dynamicArray(let elements) = resolved(item) { values += elements.map(resolved) } else { values.append(resolved(item)) }
            }
            let strings = values.compactMap { if case .string(let s) = $0 { s } else { nil } }
            if p.match == .equals && strings.count < values.count {
                // Numbers, bools: plain IN.
                guard strings.isEmpty else { throw WriterError("a list mixing strings and other values is not translated to SQL", at: p.subject.columns.first?.position) }
                let rendered = try values.map { v throws(WriterError) in try render(v, in: relation).sql }
                positive = rendered.isEmpty ? dialect.falseLiteral : "\(subject.sql) IN (\(rendered.joined(separator: ", ")))"
                return p.negated ? "NOT (\(positive))" : positive
            }
            guard strings.count == values.count else {
                throw WriterError("\(KQLSpelling.spelling(of: p)?.spelling ?? "has_any") takes string needles in SQL", at: p.subject.columns.first?.position)
            }
            let haystack = text(subject)
            switch p.match {
            case .equals:
                if strings.isEmpty {
                    positive = dialect.falseLiteral
                } else if p.caseSensitive {
                    positive = "\(haystack) IN (\(try strings.map { s throws(WriterError) in try dialect.quoteString(s) }.joined(separator: ", ")))"
                } else {
                    positive = "\(try foldedHaystack(haystack, needles: strings)) IN (\(try strings.map { s throws(WriterError) in try dialect.quoteString(folded(s)) }.joined(separator: ", ")))"
                }
            default:
                let parts = try strings.map { s throws(WriterError) in try match(haystack, p.match, s, caseSensitive: p.caseSensitive) }
                if parts.isEmpty {
                    positive = p.quantifier == .any ? dialect.falseLiteral : dialect.trueLiteral
                } else if parts.count == 1 {
                    positive = parts[0]
                } else {
                    positive = "(" + parts.map { "(\($0))" }.joined(separator: p.quantifier == .any ? " OR " : " AND ") + ")"
                }
            }
        }
        return p.negated ? "NOT (\(positive))" : positive
    }

    mutating func tabularLetColumn(_ name: String) throws(WriterError) -> ColumnSchema {
        if tabularColumns[name] == nil {
            guard let tabular = detection.tabularLet(named: name) else { throw WriterError("'\(name)' is not a tabular let") }
            var inner = SQLRenderContext(dialect: dialect, catalogue: catalogue, detection: detection)
            let sql = try inner.pipeline(source: tabular.source, operators: tabular.operators, stepPrefix: name + "_step")
            ctes += inner.ctes
            ctes.append((name, sql))
            notes += inner.notes
            usesNow = usesNow || inner.usesNow
            if let table = catalogue.table(named: tabular.source.name) {
                tabularColumns[name] = SchemaFlow.relations(from: table, through: tabular.operators, in: detection).last
            }
        }
        guard let columns = tabularColumns[name], columns.count == 1, let column = columns.first else {
            throw WriterError("tabular let '\(name)' used in in (...) must return exactly one column (end it with project or distinct)")
        }
        return column
    }

    /// One string test against a literal needle, with KQL's exact meaning.
    mutating func match(_ haystack: String, _ kind: StringMatch, _ needle: String, caseSensitive: Bool) throws(WriterError) -> String {
        // An empty needle matches every string, for every operator but equality.
        if needle.isEmpty && kind != .equals { return dialect.trueLiteral }
        let h = caseSensitive ? haystack : try foldedHaystack(haystack, needles: [needle])
        let n = caseSensitive ? needle : folded(needle)
        let quoted = try dialect.quoteString(n)
        let length = String(n.unicodeScalars.count)
        switch kind {
        case .equals: return "\(h) = \(quoted)"
        case .contains: return fill(dialect.containsTemplate, ["haystack": h, "needle": quoted])
        case .startsWith: return fill(dialect.startsWithTemplate, ["haystack": h, "needle": quoted, "length": length])
        case .endsWith: return fill(dialect.endsWithTemplate, ["haystack": h, "needle": quoted, "length": length])
        case .has: return try termMatch(haystack: haystack, foldedHaystack: h, needle: needle, foldedNeedle: n, caseSensitive: caseSensitive)
        }
    }

    mutating func termMatch(haystack: String, foldedHaystack h: String, needle: String, foldedNeedle n: String, caseSensitive: Bool) throws(WriterError) -> String {
        guard let (leftBoundary, rightBoundary) = KQLTerms.boundaries(of: needle) else { return dialect.trueLiteral }
        // A needle with punctuation at both ends is a plain substring match.
        if !leftBoundary && !rightBoundary {
            return fill(dialect.containsTemplate, ["haystack": h, "needle": try dialect.quoteString(n)])
        }
        switch dialect.termMatch {
        case .regex(let ci, let cs, let nonTerm, let flag):
            var pattern = (leftBoundary ? "(^|\(nonTerm))" : "") + KQLTerms.regexEscaped(needle) + (rightBoundary ? "($|\(nonTerm))" : "")
            if !caseSensitive, let flag { pattern = flag + pattern }
            let template = caseSensitive || flag != nil ? cs : ci
            return fill(template, ["haystack": haystack, "pattern": try dialect.quoteString(pattern)])
        case .custom(let build):
            return try build(SQLDialect.TermMatchRequest(
                foldedHaystack: h, quotedNeedle: try dialect.quoteString(n), needleLength: n.unicodeScalars.count,
                boundaryBefore: leftBoundary, boundaryAfter: rightBoundary
            ))
        }
    }
}
