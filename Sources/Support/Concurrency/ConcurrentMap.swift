import Dispatch

extension Array where Element: Sendable {
    /// `map` spread over every core, results in the array's order: for reading, checking and
    /// translating many rule files, each independent of the others.
    public func concurrentMap<Transformed: Sendable>(_ transform: (Element) -> Transformed) -> [Transformed] {
        guard count > 1 else { return map(transform) }
        let slots = UnsafeMutableBufferPointer<Transformed?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        // Each iteration writes only its own slot, and concurrentPerform returns when all are done.
        nonisolated(unsafe) let shared = slots
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let transform = transform
            DispatchQueue.concurrentPerform(iterations: count) { index in
                shared[index] = transform(self[index])
            }
        }
        return slots.map { $0! }
    }
}
