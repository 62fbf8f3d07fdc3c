/// Exit statuses shared by every command.
enum ExitStatus: Int32 {
    case clean = 0
    case findings = 1
    case usage = 2
}
