import DefenderClient
import Foundation
import LRTestSupport
import Testing

@Suite(.serialized) struct ActionsCommandTests {
  @Test func listShowAndNotFound() async throws {
    let emulator = try EmulatorProcess()
    defer { emulator.stop() }
    let env = emulator.environment()
    let list = try await LRTestSupport.runLR(
      ["actions", "list", "--output", "json"], environment: env)
    #expect(list.status == 0, "\(list.stderr)")
    let show = try await LRTestSupport.runLR(
      ["actions", "show", "00000000-0000-0000-0000-000000000000"], environment: env)
    #expect(show.status == 1)
    #expect(show.stderr.hasPrefix("lr: error:"))
  }

  @Test func resultsAndCancelThroughTheCLI() async throws {
    let emulator = try EmulatorProcess()
    defer { emulator.stop() }
    let env = emulator.environment()
    // Submit through the client core (the engine's job), then use the CLI on the action.
    let api = DefenderAPI(
      settings: ConnectionSettings(
        tenantID: "lab", clientID: "lr-lab", credential: .secret(Secret("lr-lab-secret")),
        cloud: try Cloud.custom(apiBaseURL: emulator.baseURL, authorityBaseURL: emulator.baseURL)),
      clock: SystemRateClock(scale: 60))
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
    await api.shutdown()
  }

  @Test func hostileOutputIsSanitizedOnTheTerminalPath() async throws {
    let emulator = try EmulatorProcess()
    defer { emulator.stop() }
    let env = emulator.environment()
    let api = DefenderAPI(
      settings: ConnectionSettings(
        tenantID: "lab", clientID: "lr-lab", credential: .secret(Secret("lr-lab-secret")),
        cloud: try Cloud.custom(apiBaseURL: emulator.baseURL, authorityBaseURL: emulator.baseURL)),
      clock: SystemRateClock(scale: 60))
    let hostile = try await api.machine("ws-hostile-13.contoso.com")
    let submission = try await api.runLiveResponse(
      machineID: hostile.id, commands: [.runScript("Get-Processes.ps1")], comment: "hostile")
    _ = try await api.waitUntilFinished(actionID: submission.action.id)
    let fetched = try await LRTestSupport.runLR(
      ["actions", "results", submission.action.id, "--output", "human"], environment: env)
    #expect(fetched.status == 0, "\(fetched.stderr)")
    #expect(!fetched.stdout.contains("\u{1B}"))
    #expect(!fetched.stdout.contains("\u{07}"))
    await api.shutdown()
  }
}
