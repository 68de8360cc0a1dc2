import DefenderClient
import Foundation
import LRTestSupport
import LiveResponse
import Testing

@Suite(.serialized) struct ActionsCommandTests {
  @Test func listShowAndNotFound() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let env = emulator.environment()
      let list = try await LRTestSupport.runLR(
        ["actions", "list", "--output", "json"], environment: env)
      #expect(list.status == 0, "\(list.stderr)")
      let show = try await LRTestSupport.runLR(
        ["actions", "show", "00000000-0000-0000-0000-000000000000"], environment: env)
      #expect(show.status == 1)
      #expect(show.stderr.hasPrefix("lr: error:"))
    }
  }

  @Test func listFiltersByMachineAndStatus() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let env = emulator.environment()
      let api = try emulator.client()
      let first = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"
      let other = try await api.machine("ws-0142.contoso.com").id
      let done = try await api.runLiveResponse(
        machineID: first, commands: [.runScript("Get-Processes.ps1")], comment: "finished one",
        holdSession: false)
      _ = try await api.waitUntilFinished(actionID: done.action.id)
      let running = try await api.runLiveResponse(
        machineID: first, commands: [.runScript("sleep.ps1", args: "600")], comment: "running one",
        holdSession: false)
      let elsewhere = try await api.runLiveResponse(
        machineID: other, commands: [.runScript("sleep.ps1", args: "600")], comment: "elsewhere",
        holdSession: false)
      func list(_ arguments: [String]) async throws -> [[String: Any]] {
        let result = try await LRTestSupport.runLR(
          ["actions", "list", "--output", "json"] + arguments, environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        return try result.stdout.split(separator: "\n").map {
          try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
      }
      func ids(_ actions: [[String: Any]]) -> Set<String> {
        Set(actions.compactMap { $0["id"] as? String })
      }
      #expect(
        ids(try await list([]))
          == [done.action.id, running.action.id, elsewhere.action.id])
      let onFirst = try await list(["--machine", first])
      #expect(ids(onFirst) == [done.action.id, running.action.id])
      #expect(onFirst.allSatisfy { $0["machineId"] as? String == first })
      let pending = try await list(["--status", "Pending"]) + list(["--status", "InProgress"])
      #expect(ids(pending) == [running.action.id, elsewhere.action.id])
      let both = try await list(["--machine", first, "--status", "Succeeded"])
      #expect(ids(both) == [done.action.id])
      #expect(both.first?["status"] as? String == "Succeeded")
      #expect((both.first?["requestorComment"] as? String)?.hasPrefix("finished one") == true)
      let human = try await LRTestSupport.runLR(
        ["actions", "list", "--machine", other, "--output", "human"], environment: env)
      #expect(human.stdout.hasPrefix("ID"))
      #expect(human.stdout.contains(elsewhere.action.id))
      #expect(!human.stdout.contains(done.action.id))
      for id in [running.action.id, elsewhere.action.id] {
        _ = try await api.cancelMachineAction(id, comment: "test done")
      }
    }
  }

  @Test func resultsAndCancelThroughTheCLI() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let env = emulator.environment()
      // Submit through the client core (the engine's job), then use the CLI on the action.
      let api = try emulator.client()
      let machine = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"
      let submission = try await api.runLiveResponse(
        machineID: machine,
        commands: [
          .runScript("Get-Processes.ps1"), .getFile(#"C:\Windows\System32\drivers\etc\hosts"#),
        ],
        comment: "cli results")
      let done = try await api.waitUntilFinished(actionID: submission.action.id)
      #expect(done.status == .succeeded)

      let show = try await LRTestSupport.runLR(
        ["actions", "show", done.id, "--output", "human"], environment: env)
      #expect(show.stdout.contains("Succeeded"))
      #expect(show.stdout.contains("[1] GetFile"))

      let results = try LRTestSupport.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: results) }
      let fetched = try await LRTestSupport.runLR(
        [
          "actions", "results", done.id, "--run", "r1", "--results-dir", results.path, "--output",
          "json",
        ],
        environment: env)
      #expect(fetched.status == 0, "\(fetched.stderr)")
      let lines = fetched.stdout.split(separator: "\n")
      #expect(lines.count == 2)
      #expect(lines[0].contains(#""exit_code":0"#))
      #expect(lines[1].contains("r1/mymachine1.contoso.com/C/Windows/System32/drivers/etc/hosts"))
      #expect(lines[1].contains(#""sha256":""#))

      let sleeper = try await api.runLiveResponse(
        machineID: machine, commands: [.runScript("sleep.ps1", args: "600")], comment: "to cancel",
        holdSession: false)
      let cancel = try await LRTestSupport.runLR(
        ["actions", "cancel", sleeper.action.id, "--output", "json"], environment: env)
      #expect(cancel.status == 0, "\(cancel.stderr)")
      #expect(try await api.machineAction(sleeper.action.id).status == .cancelled)
    }
  }

  @Test func hostileOutputIsSanitizedOnTheTerminalPath() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let env = emulator.environment()
      let api = try emulator.client()
      let hostile = try await api.machine("ws-hostile-13.contoso.com")
      let submission = try await api.runLiveResponse(
        machineID: hostile.id, commands: [.runScript("Get-Processes.ps1")], comment: "hostile")
      _ = try await api.waitUntilFinished(actionID: submission.action.id)
      let fetched = try await LRTestSupport.runLR(
        ["actions", "results", submission.action.id, "--output", "human"], environment: env)
      #expect(fetched.status == 0, "\(fetched.stderr)")
      #expect(!fetched.stdout.contains("\u{1B}"))
      #expect(!fetched.stdout.contains("\u{07}"))
    }
  }
}
