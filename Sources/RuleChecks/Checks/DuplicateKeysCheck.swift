/// A key written twice: YAML keeps one of them, silently.
struct DuplicateKeysCheck: LintCheck {
    let info = CheckInfo(
        id: "duplicate-keys", severity: .error,
        summary: "No key appears twice in a rule.",
        triggering: [[Example.rule(adding: "name: Example rule again\n")]],
        nonTriggering: [[Example.analytic]],
        readerCodes: ["yaml-duplicate-key"]
    )
}
