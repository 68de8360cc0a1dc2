import ArgumentParser
import DefenderClient
import Foundation
import LRModules
import LRShell
import LRSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the REPL gets a real ``StatementRunner``: the engine on the in-process lab, or on a
/// profile's tenant; with a team, its journal and its shared budget.
enum RunnerHooks {
  /// `lr --lab`: start the in-process emulator with the demo scenario and return a runner on it.
  static func lab(team: TeamOption = TeamOption()) async throws -> (any StatementRunner)? {
    try await labEngine(team: team)
  }

  /// `lr --lab` on a terminal: the same lab started on a background task while the prompt is
  /// shown (``DeferredRunner``), unless a team database is configured, whose errors must stop
  /// lr before the prompt (exit 3).
  static func deferredLab(team: TeamOption) -> (any StatementRunner)? {
    guard isatty(STDIN_FILENO) == 1, (try? team.setting()).map({ $0.url == nil }) ?? false else {
      return nil
    }
    return DeferredRunner(kind: .lab) { try await labEngine(team: team) }
  }

  /// The engine on a newly started lab.
  static func labEngine(team: TeamOption) async throws -> EngineRunner {
    let connection = try await Connection.open(
      try ConnectionOptions.parse(["--lab"]), team: team)
    return try await EngineRunner.open(kind: .lab, connection: connection, team: team)
  }

  /// `lr --profile NAME`: a runner that sends statements to the tenant of the profile.
  static func service(_ profile: String, team: TeamOption = TeamOption()) async throws
    -> (any StatementRunner)?
  {
    let connection = try await Connection.open(
      try ConnectionOptions.parse(["--profile", profile]), team: team)
    return try await EngineRunner.open(
      kind: .service(profile: profile), connection: connection, team: team, profile: profile)
  }

  /// Script names of the stdlib (`stdlib/scripts`), for completion without a service.
  static func localScripts() -> [String] {
    guard let folder = StdlibLocator.scriptsDirectory() else { return [] }
    return FileSystem.names(in: folder).filter { !$0.hasPrefix(".") }.sorted()
  }
}
