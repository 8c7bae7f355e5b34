public import DistrictProtocol

extension DispatchAPI {
    /// `case.report`: reports a matter (上报). Needs `case.report` at the place reported.
    ///
    /// Idempotent by the request's `idempotencyKey` (per reporter): a retry returns the
    /// case the first call created. A report with `location` is placed in the grid whose
    /// boundary contains it; otherwise `orgPath` names the place. A report of the same
    /// category within 50 m and 24 h of an open case is merged into that case
    /// (`merged: true`).
    public enum Report: MethodDescriptor {
        public static let name = "case.report"

        /// The report.
        public struct Params: Codable, Sendable, Hashable {
            /// The catalogue category code.
            public var category: String
            /// A short title, 1–100 characters.
            public var title: String
            /// What happened, 1–4000 characters.
            public var description: String
            /// Where the report came from.
            public var channel: CaseChannel
            /// Coordinates, if known; they decide the grid.
            public var location: GeoPoint?
            /// The place when there are no coordinates (or they lie in no grid).
            public var orgPath: String?
            /// At most 20 attachments.
            public var attachments: [AttachmentReference]?

            /// Creates the parameters.
            public init(
                category: String, title: String, description: String, channel: CaseChannel,
                location: GeoPoint? = nil, orgPath: String? = nil, attachments: [AttachmentReference]? = nil
            ) {
                self.category = category
                self.title = title
                self.description = description
                self.channel = channel
                self.location = location
                self.orgPath = orgPath
                self.attachments = attachments
            }
        }

        /// The case the report created or joined.
        public struct Result: Codable, Sendable, Hashable {
            /// The case.
            public var `case`: CaseRecord
            /// Whether the report was merged into an existing open case as a duplicate.
            public var merged: Bool
            /// Creates the result.
            public init(case: CaseRecord, merged: Bool) {
                self.case = `case`
                self.merged = merged
            }
        }
    }
}
