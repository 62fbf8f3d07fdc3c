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
        let bytes = Array(text.utf8)
        if hasCanonicalShape(bytes) {
            func value(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
            let valid = utcSeconds(value(0..<4), value(5..<7), value(8..<10), value(11..<13), value(14..<16), value(17..<19)) != nil
            return valid ? text : nil
        }
        guard let regex = pattern,
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String? {
            Range(match.range(at: i), in: text).map { String(text[$0]) }
        }
        func number(_ i: Int) -> Int { group(i).flatMap { Int($0) } ?? 0 }
        guard var seconds = utcSeconds(number(1), number(2), number(3), number(4), number(5), number(6)) else { return nil }
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

    /// Seconds since the epoch of a UTC date and time; nil for one that does not exist
    /// (February 30, hour 24), which timegm would silently move on.
    static func utcSeconds(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) -> time_t? {
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month - 1)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(hour)
        fields.tm_min = Int32(minute)
        fields.tm_sec = Int32(second)
        let asked = (fields.tm_year, fields.tm_mon, fields.tm_mday, fields.tm_hour, fields.tm_min, fields.tm_sec)
        let seconds = timegm(&fields)
        return asked == (fields.tm_year, fields.tm_mon, fields.tm_mday, fields.tm_hour, fields.tm_min, fields.tm_sec) ? seconds : nil
    }

    /// Which bytes of `YYYY-MM-DDTHH:MM:SS.fffffffZ` are which separator (0 for a digit).
    private static let canonicalShape: [UInt8] = Array("0000-00-00T00:00:00.0000000Z".utf8).map { $0 == 48 ? 0 : $0 }

    /// Digits and separators where the canonical form has them (whether the date exists is
    /// `utcSeconds`'s question).
    static func hasCanonicalShape(_ bytes: [UInt8]) -> Bool {
        bytes.count == canonicalShape.count && zip(bytes, canonicalShape).allSatisfy { byte, shape in
            shape == 0 ? (48...57).contains(byte) : byte == shape
        }
    }
}
