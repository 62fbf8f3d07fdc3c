import RuleChecks
import RuleModel
import RuleReading
import RuleWriting

/// What must hold for any input, however hostile: checked by the libFuzzer targets in Fuzz/
/// and by FuzzRegressionTests on every input they saved. Each check returns what failed, or
/// nil; a crash inside one is a failure too.
public enum FuzzProperties {
    /// Any text as a KQL query. A query that reads must write back to KQL that reads as the
    /// same detection, and no writer may crash on it.
    public static func checkQuery(_ text: String) -> String? {
        guard let detection = try? KQLParser.parse(text) else { return nil }
        if let failure = roundTrip(detection, input: text) { return failure }
        writeEverywhere(Rule(metadata: RuleMetadata(id: "00000000-0000-4000-8000-000000000000", name: "fuzz"), detection: detection, sourceFile: "fuzz.yaml"))
        return nil
    }

    /// Any text as a rule file, through the reader and every lint check. A rule that reads
    /// must round-trip through KQL, and no writer may crash on it.
    public static func checkRuleFile(_ text: String) -> String? {
        let file = LintFile(path: "fuzz.yaml", text: text)
        _ = Linter().lint([file])
        guard let rule = file.read.rule else { return nil }
        if let failure = roundTrip(rule.detection, input: text) { return failure }
        writeEverywhere(rule)
        return nil
    }

    static func roundTrip(_ detection: Detection, input: String) -> String? {
        let written = KQLText.query(detection)
        guard let reread = try? KQLParser.parse(written), reread == detection else {
            return "KQL round trip failed for:\n\(input)\n--- wrote ---\n\(written)"
        }
        return nil
    }

    static func writeEverywhere(_ rule: Rule) {
        for target in OutputTarget.all {
            _ = try? target.write(rule, TargetOptions())
        }
    }
}
