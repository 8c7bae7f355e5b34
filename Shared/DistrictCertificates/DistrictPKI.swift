public import Foundation
import X509

/// Lays out and extends a district's certificate directory.
///
/// Existing files are never overwritten unless asked: the first run creates the CA and every
/// credential, later runs keep what exists and issue only what is missing from the existing CA.
public enum DistrictPKI {
    /// The client every district gets by default: the operator CLI.
    public static let operatorClient = "operator"

    /// Creates or completes the certificate directory.
    ///
    /// - Parameters:
    ///   - directory: The certificate directory; created if absent.
    ///   - districtName: Names a new CA (`<districtName> District CA`); ignored when the CA exists.
    ///   - services: Services that get server-and-client certificates covering loopback,
    ///     their Compose names and ``ServiceIdentity/extraDNSNames``.
    ///   - clients: Names that get client-only certificates.
    ///   - additionalDNSNames: DNS names added to every new service certificate (e.g. the host's name).
    ///   - overwrite: Replace everything with a new CA and new credentials. Off by default;
    ///     with it off, no existing file is ever modified.
    ///   - now: The issuing time (inject for tests).
    /// - Throws: ``PKIError`` if a name is invalid, a key pair is half present, leaves exist without
    ///   their CA, or a kept leaf was not issued by the kept CA.
    @discardableResult
    public static func initialize(
        directory: URL,
        districtName: String = "Local",
        services: [ServiceIdentity] = ServiceIdentity.all,
        clients: [String] = [operatorClient],
        additionalDNSNames: [String] = [],
        overwrite: Bool = false,
        now: Date = Date()
    ) throws -> PKIReport {
        let layout = PKILayout(directory: directory)
        let names = services.map(\.name) + clients
        for name in names { try PKILayout.validate(name: name) }
        if let duplicate = firstDuplicate(names) {
            throw PKIError(code: .invalidName, message: "'\(duplicate)' is listed more than once")
        }
        try createDirectory(directory)

        var entries: [PKIReport.Entry] = []
        let authority: CertificateAuthority
        let authorityState = try pairState(layout, PKILayout.authorityName)
        if overwrite || authorityState == .absent {
            if !overwrite, let orphan = try names.first(where: { try pairState(layout, $0) != .absent }) {
                throw PKIError(
                    code: .missingAuthority,
                    message: "'\(orphan)' has certificate files but the CA is missing; restore ca.pem and ca-key.pem or remove them",
                    path: directory.path
                )
            }
            authority = try CertificateAuthority.create(districtName: districtName, now: now)
            try write(authority.credential, layout, PKILayout.authorityName, replacing: overwrite)
            entries.append(entry(layout, PKILayout.authorityName, .authority, .created))
        } else {
            authority = try loadAuthority(layout: layout)
            entries.append(entry(layout, PKILayout.authorityName, .authority, .kept))
        }

        for service in services {
            let dnsNames = ServiceIdentity(
                name: service.name, extraDNSNames: service.extraDNSNames + additionalDNSNames
            ).dnsNames
            let outcome = try ensureLeaf(layout, service.name, authority: authority, replacing: overwrite) {
                try authority.issue(
                    commonName: service.name,
                    dnsNames: dnsNames,
                    ipAddresses: ServiceIdentity.loopbackAddresses,
                    usage: .serverAndClient,
                    now: now
                )
            }
            entries.append(entry(layout, service.name, .service, outcome))
        }
        for client in clients {
            let outcome = try ensureLeaf(layout, client, authority: authority, replacing: overwrite) {
                try authority.issue(commonName: client, usage: .client, now: now)
            }
            entries.append(entry(layout, client, .client, outcome))
        }
        // Never replaced, not even with `overwrite`: data sealed with it would be lost.
        let secret = try DistrictSecretKey.ensure(at: DistrictSecretKey.file(in: layout))
        return PKIReport(directory: directory, entries: entries, secretKey: secret)
    }

    /// Creates or completes the certificate directory at `path`. See ``initialize(directory:districtName:services:clients:additionalDNSNames:overwrite:now:)-(URL,_,_,_,_,_,_)``.
    @discardableResult
    public static func initialize(
        directory path: String,
        districtName: String = "Local",
        services: [ServiceIdentity] = ServiceIdentity.all,
        clients: [String] = [operatorClient],
        additionalDNSNames: [String] = [],
        overwrite: Bool = false,
        now: Date = Date()
    ) throws -> PKIReport {
        try initialize(
            directory: URL(fileURLWithPath: path, isDirectory: true),
            districtName: districtName,
            services: services,
            clients: clients,
            additionalDNSNames: additionalDNSNames,
            overwrite: overwrite,
            now: now
        )
    }

