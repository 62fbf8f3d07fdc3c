import RuleModel
import Yams

/// Maps a position inside a YAML scalar's text (a query, a filter) to its line and column in the
/// file. Exact for literal block scalars (`query: |`, the form catalogues use) and for
/// single-line plain or quoted scalars; for folded or multi-line flow scalars it points at the
/// line where the scalar starts.
struct QueryLocator {
    private enum Layout {
        /// Content line n is file line `firstLine + n - 1`, shifted right by `indent`.
        case block(firstLine: Int, indent: Int)
        /// Single-line scalar whose text starts at this file position.
        case inline(SourcePosition)
        case approximate(SourcePosition)
    }

    private let layout: Layout

    init(node: Node, scalar: Node.Scalar, lines: [String], start: SourcePosition) {
        switch scalar.style {
        case .literal:
            // The content starts on the line after the `|` indicator; its indentation is that of
            // the first non-blank content line.
            let first = start.line + 1
            var indent = 0
            var line = first
            while line <= lines.count {
                let text = lines[line - 1]
                if !text.allSatisfy({ $0 == " " }) {
                    indent = text.prefix { $0 == " " }.count
                    break
                }
                line += 1
            }
            layout = .block(firstLine: first, indent: indent)
        case .plain where !scalar.string.contains("\n"):
            layout = .inline(start)
        case .singleQuoted where !scalar.string.contains("\n") && !scalar.string.contains("'"),
             .doubleQuoted where !scalar.string.contains("\n") && !scalar.string.contains("\"") && !scalar.string.contains("\\"):
            layout = .inline(SourcePosition(line: start.line, column: start.column + 1))
        default:
            layout = .approximate(start)
        }
    }

    func filePosition(_ p: SourcePosition) -> SourcePosition {
        switch layout {
        case .block(let firstLine, let indent):
            return SourcePosition(line: firstLine + p.line - 1, column: indent + p.column)
        case .inline(let start):
            return p.line == 1 ? SourcePosition(line: start.line, column: start.column + p.column - 1) : start
        case .approximate(let start):
            return start
        }
    }

    /// The detection with every recorded position moved into the file.
    func relocated(_ detection: Detection) -> Detection {
        var d = detection.mappingColumns(relocated)
        d.source.position = d.source.position.map(filePosition)
        d.lets = d.lets.map { statement in
            guard case .tabular(var t) = statement.value else { return statement }
            t.source.position = t.source.position.map(filePosition)
            return LetStatement(name: statement.name, value: .tabular(t))
        }
        return d
    }

    private func relocated(_ column: ColumnReference) -> ColumnReference {
        ColumnReference(column.name, at: column.position.map(filePosition))
    }
}
