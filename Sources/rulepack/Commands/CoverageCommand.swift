import ArgumentParser
import Coverage
import Foundation
import RuleModel
import RuleReading
import Support

struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Report the ATT&CK techniques a pack covers.",
        discussion: """
        PATH is a rule file or a folder. Formats: navigator, an ATT&CK Navigator layer (layer format 4.5, enterprise-attack) to open in Navigator ("Open Existing Layer", "Upload from local"); markdown, tables of tactics by technique, Defender tables and tools for a pack's README; json, for scripts. The result goes to stdout, or to --out FILE.

        Exit status: 0 written, 1 some rule could not be read (the others are counted), 2 usage or I/O error.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case navigator, markdown, json }

    @Argument(help: "Rule files or folders.")
    var paths: [String]

    @Option(name: .long, help: "navigator (default), markdown or json.")
    var format: Format = .navigator

    @Option(name: .long, help: "Write to this file instead of stdout.")
    var out: String?

    @Option(name: .long, help: ArgumentHelp("The layer's name (default: the folder or file given).", valueName: "name"))
    var name: String?

    @Option(name: .customLong("link-base"), help: ArgumentHelp("Prefix for links to rule files in the layer, such as https://github.com/org/pack/blob/main/ (default: file:// URLs).", valueName: "url"))
    var linkBase: String?

    func validate() throws {
        if let linkBase, !(linkBase.hasPrefix("https://") || linkBase.hasPrefix("http://") || linkBase.hasPrefix("file://")) {
            throw ValidationError("--link-base must start with https://, http:// or file:// (Navigator opens only links with a protocol)")
        }
        if linkBase != nil, format != .navigator { throw ValidationError("--link-base applies to --format navigator only") }
    }

    func run() throws {
        let files = try RuleFiles.expandOrExit(paths)
        let printer = DiagnosticPrinter()
        let reader = try ProjectOverrides.reader(for: paths)
        var failed = false
        var rules: [Rule] = []
        for result in files.concurrentMap({ reader.read(fileAt: $0) }) {
            result.diagnostics.filter { $0.severity == .error }.forEach(printer.print)
            // A rule a local override turns off covers nothing.
            if result.disabledBy != nil { continue }
            if let rule = result.rule, !result.hasErrors { rules.append(rule) } else { failed = true }
        }
        let report = CoverageReport(rules: rules)
        let text = switch format {
        case .navigator: report.navigatorLayer(name: name ?? "rulepack coverage: " + paths.joined(separator: ", "), linkBase: linkBase)
        case .markdown: report.markdown
        case .json: report.json
        }
        if let out {
            try OutputFile.write(text, to: out)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if failed { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}
