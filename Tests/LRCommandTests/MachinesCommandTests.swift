import Foundation
import LRTestSupport
import Testing

@Suite(.serialized) struct MachinesCommandTests {
  /// The "done when": env vars against a running `lr emulator` list the demo fleet.
  @Test func listsTheDemoFleetAsJSONLinesAgainstARunningEmulator() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let result = try await LRTestSupport.runLR(
        ["machines", "--output", "json"], environment: emulator.environment())
      #expect(result.status == 0, "\(result.stderr)")
      let machines = try result.stdout.split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      }
      #expect(
        machines.contains {
          $0["id"] as? String == "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"
            && $0["computerDnsName"] as? String == "mymachine1.contoso.com"
        })
      #expect(machines.count >= 10)
      #expect(!result.stdout.contains("lr-lab-secret") && !result.stderr.contains("lr-lab-secret"))
    }
  }

  @Test func prefixFilterAndHumanTable() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let result = try await LRTestSupport.runLR(
        ["machines", "ws-014", "--output", "human"], environment: emulator.environment())
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.hasPrefix("ID"))
      #expect(result.stdout.contains("ws-0142.contoso.com"))
      #expect(!result.stdout.contains("mymachine1"))
      #expect(result.stdout.contains("2 machines"))
    }
  }

  @Test func notATerminalMeansJSON() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let result = try await LRTestSupport.runLR(
        ["machines", "--verbose"], environment: emulator.environment())
      #expect(result.status == 0)
      #expect(result.stdout.hasPrefix("{"))
      // Verbose logs show calls but never the secret or the token.
      #expect(result.stderr.contains("/api/machines"))
      #expect(!result.stderr.contains("lr-lab-secret"))
      #expect(!result.stderr.contains("Bearer"))
    }
  }

  @Test func wrongSecretExitsThreeWithoutEchoingIt() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let result = try await LRTestSupport.runLR(
        ["machines"], environment: emulator.environment(secret: "not-the-secret-42"))
      #expect(result.status == 3)
      #expect(result.stderr.contains("client secret"))
      #expect(!result.stderr.contains("not-the-secret-42"))
    }
  }

  @Test func missingPermissionExitsThree() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let result = try await LRTestSupport.runLR(
        ["library", "list"],
        environment: emulator.environment(
          client: "lr-lab-readonly", secret: "lr-lab-readonly-secret")
      )
      #expect(result.status == 3)
      #expect(result.stderr.contains("Library.Manage"))
    }
  }

  @Test func missingConfigurationExitsThree() async throws {
    let home = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: home) }
    let result = try await LRTestSupport.runLR(
      ["machines"],
      environment: [
        "AZURE_TENANT_ID": "", "AZURE_CLIENT_ID": "", "AZURE_CLIENT_SECRET": "", "LR_CONFIG": "",
        "XDG_CONFIG_HOME": home.path, "LR_API_URL": "", "LR_AUTHORITY_URL": "",
      ])
    #expect(result.status == 3)
    #expect(result.stderr.contains("AZURE_TENANT_ID"))
  }

  @Test func usageErrorsExitTwo() async throws {
    let result = try await LRTestSupport.runLR(["machines", "--limit", "0"])
    #expect(result.status == 2)
    let unknown = try await LRTestSupport.runLR(["machines", "--no-such-flag"])
    #expect(unknown.status == 2)
  }

  @Test func labFlagNeedsNoTenant() async throws {
    let home = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: home) }
    let result = try await LRTestSupport.runLR(
      ["machines", "--lab", "--output", "json"],
      environment: ["AZURE_TENANT_ID": "", "AZURE_CLIENT_ID": "", "XDG_CONFIG_HOME": home.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("mymachine1.contoso.com"))
  }
}
