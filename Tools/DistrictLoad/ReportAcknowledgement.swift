import DistrictContracts
import DistrictProtocol

/// `case.report` as the load tool calls it: the same method and parameters as
/// ``DispatchAPI/Report``, with a result that decodes only what a run uses (the case's id and
/// whether the report was merged).
///
/// The load tool shares the machine with the service it measures; decoding each answer's
/// whole case record took about a fifth of its CPU at 1,800 reports/s, time the service
/// then did not have. The service answers exactly as to any client; the other members of
/// the answer are skipped here.
enum ReportAcknowledgement: MethodDescriptor {
    static let name = DispatchAPI.Report.name

    typealias Params = DispatchAPI.Report.Params

    /// The members of ``DispatchAPI/Report/Result`` a run reads.
    struct Result: Codable, Sendable {
        /// The case the report made or was merged into.
        struct Case: Codable, Sendable {
            var id: String
        }

        var `case`: Case
        var merged: Bool
    }
}
