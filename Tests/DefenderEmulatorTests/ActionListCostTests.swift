import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

@testable import DefenderEmulator

/// What a poll costs the emulator does not grow with the actions it was not asked about: a list
/// filtered by id builds only those actions, and a finished action is built once.
@Suite struct ActionListCostTests {
  /// Twenty `GetFile` actions on online Windows machines of the `large` scenario; their ids.
  static func startActions(_ lab: Lab, token: String) async throws -> [String] {
    try await lab.setLimit("liveResponsePerMinute", 1_000)
    let machines = lab.server.scenario.machines.filter {
      $0.osPlatform.hasPrefix("Windows") && !$0.online.never
        && $0.online.isOnline(at: 0)
    }.prefix(20)
    var ids: [String] = []
    for machine in machines {
      let reply = try await lab.run(
        machine.id, [("GetFile", [("Path", "C:\\Windows\\System32\\drivers\\etc\\hosts")])],
        token: token)
      #expect(reply.status == 201, "\(reply.text)")
      ids.append(try #require(reply.object["id"] as? String))
    }
    return ids
  }

  @Test func aPollOfOneActionBuildsOnlyThatAction() async throws {
    try await withLab(Scenario.large) { lab in
      let token = try await lab.token()
      let ids = try await Self.startActions(lab, token: token)
      #expect(ids.count == 20)
      let state = lab.server.service.state
      let before = await state.actionsRendered
      let filter =
        "id in ('\(ids[7])')".addingPercentEncoding(
          withAllowedCharacters: .urlQueryAllowed) ?? ""
      let reply = try await lab.get("/api/machineactions?$filter=\(filter)", token: token)
      #expect(reply.status == 200)
      #expect(reply.value.map { $0["id"] as? String } == [ids[7]])
      let one = try await lab.get("/api/machineactions/\(ids[3])", token: token)
      #expect(one.object["id"] as? String == ids[3])
      #expect(await state.actionsRendered - before == 2)
    }
  }

  @Test func aFinishedActionIsBuiltOnce() async throws {
    try await withLab(Scenario.large) { lab in
      let token = try await lab.token()
      let ids = try await Self.startActions(lab, token: token)
      lab.advance(300)
      let state = lab.server.service.state
      let before = await state.actionsRendered
      for _ in 0..<3 {
        let reply = try await lab.get("/api/machineactions", token: token)
        #expect(Set(reply.value.compactMap { $0["id"] as? String }) == Set(ids))
        #expect(reply.value.allSatisfy { $0["status"] as? String == "Succeeded" })
      }
      #expect(await state.actionsRendered - before == ids.count)
    }
  }
}
