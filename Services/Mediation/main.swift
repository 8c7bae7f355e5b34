import DistrictRuntime

// The mediation service. Its domain methods arrive with their own issue; until then it runs the
// shared runtime: handshake, system.health, system.echo, events.subscribe, metrics.
await ServiceRuntime.main(ServiceDefinition(service: .mediation))
