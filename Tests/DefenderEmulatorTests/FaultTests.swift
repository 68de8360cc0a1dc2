import AsyncHTTPClient
import DefenderEmulator
import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

@Suite struct FaultTests {
  @Test func adminNeedsItsKeyNotATtoken() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      #expect(try await lab.get("/_emulator/faults", token: token).status == 403)
      #expect(
        try await lab.send(.GET, "/_emulator/faults", headers: [("X-Emulator-Admin-Key", "wrong")])
          .status == 403)
      #expect(try await lab.admin(.GET, "faults").status == 200)
    }
  }

  @Test func serverErrors() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      #expect(try await lab.admin(.PUT, "faults", json: #"{"serverErrorRate": 1}"#).status == 200)
      let reply = try await lab.get("/api/machines", token: token)
      #expect(reply.status >= 500)
      // Token endpoints are not faulted.
      _ = try await lab.token()
      #expect(try await lab.admin(.PUT, "faults", json: "{}").status == 200)
      #expect(try await lab.get("/api/machines", token: token).status == 200)
    }
  }

  @Test func forced429() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      _ = try await lab.admin(.PUT, "faults", json: #"{"forced429Rate": 1}"#)
      let reply = try await lab.get("/api/machines", token: token)
      #expect(reply.status == 429)
      #expect(reply.headers.first(name: "Retry-After") == "1")
    }
  }

  @Test func connectionResets() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      _ = try await lab.admin(.PUT, "faults", json: #"{"connectionResetRate": 1}"#)
      await #expect(throws: (any Error).self) {
        _ = try await lab.get("/api/machines", token: token)
      }
      _ = try await lab.admin(.PUT, "faults", json: "{}")
      #expect(try await lab.get("/api/machines", token: token).status == 200)
    }
  }

  /// `lostAnswerRate`: the request is processed (the action exists), then the connection is
  /// closed before the answer; the stats count it.
  @Test func lostAnswersAfterTheActionWasCreated() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      _ = try await lab.admin(.PUT, "faults", json: #"{"lostAnswerRate": 1}"#)
      await #expect(throws: (any Error).self) {
        _ = try await lab.run(
          exampleMachine, [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token,
          comment: "lost [lr:t1]")
      }
      _ = try await lab.admin(.PUT, "faults", json: "{}")
      let stats = try await lab.admin(.GET, "stats").object
      #expect(stats["actionsCreated"] as? Int == 1)
      #expect(stats["injectedLostAnswers"] as? Int == 1)
      let listed = try await lab.get("/api/machineactions", token: token).value
      #expect(listed.contains { ($0["requestorComment"] as? String)?.contains("[lr:t1]") == true })
      #expect(try await lab.admin(.GET, "faults").object["lostAnswerRate"] as? Double == 0)
    }
  }

  @Test func addedLatencyAndScenarioSetting() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.faults = FaultSettings(addedLatencyMilliseconds: 300)
    try await withLab(scenario) { lab in
      let token = try await lab.token()
      let start = ContinuousClock.now
      #expect(try await lab.get("/api/machines", token: token).status == 200)
      #expect(ContinuousClock.now - start >= .milliseconds(300))
    }
  }

  @Test func faultRatesAreSeededAndPartial() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      _ = try await lab.admin(.PUT, "faults", json: #"{"serverErrorRate": 0.5, "seed": 42}"#)
      var failures = 0
      for _ in 0..<40 where try await lab.get("/api/machines", token: token).status >= 500 {
        failures += 1
      }
      #expect(failures > 5 && failures < 35)
    }
  }
}
