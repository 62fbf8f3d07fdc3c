/// The tactic names Sentinel accepts, with the ATT&CK tactic each stands for.
public struct SentinelTactic: Hashable, Sendable {
    public var name: String
    /// ATT&CK id (TA####), nil for PreAttack, which ATT&CK does not have.
    public var attackId: String?
    /// ATT&CK short name, as Sigma tags use it (`attack.command-and-control`).
    public var shortName: String?

    public static let all: [SentinelTactic] = [
        .init(name: "Reconnaissance", attackId: "TA0043", shortName: "reconnaissance"),
        .init(name: "ResourceDevelopment", attackId: "TA0042", shortName: "resource-development"),
        .init(name: "InitialAccess", attackId: "TA0001", shortName: "initial-access"),
        .init(name: "Execution", attackId: "TA0002", shortName: "execution"),
        .init(name: "Persistence", attackId: "TA0003", shortName: "persistence"),
        .init(name: "PrivilegeEscalation", attackId: "TA0004", shortName: "privilege-escalation"),
        .init(name: "DefenseEvasion", attackId: "TA0005", shortName: "defense-evasion"),
        .init(name: "CredentialAccess", attackId: "TA0006", shortName: "credential-access"),
        .init(name: "Discovery", attackId: "TA0007", shortName: "discovery"),
        .init(name: "LateralMovement", attackId: "TA0008", shortName: "lateral-movement"),
        .init(name: "Collection", attackId: "TA0009", shortName: "collection"),
        .init(name: "Exfiltration", attackId: "TA0010", shortName: "exfiltration"),
        .init(name: "CommandAndControl", attackId: "TA0011", shortName: "command-and-control"),
        .init(name: "Impact", attackId: "TA0040", shortName: "impact"),
        .init(name: "ImpairProcessControl", attackId: "TA0106", shortName: "impair-process-control"),
        .init(name: "InhibitResponseFunction", attackId: "TA0107", shortName: "inhibit-response-function"),
        .init(name: "PreAttack", attackId: nil, shortName: nil),
    ]

    public static func named(_ name: String) -> SentinelTactic? {
        all.first { $0.name == name }
    }
}
