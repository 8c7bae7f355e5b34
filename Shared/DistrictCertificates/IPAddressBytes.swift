#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses textual IP addresses into the network-order bytes a SAN `iPAddress` holds.
enum IPAddressBytes {
    /// 4 bytes for IPv4, 16 for IPv6.
    static func parse(_ text: String) throws -> [UInt8] {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        throw PKIError(code: .invalidIPAddress, message: "'\(text)' is not an IPv4 or IPv6 address")
    }
}
