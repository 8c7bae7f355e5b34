public import DistrictAuth
public import DistrictStorage
public import Logging
import PostgresNIO
import Synchronization

/// The token-verification keys this process currently trusts, refreshed from the keys
/// the identity service publishes in `identity.token_keys`.
///
/// Reads are a lock and a copy-on-write copy, so verification never waits on the
/// database. A token naming a key id this ring does not hold waits for a refresh (at most
/// one every ``unknownKeyRefreshInterval``, shared by every caller waiting), so a freshly
/// rotated key is trusted as soon as it is published, and a flood of forged key ids cannot
/// hammer the database.
public final class KeyRing: Sendable {
    /// The least time between refreshes caused by unknown key ids.
    public static let unknownKeyRefreshInterval: Duration = .seconds(2)

    private struct State {
        var keys: KeySet
        var lastRefresh: ContinuousClock.Instant?
        var scheduledRefresh: Task<Void, Never>?
    }

    private let state: Mutex<State>
    private let load: (@Sendable () async throws -> KeySet)?

    /// A ring that always holds `keys` (tests, tools).
    public init(keys: KeySet) {
        self.state = Mutex(State(keys: keys))
        self.load = nil
    }

    /// A ring filled by `load`, empty until the first ``refresh()``.
    public init(loader: @escaping @Sendable () async throws -> KeySet) {
        self.state = Mutex(State(keys: KeySet()))
        self.load = loader
    }

    /// A ring over the published keys in `database`: every key not retired, and retired
    /// keys for one more hour (longer than any access token lives).
    public convenience init(database: Database, logger: Logger) {
        self.init(loader: {
            try await database.withConnection { connection in
                let rows = try await connection.query(
                    """
                    SELECT kid, public_key FROM identity.token_keys
                    WHERE retired_at IS NULL OR retired_at > now() - interval '1 hour'
                    """,
                    logger: logger)
                var keys = KeySet()
                for try await (kid, x) in rows.decode((String, String).self) {
                    try keys.insert(JSONWebKey(kty: "OKP", crv: "Ed25519", kid: kid, x: x))
                }
                return keys
            }
        })
    }

    /// The keys held now.
    public var keys: KeySet { state.withLock { $0.keys } }

    /// Whether this ring can reload its keys.
    public var isRefreshable: Bool { load != nil }

    /// Reloads the keys from their source; a ring built from fixed keys keeps them.
    public func refresh() async throws {
        guard let load else { return }
        let fresh = try await load()
        state.withLock {
            $0.keys = fresh
            $0.lastRefresh = .now
        }
    }

    /// Refreshes because a token named `kid` this ring does not hold. Refreshes caused by
    /// unknown key ids are coalesced and spaced at least ``unknownKeyRefreshInterval``
    /// apart: a caller arriving inside that interval waits for the next scheduled refresh
    /// instead of being refused, so a key published just after a refresh is still found
    /// (within the interval), and a flood of forged key ids costs the database one query
    /// per interval. Returns whether the ring now holds `kid`.
    public func refresh(forUnknownKeyID kid: String) async -> Bool {
        guard load != nil else { return false }
        let pending = state.withLock { state -> Task<Void, Never>? in
            if state.keys.kids.contains(kid) { return nil }
            if let scheduled = state.scheduledRefresh { return scheduled }
            let wait: Duration
            if let last = state.lastRefresh {
                let elapsed = last.duration(to: .now)
                wait = elapsed < Self.unknownKeyRefreshInterval ? Self.unknownKeyRefreshInterval - elapsed : .zero
            } else {
                wait = .zero
            }
            let task = Task { [self] in
                if wait > .zero { try? await Task.sleep(for: wait) }
                try? await self.refresh()
                self.state.withLock { $0.scheduledRefresh = nil; $0.lastRefresh = .now }
            }
            state.scheduledRefresh = task
            return task
        }
        if let pending { await pending.value }
        return keys.kids.contains(kid)
    }
}
