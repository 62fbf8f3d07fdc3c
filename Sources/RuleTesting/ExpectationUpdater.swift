import Foundation
import RuleModel
import Yams

/// `rulepack test --update`: the `expect` block of each failing case is replaced by what the
/// engine found; every other byte of the file stays as it was.
public enum ExpectationUpdater {
    /// The new text, and the names of the cases whose `expect` changed. Cases that could not
    /// run (an error, not a verdict) are left alone.
    public static func update(_ text: String, file: RuleTestFile, results: FileResult) throws -> (text: String, changed: [String]) {
        var lines = text.components(separatedBy: "\n")
        var changed: [String] = []
        // From the last case up, so earlier line numbers stay valid.
        for (testCase, result) in zip(file.cases, results.cases).reversed() where !result.passed && result.error == nil {
            let keyLine = testCase.expectPosition.line - 1
            guard lines.indices.contains(keyLine) else { continue }
            let indent = testCase.expectPosition.column - 1
            // The block runs to the next line indented no deeper than the key (a sibling key,
            // the next case, or the end); blank lines at its end belong to what follows.
            var end = keyLine + 1
            while end < lines.count {
                let line = lines[end]
                let depth = line.prefix { $0 == " " }.count
                if !line.trimmingCharacters(in: .whitespaces).isEmpty, depth <= indent { break }
                end += 1
            }
            while end > keyLine + 1, lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
            let prefix = String(lines[keyLine].prefix(indent))
            lines.replaceSubrange(keyLine..<end, with: try block(result, prefix: prefix, indent: indent))
            changed.append(testCase.name)
        }
        return (lines.joined(separator: "\n"), changed.reversed())
    }

    /// `expect:` and one flow mapping per finding, in output-column order, sorted so the file
    /// does not change from run to run.
    static func block(_ result: CaseResult, prefix: String, indent: Int) throws -> [String] {
        guard !result.found.isEmpty else { return [prefix + "expect: []"] }
        let rows = try result.found.map { row in
            let pairs = result.foundColumns.compactMap { column in row[column].map { (Node(column), node($0)) } }
            let mapping = Node.mapping(Node.Mapping(pairs, .implicit, .flow))
            return try Yams.serialize(node: mapping, width: -1, allowUnicode: true).trimmingCharacters(in: .whitespacesAndNewlines)
        }.sorted()
        return [prefix + "expect:"] + rows.map { String(repeating: " ", count: indent + 2) + "- " + $0 }
    }

    static func node(_ value: ExpectedValue) -> Node {
        switch value {
        case .null: Node("null")
        case .scalar(let s): Node.scalar(Node.Scalar(s, .implicit, s == "null" || s == "~" ? .doubleQuoted : .any))
        case .list(let items): Node.sequence(Node.Sequence(items.map(node), .implicit, .flow))
        }
    }
}
