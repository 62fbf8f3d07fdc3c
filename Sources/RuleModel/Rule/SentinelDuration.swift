/// A Sentinel YAML duration: `<int>m|h|d` (lower case; m is minutes) or .NET `[d.]hh:mm:ss`.
/// Lint checks schedules with it, and the deployment targets write it as the ISO 8601
/// duration ARM and Graph take (`PT5M`, `PT1H`, `P14D`, `PT1H30M`).
public struct SentinelDuration: Hashable, Sendable {
    public var seconds: Double

    public init?(_ text: String) {
        if let unit = text.last, "mhd".contains(unit), let n = Int(text.dropLast()), n >= 0 {
            seconds = Double(n) * (unit == "m" ? 60 : unit == "h" ? 3600 : 86400)
            return
        }
        let parts = text.split(separator: ":")
        guard parts.count == 3 else { return nil }
        var days = 0.0
        var hoursPart = parts[0]
        if let dot = hoursPart.firstIndex(of: ".") {
            guard let d = Double(hoursPart[..<dot]) else { return nil }
            days = d
            hoursPart = hoursPart[hoursPart.index(after: dot)...]
        }
        guard let h = Double(hoursPart), let m = Double(parts[1]), let s = Double(parts[2]), h < 24, m < 60, s < 60 else { return nil }
        seconds = days * 86400 + h * 3600 + m * 60 + s
    }

    public var minutes: Double { seconds / 60 }

    /// `P14D`, `PT1H30M`, `P1DT2H`; `PT0S` for zero.
    public var iso8601: String {
        let whole = Int(seconds), fraction = seconds - Double(whole)
        let days = whole / 86400, hours = whole % 86400 / 3600, minutes = whole % 3600 / 60
        let secs = Double(whole % 60) + fraction
        var time = ""
        if hours > 0 { time += "\(hours)H" }
        if minutes > 0 { time += "\(minutes)M" }
        if secs > 0 { time += (fraction == 0 ? String(Int(secs)) : String(secs)) + "S" }
        if days == 0 && time.isEmpty { return "PT0S" }
        return "P" + (days > 0 ? "\(days)D" : "") + (time.isEmpty ? "" : "T" + time)
    }
}
