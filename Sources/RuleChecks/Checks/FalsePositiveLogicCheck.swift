import RuleModel

/// A false-positive filter that is always true would exclude every event and silence the rule;
/// one that is always false excludes nothing. Both are errors.
struct FalsePositiveLogicCheck: LintCheck {
    let info = CheckInfo(
        id: "false-positive-logic", severity: .error,
        summary: "No x-falsePositives filter is always true (it would silence the rule) or always false (it excludes nothing).",
        triggering: [
            [Example.analytic + "x-falsePositives:\n  - scenario: Update\n    description: An update.\n    filter: process.name != \"setup.exe\" OR process.name != \"msiexec.exe\"\n"],
            [Example.analytic + "x-falsePositives:\n  - scenario: Never\n    description: Two names at once.\n    filter: process.name == \"a.exe\" AND process.name == \"b.exe\"\n"],
            [Example.analytic + "x-falsePositives:\n  - scenario: Always\n    description: A or not A.\n    filter: user.name == \"x\" OR NOT user.name == \"X\"\n"],
        ],
        nonTriggering: [
            [Example.analytic],
            [Example.analytic + "x-falsePositives:\n  - scenario: Either\n    description: One of two.\n    filter: process.name == \"setup.exe\" OR process.name == \"msiexec.exe\"\n"],
            [Example.analytic + "x-falsePositives:\n  - scenario: Neither\n    description: Not these two.\n    filter: process.name != \"setup.exe\" AND process.name != \"msiexec.exe\"\n"],
        ]
    )

    /// Whether the filter is true for every event, false for every event, or neither. Each field
    /// can equal one of the values the filter names or something else; comparisons are
    /// case-insensitive, as when the filter is applied. Filters naming too many combinations
    /// (over 4096) are not judged.
    static func constant(_ filter: FilterExpression) -> Bool? {
        var values: [String: [String]] = [:]
        func collect(_ f: FilterExpression) {
            switch f {
            case .comparison(let field, _, let value, _):
                let v = KQLTerms.folded(value)
                if !(values[field.lowercased()]?.contains(v) ?? false) { values[field.lowercased(), default: []].append(v) }
            case .and(let items), .or(let items): items.forEach(collect)
            case .not(let inner): collect(inner)
            }
        }
        collect(filter)
        let fields = values.keys.sorted()
        // Each field: one of its named values, or none of them (nil).
        let choices = fields.map { (values[$0] ?? []).map(Optional.some) + [nil] }
        let total = choices.reduce(1) { $0 * $1.count }
        guard total <= 4096 else { return nil }
        func evaluate(_ f: FilterExpression, _ assignment: [String: String?]) -> Bool {
            switch f {
            case .comparison(let field, let negated, let value, _):
                let equal = (assignment[field.lowercased()] ?? nil) == KQLTerms.folded(value)
                return negated ? !equal : equal
            case .and(let items): return items.allSatisfy { evaluate($0, assignment) }
            case .or(let items): return items.contains { evaluate($0, assignment) }
            case .not(let inner): return !evaluate(inner, assignment)
            }
        }
        var sawTrue = false, sawFalse = false
        for n in 0..<total {
            var rest = n
            var assignment: [String: String?] = [:]
            for (field, options) in zip(fields, choices) {
                assignment[field] = options[rest % options.count]
                rest /= options.count
            }
            if evaluate(filter, assignment) { sawTrue = true } else { sawFalse = true }
            if sawTrue && sawFalse { return nil }
        }
        return sawTrue
    }

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.rule else { return [] }
        return rule.falsePositives.compactMap { fp in
            guard let filter = fp.filter, let value = Self.constant(filter) else { return nil }
            let message = value
                ? "the filter of '\(fp.scenario)' is always true: excluding what it matches would silence the rule entirely"
                : "the filter of '\(fp.scenario)' is always false: it excludes nothing"
            return info.finding(file, at: fp.filterPosition, message)
        }
    }
}

/// Whether a filter is constant: true (always), false (never) or nil (it depends on the event).
public enum FalsePositiveLogicConstant {
    public static func of(_ filter: FilterExpression) -> Bool? { FalsePositiveLogicCheck.constant(filter) }
}
