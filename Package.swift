// swift-tools-version:6.1
import PackageDescription

// Targets depend downward only:
//   DistrictProtocol (Foundation) <- DistrictContracts
//   DistrictProtocol <- DistrictWire (NIO framing, TLS) <- DistrictServer / DistrictClient
//   DistrictStorage (postgres-nio), DistrictObservability (log, metrics), DistrictCertificates (X509)
//   all of the above <- DistrictRuntime <- each service executable
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "district-governance",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "districtctl", targets: ["districtctl"]),
        .executable(name: "district-identity", targets: ["IdentityServer"]),
        .executable(name: "district-dispatch", targets: ["DispatchServer"]),
        .executable(name: "district-mediation", targets: ["MediationServer"]),
        .executable(name: "district-legal", targets: ["LegalServer"]),
        .executable(name: "district-notify", targets: ["NotifyServer"]),
        .library(name: "DistrictClient", targets: ["DistrictClient"]),
        .library(name: "DistrictContracts", targets: ["DistrictContracts"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // MARK: Shared libraries
        .target(
            name: "DistrictProtocol",
            path: "Shared/DistrictProtocol",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictContracts",
            dependencies: ["DistrictProtocol"],
            path: "Shared/DistrictContracts",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictWire",
            dependencies: [
                "DistrictProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Shared/DistrictWire",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictServer",
            dependencies: [
                "DistrictProtocol",
                "DistrictWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            path: "Shared/DistrictServer",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictClient",
            dependencies: [
                "DistrictProtocol",
                "DistrictWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/DistrictClient",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictStorage",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/DistrictStorage",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictObservability",
            dependencies: [
                "DistrictProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/DistrictObservability",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictCertificates",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Shared/DistrictCertificates",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictAuth",
            dependencies: [
                "DistrictProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Shared/DistrictAuth",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictRuntime",
            dependencies: [
                "DistrictAuth",
                "DistrictProtocol",
                "DistrictContracts",
                "DistrictWire",
                "DistrictServer",
                "DistrictStorage",
                "DistrictObservability",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/DistrictRuntime",
            swiftSettings: swiftSettings
        ),

        // MARK: Services: a library with the service's definition and logic, and a thin executable.
        .target(
            name: "IdentityService",
            dependencies: [
                "DistrictAuth", "DistrictCertificates", "DistrictRuntime", "DistrictContracts", "DistrictProtocol", "DistrictServer",
                "DistrictStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Identity/IdentityService",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "IdentityServer",
            dependencies: ["IdentityService", "DistrictRuntime"],
            path: "Services/Identity/Server",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DispatchDomain",
            dependencies: ["DistrictProtocol", "DistrictContracts", "DistrictAuth"],
            path: "Services/Dispatch/DispatchDomain",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DispatchService",
            dependencies: [
                "DispatchDomain", "DistrictAuth", "DistrictRuntime", "DistrictContracts", "DistrictProtocol", "DistrictServer",
                "DistrictStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Dispatch/DispatchService",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DispatchServer",
            dependencies: ["DispatchService", "DistrictRuntime"],
            path: "Services/Dispatch/Server",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MediationService",
            dependencies: ["DistrictRuntime", "DistrictContracts", "DistrictProtocol", "DistrictServer", "DistrictStorage"],
            path: "Services/Mediation/MediationService",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "MediationServer",
            dependencies: ["MediationService", "DistrictRuntime"],
            path: "Services/Mediation/Server",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LegalService",
            dependencies: ["DistrictRuntime", "DistrictContracts", "DistrictProtocol", "DistrictServer", "DistrictStorage"],
            path: "Services/Legal/LegalService",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "LegalServer",
            dependencies: ["LegalService", "DistrictRuntime"],
            path: "Services/Legal/Server",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NotifyService",
            dependencies: ["DistrictRuntime", "DistrictContracts", "DistrictProtocol", "DistrictServer", "DistrictStorage"],
            path: "Services/Notify/NotifyService",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "NotifyServer",
            dependencies: ["NotifyService", "DistrictRuntime"],
            path: "Services/Notify/Server",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DistrictLoad",
            dependencies: [
                "DispatchDomain", "DistrictAuth", "DistrictClient", "DistrictContracts", "DistrictProtocol", "DistrictStorage",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tools/DistrictLoad",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "districtctl",
            dependencies: [
                "DistrictProtocol",
                "DistrictContracts",
                "DistrictWire",
                "DistrictClient",
                "DistrictServer",
                "DistrictStorage",
                "DistrictCertificates",
                "DistrictRuntime",
                "DistrictObservability",
                "DistrictAuth",
                "IdentityService", "DispatchDomain", "DispatchService", "MediationService", "LegalService", "NotifyService", "DistrictLoad",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Services/districtctl",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: [
                "DistrictAuth",
                "DistrictRuntime",
                "DistrictProtocol",
                "DistrictWire",
                "DistrictServer",
                "DistrictClient",
                "DistrictStorage",
                "DistrictCertificates",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DistrictProtocolTests",
            dependencies: ["DistrictProtocol", "DistrictContracts", "TestSupport"],
            path: "Tests/DistrictProtocolTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DistrictWireTests",
            dependencies: [
                "DistrictProtocol", "DistrictContracts", "DistrictWire", "DistrictServer", "DistrictClient",
                "DistrictRuntime", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Tests/DistrictWireTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DistrictStorageTests",
            dependencies: [
                "DistrictStorage", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/DistrictStorageTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DistrictCertificatesTests",
            dependencies: [
                "DistrictCertificates", "TestSupport",
                .product(name: "X509", package: "swift-certificates"),
            ],
            path: "Tests/DistrictCertificatesTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DistrictObservabilityTests",
            dependencies: [
                "DistrictObservability",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/DistrictObservabilityTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DistrictAuthTests",
            dependencies: ["DistrictAuth", "DistrictProtocol"],
            path: "Tests/DistrictAuthTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DistrictRuntimeTests",
            dependencies: [
                "DistrictAuth",
                "DistrictRuntime", "DistrictClient", "DistrictContracts", "DistrictProtocol", "DistrictStorage", "DistrictWire", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/DistrictRuntimeTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IdentityServiceTests",
            dependencies: [
                "IdentityService", "DistrictAuth", "DistrictClient", "DistrictContracts", "DistrictProtocol",
                "DistrictRuntime", "DistrictStorage", "DistrictWire", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/IdentityServiceTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DispatchDomainTests",
            dependencies: ["DispatchDomain", "DistrictAuth", "DistrictContracts", "DistrictProtocol"],
            path: "Tests/DispatchDomainTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DispatchServiceTests",
            dependencies: [
                "DispatchService", "DispatchDomain", "IdentityService", "DistrictAuth", "DistrictClient", "DistrictContracts",
                "DistrictProtocol", "DistrictRuntime", "DistrictStorage", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/DispatchServiceTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DistrictLoadTests",
            dependencies: [
                "DistrictLoad", "DispatchService", "DispatchDomain", "IdentityService", "DistrictClient", "DistrictContracts", "DistrictProtocol",
                "DistrictServer", "DistrictRuntime", "DistrictStorage", "DistrictWire", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/DistrictLoadTests",
            swiftSettings: swiftSettings
        ),
    ]
)
