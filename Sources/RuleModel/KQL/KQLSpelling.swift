/// How KQL spells each string operator. The reader and the KQL writer both use this one table,
/// so a spelling can never be read one way and written another.
public enum KQLSpelling {
    public struct StringOperator: Hashable, Sendable {
        public var spelling: String
        public var match: StringMatch
        public var caseSensitive: Bool
        public var negated: Bool
    }

    public struct ListOperator: Hashable, Sendable {
        public var spelling: String
        public var match: StringMatch
        public var quantifier: ListPredicate.Quantifier
        public var caseSensitive: Bool
        public var negated: Bool
    }

    public static let stringOperators: [StringOperator] = {
        var table: [StringOperator] = []
        let words: [(String, StringMatch)] = [("has", .has), ("contains", .contains), ("startswith", .startsWith), ("endswith", .endsWith)]
        for (word, match) in words {
            for caseSensitive in [false, true] {
                for negated in [false, true] {
                    table.append(StringOperator(spelling: (negated ? "!" : "") + word + (caseSensitive ? "_cs" : ""), match: match, caseSensitive: caseSensitive, negated: negated))
                }
            }
        }
        table += [
            StringOperator(spelling: "==", match: .equals, caseSensitive: true, negated: false),
            StringOperator(spelling: "!=", match: .equals, caseSensitive: true, negated: true),
            StringOperator(spelling: "=~", match: .equals, caseSensitive: false, negated: false),
            StringOperator(spelling: "!~", match: .equals, caseSensitive: false, negated: true),
        ]
        return table
    }()

    public static let listOperators: [ListOperator] = [
        ListOperator(spelling: "in", match: .equals, quantifier: .any, caseSensitive: true, negated: false),
        ListOperator(spelling: "!in", match: .equals, quantifier: .any, caseSensitive: true, negated: true),
        ListOperator(spelling: "in~", match: .equals, quantifier: .any, caseSensitive: false, negated: false),
        ListOperator(spelling: "!in~", match: .equals, quantifier: .any, caseSensitive: false, negated: true),
        ListOperator(spelling: "has_any", match: .has, quantifier: .any, caseSensitive: false, negated: false),
        ListOperator(spelling: "has_all", match: .has, quantifier: .all, caseSensitive: false, negated: false),
    ]

    public static func stringOperator(_ spelling: String) -> StringOperator? {
        stringOperators.first { $0.spelling == spelling }
    }

    public static func listOperator(_ spelling: String) -> ListOperator? {
        listOperators.first { $0.spelling == spelling }
    }

    public static func spelling(of p: StringPredicate) -> String? {
        stringOperators.first { $0.match == p.match && $0.caseSensitive == p.caseSensitive && $0.negated == p.negated }?.spelling
    }

    /// The spelling of a list predicate, and whether it must be wrapped in `not(...)` because KQL
    /// has no negated spelling for it (`has_any`, `has_all`).
    public static func spelling(of p: ListPredicate) -> (spelling: String, wrapInNot: Bool)? {
        if let exact = listOperators.first(where: { $0.match == p.match && $0.quantifier == p.quantifier && $0.caseSensitive == p.caseSensitive && $0.negated == p.negated }) {
            return (exact.spelling, false)
        }
        if p.negated, let positive = listOperators.first(where: { $0.match == p.match && $0.quantifier == p.quantifier && $0.caseSensitive == p.caseSensitive && !$0.negated }) {
            return (positive.spelling, true)
        }
        return nil
    }
}
