public import DistrictProtocol

// Case records and the answers that carry them write their own wire JSON (see
// `WireJSONEncodable`): members in declaration order under their declared names, nil
// members left out, as the synthesized `Encodable` conformances write them through
// `JSONEncoder`. A test decodes both and compares.

extension CaseRecord: WireJSONEncodable {
    /// Writes the record as its synthesized `Encodable` conformance would.
    public func writeWireJSON(to writer: inout WireJSONWriter) {
        writer.beginObject()
        writer.member("id", id)
        writer.member("number", number)
        writer.member("state", state.rawValue)
        writer.member("category", category)
        writer.member("catalogueVersion", catalogueVersion)
        writer.member("level", level.rawValue)
        writer.member("title", title)
        writer.member("description", description)
        writer.member("channel", channel.rawValue)
        writer.member("orgPath", orgPath)
        writer.member("location", location)
        writer.member("department", department)
        writer.member("assignee", assignee)
        writer.member("reportedAt", reportedAt)
        writer.member("dueAt", dueAt)
        writer.member("warnAt", warnAt)
        writer.member("overdue", overdue)
        writer.member("escalationLevel", escalationLevel)
        writer.member("whistle", whistle)
        writer.member("reopenCount", reopenCount)
        writer.member("returnCount", returnCount)
        writer.member("needsSupervisorReview", needsSupervisorReview)
        writer.member("satisfaction", satisfaction?.rawValue)
        writer.member("duplicateReports", duplicateReports)
        writer.member("attachments", attachments)
        writer.member("timeline", timeline)
        writer.endObject()
    }
}

extension GeoPoint: WireJSONEncodable {
    /// Writes the point as its synthesized `Encodable` conformance would.
    public func writeWireJSON(to writer: inout WireJSONWriter) {
        writer.beginObject()
        writer.member("longitude", longitude)
        writer.member("latitude", latitude)
        writer.endObject()
    }
}

extension AttachmentReference: WireJSONEncodable {
    /// Writes the reference as its synthesized `Encodable` conformance would.
    public func writeWireJSON(to writer: inout WireJSONWriter) {
        writer.beginObject()
        writer.member("url", url)
        writer.member("sha256", sha256)
        writer.member("size", size)
        writer.endObject()
    }
}

extension Whistle: WireJSONEncodable {
    /// Writes the summons as its synthesized `Encodable` conformance would.
    public func writeWireJSON(to writer: inout WireJSONWriter) {
        writer.beginObject()
        writer.member("level", level)
        writer.member("departments", departments)
        writer.member("leadDepartment", leadDepartment)
        writer.member("reportBy", reportBy)
        writer.member("leader", leader)
        writer.endObject()
    }
}

extension TimelineEntry: WireJSONEncodable {
    /// Writes the entry as its synthesized `Encodable` conformance would.
    public func writeWireJSON(to writer: inout WireJSONWriter) {
        writer.beginObject()
        writer.member("sequence", sequence)
        writer.member("at", at)
        writer.member("actor", actor)
        writer.member("event", event)
        writer.member("fromState", fromState?.rawValue)
        writer.member("toState", toState.rawValue)
        writer.member("note", note)
        writer.endObject()
    }
}

extension DispatchAPI.Report.Result: WireJSONEncodable {
    /// Writes the answer as its synthesized `Encodable` conformance would.
    public func writeWireJSON(to writer: inout WireJSONWriter) {
        writer.beginObject()
        writer.member("case", `case`)
        writer.member("merged", merged)
        writer.endObject()
    }
}

extension DispatchAPI.List.Result: WireJSONEncodable {
    /// Writes the page as its synthesized `Encodable` conformance would.
    public func writeWireJSON(to writer: inout WireJSONWriter) {
        writer.beginObject()
        writer.member("cases", cases)
        writer.member("nextCursor", nextCursor)
        writer.endObject()
    }
}

extension CaseEvent: WireJSONEncodable {
    /// Writes the event as its synthesized `Encodable` conformance would (pushed to queue subscribers).
    public func writeWireJSON(to writer: inout WireJSONWriter) {
        write(to: &writer, fractionalSeconds: true)
    }

    /// The event as an event-log payload: `at` to the second, as `NewEvent`'s default
    /// encoder writes payload dates, without `JSONEncoder` (every report and every case
    /// change stores one). The members are in declaration order; the log's `jsonb` keeps
    /// its own order whatever the text's.
    public var payloadJSON: String {
        var writer = WireJSONWriter()
        write(to: &writer, fractionalSeconds: false)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private func write(to writer: inout WireJSONWriter, fractionalSeconds: Bool) {
        writer.beginObject()
        writer.member("caseId", caseId)
        writer.member("number", number)
        writer.member("event", event)
        writer.member("fromState", fromState?.rawValue)
        writer.member("toState", toState.rawValue)
        writer.member("category", category)
        writer.member("orgPath", orgPath)
        writer.member("department", department)
        writer.member("actor", actor)
        writer.member("note", note)
        writer.member("at", WireCoding.formatDate(at, fractionalSeconds: fractionalSeconds))
        writer.endObject()
    }
}
