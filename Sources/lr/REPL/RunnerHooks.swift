import Foundation
import LRShell

/// Where the REPL gets a real ``StatementRunner``. The engine (issue 5) and the in-process lab
/// emulator plug in here; until then both return nil and the REPL uses the offline preview.
enum RunnerHooks {
  /// `lr --lab`: start the in-process emulator with the demo scenario and return a runner on it.
  /// ENGINE HOOK: return the engine's runner against the lab emulator.
  static func lab() async throws -> (any StatementRunner)? { nil }

  /// `lr --profile NAME`: a runner that sends statements to the tenant of the profile.
  /// ENGINE HOOK: return the engine's runner for the profile.
  static func service(_ profile: String) async throws -> (any StatementRunner)? { nil }

  /// Script names of the stdlib (`stdlib/scripts`), for completion without a service.
  static func localScripts() -> [String] {
    guard let folder = Stdlib.scriptsDirectory else { return [] }
    let items = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return items.filter { !$0.hasPrefix(".") }.sorted()
  }
}
