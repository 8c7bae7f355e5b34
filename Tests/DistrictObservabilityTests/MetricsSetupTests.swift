import DistrictObservability
import Metrics
import Testing

@Suite("MetricsSetup")
struct MetricsSetupTests {
    @Test("a counter and a timer recorded through the factory appear in the rendered text")
    func counterAndTimerAreRendered() {
        let setup = MetricsSetup()
        let counter = Counter(label: "district_requests_total", dimensions: [("method", "case.open")], factory: setup.factory)
        let timer = Metrics.Timer(label: "district_request_duration_seconds", factory: setup.factory)

        counter.increment(by: 3)
        timer.recordMilliseconds(2)

        let text = setup.render()
        #expect(text.contains(#"district_requests_total{method="case.open"} 3"#))
        #expect(text.contains("# TYPE district_request_duration_seconds histogram"))
        // 2 ms falls into the 2.5 ms bucket but not the 1 ms one.
        #expect(text.contains(#"district_request_duration_seconds_bucket{le="0.001"} 0"#))
        #expect(text.contains(#"district_request_duration_seconds_bucket{le="0.0025"} 1"#))
        #expect(text.contains(#"district_request_duration_seconds_count 1"#))
    }

    @Test("default duration buckets span 0.5 ms to 10 s")
    func defaultBuckets() {
        let buckets = MetricsSetup.defaultDurationBuckets
        #expect(buckets.first == .microseconds(500))
        #expect(buckets.last == .seconds(10))
        #expect(buckets == buckets.sorted())

        let setup = MetricsSetup()
        Metrics.Timer(label: "probe_seconds", factory: setup.factory).recordNanoseconds(1)
        let text = setup.render()
        #expect(text.contains(#"probe_seconds_bucket{le="0.0005"} 1"#))
        #expect(text.contains(#"probe_seconds_bucket{le="10.0"} 1"#))
    }

    @Test("separate setups do not share metrics")
    func setupsAreIndependent() {
        let first = MetricsSetup()
        let second = MetricsSetup()
        Counter(label: "only_in_first", factory: first.factory).increment()

        #expect(first.render().contains("only_in_first 1"))
        #expect(!second.render().contains("only_in_first"))
    }
}
