import DistrictContracts
import DistrictProtocol
import Foundation
import Testing

@Suite("Wire coding")
struct WireCodingTests {
    @Test("params decode errors name the field")
    func fieldNamed() {
        #expect {
            try WireCoding.decodeParams(SystemAPI.Echo.Params.self, from: Array(#"{"text":5}"#.utf8))
        } throws: { error in
            guard let error = error as? DistrictError else { return false }
            return error.code == .invalidParams && error.details?["field"] == "text"
        }
        #expect {
            try WireCoding.decodeParams(SystemAPI.Echo.Params.self, from: Array(#"{}"#.utf8))
        } throws: { error in
            (error as? DistrictError)?.details?["field"] == "text"
        }
    }

    @Test("dates travel as ISO 8601 with milliseconds")
    func dates() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_000.123)
        let report = SystemAPI.Health.Result(status: "ok", service: "dispatch", version: "1", uptimeSeconds: 1, database: "ok", time: date)
        let json = String(decoding: try WireCoding.encode(report), as: UTF8.self)
        #expect(json.contains("\"time\":\"2026-11-18T"))
        let back = try WireCoding.decodeParams(SystemAPI.Health.Result.self, from: Array(json.utf8))
        #expect(abs(back.time.timeIntervalSince(date)) < 0.001)
    }
}
