@testable import DispatchService
import Testing

@Suite("When cached grids and catalogue versions are checked again")
struct FreshnessTests {
    let t0 = ContinuousClock.now

    @Test("a value never read gives every caller a ticket")
    func neverRead() {
        var freshness = Freshness(interval: .seconds(1))
        #expect(freshness.claim(now: t0) != nil)
        #expect(freshness.claim(now: t0) != nil)
    }

    @Test("once due, one caller checks and the others use the cached value meanwhile")
    func oneCallerChecks() {
        var freshness = Freshness(interval: .seconds(1))
        let first = freshness.claim(now: t0)!
        freshness.checked(first, now: t0)
        #expect(freshness.claim(now: t0 + .milliseconds(999)) == nil)
        let due = freshness.claim(now: t0 + .seconds(1))
        #expect(due != nil)
        #expect(freshness.claim(now: t0 + .milliseconds(1_001)) == nil, "another caller while the check runs")
        #expect(freshness.claim(now: t0 + .milliseconds(1_999)) == nil)
        freshness.checked(due!, now: t0 + .milliseconds(1_010))
        #expect(freshness.claim(now: t0 + .milliseconds(2_009)) == nil)
        #expect(freshness.claim(now: t0 + .milliseconds(2_010)) != nil)
    }

    @Test("a change made here during a check is not covered by that check")
    func invalidatedDuringCheck() {
        var freshness = Freshness(interval: .seconds(1))
        freshness.checked(freshness.claim(now: t0)!, now: t0)
        let due = freshness.claim(now: t0 + .seconds(2))!
        freshness.invalidate()
        freshness.checked(due, now: t0 + .seconds(2))
        #expect(freshness.claim(now: t0 + .seconds(2)) != nil, "the read may predate the change")
        #expect(freshness.claim(now: t0 + .seconds(2)) != nil, "every caller reads again")
    }

    @Test("a value this replica wrote is current without a check; an older check does not make it stale")
    func writtenHere() {
        var freshness = Freshness(interval: .seconds(1))
        let old = freshness.claim(now: t0)!
        freshness.current(now: t0 + .milliseconds(500))
        freshness.checked(old, now: t0 + .milliseconds(600))
        #expect(freshness.claim(now: t0 + .milliseconds(1_499)) == nil)
        #expect(freshness.claim(now: t0 + .milliseconds(1_500)) != nil)
    }

    @Test("with a zero interval every use checks (as the tests of grid changes run)")
    func zeroInterval() {
        var freshness = Freshness(interval: .zero)
        freshness.checked(freshness.claim(now: t0)!, now: t0)
        #expect(freshness.claim(now: t0) != nil)
        #expect(freshness.claim(now: t0) != nil)
    }
}
