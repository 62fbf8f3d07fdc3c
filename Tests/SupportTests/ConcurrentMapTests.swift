import Support
import Testing

/// lint and convert read and check files with `concurrentMap`; their output must not depend on
/// which core finished first.
@Suite("concurrentMap")
struct ConcurrentMapTests {
    @Test func keepsTheOrderOfItsInput() {
        // Uneven work per item, so items finish out of order.
        let items = Array(0..<5_000)
        let mapped = items.concurrentMap { n in (0..<(n % 97) * 50).reduce(n) { ($0 &* 31) &+ $1 } }
        #expect(mapped == items.map { n in (0..<(n % 97) * 50).reduce(n) { ($0 &* 31) &+ $1 } })
    }

    @Test func emptyAndSingleInputs() {
        #expect([Int]().concurrentMap { $0 + 1 } == [])
        #expect([41].concurrentMap { $0 + 1 } == [42])
    }
}
