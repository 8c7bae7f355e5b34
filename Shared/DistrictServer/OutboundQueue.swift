import NIOCore
import Synchronization

/// The frames a connection has to send, written by one writer task in batches.
///
/// Many request tasks finish at about the same time; handing each response to the
/// channel separately costs an event-loop wake-up, a TLS record and a system call per
/// response. Here they queue up while the writer is busy, and the writer sends whatever
/// accumulated in one `write(contentsOf:)`: one wake-up and one flush per batch.
/// Producers wait when more than `limit` frames are queued, so a subscription feeding a
/// slow reader is held back instead of filling memory.
final class OutboundQueue: Sendable {
    private struct State {
        var frames: [ByteBuffer] = []
        var writer: CheckedContinuation<[ByteBuffer], Never>?
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var finished = false
        var doneWaiters: [CheckedContinuation<Void, Never>] = []
        var writerDone = false
    }

    private let state = Mutex(State())
    private let limit: Int

    init(limit: Int = 1024) {
        self.limit = limit
    }

    /// Queues a frame; waits while the queue is over its limit.
    func send(_ frame: ByteBuffer) async {
        let mustWait: Bool = state.withLock { $0.frames.count >= limit && !$0.finished }
        if mustWait {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let wait = state.withLock { state -> Bool in
                    guard state.frames.count >= limit, !state.finished else { return false }
                    state.spaceWaiters.append(continuation)
                    return true
                }
                if !wait { continuation.resume() }
            }
        }
        enqueue(frame)
    }

    private func enqueue(_ frame: ByteBuffer) {
        let writer: CheckedContinuation<[ByteBuffer], Never>? = state.withLock { state in
            guard !state.finished else { return nil }
            if let writer = state.writer {
                state.writer = nil
                return writer
            }
            state.frames.append(frame)
            return nil
        }
        writer?.resume(returning: [frame])
    }

    /// The writer's loop: writes batches until ``finish()`` and the queue is empty.
    func runWriter(_ write: ([ByteBuffer]) async throws -> Void) async throws {
        defer {
            let waiters = state.withLock { state in
                state.writerDone = true
                state.finished = true
                defer { state.doneWaiters = []; state.spaceWaiters = [] }
                return state.doneWaiters + state.spaceWaiters
            }
            waiters.forEach { $0.resume() }
        }
        while true {
            let batch = await nextBatch()
            if batch.isEmpty { return }
            try await write(batch)
        }
    }

    private func nextBatch() async -> [ByteBuffer] {
        await withTaskCancellationHandler {
            await waitForBatch()
        } onCancel: {
            cancel()
        }
    }

    private func waitForBatch() async -> [ByteBuffer] {
        await withCheckedContinuation { (continuation: CheckedContinuation<[ByteBuffer], Never>) in
            let (ready, spaceWaiters): ([ByteBuffer]?, [CheckedContinuation<Void, Never>]) = state.withLock { state in
                if !state.frames.isEmpty || state.finished || Task.isCancelled {
                    let frames = state.frames
                    state.frames = []
                    defer { state.spaceWaiters = [] }
                    return (frames, state.spaceWaiters)
                }
                state.writer = continuation
                return (nil, [])
            }
            spaceWaiters.forEach { $0.resume() }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Lets the writer send what is queued, then stop; returns once it has.
    func finish() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (writer, done): (CheckedContinuation<[ByteBuffer], Never>?, Bool) = state.withLock { state in
                state.finished = true
                if state.writerDone { return (nil, true) }
                state.doneWaiters.append(continuation)
                defer { state.writer = nil }
                return (state.writer, false)
            }
            writer?.resume(returning: [])
            if done { continuation.resume() }
        }
    }

    /// Stops the writer at once (the connection is gone).
    func cancel() {
        let (writer, waiters): (CheckedContinuation<[ByteBuffer], Never>?, [CheckedContinuation<Void, Never>]) = state.withLock { state in
            state.finished = true
            state.frames = []
            defer { state.writer = nil; state.spaceWaiters = [] }
            return (state.writer, state.spaceWaiters)
        }
        writer?.resume(returning: [])
        waiters.forEach { $0.resume() }
    }
}
