import ArgumentParser
import Foundation
import RuleTemplates
import Support

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write rules for a new RMM tool from its indicators, through templates/.",
        discussion: """
        One rule per kind with indicators: file signature (--signer), process creation (--company, --product, --process) and network connection (--domain, with --company). Several values of one kind become a has_any list. Each rule gets a fresh GUID and must lint clean before anything is written. Over-broad indicators (shared infrastructure such as github.com, generic names such as setup.exe) are left out with a note, unless --keep-indicator names them.

        Exit status: 0 written, 1 a file exists (use --force), 2 bad input.
        """
    )

    @Argument(help: "The tool's name, as rule names show it (SyncroMSP).")
    var tool: String?

    @Option(name: .long, help: "Code-signing signer.") var signer: [String] = []
    @Option(name: .long, help: "Version-info company name.") var company: [String] = []
    @Option(name: .long, help: "Version-info product name.") var product: [String] = []
    @Option(name: .long, help: "Process file name.") var process: [String] = []
    @Option(name: .long, help: "Domain the tool connects to.") var domain: [String] = []
    @Option(name: .customLong("keep-indicator"), help: "Keep this over-broad indicator on purpose.") var keepIndicator: [String] = []
    @Option(name: .long, help: "Folder for the rules (default packs/<tool>).") var into: String?
    @Option(name: .long, help: "Sentinel tactic (default CommandAndControl).") var tactic = "CommandAndControl"
    @Option(name: .long, help: "ATT&CK technique (default T1219).") var technique = "T1219"
    @Option(name: .long, help: "Templates folder (default templates).") var template = "templates"
    @Flag(name: .long, help: "Overwrite existing rule files.") var force = false
    @Flag(name: .customLong("list-templates"), help: "List the templates and exit.") var listTemplates = false

    func validate() throws {
        if !listTemplates && tool == nil { throw ValidationError("give the tool's name (or --list-templates)") }
    }

    func run() throws {
        let templates = try TemplateFolder.load(template)
        if listTemplates {
            let width = templates.templates.map(\.kind.count).max() ?? 0
            for t in templates.templates {
                print(t.kind + String(repeating: " ", count: width - t.kind.count) + "  " + t.summary)
            }
            return
        }
        var indicators = Indicators(tool: tool ?? "")
        indicators.signers = signer
        indicators.companies = company
        indicators.products = product
        indicators.processes = process
        indicators.domains = domain
        indicators.tactic = tactic
        indicators.technique = technique
        indicators.keep = keepIndicator
        let (usable, leftOut) = RuleGenerator.withoutOverBroad(indicators)
        for line in leftOut { FileHandle.standardError.write(Data("note: \(line)\n".utf8)) }
        let rules: [GeneratedRule]
        do {
            rules = try RuleGenerator(templates: templates).generate(usable)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let slug = (tool ?? "").filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }.lowercased()
        let folder = URL(fileURLWithPath: into ?? "packs/\(slug)")
        // Each rule and its detection tests (tests/<rule>.tests.yaml).
        let files = rules.flatMap { [($0.text, folder.appendingPathComponent($0.fileName)), ($0.tests, folder.appendingPathComponent($0.testsFileName))] }
        let targets = files.map(\.1)
        let existing = targets.filter { FileManager.default.fileExists(atPath: $0.path) }
        if !existing.isEmpty && !force {
            FileHandle.standardError.write(Data("error: \(existing.map(\.relativePath).joined(separator: ", ")) already exist\(existing.count == 1 ? "s" : ""); nothing written (use --force to overwrite)\n".utf8))
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        for (text, target) in files {
            try writeAtomically(text, to: target)
            print("wrote \(target.relativePath)")
        }
    }
}
