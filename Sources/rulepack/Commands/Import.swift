import ArgumentParser
import Foundation
import PackSync
import RuleModel
import RuleTemplates
import ToolCatalogues

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a catalogue of tool descriptions into rules (LOLRMM).",
        discussion: """
        rulepack import lolrmm PATH --into DIR: PATH is a LOLRMM checkout (its yaml/ folder is read), a folder of tool files or one tool file. Each tool gets a folder DIR/<tool file stem>/ with its rules (file signature, process creation, network connection, as its indicators allow) and their detection tests, written through templates/. Rule ids are name-based from the tool and the rule kind, so they stay the same on every import. DIR is replaced as a whole, in one rename.

        Values that cannot be stated exactly or are over-broad are left out, each reported at its line; a tool with no usable indicator gets one line and no rule. Exit status: 0 imported, 1 a tool file could not be read or its rules not written (the others are), 2 usage or I/O error.
        """
    )

    enum Catalogue: String, ExpressibleByArgument, CaseIterable { case lolrmm }

    @Argument(help: "The catalogue's format: lolrmm.")
    var catalogue: Catalogue

    @Argument(help: "A LOLRMM checkout, a folder of tool files, or one tool file.")
    var path: String

    @Option(name: .long, help: "The folder for the rules (replaced as a whole).")
    var into: String

    @Option(name: .long, help: "Templates folder (default templates).")
    var template = "templates"

    @Flag(name: .long, help: "Also list every value left out, with its reason.")
    var verbose = false

    func run() throws {
        let files = LOLRMMImport.toolFiles(in: path)
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data((LOLRMMImport.noToolFiles(at: path) + "\n").utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let templates = try TemplateFolder.load(template)
        let results = LOLRMMImport(templates: templates).run(files: files)
        let printer = DiagnosticPrinter()
        var failed = false
        for result in results {
            if let problem = result.problem {
                FileHandle.standardError.write(Data((problem + "\n").utf8))
                if problem.contains(": error: ") { failed = true }
            }
            if verbose {
                result.leftOut.forEach(printer.print)
            }
        }
        do {
            try FolderSwap.replace(URL(fileURLWithPath: into)) { staging in
                try FolderSwap.write(LOLRMMImport.files(of: results).map { ($0.path, Data($0.text.utf8)) }, into: staging)
            }
        } catch {
            FileHandle.standardError.write(Data("\(into):1:1: error: cannot write the rules: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let ruleCount = results.map(\.rules.count).reduce(0, +)
        let withRules = results.filter { !$0.rules.isEmpty }.count
        let leftOut = results.map(\.leftOut.count).reduce(0, +)
        print("\(results.count) tools: \(ruleCount) rules for \(withRules) tools into \(into); \(results.count - withRules) tools without a rule; \(leftOut) values left out\(verbose ? "" : " (--verbose lists them)")")
        if failed { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}
