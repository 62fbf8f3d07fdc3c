import RuleModel
import Yams

/// A pySigma processing pipeline for the log sources rulepack invents (Sigma has none for
/// tables such as DeviceFileCertificateInfo). pySigma's Kusto backend, with its `microsoft_xdr`
/// pipeline, finds a rule's table in the pipeline state `query_table` before looking the log
/// source category up, and fails for a category it does not know. This pipeline sets that state
/// for each invented category, and its priority (9) sorts it before `microsoft_xdr` (10), so
/// `sigma convert -t kusto -p microsoft_xdr -p rulepack-pipeline.yml` converts every rule.
/// Fields of those tables keep their Defender names, which the backend accepts as columns of the
/// table, so no field mapping is needed. pySigma resets the state for every rule, so a
/// transformation guarded by one rule's log source does not reach another rule.
enum SigmaPipeline {
    /// `.yaml`, not `.yml`: `sigma convert DIR` reads every `*.yml` below DIR as a rule, and a
    /// pipeline there would stop the conversion.
    static let fileName = "rulepack-pipeline.yaml"

    static func yaml(catalogue: SchemaCatalogue = .defender) -> String {
        let invented = catalogue.tables.keys.sorted().compactMap { table -> (table: String, logsource: SigmaLogsource)? in
            let logsource = SigmaLogsource.forTable(table)
            return logsource.definition == nil ? nil : (table, logsource)
        }
        let transformations = invented.map { table, logsource in
            Node.mapping(Node.Mapping([
                (SigmaWriter.scalar("id"), SigmaWriter.string("rulepack_query_table_" + logsource.category.lowercased())),
                (SigmaWriter.scalar("type"), SigmaWriter.string("set_state")),
                // pySigma's SetStateTransformation takes `key` and `val` (not `value`).
                (SigmaWriter.scalar("key"), SigmaWriter.string("query_table")),
                (SigmaWriter.scalar("val"), SigmaWriter.string(table)),
                (SigmaWriter.scalar("rule_conditions"), Node.sequence(Node.Sequence([Node.mapping(Node.Mapping([
                    (SigmaWriter.scalar("type"), SigmaWriter.string("logsource")),
                    (SigmaWriter.scalar("category"), SigmaWriter.string(logsource.category)),
                    (SigmaWriter.scalar("product"), SigmaWriter.string(logsource.product)),
                ]))]))),
            ]))
        }
        let pipeline = Node.mapping(Node.Mapping([
            (SigmaWriter.scalar("name"), SigmaWriter.string("rulepack log sources")),
            (SigmaWriter.scalar("priority"), Node.scalar(Node.Scalar("9", Tag(.int)))),
            (SigmaWriter.scalar("transformations"), Node.sequence(Node.Sequence(transformations))),
        ]))
        let header = """
        # pySigma processing pipeline written by rulepack: the Defender tables behind the log
        # sources rulepack had to invent, for pySigma's Kusto backend. Use it after microsoft_xdr:
        #   sigma convert -t kusto -p microsoft_xdr -p \(fileName) <rules>
        # pySigma's Kusto backend has neither correlation rules nor case-sensitive matching:
        # write the rules for it with `rulepack convert --to sigma --sigma-features basic`.
        # Priority 9 runs it before microsoft_xdr (priority 10), which takes the table it sets.

        """
        return header + ((try? serialize(node: pipeline, width: -1, allowUnicode: true)) ?? "")
    }
}
