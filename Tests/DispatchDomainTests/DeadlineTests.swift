import DispatchDomain
import Foundation
import Testing

@Suite("Deadlines with an injected clock")
struct DeadlineTests {
    let start = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("warning at 80 %, overdue at 100 %")
    func statuses() {
        let deadline = CaseDeadline(from: start, minutes: 120)
        #expect(deadline.warnAt == start.addingTimeInterval(96 * 60))
        #expect(deadline.dueAt == start.addingTimeInterval(120 * 60))
        let clock = ManualClock(start)
        #expect(deadline.status(at: clock.now()) == .onTime)
        clock.advance(by: 95 * 60)
        #expect(deadline.status(at: clock.now()) == .onTime)
        clock.advance(by: 60)
        #expect(deadline.status(at: clock.now()) == .warning)
        clock.advance(by: 24 * 60)
        #expect(deadline.status(at: clock.now()) == .overdue)
    }

    @Test("seven days for a general matter")
    func general() {
        let deadline = CaseDeadline(from: start, minutes: 7 * 24 * 60)
        #expect(deadline.dueAt.timeIntervalSince(start) == 7 * 86400)
        #expect(deadline.warnAt.timeIntervalSince(start) == 7 * 86400 * 4 / 5)
    }

    @Test("escalation goes grid → street → district and stays there")
    func escalation() {
        #expect(EscalationLevel.next(after: "grid") == "street")
        #expect(EscalationLevel.next(after: "street") == "district")
        #expect(EscalationLevel.next(after: "district") == "district")
    }
}
