import Foundation
import LRTestSupport
import Testing

@Suite(.serialized) struct LoginCommandTests {
  @Test func deviceCodeLoginCachesPrivatelyAndLogoutForgets() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      var env = emulator.environment()
      env["AZURE_CLIENT_SECRET"] = ""
      let login = try await LRTestSupport.runLR(["login", "--output", "json"], environment: env)
      #expect(login.status == 0, "\(login.stderr)")
      #expect(login.stderr.contains("code"))
      let cache = emulator.configHome.path + "/lr/tokens/lab-lr-lab.json"
      let mode =
        try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? NSNumber
      #expect(mode?.intValue == 0o600)
      let machines = try await LRTestSupport.runLR(
        ["machines", "--output", "json"], environment: env)
      #expect(machines.status == 0, "\(machines.stderr)")
      #expect(machines.stdout.contains("mymachine1"))
      let logout = try await LRTestSupport.runLR(["logout"], environment: env)
      #expect(logout.status == 0)
      #expect(!FileManager.default.fileExists(atPath: cache))
      let after = try await LRTestSupport.runLR(["machines"], environment: env)
      #expect(after.status == 3)
      #expect(after.stderr.contains("lr login"))
    }
  }
}
