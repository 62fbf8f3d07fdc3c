import Foundation
import Mustache

/// The rule templates of a folder: `<kind>.yaml.mustache` files (Mustache), each opening with a
/// `{{! description }}` comment that `rulepack new --list-templates` shows.
public struct TemplateSet: Sendable {
    public struct Template: Sendable {
        public var kind: String
        public var summary: String
        var template: MustacheTemplate
    }

    /// The kinds `rulepack new` writes, in order.
    public static let kinds = ["filesig", "createproc", "netconn"]
    public static let suffix = ".yaml.mustache"

    public var folder: URL
    public var templates: [Template]

    public static func load(_ folder: URL) throws(GenerationError) -> TemplateSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(suffix) }.sorted()
        } catch {
            throw GenerationError("cannot read the templates folder \(folder.path): \(error.localizedDescription) (give --template DIR)")
        }
        var templates: [Template] = []
        for name in names {
            let path = folder.appendingPathComponent(name)
            let text: String
            do {
                text = try String(contentsOf: path, encoding: .utf8)
            } catch {
                throw GenerationError("cannot read \(path.path): \(error.localizedDescription)")
            }
            let template: MustacheTemplate
            do {
                template = try MustacheTemplate(string: text)
            } catch {
                throw GenerationError("\(path.path): not a valid Mustache template: \(error)")
            }
            var summary = ""
            if text.hasPrefix("{{!"), let end = text.range(of: "}}") {
                summary = text[text.index(text.startIndex, offsetBy: 3)..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            templates.append(Template(kind: String(name.dropLast(suffix.count)), summary: summary, template: template))
        }
        return TemplateSet(folder: folder, templates: templates)
    }

    public func template(_ kind: String) -> Template? {
        templates.first { $0.kind == kind }
    }
}

public struct GenerationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}
