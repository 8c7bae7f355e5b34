import DispatchDomain
import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension DispatchHandlers {
    /// `grid.define`: stores a grid's boundary and legacy-grid mapping (replacing any before).
    func defineGrid(_ params: GridRecord, _ context: RequestContext) async throws -> GridRecord {
        let path = try Self.parsePath(params.path, field: "path")
        try await authenticator.authorize(context, .orgWrite, on: Resource(path: path))
        let boundary = try GridBoundary(params.boundary)
        for (index, legacy) in params.legacyGrids.enumerated() {
            guard MatterCatalogue.isCode(legacy.department), !legacy.code.isEmpty, legacy.code.count <= 64 else {
                throw DistrictError.invalidParams("a legacy grid has a department code and a code of 1–64 characters", field: "legacyGrids[\(index)]")
            }
        }
        let boundaryJSON = try Self.encodeJSON(params.boundary)
        let legacyJSON = try Self.encodeJSON(params.legacyGrids)
        let box = boundary.boundingBox
        let logger = context.logger
        let text = path.description
        try await database.withTransaction { connection in
            var kind: String?
            for try await found in try await connection.query(
                "SELECT kind FROM identity.org_nodes WHERE path = \(text)::ltree FOR SHARE", logger: logger
            ).decode(String.self) {
                kind = found
            }
            guard let kind else {
                throw DistrictError(.notFound, "no org node at \(text)", details: ["path": text])
            }
            guard kind == "grid" else {
                throw DistrictError.invalidParams("the node at \(text) is a \(kind), not a grid", field: "path")
            }
            try await connection.query(
                """
                INSERT INTO dispatch.grids (path, boundary, legacy_grids, min_lon, min_lat, max_lon, max_lat)
                VALUES (\(text)::ltree, \(boundaryJSON)::jsonb, \(legacyJSON)::jsonb,
                        \(box.minLongitude), \(box.minLatitude), \(box.maxLongitude), \(box.maxLatitude))
                ON CONFLICT (path) DO UPDATE SET boundary = excluded.boundary, legacy_grids = excluded.legacy_grids,
                    min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon,
                    max_lat = excluded.max_lat, updated_at = now()
                """,
                logger: logger)
            let event = try NewEvent(stream: DispatchAPI.caseStream, type: "grid.defined", key: text, orgPath: text, payload: params)
            try await EventLog.append([event], on: connection, logger: logger)
        }
        grids.invalidate()
        return params
    }

    /// `grid.locate`: the grid containing a point.
    func locateGrid(_ params: DispatchAPI.GridLocate.Params, _ context: RequestContext) async throws -> DispatchAPI.GridLocate.Result {
        _ = try await authenticator.principal(for: context)
        try Self.checkLocation(params.location)
        return .init(path: try await findGrid(containing: params.location, logger: context.logger))
    }

    /// Refuses coordinates out of range.
    static func checkLocation(_ point: GeoPoint) throws(DistrictError) {
        guard point.longitude.isFinite, point.latitude.isFinite,
            (-180...180).contains(point.longitude), (-90...90).contains(point.latitude)
        else {
            throw .invalidParams("location must have longitude −180…180 and latitude −90…90", field: "location")
        }
    }

    /// The path of the grid containing `point`, from the in-memory grid index (see
    /// ``GridCache``; the first by path, should boundaries overlap).
    func findGrid(containing point: GeoPoint, logger: Logger) async throws -> String? {
        try await grids.locate(point, using: database, logger: logger)
    }
}
