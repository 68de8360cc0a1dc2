import DefenderClient
import LRLanguage

/// Machine names, library files and tags from the service, for completion in editors.
enum ServiceNames {
  /// Fetches the names once (errors are logged and give empty lists: completion still works).
  static func fetch(_ api: DefenderAPI, log: @Sendable (String) -> Void) async -> CompletionNames {
    do {
      async let machines = api.machines()
      async let files = api.libraryFiles()
      let fleet = try await machines
      let library = try await files.map(\.fileName).sorted()
      return CompletionNames(
        machines: fleet.compactMap(\.computerDnsName).sorted(), scripts: library, files: library,
        tags: Set(fleet.flatMap(\.machineTags)).sorted())
    } catch {
      log("cannot fetch machine and library names: \(error)")
      return CompletionNames()
    }
  }
}
