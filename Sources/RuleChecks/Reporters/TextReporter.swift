/// One line per finding, `path:line:col: severity: message [check]`, and a summary line.
public enum TextReporter {
    public static func lines(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.file):\($0.line):\($0.column): \($0.severity.rawValue): \($0.message) [\($0.check)]" }
    }

    public static func summary(_ findings: [Finding], files: Int) -> String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        guard !findings.isEmpty else { return "no findings in \(count(files, "file"))" }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        let notes = findings.filter { $0.severity == .note }.count
        let withFindings = Set(findings.map(\.file)).count
        var parts = [count(errors, "error"), count(warnings, "warning")]
        if notes > 0 { parts.append(count(notes, "note")) }
        return parts.joined(separator: ", ") + " in \(withFindings) of \(count(files, "file"))"
    }
}
