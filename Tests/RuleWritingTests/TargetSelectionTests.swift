import RuleWriting
import Testing

/// `convert --to` lists: languages, full names, `all`, and `--dialect` lists, with the
/// messages a user gets for what does not fit.
@Suite("Target selection")
struct TargetSelectionTests {
    func names(_ to: String, _ dialect: String? = nil) throws -> [String] {
        try TargetSelection.targets(to: to, dialect: dialect).map(\.name)
    }

    func problem(_ to: String, _ dialect: String? = nil) -> String? {
        do {
            _ = try TargetSelection.targets(to: to, dialect: dialect)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func oneLanguageIsItsDefaultDialect() throws {
        #expect(try names("sql") == ["sql-sqlite"])
        #expect(try names("sql", "postgres") == ["sql-postgres"])
        #expect(try names("sql-spark") == ["sql-spark"])
        #expect(try names("kql") == ["kql"])
    }

    @Test func listsKeepTheirOrderAndEachTargetOnce() throws {
        #expect(try names("sigma, kql,sql-postgres") == ["sigma", "kql", "sql-postgres"])
        #expect(try names("kql,sql", "spark,duckdb") == ["kql", "sql-spark", "sql-duckdb"])
        #expect(try names("sql-postgres,sql", "postgres") == ["sql-postgres"])
        #expect(try names("all") == OutputTarget.all.map(\.name))
        #expect(try names("kql,all").count == OutputTarget.all.count)
    }

    @Test func whatDoesNotFitIsNamed() {
        #expect(problem("sigmaa")?.hasPrefix("unknown target 'sigmaa' (did you mean 'sigma'?)") == true)
        #expect(problem("sql", "oracle")?.hasPrefix("unknown sql dialect 'oracle'") == true)
        #expect(problem("kql", "postgres") == "--dialect applies to --to sql only")
        #expect(problem("sql-postgres", "spark") == "--to sql-postgres names its dialect; leave out --dialect")
        #expect(problem(" , ")?.hasPrefix("--to names no target") == true)
    }
}
