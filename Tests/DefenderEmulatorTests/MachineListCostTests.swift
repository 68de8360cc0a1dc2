import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

@testable import DefenderEmulator

/// What a name lookup costs the emulator does not grow with the fleet: a machine list filtered
/// to names or ids (as `lr` resolves a machine-list file, 25 names a call) builds only those
/// machines, not the 10,000 of the `large` scenario, and still applies the whole filter.
@Suite struct MachineListCostTests {
  static func query(_ filter: String) -> String {
    "/api/machines?$filter="
      + (filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
  }

  @Test func aListByNamesBuildsOnlyThoseMachines() async throws {
    try await withLab(Scenario.large) { lab in
      let token = try await lab.token()
      let state = lab.server.service.state
      let machines = Array(lab.server.scenario.machines[100..<125])
      // As lr's MachineFilter.names: an FQDN by name; a 40-hex id by name or id.
      let filter =
        machines.dropLast().map { "computerDnsName eq '\($0.computerDnsName.uppercased())'" }
        + ["computerDnsName eq '\(machines[24].id)' or id eq '\(machines[24].id)'"]
      let before = await state.machinesRendered
      let reply = try await lab.get(
        Self.query(filter.reversed().joined(separator: " or ")), token: token)
      #expect(reply.status == 200)
      #expect(reply.value.compactMap { $0["id"] as? String } == machines.map(\.id))
      #expect(await state.machinesRendered - before == 25)
    }
  }

  @Test func aLookupStillAppliesTheRestOfTheFilter() async throws {
    try await withLab(Scenario.large) { lab in
      let token = try await lab.token()
      let machines = Array(lab.server.scenario.machines[0..<12])
      let names = machines.map { "computerDnsName eq '\($0.computerDnsName)'" }
      let reply = try await lab.get(
        Self.query("(\(names.joined(separator: " or "))) and osPlatform eq 'Linux'"),
        token: token)
      #expect(reply.status == 200)
      #expect(
        reply.value.compactMap { $0["id"] as? String }
          == machines.filter { $0.osPlatform == "Linux" }.map(\.id))
      let unknown = try await lab.get(
        Self.query("computerDnsName eq 'nope.large.contoso.com' or id eq 'nope'"), token: token)
      #expect(unknown.status == 200)
      #expect(unknown.value.isEmpty)
    }
  }
}
