/// Applies text edits to a file's text, changing nothing else byte for byte (line ends,
/// trailing spaces and encoding stay as they were).
public enum Fixer {
    /// `edits` at 1-based lines and columns (Unicode scalars). Overlapping edits after the
    /// first are skipped.
    public static func apply(_ edits: [TextEdit], to text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        var lineStarts = [0]
        for (i, s) in scalars.enumerated() where s == "\n" { lineStarts.append(i + 1) }
        func offset(_ line: Int, _ column: Int) -> Int? {
            guard line >= 1, line <= lineStarts.count else { return nil }
            let o = lineStarts[line - 1] + column - 1
            return o <= scalars.count ? o : nil
        }
        var applied: [Range<Int>] = []
        for edit in edits.sorted(by: { ($0.line, $0.column) > ($1.line, $1.column) }) {
            guard let start = offset(edit.line, edit.column), start + edit.length <= scalars.count else { continue }
            let range = start..<(start + edit.length)
            if applied.contains(where: { $0.overlaps(range) || (range.isEmpty && $0.contains(start) ) }) { continue }
            scalars.replaceSubrange(range, with: edit.replacement.unicodeScalars)
            applied.append(range)
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
