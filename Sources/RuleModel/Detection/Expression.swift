/// A KQL timespan, in ticks of 100 ns as KQL stores it.
public struct Timespan: Hashable, Sendable, Comparable {
    public static let ticksPerSecond: Int64 = 10_000_000
    public static let ticksPerDay: Int64 = 86_400 * ticksPerSecond

    public var ticks: Int64

    public init(ticks: Int64) { self.ticks = ticks }

    public static func days(_ n: Int64) -> Timespan { Timespan(ticks: n * ticksPerDay) }
    public static func < (lhs: Timespan, rhs: Timespan) -> Bool { lhs.ticks < rhs.ticks }
    public static prefix func - (span: Timespan) -> Timespan { Timespan(ticks: -span.ticks) }

    public var seconds: Double { Double(ticks) / Double(Self.ticksPerSecond) }

    /// The largest unit that states the span exactly, as KQL literal parts: (magnitude, unit).
    public var largestExactUnit: (value: Int64, unit: TimespanUnit) {
        for unit in TimespanUnit.allCases.reversed() where ticks % unit.ticks == 0 {
            return (ticks / unit.ticks, unit)
        }
        return (ticks, .tick)
    }
}

/// The units a KQL timespan literal can carry, smallest first.
public enum TimespanUnit: String, CaseIterable, Sendable {
    case tick, microsecond, ms, s, m, h, d

    public var ticks: Int64 {
        switch self {
        case .tick: 1
        case .microsecond: 10
        case .ms: 10_000
        case .s: 10_000_000
        case .m: 600_000_000
        case .h: 36_000_000_000
        case .d: 864_000_000_000
        }
    }
}

/// The string-matching families of KQL. Each carries its case sensitivity and negation beside it
/// in `StringPredicate`, so `has`, `!has_cs`, `=~` and friends all keep their exact meaning.
public enum StringMatch: String, Hashable, Sendable, CaseIterable {
    /// Term match: terms are maximal runs of letters and digits.
    case has
    case contains
    case startsWith
    case endsWith
    /// Whole-string equality (`==`, `=~`, `!=`, `!~`).
    case equals
}

/// `lhs <match> needle`, e.g. `Signer has 'Servably, Inc.'`.
public struct StringPredicate: Hashable, Sendable {
    public var subject: QueryExpression
    public var match: StringMatch
    public var caseSensitive: Bool
    public var negated: Bool
    public var needle: QueryExpression

    public init(_ subject: QueryExpression, _ match: StringMatch, _ needle: QueryExpression, caseSensitive: Bool = false, negated: Bool = false) {
        self.subject = subject
        self.match = match
        self.caseSensitive = caseSensitive
        self.negated = negated
        self.needle = needle
    }
}

/// `lhs in (...)`, `in~`, `!in`, `has_any (...)`, `has_all (...)`: one string test over many needles.
public struct ListPredicate: Hashable, Sendable {
    public enum Quantifier: Hashable, Sendable { case any, all }

    public var subject: QueryExpression
    /// `.equals` for the `in` family, `.has` for `has_any`/`has_all`.
    public var match: StringMatch
    public var quantifier: Quantifier
    public var caseSensitive: Bool
    public var negated: Bool
    public var values: ListValues

    public init(_ subject: QueryExpression, _ match: StringMatch, _ quantifier: Quantifier, _ values: ListValues, caseSensitive: Bool, negated: Bool = false) {
        self.subject = subject
        self.match = match
        self.quantifier = quantifier
        self.caseSensitive = caseSensitive
        self.negated = negated
        self.values = values
    }
}

/// Needles written out, or drawn from a tabular `let` (its single output column).
public enum ListValues: Hashable, Sendable {
    case literals([QueryExpression])
    case tabularLet(String)
}

public enum ComparisonOperator: String, Hashable, Sendable, CaseIterable {
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

public enum ArithmeticOperator: String, Hashable, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
}

/// Scalar functions the reader accepts in expressions.
public enum ScalarFunction: String, Hashable, Sendable, CaseIterable {
    case isempty, isnotempty, isnull, isnotnull, tolower, toupper, strlen
}

