import Foundation
import LRFuzz

/// Runs corpus files again (the kind is the name of the file's folder).
enum Replay {
  static func run(_ settings: Settings) -> Int32 {
    let modules = FuzzCorpus.stdlibModules(root: settings.root)
    var failed = false
    for path in settings.replay {
      let url = URL(fileURLWithPath: path)
      guard let kind = FuzzKind(rawValue: url.deletingLastPathComponent().lastPathComponent),
        let data = FileManager.default.contents(atPath: path)
      else {
        say("\(path): not a corpus file (Tests/fuzz-corpus/<kind>/<hash>)")
        failed = true
        continue
      }
      let failure = FuzzCheck.run(kind, Array(data), modules: modules, limit: settings.limit)
      say("\(path): \(failure ?? "ok")")
      failed = failed || failure != nil
    }
    return failed ? 1 : 0
  }
}
