import DistrictRuntime
import Synchronization

/// One value per assembled service, made on first use from its context and shared by the
/// method handlers and the service group that runs it (the event tail, the report writer).
final class PerService<Value: Sendable>: Sendable {
    private let values = Mutex<[ObjectIdentifier: (owner: EventNotifier, value: Value)]>([:])
    private let make: @Sendable (ServiceContext) -> Value

    /// Makes values with `make`.
    init(_ make: @escaping @Sendable (ServiceContext) -> Value) {
        self.make = make
    }

    /// The value of the service assembled with `context` (keyed by its notifier, which the
    /// table keeps alive so that no later service can reuse its identity).
    func callAsFunction(_ context: ServiceContext) -> Value {
        values.withLock { values in
            let key = ObjectIdentifier(context.notifier)
            if let existing = values[key] { return existing.value }
            let value = make(context)
            values[key] = (context.notifier, value)
            return value
        }
    }
}