/// A KQL scalar or boolean expression.
public indirect enum QueryExpression: Hashable, Sendable {
    case column(ColumnReference)
    /// A scalar `let` used by name.
    case letReference(String)
    case string(String)
    case long(Int64)
    case real(Double)
    case bool(Bool)
    case timespan(Timespan)
    /// `datetime(...)`, kept as written (ISO-8601).
    case datetime(String)
    /// `now()` or `now(offset)`.
    case now(offset: Timespan?)
    /// `ago(span)`, which KQL defines as `now() - span`.
    case ago(Timespan)
    /// `dynamic([...])`.
    case dynamicArray([QueryExpression])
    case stringPredicate(StringPredicate)
    case list(ListPredicate)
    /// `subject between (low .. high)`; high may be a timespan added to low.
    case between(subject: QueryExpression, low: QueryExpression, high: QueryExpression, negated: Bool)
    case comparison(ComparisonOperator, QueryExpression, QueryExpression)
    case arithmetic(ArithmeticOperator, QueryExpression, QueryExpression)
    case function(ScalarFunction, [QueryExpression])
    case and([QueryExpression])
    case or([QueryExpression])
    case not(QueryExpression)
}

extension QueryExpression {
    /// Every column the expression reads, in the order written.
    public var columns: [ColumnReference] {
        var found: [ColumnReference] = []
        visit { if case .column(let column) = $0 { found.append(column) } }
        return found
    }

    /// Calls `body` on this node and every node below it, depth first.
    public func visit(_ body: (QueryExpression) -> Void) {
        body(self)
        for child in children { child.visit(body) }
    }

    public var children: [QueryExpression] {
        switch self {
        case .column, .letReference, .string, .long, .real, .bool, .timespan, .datetime, .now, .ago: []
        case .dynamicArray(let items): items
        case .stringPredicate(let p): [p.subject, p.needle]
        case .list(let p):
            if case .literals(let values) = p.values { [p.subject] + values } else { [p.subject] }
        case .between(let subject, let low, let high, _): [subject, low, high]
        case .comparison(_, let l, let r), .arithmetic(_, let l, let r): [l, r]
        case .function(_, let args): args
        case .and(let items), .or(let items): items
        case .not(let inner): [inner]
        }
    }

    /// The look-back span of a time filter such as `Timestamp between (now(-5d)..now())` or
    /// `Timestamp > ago(1h)`, resolving scalar lets through `detection`.
    public func lookback(resolving detection: Detection) -> Timespan? {
        let instantOffset = detection.nowOffset(of:)
        switch self {
        case .between(_, let low, let high, false):
            guard let start = instantOffset(low) else { return nil }
            if let end = instantOffset(high) { return Timespan(ticks: end.ticks - start.ticks) }
            if case .timespan(let span) = high { return start.ticks + span.ticks >= 0 ? -start : nil }
            return nil
        case .comparison(.greater, _, let bound), .comparison(.greaterOrEqual, _, let bound):
            return instantOffset(bound).map { -$0 }
        case .and(let items):
            return items.lazy.compactMap { $0.lookback(resolving: detection) }.first
        default:
            return nil
        }
    }
}

extension QueryExpression {
    /// A copy with nodes replaced: `transform` returns a replacement for a node, or nil to keep
    /// the node and rewrite its children.
    public func rewritten(_ transform: (QueryExpression) -> QueryExpression?) -> QueryExpression {
        if let replaced = transform(self) { return replaced }
        func r(_ e: QueryExpression) -> QueryExpression { e.rewritten(transform) }
        switch self {
        case .column, .letReference, .string, .long, .real, .bool, .timespan, .datetime, .now, .ago:
            return self
        case .dynamicArray(let items): return .dynamicArray(items.map(r))
        case .stringPredicate(var p):
            p.subject = r(p.subject)
            p.needle = r(p.needle)
            return .stringPredicate(p)
        case .list(var p):
            p.subject = r(p.subject)
            if case .literals(let values) = p.values { p.values = .literals(values.map(r)) }
            return .list(p)
        case .between(let subject, let low, let high, let negated):
            return .between(subject: r(subject), low: r(low), high: r(high), negated: negated)
        case .comparison(let op, let l, let rhs): return .comparison(op, r(l), r(rhs))
        case .arithmetic(let op, let l, let rhs): return .arithmetic(op, r(l), r(rhs))
        case .function(let f, let args): return .function(f, args.map(r))
        case .and(let items): return .and(items.map(r))
        case .or(let items): return .or(items.map(r))
        case .not(let inner): return .not(r(inner))
        }
    }
}
