import RuleModel

/// One lexical unit of a KQL query.
struct KQLToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)
        /// `!has`, `!in`, `!between`, ...: a negated operator word.
        case negatedIdentifier(String)
        case string(String)
        case long(Int64)
        case real(Double)
        case timespan(Timespan)
        /// The raw text inside `datetime(...)`.
        case datetime(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var position: SourcePosition

    var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }
    func isWord(_ word: String) -> Bool { kind == .identifier(word) }

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .identifier(let name): "'\(name)'"
        case .negatedIdentifier(let name): "'!\(name)'"
        case .string(let value): "string '\(value)'"
        case .long(let value): "number \(value)"
        case .real(let value): "number \(value)"
        case .timespan: "timespan literal"
        case .datetime(let raw): "datetime(\(raw))"
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "end of query"
        }
    }
}
