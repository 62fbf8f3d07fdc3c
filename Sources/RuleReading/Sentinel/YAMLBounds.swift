import Yams

/// Limits on the YAML rulepack reads: files from repositories its users do not control may be
/// hostile. libyaml bounds nesting; these bound size and alias expansion (Yams resolves aliases
/// when composing and has no limit of its own, so a "billion laughs" file composes into a
/// small shared tree that any full walk would take forever over).
public enum YAMLBounds {
    /// Sentinel rule files are a few kilobytes; a query is at most 10,000 characters.
    public static let maximumFileBytes = 1 << 20
    /// Nodes after alias expansion.
    public static let maximumNodes = 100_000

    /// Whether the document, aliases expanded, has more than `limit` nodes. Counts with an
    /// explicit stack and stops at the limit, so the work is bounded however large the bomb.
    public static func exceedsNodeLimit(_ root: Node, limit: Int = maximumNodes) -> Bool {
        var stack = [root]
        var count = 0
        while let node = stack.popLast() {
            count += 1
            if count > limit { return true }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return false
    }

    public static func tooLargeMessage(bytes: Int) -> String {
        "the file is \(bytes) bytes; rulepack reads YAML files of at most \(maximumFileBytes) bytes"
    }

    public static let tooManyNodesMessage = "the YAML expands to more than \(maximumNodes) nodes once its aliases are resolved (an alias bomb?); not read"
}
