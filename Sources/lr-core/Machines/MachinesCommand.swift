import ArgumentParser
import DefenderClient
import Foundation

/// `lr machines [FILTER]`: list devices.
struct MachinesCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "machines",
    abstract: "List machines (devices), optionally filtered.",
    discussion: """
      FILTER is either a name prefix (`ws-01` lists machines whose name starts with ws-01) or an \
      OData $filter expression (`healthStatus eq 'Active'`, `contains(machineTags,'Critical')`).
      With --output json, prints one machine per line (JSON lines).
      """)

  @OptionGroup var connection: ConnectionOptions

  @Argument(help: "Name prefix or OData $filter.")
  var filter: String?

  @Option(help: "Stop after this many machines.")
  var limit: Int?

  func validate() throws {
    if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
  }

  /// The OData filter for the FILTER argument.
  static func odataFilter(_ filter: String?) -> String? {
    guard let filter = filter?.trimmingCharacters(in: .whitespaces), !filter.isEmpty else {
      return nil
    }
    let operators = [" eq ", " ne ", " gt ", " ge ", " lt ", " le ", " in ", "(", " and ", " or "]
    if operators.contains(where: { filter.lowercased().contains($0) }) { return filter }
    let quoted = filter.lowercased().replacingOccurrences(of: "'", with: "''")
    return "startswith(computerDnsName,'\(quoted)')"
  }

  func run() async throws {
    try await ErrorReporting.run {
      let machines = try await Connection.with(connection) { connection in
        try await connection.api.machines(
          filter: Self.odataFilter(filter), limit: limit)
      }
      switch connection.format {
      case .json:
        for machine in machines { try JSONLines.print(machine) }
      case .human:
        let rows = machines.map { machine in
          [
            machine.id, machine.computerDnsName ?? "",
            machine.platform == .unknown ? "unknown" : machine.osPlatform ?? "",
            machine.healthStatus ?? "", machine.riskScore ?? "", machine.lastIpAddress ?? "",
            machine.machineTags.joined(separator: ","),
          ]
        }
        Terminal.out(
          Table(
            headers: ["ID", "NAME", "OS", "HEALTH", "RISK", "LAST IP", "TAGS"], rows: rows
          ).render())
        Terminal.line("\(machines.count) machine\(machines.count == 1 ? "" : "s")")
      }
    }
  }
}