    /// Issues a client-only certificate from the directory's existing CA, e.g. for `dept-urban-management`.
    ///
    /// - Throws: ``PKIError/Code/fileExists`` if either of the client's files exists (nothing is written),
    ///   ``PKIError/Code/missingAuthority`` if the CA certificate or key is missing.
    @discardableResult
    public static func issueClientCertificate(
        directory: URL,
        name: String,
        now: Date = Date()
    ) throws -> IssuedCredential {
        let layout = PKILayout(directory: directory)
        try PKILayout.validate(name: name)
        for file in [layout.certificate(for: name), layout.privateKey(for: name)] where exists(file) {
            throw PKIError(code: .fileExists, message: "refusing to overwrite the credential of '\(name)'", path: file.path)
        }
        let authority = try loadAuthority(layout: layout)
        let credential = try authority.issue(commonName: name, usage: .client, now: now)
        try write(credential, layout, name, replacing: false)
        return credential
    }

    /// Issues a client-only certificate into the directory at `path`. See ``issueClientCertificate(directory:name:now:)-(URL,_,_)``.
    @discardableResult
    public static func issueClientCertificate(
        directory path: String,
        name: String,
        now: Date = Date()
    ) throws -> IssuedCredential {
        try issueClientCertificate(directory: URL(fileURLWithPath: path, isDirectory: true), name: name, now: now)
    }

    /// Loads the CA certificate and key from a certificate directory.
    /// - Throws: ``PKIError/Code/missingAuthority`` if either file is missing.
    public static func loadAuthority(layout: PKILayout) throws -> CertificateAuthority {
        guard try pairState(layout, PKILayout.authorityName) == .complete else {
            throw PKIError(
                code: .missingAuthority,
                message: "the CA needs both ca.pem and ca-key.pem",
                path: layout.directory.path
            )
        }
        return CertificateAuthority(credential: try loadCredential(layout: layout, name: PKILayout.authorityName))
    }

    /// Loads `<name>.pem` and `<name>-key.pem`, checking that the key belongs to the certificate.
    public static func loadCredential(layout: PKILayout, name: String) throws -> IssuedCredential {
        try IssuedCredential(
            certificatePEM: PEMFile.read(layout.certificate(for: name)),
            privateKeyPEM: PEMFile.read(layout.privateKey(for: name))
        )
    }

    // MARK: - Helpers

    private enum PairState { case absent, partial, complete }

    private static func pairState(_ layout: PKILayout, _ name: String) throws -> PairState {
        switch (exists(layout.certificate(for: name)), exists(layout.privateKey(for: name))) {
        case (true, true): return .complete
        case (false, false): return .absent
        default: return .partial
        }
    }

    /// Keeps a complete, CA-signed pair; issues and writes a missing one; rejects a half pair.
    private static func ensureLeaf(
        _ layout: PKILayout,
        _ name: String,
        authority: CertificateAuthority,
        replacing: Bool,
        issue: () throws -> IssuedCredential
    ) throws -> PKIReport.Outcome {
        if !replacing {
            switch try pairState(layout, name) {
            case .complete:
                let existing = try loadCredential(layout: layout, name: name)
                guard authority.certificate.publicKey.isValidSignature(existing.certificate.signature, for: existing.certificate)
                else {
                    throw PKIError(
                        code: .notIssuedByAuthority,
                        message: "'\(name)' was not issued by this directory's CA",
                        path: layout.certificate(for: name).path
                    )
                }
                return .kept
            case .partial:
                throw PKIError(
                    code: .incompleteKeyPair,
                    message: "'\(name)' has only one of its certificate and key; remove it to reissue",
                    path: layout.directory.path
                )
            case .absent:
                break
            }
        }
        try write(try issue(), layout, name, replacing: replacing)
        return .created
    }

    /// Key first: an interrupted run leaves a key without certificate, which the next run reports, never a certificate without key.
    private static func write(_ credential: IssuedCredential, _ layout: PKILayout, _ name: String, replacing: Bool) throws {
        try PEMFile.write(
            credential.privateKeyPEM, to: layout.privateKey(for: name),
            mode: PEMFile.privateKeyMode, replacingExisting: replacing
        )
        try PEMFile.write(
            credential.certificatePEM, to: layout.certificate(for: name),
            mode: PEMFile.certificateMode, replacingExisting: replacing
        )
    }

    private static func entry(
        _ layout: PKILayout, _ name: String, _ role: PKIReport.Role, _ outcome: PKIReport.Outcome
    ) -> PKIReport.Entry {
        PKIReport.Entry(
            name: name, role: role, outcome: outcome,
            certificateFile: layout.certificate(for: name), privateKeyFile: layout.privateKey(for: name)
        )
    }

    private static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }

    private static func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw PKIError(code: .fileSystem, message: "cannot create directory: \(error)", path: url.path)
        }
    }

    private static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0.lowercased()).inserted }
    }
}
