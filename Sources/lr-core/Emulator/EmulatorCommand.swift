import ArgumentParser
import DefenderEmulator
import Dispatch
import Foundation
import LRModules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lr emulator`: runs the local Defender for Endpoint Live Response emulator.
struct EmulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "emulator",
    abstract: "Run the local Defender for Endpoint Live Response emulator (lab and tests).",
    discussion: """
      Prints `listening on http://HOST:PORT` as its first line (with --tls, `https://…` and the
      CA certificate's path on the second line), then logs requests to standard error. Stops on
      SIGINT or SIGTERM. The scenario format and the admin endpoint are described in
      docs/emulator.md.
      """
  )

  @Option(help: "Port to listen on (0 picks a free one).")
  var port: Int = 0

  @Option(help: "Address to bind.")
  var host: String = "127.0.0.1"

  @Option(help: "Built-in scenario name (demo, large) or a scenario JSON file.")
  var scenario: String = "demo"

  @Option(name: .customLong("time-scale"), help: "Run every modelled duration S times faster.")
  var timeScale: Double = 1

  @Flag(help: "Serve HTTPS with a generated certificate; prints the CA certificate's path.")
  var tls = false

  @Option(
    name: .customLong("admin-key"),
    help: "Secret for the admin endpoint (default: random, printed on stderr).")
  var adminKey: String?

  @Flag(help: "Do not log requests.")
  var quiet = false

  func validate() throws {
    guard timeScale > 0 else { throw ValidationError("--time-scale must be positive") }
    guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535") }
  }

  func run() async throws {
    let loaded: Scenario
    if let builtIn = Scenario.builtIn(scenario) {
      loaded = builtIn
    } else {
      do {
        loaded = try Scenario.load(from: URL(fileURLWithPath: scenario))
      } catch {
        Terminal.err("lr emulator: cannot load scenario \(scenario): \(error)\n")
        throw ExitStatus.configuration
      }
    }
    let server = try await EmulatorServer.start(
      scenario: loaded, host: host, port: port, timeScale: timeScale, tls: tls,
      libraryDirectory: StdlibLocator.scriptsDirectory().map { URL(fileURLWithPath: $0) },
      logger: EmulatorServer.standardErrorLogger(requests: !quiet), adminKey: adminKey,
      stopOnSignals: true)
    var banner = "listening on \(server.baseURL.absoluteString)\n"
    if let ca = server.caCertificatePath { banner += ca + "\n" }
    Terminal.out(banner)
    Terminal.err(
      "scenario \(loaded.name): \(loaded.machines.count) machines, tenant \(loaded.tenant); admin key \(server.adminKey)\n"
    )

    try await server.wait()
  }
}
