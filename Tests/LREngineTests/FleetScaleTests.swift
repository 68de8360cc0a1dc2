import DefenderClient
import DefenderEmulator
import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import Testing

/// A fleet of thousands of machines on the emulator over loopback HTTP (issue 16.4): the fleet is
/// listed page by page, and the pre-flight's cost per machine does not grow with the fleet.
@Suite(.serialized) struct FleetScaleTests {
  static func name(_ i: Int) -> String { String(format: "fleet-%05d.scale.contoso.com", i) }

  /// `count` Windows machines tagged `Scale`; the last one shares its name with the first (a
  /// potential duplicate).
  static func scenario(_ count: Int) throws -> Scenario {
    let demo = try #require(Scenario.builtIn("demo"))
    let machines = (1...count).map { i in
      ScenarioMachine(
        id: "5c" + String(format: "%038d", i), computerDnsName: name(i == count ? 1 : i),
        osPlatform: "Windows11", machineTags: ["Scale"])
    }
    return Scenario(
      name: "scale", tenant: "lab", apps: demo.apps, users: demo.users, machines: machines,
      library: [ScenarioLibraryFile(fileName: "a.ps1")])
  }

  static func plan(_ text: String) throws -> Plan {
    let output = Compiler.compile(SourceFile(name: "scale.lr", text: text))
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics.map(\.message))")
    return output.plan
  }

  /// A tag over 2,500 machines reads the fleet in three `$top=1000` windows (`$skip` 1000 and
  /// 2000), not in one 10,000-machine page: a reader holds one page of machines at a time, and a
  /// fleet over the service's 10,000 is read whole.
  @Test(.timeLimit(.minutes(3))) func theFleetIsListedPageByPage() async throws {
    try await EmulatorFixture.with(try Self.scenario(2_500), timeScale: 600) { lab in
      let resolver = TargetResolver(
        api: try lab.client(), baseDirectory: FileManager.default.temporaryDirectory)
      let statement = try #require(
        try Self.plan("on tag \"scale\" < run a.ps1 >").allStatements.first)
      let found = try await resolver.resolve(statement.target, results: [:])
      #expect(found.machines.count == 2_500)
      #expect(Set(found.machines.map(\.id)).count == 2_500)
      let pages = lab.requests.matching("GET") { $0.hasPrefix("/api/machines") }.map(\.target)
      #expect(pages.count == 3, "\(pages)")
      #expect(
        pages.allSatisfy { $0.range(of: "[$]top=1000(&|$)", options: .regularExpression) != nil },
        "\(pages)")
      #expect(pages.filter { $0.contains("$skip=2000") }.count == 1, "\(pages)")
    }
  }

  /// The pre-flight of a 6,000-machine tag finds the one duplicate and assesses every machine,
  /// in seconds: each verdict looks its machine, name and actions up instead of scanning the
  /// fleet (a scan per machine took minutes at 10,000 machines).
  @Test(.timeLimit(.minutes(3))) func thePreflightCostsTheSamePerMachineAtScale() async throws {
    let count = 6_000
    try await EmulatorFixture.with(try Self.scenario(count), timeScale: 600) { lab in
      let plan = try Self.plan("on tag \"scale\" < run a.ps1 >")
      let clock = ContinuousClock()
      var preflight: Preflight?
      let elapsed = try await clock.measure {
        preflight = try await Preflight.check(
          plan, api: try lab.client(), baseDirectory: FileManager.default.temporaryDirectory)
      }
      let verdicts = try #require(preflight).verdicts
      #expect(verdicts.count == count)
      #expect(verdicts.filter { $0.state == .duplicate }.count == 2)
      #expect(elapsed < .seconds(40), "the pre-flight of \(count) machines took \(elapsed)")
    }
  }
}
