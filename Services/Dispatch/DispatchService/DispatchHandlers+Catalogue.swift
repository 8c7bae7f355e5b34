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
    /// `catalogue.publish`: stores a complete new version; older versions stay for the
    /// cases routed under them.
    func publishCatalogue(_ params: DispatchAPI.CataloguePublish.Params, _ context: RequestContext) async throws -> CatalogueVersion {
        let district = try Self.parsePath(params.district, field: "district")
        guard district.depth == 1 else { throw DistrictError.invalidParams("district must be a district root path", field: "district") }
        let principal = try await authenticator.authorize(context, .caseArbitrate, on: Resource(path: district))
        try MatterCatalogue.validate(params.categories)
        let categoriesJSON = try Self.encodeJSON(params.categories)
        let now = clock.now()
        let logger = context.logger
        do {
            let version = try await database.withTransaction { connection in
                var next = 1
                for try await current in try await connection.query(
                    "SELECT coalesce(max(version), 0) + 1 FROM dispatch.catalogue_versions WHERE district = \(district.description)",
                    logger: logger
                ).decode(Int.self) {
                    next = current
                }
                try await connection.query(
                    """
                    INSERT INTO dispatch.catalogue_versions (district, version, published_at, published_by, categories)
                    VALUES (\(district.description), \(next), \(now), \(principal.subject), \(categoriesJSON)::jsonb)
                    """,
                    logger: logger)
                let published = CatalogueVersion(district: district.description, version: next, publishedAt: now, categories: params.categories)
                let event = try NewEvent(
                    stream: DispatchAPI.caseStream, type: "catalogue.published", key: "\(district)/\(next)", orgPath: district.description,
                    payload: ["district": district.description, "version": String(next), "publishedBy": principal.subject])
                try await EventLog.append([event], on: connection, logger: logger)
                return published
            }
            catalogues.remember(MatterCatalogue(version))
            catalogues.rememberLatest(district: version.district, version: version.version, ticket: nil)
            logger.info("catalogue published", metadata: ["catalogue.district": "\(district)", "catalogue.version": "\(version.version)"])
            return version
        } catch where Self.isUniqueViolation(error) {
            throw DistrictError(.conflict, "another catalogue version was published at the same time; publish again")
        }
    }

    /// `catalogue.get`: a stored version, the newest by default.
    func getCatalogue(_ params: DispatchAPI.CatalogueGet.Params, _ context: RequestContext) async throws -> CatalogueVersion {
        let district = try Self.parsePath(params.district, field: "district")
        try await authenticator.authorize(context, .caseReport, on: Resource(path: district))
        let found = try await database.withConnection { connection in
            if let version = params.version {
                return try await catalogue(district: district.description, version: version, on: connection, logger: context.logger)
            }
            return try await latestCatalogue(district: district.description, on: connection, logger: context.logger)
        }
        guard let found else {
            throw DistrictError(.notFound, "no such catalogue version for \(district)", details: ["district": district.description])
        }
        return found.version
    }

    /// The newest catalogue of `district`, from memory when it is cached (no connection
    /// leased), if one was published.
    func latestCatalogue(district: String, logger: Logger) async throws -> MatterCatalogue? {
        let newest = catalogues.newestVersion(district: district)
        if case .use(let version) = newest, let cached = catalogues.catalogue(district: district, version: version) {
            return cached
        }
        return try await database.withConnection { connection in
            try await latestCatalogue(district: district, newest: newest, on: connection, logger: logger)
        }
    }

    /// The newest catalogue of `district`, if one was published.
    func latestCatalogue(district: String, on connection: PostgresConnection, logger: Logger) async throws -> MatterCatalogue? {
        try await latestCatalogue(district: district, newest: catalogues.newestVersion(district: district), on: connection, logger: logger)
    }

    private func latestCatalogue(
        district: String, newest: CatalogueCache.NewestVersion, on connection: PostgresConnection, logger: Logger
    ) async throws -> MatterCatalogue? {
        switch newest {
        case .use(let version):
            return try await catalogue(district: district, version: version, on: connection, logger: logger)
        case .ask(let ticket):
            var latest: Int?
            for try await version in try await connection.query(
                "SELECT max(version) FROM dispatch.catalogue_versions WHERE district = \(district)", logger: logger
            ).decode(Int?.self) {
                latest = version
            }
            guard let latest else { return nil }
            catalogues.rememberLatest(district: district, version: latest, ticket: ticket)
            return try await catalogue(district: district, version: latest, on: connection, logger: logger)
        }
    }

    /// A catalogue version, from the cache or the database.
    func catalogue(district: String, version: Int, on connection: PostgresConnection, logger: Logger) async throws -> MatterCatalogue? {
        if let cached = catalogues.catalogue(district: district, version: version) { return cached }
        var found: MatterCatalogue?
        for try await (publishedAt, categories) in try await connection.query(
            "SELECT published_at, categories::text FROM dispatch.catalogue_versions WHERE district = \(district) AND version = \(version)",
            logger: logger
        ).decode((Date, String).self) {
            let decoded = try JSONDecoder().decode([MatterCategory].self, from: Data(categories.utf8))
            found = MatterCatalogue(CatalogueVersion(district: district, version: version, publishedAt: publishedAt, categories: decoded))
        }
        if let found { catalogues.remember(found) }
        return found
    }
}
