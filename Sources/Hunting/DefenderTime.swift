import Foundation

/// Instants as Defender exports write them: ISO-8601 UTC with seven fractional digits
/// (`2026-11-28T10:00:00.0000000Z`), the one text form events and findings are compared in.
public enum DefenderTime {
    /// Every field of every datetime in a hunt's findings passes through `text`: the pattern
    /// is compiled once, and text already in the canonical form is returned as it is.
    private static let pattern = try? NSRegularExpression(
        pattern: #"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$"#)

    /// ISO-8601 date and time (a date alone is midnight; no zone is UTC) as UTC text with
    /// seven fractional digits; nil when malformed.
    public static func text(_ text: String) -> String? {
        if isCanonical(text) { return text }
        guard let regex = pattern,
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String? {
            Range(match.range(at: i), in: text).map { String(text[$0]) }
        }
        func number(_ i: Int) -> Int { group(i).flatMap { Int($0) } ?? 0 }
        var fields = tm()
        fields.tm_year = Int32(number(1) - 1900)
        fields.tm_mon = Int32(number(2) - 1)
        fields.tm_mday = Int32(number(3))
        fields.tm_hour = Int32(number(4))
        fields.tm_min = Int32(number(5))
        fields.tm_sec = Int32(number(6))
        let asked = (fields.tm_year, fields.tm_mon, fields.tm_mday, fields.tm_hour, fields.tm_min, fields.tm_sec)
        var seconds = timegm(&fields)
        // timegm moves an impossible date (February 30, hour 25) on; such text is malformed.
        guard asked == (fields.tm_year, fields.tm_mon, fields.tm_mday, fields.tm_hour, fields.tm_min, fields.tm_sec) else { return nil }
        if let zone = group(8), zone != "Z" {
            let digits = zone.dropFirst().filter(\.isNumber)
            // +HH, +HHMM or +HH:MM.
            guard digits.count == 2 || digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.count == 4 ? String(digits.suffix(2)) : "0") else { return nil }
            seconds -= time_t((hours * 3600 + minutes * 60) * (zone.hasPrefix("-") ? -1 : 1))
        }
        var utc = tm()
        guard gmtime_r(&seconds, &utc) != nil else { return nil }
        let fraction = (group(7) ?? "").padding(toLength: 7, withPad: "0", startingAt: 0)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.", Int(utc.tm_year) + 1900, Int(utc.tm_mon) + 1, Int(utc.tm_mday), Int(utc.tm_hour), Int(utc.tm_min), Int(utc.tm_sec))
            + fraction + "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SS.fffffffZ` with a possible date and time (checked as `text` would).
    static func isCanonical(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 28 else { return false }
        let separators: [Int: UInt8] = [4: 45, 7: 45, 10: 84, 13: 58, 16: 58, 19: 46, 27: 90]
        for (index, byte) in bytes.enumerated() {
            if let separator = separators[index] {
                guard byte == separator else { return false }
            } else if !(48...57).contains(byte) {
                return false
            }
        }
        func value(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
        let (year, month, day) = (value(0..<4), value(5..<7), value(8..<10))
        let days = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains(month) && (1...days[month - 1]).contains(day) && value(11..<13) < 24 && value(14..<16) < 60 && value(17..<19) < 60
    }
}
