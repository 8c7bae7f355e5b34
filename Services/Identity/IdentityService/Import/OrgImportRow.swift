public import DistrictContracts
public import DistrictProtocol

/// One node of an `org.import`, as given: JSON element n or CSV line n is row n.
public struct OrgImportRow: Sendable, Hashable {
    /// The row number the caller sees in errors (JSON: the element, from 1; CSV: the line,
    /// the header being line 1).
    public var row: Int
    /// The code, trimmed.
    public var code: String
    /// The kind as given.
    public var kind: String
    /// The name as given (validated and trimmed by the plan).
    public var name: String
    /// The parent's code; nil for a root of the import.
    public var parentCode: String?

    /// Creates a row; an empty parent code means none.
    public init(row: Int, code: String, kind: String, name: String, parentCode: String?) {
        self.row = row
        self.code = code.trimmedASCIIWhitespace()
        self.kind = kind.trimmedASCIIWhitespace()
        self.name = name
        let parent = parentCode?.trimmedASCIIWhitespace()
        self.parentCode = (parent?.isEmpty ?? true) ? nil : parent
    }

    /// The rows of a JSON import: element n (from 1) is row n.
    public static func rows(from nodes: [IdentityAPI.OrgImport.Node]) -> [OrgImportRow] {
        nodes.enumerated().map { index, node in
            OrgImportRow(row: index + 1, code: node.code, kind: node.kind, name: node.name, parentCode: node.parentCode)
        }
    }

    /// The CSV header an import must start with.
    public static let csvHeader = ["code", "kind", "name", "parent_code"]

    /// The rows of a CSV import: the header `code,kind,name,parent_code` on line 1, then
    /// one node per line (blank lines skipped). Fields may be quoted with `"` (a quote
    /// inside is doubled); a record never spans lines. A malformed line is refused with
    /// its line number.
    public static func rows(fromCSV text: String) throws(DistrictError) -> [OrgImportRow] {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        var rows: [OrgImportRow] = []
        var sawHeader = false
        // "\r\n" is one Character in Swift, so split on both forms of line end.
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            var line = rawLine
            if line.hasSuffix("\r") { line = line.dropLast() }
            if !sawHeader {
                let header = try fields(of: line, row: lineNumber).map { $0.trimmedASCIIWhitespace().lowercased() }
                guard header == csvHeader else {
                    throw rowError(lineNumber, "the CSV header must be \(csvHeader.joined(separator: ",")), not \(String(line))", field: "csv")
                }
                sawHeader = true
                continue
            }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let values = try fields(of: line, row: lineNumber)
            guard values.count == csvHeader.count else {
                throw rowError(lineNumber, "expected \(csvHeader.count) fields (\(csvHeader.joined(separator: ","))), found \(values.count)", field: "csv")
            }
            rows.append(OrgImportRow(row: lineNumber, code: values[0], kind: values[1], name: values[2], parentCode: values[3]))
        }
        guard sawHeader else { throw rowError(1, "the CSV text is empty; it needs the header \(csvHeader.joined(separator: ","))", field: "csv") }
        return rows
    }

    /// The fields of one CSV line.
    static func fields(of line: Substring, row: Int) throws(DistrictError) -> [String] {
        var fields: [String] = []
        var current = ""
        var characters = line.makeIterator()
        var inQuotes = false
        var fieldWasQuoted = false
        var afterClosingQuote = false
        while let character = characters.next() {
            if inQuotes {
                if character == "\"" {
                    inQuotes = false
                    afterClosingQuote = true
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case ",":
                fields.append(current)
                current = ""
                fieldWasQuoted = false
                afterClosingQuote = false
            case "\"":
                if afterClosingQuote {
                    // A doubled quote inside a quoted field.
                    current.append("\"")
                    inQuotes = true
                    afterClosingQuote = false
                } else if !fieldWasQuoted && current.allSatisfy({ $0 == " " }) {
                    current = ""
                    inQuotes = true
                    fieldWasQuoted = true
                } else {
                    throw rowError(row, "a quote inside an unquoted field (quote the whole field and double the quote)", field: "csv")
                }
            default:
                if afterClosingQuote {
                    guard character == " " else {
                        throw rowError(row, "text after the closing quote of a field", field: "csv")
                    }
                } else {
                    current.append(character)
                }
            }
        }
        if inQuotes { throw rowError(row, "a quoted field is not closed on its line", field: "csv") }
        fields.append(current)
        return fields
    }

    /// An `invalid_params` error naming the row.
    static func rowError(_ row: Int, _ message: String, field: String, extra: [String: String] = [:]) -> DistrictError {
        var details = ["row": String(row), "field": field]
        details.merge(extra) { _, new in new }
        return DistrictError(.invalidParams, "row \(row): \(message)", details: details)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line ends.
    func trimmedASCIIWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" || first == "\n" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" || last == "\n" { scalars.removeLast() }
        return String(scalars)
    }
}
