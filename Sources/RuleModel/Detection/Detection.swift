/// What a rule looks for: its `let` statements, a source table and a pipeline of operators,
/// kept close to KQL so that every writer can reproduce the query's meaning exactly.
public struct Detection: Hashable, Sendable {
    public var lets: [LetStatement]
    public var source: TableReference
    public var operators: [QueryOperator]

    public init(lets: [LetStatement] = [], source: TableReference, operators: [QueryOperator] = []) {
        self.lets = lets
        self.source = source
        self.operators = operators
    }

    /// The value bound to a scalar `let`, if `name` is one.
    public func scalarLet(named name: String) -> QueryExpression? {
        for statement in lets where statement.name == name {
            if case .scalar(let value) = statement.value { return value }
        }
        return nil
    }

    /// `e`, or the value its scalar `let` binds (followed through lets bound to lets).
    public func resolvingScalarLets(_ e: QueryExpression) -> QueryExpression {
        if case .letReference(let name) = e, let value = scalarLet(named: name) { return resolvingScalarLets(value) }
        return e
    }

    /// How far from now an instant expression lies: `now()` 0, `now(x)` x, `ago(x)` -x, and a
    /// scalar `let` bound to one of those; nil for anything else.
    public func nowOffset(of e: QueryExpression) -> Timespan? {
        switch resolvingScalarLets(e) {
        case .now(let offset): offset ?? Timespan(ticks: 0)
        case .ago(let span): -span
        default: nil
        }
    }

    /// The pipeline bound to a tabular `let`, if `name` is one.
    public func tabularLet(named name: String) -> TabularExpression? {
        for statement in lets where statement.name == name {
            if case .tabular(let value) = statement.value { return value }
        }
        return nil
    }

    /// The look-back window when the rule filters a datetime column on `between (now(-x)..now())`
    /// or `> ago(x)` (as every catalogue rule does); used by writers that carry a time span.
    public var lookback: Timespan? {
        for case .filter(let predicate) in operators {
            if let span = predicate.lookback(resolving: self) { return span }
        }
        return nil
    }
}

/// A name read from a query, a table's or a column's, with where it stands (for findings at
/// the name). Positions are where a thing was read from, not what it means: they stay out of
/// equality.
public struct NameReference<Kind>: Hashable, Sendable {
    public var name: String
    public var position: SourcePosition?

    public init(_ name: String, at position: SourcePosition? = nil) {
        self.name = name
        self.position = position
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

public enum TableName {}
public enum ColumnName {}
/// A table read by name.
public typealias TableReference = NameReference<TableName>
/// A column named in a query.
public typealias ColumnReference = NameReference<ColumnName>

public struct LetStatement: Hashable, Sendable {
    public var name: String
    public var value: LetValue

    public init(name: String, value: LetValue) {
        self.name = name
        self.value = value
    }
}

public enum LetValue: Hashable, Sendable {
    case scalar(QueryExpression)
    case tabular(TabularExpression)
}

/// A table and a pipeline over it, as bound by a tabular `let`.
public struct TabularExpression: Hashable, Sendable {
    public var source: TableReference
    public var operators: [QueryOperator]

    public init(source: TableReference, operators: [QueryOperator]) {
        self.source = source
        self.operators = operators
    }
}

/// One `| operator` of the pipeline.
public enum QueryOperator: Hashable, Sendable {
    case filter(QueryExpression)
    case summarize(Summarize)
    case project([NamedExpression])
    case projectAway([ColumnReference])
    case extend([NamedExpression])
    case distinct([ColumnReference])
    case take(Int64)
    case sort([SortKey])
    case top(Int64, by: [SortKey])

    /// The KQL keyword, for messages.
    public var keyword: String {
        switch self {
        case .filter: "where"
        case .summarize: "summarize"
        case .project: "project"
        case .projectAway: "project-away"
        case .extend: "extend"
        case .distinct: "distinct"
        case .take: "take"
        case .sort: "sort"
        case .top: "top"
        }
    }
}

/// `name = expression`, or a bare expression whose name KQL derives.
public struct NamedExpression: Hashable, Sendable {
    public var name: String?
    public var expression: QueryExpression

    public init(name: String? = nil, _ expression: QueryExpression) {
        self.name = name
        self.expression = expression
    }

    /// The output column name KQL gives this item.
    public var outputName: String {
        if let name { return name }
        if case .column(let column) = expression { return column.name }
        return "Column1"
    }
}

public struct SortKey: Hashable, Sendable {
    public var expression: QueryExpression
    /// KQL sorts descending unless told `asc`.
    public var descending: Bool
    /// nil: KQL's default (nulls last when descending, first when ascending).
    public var nullsFirst: Bool?

    public init(_ expression: QueryExpression, descending: Bool = true, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    public var effectiveNullsFirst: Bool { nullsFirst ?? !descending }
}

/// `summarize aggregates by keys`.
public struct Summarize: Hashable, Sendable {
    public var aggregates: [Aggregate]
    public var keys: [NamedExpression]

    public init(aggregates: [Aggregate], keys: [NamedExpression]) {
        self.aggregates = aggregates
        self.keys = keys
    }
}

public struct Aggregate: Hashable, Sendable {
    public enum Function: String, Hashable, Sendable, CaseIterable {
        case count, countif, dcount, min, max
        case makeSet = "make_set"
        case makeList = "make_list"
        case argMax = "arg_max"
        case argMin = "arg_min"
    }

    public var name: String?
    public var function: Function
    public var arguments: [QueryExpression]

    public init(name: String? = nil, _ function: Function, _ arguments: [QueryExpression]) {
        self.name = name
        self.function = function
        self.arguments = arguments
    }

    /// The column name KQL gives the result when the query names none.
    public var outputName: String {
        if let name { return name }
        let firstColumn: String? = {
            if case .column(let column)? = arguments.first { return column.name }
            return nil
        }()
        switch function {
        case .count: return "count_"
        case .countif: return "countif_"
        case .dcount: return "dcount_" + (firstColumn ?? "")
        case .min: return "min_" + (firstColumn ?? "")
        case .max: return "max_" + (firstColumn ?? "")
        case .makeSet: return "set_" + (firstColumn ?? "")
        case .makeList: return "list_" + (firstColumn ?? "")
        case .argMax, .argMin: return firstColumn ?? "Column1"
        }
    }
}
