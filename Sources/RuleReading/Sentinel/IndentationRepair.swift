import RuleModel

/// Repairs the one YAML defect every file of the public RMM catalogues has:
///
///     requiredDataConnectors:
///         - connectorId: MicrosoftThreatProtection
///         dataTypes:                 <- at the level of the dash: invalid YAML
///             - DeviceProcessEvents
///
/// The intent is plainly `dataTypes` as a key of that list item, so the repair indents the
/// key (and the lines below it) to the item's keys. It is tried only when the file does not
/// parse, and kept only when the repaired file does.
struct IndentationRepair {
    struct Fix {
        /// 1-based line of the misplaced key.
        var line: Int
        var column: Int
        var key: String
        var itemKey: String
        var itemLine: Int
        var shift: Int
        var lines: [Int]
    }

    var text: String
    var fixes: [Fix]

    /// Lines moved right by the repair, with how far, so positions can be moved back.
    var shiftedLines: [Int: Int]

    static func repair(_ text: String) -> IndentationRepair? {
        var lines = sourceLines(text)
        var fixes: [Fix] = []
        var shifted: [Int: Int] = [:]
        var i = 0
        while i < lines.count {
            guard let item = listItemKey(lines[i]) else { i += 1; continue }
            var j = i + 1
            // Keys that already sit under the item (indent > dash) belong to it; skip them.
            while j < lines.count, isBlankOrComment(lines[j]) || indent(of: lines[j]) > item.dashIndent {
                j += 1
            }
            // Sibling keys at the dash's indent that are not new items are the defect.
            while j < lines.count, indent(of: lines[j]) == item.dashIndent, let key = mappingKey(lines[j]) {
                let shift = item.keyIndent - item.dashIndent
                var moved = [j + 1]
                let keyLine = j + 1
                lines[j] = String(repeating: " ", count: shift) + lines[j]
                shifted[j + 1] = shift
                j += 1
                while j < lines.count, isBlankOrComment(lines[j]) || indent(of: lines[j]) > item.dashIndent {
                    if !isBlankOrComment(lines[j]) {
                        lines[j] = String(repeating: " ", count: shift) + lines[j]
                        shifted[j + 1] = shift
                        moved.append(j + 1)
                    }
                    j += 1
                }
                fixes.append(Fix(line: keyLine, column: item.dashIndent + 1, key: key, itemKey: item.key, itemLine: i + 1, shift: shift, lines: moved))
            }
            i = max(i + 1, j)
        }
        guard !fixes.isEmpty else { return nil }
        return IndentationRepair(text: lines.joined(separator: "\n"), fixes: fixes, shiftedLines: shifted)
    }

    /// Moves a position in the repaired text back to the original file.
    func originalPosition(_ position: SourcePosition) -> SourcePosition {
        guard let shift = shiftedLines[position.line] else { return position }
        return SourcePosition(line: position.line, column: max(1, position.column - shift))
    }

    private static func indent(of line: String) -> Int {
        line.prefix { $0 == " " }.count
    }

    private static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    /// `<spaces>- key: ...` → where the dash and the key stand.
    private static func listItemKey(_ line: String) -> (dashIndent: Int, keyIndent: Int, key: String)? {
        let dashIndent = indent(of: line)
        let rest = line.dropFirst(dashIndent)
        guard rest.hasPrefix("- ") else { return nil }
        let afterDash = rest.dropFirst(1)
        let spaces = afterDash.prefix { $0 == " " }.count
        guard let key = mappingKey(String(afterDash.dropFirst(spaces))) else { return nil }
        return (dashIndent, dashIndent + 1 + spaces, key)
    }

    /// `key:` or `key: value` (not a list item, not a comment) → key.
    private static func mappingKey(_ line: String) -> String? {
        let trimmed = line.drop { $0 == " " }
        guard let first = trimmed.first, first.isLetter || first == "_" else { return nil }
        let key = trimmed.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        let after = trimmed.dropFirst(key.count)
        guard after.hasPrefix(":"), after.count == 1 || after.dropFirst().first == " " else { return nil }
        return String(key)
    }
}
