import Foundation

/// Instants as Defender exports write them: ISO-8601 UTC with seven fractional digits
/// (`2026-11-28T10:00:00.0000000Z`), the one text form events and findings are compared in.
public enum DefenderTime {
    /// ISO-8601 date and time (a date alone is midnight; no zone is UTC) as UTC text with
    /// seven fractional digits; nil when malformed.
    public static func text(_ text: String) -> String? {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String? {
            Range(match.range(at: i), in: text).map { String(text[$0]) }
        }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        components.year = group(1).flatMap { Int($0) }
        components.month = group(2).flatMap { Int($0) }
        components.day = group(3).flatMap { Int($0) }
        components.hour = group(4).flatMap { Int($0) } ?? 0
        components.minute = group(5).flatMap { Int($0) } ?? 0
        components.second = group(6).flatMap { Int($0) } ?? 0
        guard components.isValidDate, var date = components.date else { return nil }
        if let zone = group(8), zone != "Z" {
            let digits = zone.dropFirst().filter(\.isNumber)
            // +HH, +HHMM or +HH:MM.
            guard digits.count == 2 || digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.count == 4 ? String(digits.suffix(2)) : "0") else { return nil }
            let offset = (hours * 3600 + minutes * 60) * (zone.hasPrefix("-") ? -1 : 1)
            date = date.addingTimeInterval(TimeInterval(-offset))
        }
        let fraction = (group(7) ?? "").padding(toLength: 7, withPad: "0", startingAt: 0)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date) + "." + fraction + "Z"
    }
}
