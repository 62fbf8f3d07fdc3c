import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The three reports of `rulepack test`.
public enum TestReports {
    /// One line per case (✓ or ✗), the diff under a failure, and a summary line.
    public static func text(_ results: [FileResult], colour: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var lines: [String] = []
        for file in results {
            lines.append("\(file.file) (\(file.ruleName.isEmpty ? file.rule : file.ruleName), \(file.engine))")
            for testCase in file.cases {
                lines.append("  " + (testCase.passed ? paint("✓", "32") : paint("✗", "1;31")) + " " + testCase.name)
                if let error = testCase.error { lines.append("      " + error) }
                lines += testCase.diff.map { line in
                    "      " + (line.hasPrefix("- ") ? paint(line, "31") : line.hasPrefix("+ ") ? paint(line, "32") : line)
                }
            }
        }
        let total = results.reduce(0) { $0 + $1.cases.count }
        let failed = results.reduce(0) { $0 + $1.failures }
        lines.append("\(total) case\(total == 1 ? "" : "s"), \(failed) failed, in \(results.count) test file\(results.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ results: [FileResult]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(results), as: UTF8.self) + "\n"
    }

    /// JUnit XML as CI systems read it: one testsuite per test file, one testcase per case, a
    /// failure (with the diff) per failed case, an error per case that could not run.
    public static func junit(_ results: [FileResult]) -> String {
        func attribute(_ name: String, _ value: String) -> XMLNode {
            let node = XMLNode(kind: .attribute)
            node.name = name
            node.stringValue = value
            return node
        }
        let root = XMLElement(name: "testsuites")
        root.addAttribute(attribute("name", "rulepack test"))
        root.addAttribute(attribute("tests", String(results.reduce(0) { $0 + $1.cases.count })))
        root.addAttribute(attribute("failures", String(results.reduce(0) { $0 + $1.cases.filter { !$0.passed && $0.error == nil }.count })))
        root.addAttribute(attribute("errors", String(results.reduce(0) { $0 + $1.cases.filter { $0.error != nil }.count })))
        for file in results {
            let suite = XMLElement(name: "testsuite")
            suite.addAttribute(attribute("name", file.file))
            suite.addAttribute(attribute("tests", String(file.cases.count)))
            suite.addAttribute(attribute("failures", String(file.cases.filter { !$0.passed && $0.error == nil }.count)))
            suite.addAttribute(attribute("errors", String(file.cases.filter { $0.error != nil }.count)))
            for testCase in file.cases {
                let element = XMLElement(name: "testcase")
                element.addAttribute(attribute("name", testCase.name))
                element.addAttribute(attribute("classname", "\(file.ruleName.isEmpty ? file.rule : file.ruleName) [\(file.engine)]"))
                element.addAttribute(attribute("file", file.file))
                element.addAttribute(attribute("line", String(testCase.line)))
                if let error = testCase.error {
                    let node = XMLElement(name: "error", stringValue: error)
                    node.addAttribute(attribute("message", error))
                    element.addChild(node)
                } else if !testCase.passed {
                    let node = XMLElement(name: "failure", stringValue: testCase.diff.joined(separator: "\n"))
                    node.addAttribute(attribute("message", testCase.diff.first ?? "the findings differ"))
                    element.addChild(node)
                }
                suite.addChild(element)
            }
            root.addChild(suite)
        }
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlString(options: [.nodePrettyPrint]) + "\n"
    }
}
