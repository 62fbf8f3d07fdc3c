import RuleModel
import Support

/// What both deployment targets check before writing a query: Sentinel and Defender compile a
/// rule's query when it is deployed and refuse one that reads a column its table lacks, so such
/// a rule is refused here, at the column, instead of failing at deployment.
enum DeployedQuery {
    static func checkColumns(of detection: Detection, catalogue: SchemaCatalogue, platform: String) throws(WriterError) {
        guard let (column, available) = SchemaFlow.firstUnknownColumn(in: detection, catalogue: catalogue) else { return }
        let hint = Suggestion.hint(for: column.name, among: available)
        throw WriterError("column '\(column.name)' does not exist here\(hint); \(platform) refuses to deploy a query that does not compile", at: column.position)
    }
}
