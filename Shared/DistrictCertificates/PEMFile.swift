public import Foundation
public import X509
import SwiftASN1

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing PEM files, with permissions fit for private keys.
public enum PEMFile {
    /// File mode for private keys: owner read/write only.
    public static let privateKeyMode: UInt16 = 0o600
    /// File mode for certificates: world-readable, owner-writable.
    public static let certificateMode: UInt16 = 0o644

    /// Renders a certificate as a `CERTIFICATE` PEM block.
    public static func pem(for certificate: Certificate) throws -> String {
        try certificate.serializeAsPEM().pemString
    }

    /// Renders a private key as PEM (PKCS#8 `PRIVATE KEY` for ECDSA keys).
    public static func pem(for privateKey: Certificate.PrivateKey) throws -> String {
        try privateKey.serializeAsPEM().pemString
    }

    /// Reads a file as UTF-8 text.
    public static func read(_ url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PKIError(code: .fileSystem, message: "cannot read: \(error)", path: url.path)
        }
    }

    /// Reads the first certificate of a PEM file.
    public static func readCertificate(at url: URL) throws -> Certificate {
        try Certificate(pemEncoded: read(url))
    }

    /// Reads every certificate of a PEM bundle, in order.
    public static func readCertificates(at url: URL) throws -> [Certificate] {
        try PEMDocument.parseMultiple(pemString: read(url)).map { try Certificate(pemDocument: $0) }
    }

    /// Reads a PKCS#8 or SEC1 private key from a PEM file.
    public static func readPrivateKey(at url: URL) throws -> Certificate.PrivateKey {
        try Certificate.PrivateKey(pemEncoded: read(url))
    }

    /// Writes `text` to `url` with exactly `mode` (regardless of umask).
    ///
    /// The text goes to a temporary file in the same directory first, so a crash never leaves
    /// a half-written key behind. Unless `replacingExisting` is set, an existing file is never
    /// touched: the temporary file is hard-linked into place, which fails if the name is taken.
    /// - Throws: ``PKIError/Code/fileExists`` if the file exists and `replacingExisting` is false.
    public static func write(_ text: String, to url: URL, mode: UInt16, replacingExisting: Bool = false) throws {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: .min ... .max)).tmp").path
        try writeNew(text, path: temporary, mode: mode)
        defer { unlink(temporary) }

        if replacingExisting {
            guard rename(temporary, path) == 0 else { throw posixError("cannot replace", path: path) }
        } else if link(temporary, path) != 0 {
            switch errno {
            case EEXIST:
                throw PKIError(code: .fileExists, message: "refusing to overwrite", path: path)
            case EPERM, ENOTSUP, EXDEV:
                // Some file systems (e.g. certain container mounts) lack hard links; exclusive create still refuses to overwrite.
                try writeNew(text, path: path, mode: mode)
            default:
                throw posixError("cannot create", path: path)
            }
        }
    }

    /// Creates a file that must not exist yet, writes `text`, and syncs it to disk.
    private static func writeNew(_ text: String, path: String, mode: UInt16) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else {
            if errno == EEXIST { throw PKIError(code: .fileExists, message: "refusing to overwrite", path: path) }
            throw posixError("cannot create", path: path)
        }
        var completed = false
        defer {
            close(fd)
            if !completed { unlink(path) }
        }
        // The open mode is filtered by umask; set it explicitly.
        guard fchmod(fd, mode_t(mode)) == 0 else { throw posixError("cannot set mode", path: path) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw posixError("cannot write", path: path)
            }
            written += result
        }
        guard fsync(fd) == 0 else { throw posixError("cannot sync", path: path) }
        completed = true
    }

    private static func posixError(_ what: String, path: String) -> PKIError {
        PKIError(code: .fileSystem, message: "\(what): \(String(cString: strerror(errno)))", path: path)
    }
}

/// POSIX `write(2)`; outside `PEMFile`, whose own `write` would shadow it.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
