import Foundation

/// Sentinel YAML durations (`5m`, `1h`, `14d`, or .NET `[d.]hh:mm:ss`) as the ISO 8601
/// durations ARM and Graph take (`PT5M`, `PT1H`, `P14D`, `PT1H30M`).
struct SentinelDuration: Hashable, Sendable {
    var seconds: Int

    init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let match = t.wholeMatch(of: /(\d+)([mhd])/), let n = Int(match.1) {
            seconds = n * ["m": 60, "h": 3600, "d": 86400][String(match.2)]!
        } else if let match = t.wholeMatch(of: /(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})/),
                  let h = Int(match.2), let m = Int(match.3), let s = Int(match.4), m < 60, s < 60 {
            seconds = (match.1.flatMap { Int($0) } ?? 0) * 86400 + h * 3600 + m * 60 + s
        } else {
            return nil
        }
    }

    init(seconds: Int) { self.seconds = seconds }

    /// `P14D`, `PT1H30M`, `P1DT2H`; `PT0S` for zero.
    var iso8601: String {
        let days = seconds / 86400, hours = seconds % 86400 / 3600, minutes = seconds % 3600 / 60, secs = seconds % 60
        var time = ""
        if hours > 0 { time += "\(hours)H" }
        if minutes > 0 { time += "\(minutes)M" }
        if secs > 0 { time += "\(secs)S" }
        if days == 0 && time.isEmpty { return "PT0S" }
        return "P" + (days > 0 ? "\(days)D" : "") + (time.isEmpty ? "" : "T" + time)
    }
}
