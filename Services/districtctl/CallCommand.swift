import ArgumentParser
import DistrictContracts
import DistrictProtocol
import Foundation

/// `districtctl call SERVICE METHOD JSON`: a generic client.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call a method and print its JSON result, or its error.",
        discussion: "Example: districtctl call dispatch system.health '{}'")

    @Argument(help: "identity, dispatch, mediation, legal or notify")
    var service: DistrictService

    @Argument(help: "The method, e.g. system.health")
    var method: String

    @Argument(help: "The params object as JSON")
    var params = "{}"

    @Option(help: "An idempotency key for a retried write.")
    var idempotencyKey: String?

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let bytes = Array(params.utf8)
        do {
            _ = try JSONObjectScanner.scanObject(bytes)
        } catch {
            throw ValidationError("params must be a JSON object: \(error)")
        }
        let client = try connection.client(for: service)
        do {
            let result = try await client.callRaw(method: method, params: bytes, idempotencyKey: idempotencyKey)
            print(PrettyJSON.format(result))
            await client.close()
        } catch let error as DistrictError {
            await client.close()
            FileHandle.standardError.write(Data("error: \(error.code.rawValue): \(error.message)\n".utf8))
            if let details = error.details, !details.isEmpty {
                FileHandle.standardError.write(Data("details: \(details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))\n".utf8))
            }
            throw ExitCode(2)
        }
    }
}

/// Pretty-prints JSON for people, keeping Chinese text readable.
enum PrettyJSON {
    static func format(_ bytes: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
