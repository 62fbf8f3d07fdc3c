import RuleModel

extension LintFile {
    /// How many characters the YAML scalar starting at `position` takes in the file: its value's
    /// length, plus the quotes when it is quoted (so a fix can replace it exactly).
    func scalarLength(at position: SourcePosition, value: String) -> Int {
        // Lines split at the scalar level: in Swift "\r\n" is one Character.
        let lines = Array(text.unicodeScalars).split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line - 1 < lines.count else { return value.unicodeScalars.count }
        let line = Array(lines[position.line - 1])
        let start = position.column - 1
        guard start < line.count else { return value.unicodeScalars.count }
        let first = line[start]
        guard first == "'" || first == "\"" else { return value.unicodeScalars.count }
        var i = start + 1
        while i < line.count {
            if line[i] == first {
                if first == "'", i + 1 < line.count, line[i + 1] == "'" { i += 2; continue }
                if first == "\"", line[i - 1] == "\\" { i += 1; continue }
                return i - start + 1
            }
            i += 1
        }
        return value.unicodeScalars.count
    }

    /// The file's line ending, so inserted lines match it.
    var lineEnding: String { text.contains("\r\n") ? "\r\n" : "\n" }
}
