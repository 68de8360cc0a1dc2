import Foundation
import LRModules
import LRResults

/// Finds the output format a library script declares (`# lr:output …` in its header) from local
/// copies of the scripts: the run's script folder first, then the stdlib scripts. A script with
/// no local copy, or no declaration, is detected from its output (nil).
struct ScriptFormats: Sendable {
  /// The folders searched, in order.
  var folders: [URL]

  /// The folders of a run whose source is in `scriptDirectory`, then the stdlib's scripts.
  init(scriptDirectory: URL) {
    folders = [scriptDirectory] + [StdlibLocator.scriptsDirectory().map { URL(fileURLWithPath: $0) }].compactMap { $0 }
  }

  /// Searches exactly `folders`.
  init(folders: [URL]) {
    self.folders = folders
  }

  /// The format `scriptName` declares, or nil.
  func format(of scriptName: String) -> OutputFormat? {
    guard !scriptName.isEmpty, !scriptName.contains("/"), !scriptName.contains("\\"),
      scriptName != ".", scriptName != ".."
    else { return nil }
    for folder in folders {
      let url = folder.appendingPathComponent(scriptName)
      guard let handle = try? FileHandle(forReadingFrom: url) else { continue }
      defer { try? handle.close() }
      let head = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
      return OutputDeclaration.format(inScript: String(decoding: head, as: UTF8.self))
    }
    return nil
  }
}
