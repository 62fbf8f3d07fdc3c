import Foundation
import RuleModel
import RuleWriting

/// The report as an ATT&CK Navigator layer (format 4.5, for Navigator 5.x), as Markdown for a
/// pack's README, and as JSON for scripts.
extension CoverageReport {
    public static let layerFormatVersion = "4.5"
    public static let navigatorVersion = "5.1.0"

    /// `linkBase` prefixes each rule file's path (as given) in the layer's links, such as a
    /// repository's web address; without it links are file:// URLs.
    public func navigatorLayer(name: String, linkBase: String?) -> String {
        let maxScore = cells.map(\.rules.count).max() ?? 0
        var entries: [StructuredValue] = cells.map { cell in
            .object([
                ("techniqueID", .string(cell.techniqueID)),
                ("tactic", .string(cell.tactic)),
                ("score", .integer(cell.rules.count)),
                ("comment", .string(cell.rules.map(\.name).joined(separator: "\n"))),
                ("enabled", .bool(true)),
                ("showSubtechniques", parentsOfCoveredSubtechniques.contains(cell.techniqueID + "/" + cell.tactic) ? .bool(true) : nil),
                ("metadata", .list(cell.rules.map { .object([("name", .string("rule")), ("value", .string($0.name))]) })),
                ("links", .list(cell.rules.map { .object([("label", .string($0.name)), ("url", .string(link(to: $0.file, base: linkBase)))]) })),
            ])
        }
        // A parent whose sub-technique is covered but which is not covered itself: expanded, unscored.
        for key in parentsOfCoveredSubtechniques.sorted() where !cells.contains(where: { $0.techniqueID + "/" + $0.tactic == key }) {
            let parts = key.split(separator: "/").map(String.init)
            entries.append(.object([("techniqueID", .string(parts[0])), ("tactic", .string(parts[1])), ("showSubtechniques", .bool(true))]))
        }
        let attackMajor = attack.version.prefix { $0.isNumber }
        let layer = StructuredValue.object([
            ("name", .string(name)),
            ("domain", .string("enterprise-attack")),
            ("versions", .object([("attack", .string(String(attackMajor))), ("navigator", .string(Self.navigatorVersion)), ("layer", .string(Self.layerFormatVersion))])),
            ("description", .string("ATT&CK coverage of \(rules.count) rule\(rules.count == 1 ? "" : "s"); score = number of rules. ATT&CK Enterprise v\(attack.version). Written by rulepack.")),
            ("sorting", .integer(3)),
            ("layout", .object([("layout", .string("side")), ("showID", .bool(true)), ("showName", .bool(true)), ("expandedSubtechniques", .string("annotated"))])),
            ("hideDisabled", .bool(false)),
            ("techniques", .list(entries)),
            ("gradient", .object([("colors", .strings(["#ffffff", "#66b1ff"])), ("minValue", .integer(0)), ("maxValue", .integer(max(maxScore, 1)))])),
            ("metadata", .list([.object([("name", .string("rules")), ("value", .string(String(rules.count)))])])),
        ])
        return JSONDocument.text(layer)
    }

    /// `T1219/command-and-control` for each parent of a covered sub-technique.
    var parentsOfCoveredSubtechniques: Set<String> {
        Set(cells.filter { $0.techniqueID.contains(".") }.map { String($0.techniqueID.prefix(5)) + "/" + $0.tactic })
    }

    func link(to file: String, base: String?) -> String {
        guard let base else { return URL(fileURLWithPath: file).standardizedFileURL.absoluteString }
        var relative = file
        while relative.hasPrefix("./") { relative.removeFirst(2) }
        return (base.hasSuffix("/") ? base : base + "/") + relative.split(separator: "/").map { String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0) }.joined(separator: "/")
    }

    public var markdown: String {
        var lines = ["# ATT&CK coverage", "", "\(rules.count) rule\(rules.count == 1 ? "" : "s"), ATT&CK Enterprise v\(attack.version). Each cell counts the rules that cover a technique under a tactic.", ""]
        let tactics = coveredTactics
        var techniques: [(id: String, name: String)] = []
        for cell in cells where !techniques.contains(where: { $0.id == cell.techniqueID }) {
            techniques.append((cell.techniqueID, cell.techniqueName))
        }
        techniques.sort { $0.id < $1.id }
        if tactics.isEmpty {
            lines.append("No rule names an ATT&CK technique.")
        } else {
            lines.append(Self.row(["Technique"] + tactics.map { "\($0.name) (\($0.id))" }))
            lines.append(Self.row(["---"] + tactics.map { _ in "---:" }))
            for (id, name) in techniques {
                lines.append(Self.row(["\(id) \(name)"] + tactics.map { tactic in
                    let count = cells.first { $0.techniqueID == id && $0.tactic == tactic.shortName }?.rules.count ?? 0
                    return count == 0 ? "" : String(count)
                }))
            }
        }
        lines += ["", "## Data sources", "", Self.row(["Defender table", "Rules"]), Self.row(["---", "---:"])]
        lines += tables.map { Self.row([$0.name, String($0.rules.count)]) }
        lines += ["", "## Tools", "", Self.row(["Tool", "Rules", "Techniques"]), Self.row(["---", "---:", "---"])]
        lines += tools.map { tool in
            Self.row([tool.name, String(tool.rules.count), tool.rules.flatMap(\.techniques).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.sorted().joined(separator: ", ")])
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func row(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }.joined(separator: " | ") + " |"
    }

    public var json: String {
        func ruleValue(_ r: RuleEntry) -> StructuredValue {
            .object([("file", .string(r.file)), ("id", r.id.map(StructuredValue.string)), ("name", .string(r.name)), ("tool", r.tool.map(StructuredValue.string)),
                     ("tables", .strings(r.tables)), ("techniques", .strings(r.techniques))])
        }
        return JSONDocument.text(.object([
            ("attackVersion", .string(attack.version)),
            ("rules", .list(rules.map(ruleValue))),
            ("coverage", .list(cells.map { cell in
                .object([("technique", .string(cell.techniqueID)), ("name", .string(cell.techniqueName)), ("tactic", .string(cell.tactic)),
                         ("rules", .strings(cell.rules.map(\.name)))])
            })),
            ("tables", .list(tables.map { .object([("table", .string($0.name)), ("rules", .integer($0.rules.count))]) })),
            ("tools", .list(tools.map { .object([("tool", .string($0.name)), ("rules", .integer($0.rules.count))]) })),
        ]))
    }
}
