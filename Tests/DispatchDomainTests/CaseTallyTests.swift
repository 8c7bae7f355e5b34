import DispatchDomain
import DistrictContracts
import Foundation
import Testing

@Suite("What each case event adds to the statistics")
struct CaseTallyTests {
    let reported = Date(timeIntervalSince1970: 1_750_000_000)

    func tally(_ event: String, _ satisfaction: Satisfaction? = nil, overdue: Bool = false, after seconds: TimeInterval = 0) -> CaseTally {
        CaseTally.of(event: event, satisfaction: satisfaction, wasOverdue: overdue, reportedAt: reported, at: reported.addingTimeInterval(seconds))
    }

    @Test("each counted event adds to its counter only; other events add nothing")
    func events() {
        #expect(tally("case.reported").reported == 1)
        #expect(tally("case.duplicate_merged").duplicates == 1 && tally("case.duplicate_merged").reported == 0)
        #expect(tally("case.accepted").accepted == 1)
        #expect(tally("case.rejected").rejected == 1)
        #expect(tally("case.returned").returned == 1)
        let closed = tally("case.closed", after: 7200)
        #expect(closed.closed == 1 && closed.closedOnTime == 1 && closed.secondsToClose == 7200)
        #expect(tally("case.closed", overdue: true, after: 7200).closedOnTime == 0)
        #expect(tally("case.rated", .satisfied).satisfied == 1 && tally("case.rated", .basicallySatisfied).satisfied == 1)
        #expect(tally("case.rated", .unsatisfied).satisfied == 0 && tally("case.rated", .unsatisfied).rated == 1)
        #expect(tally("case.linked").reported == -1 && tally("case.linked").duplicates == 1)
        var linkedAndUnlinked = tally("case.linked")
        linkedAndUnlinked += tally("case.unlinked")
        #expect(linkedAndUnlinked.isEmpty)
        let reopened = tally("case.reopened")
        #expect(reopened.reopened == 1 && reopened.rated == 1 && reopened.satisfied == 0)
        for event in ["case.claimed", "case.started", "case.dispatched", "case.deadline_warning", "case.overdue", "case.escalated", "case.verified"] {
            #expect(tally(event).isEmpty, "\(event)")
        }
    }

    @Test("rates divide the right counters and are nil with nothing to divide by")
    func rates() {
        var sum = CaseTally()
        #expect(sum.figures.acceptanceRate == nil && sum.figures.closureRate == nil && sum.figures.averageHoursToClose == nil)
        for _ in 0..<4 { sum += tally("case.reported") }
        for _ in 0..<2 { sum += tally("case.accepted") }
        sum += tally("case.closed", after: 3600)
        sum += tally("case.closed", overdue: true, after: 3 * 3600)
        sum += tally("case.rated", .satisfied)
        sum += tally("case.reopened")
        let figures = sum.figures
        #expect(figures.acceptanceRate == 0.5)
        #expect(figures.closureRate == 1)
        #expect(figures.onTimeRate == 0.5)
        #expect(figures.satisfactionRate == 0.5)
        #expect(figures.averageHoursToClose == 2)
    }
}
