import Foundation
import LRFuzz
import LRLanguage

/// Generates and checks inputs until the time is up; saves (shrunk) failing inputs.
enum Worker {
  static func run(_ settings: Settings) -> Int32 {
    let deadline = Date().addingTimeInterval(settings.seconds)
    let mutator = FuzzMutator(seeds: FuzzSeeds(root: settings.root))
    let modules = FuzzCorpus.stdlibModules(root: settings.root)
    var random = FuzzRandom(seed: settings.seed)
    var counts: [FuzzKind: Int] = [:]
    var seen: [String: Int] = [:]
    var failures = 0
    while Date() < deadline {
      let kind = FuzzKind.allCases[random.below(FuzzKind.allCases.count)]
      let input = mutator.input(kind, &random)
      counts[kind, default: 0] += 1
      var record = Data(kind.rawValue.utf8) + Data([10])
      record.append(contentsOf: input)
      try? record.write(to: URL(fileURLWithPath: settings.current))
      guard let failure = FuzzCheck.run(kind, input, modules: modules, limit: settings.limit) else {
        continue
      }
      failures += 1
      let isHang = failure.hasPrefix("hang")
      let key = "\(kind) \(failure.prefix(40))"
      seen[key, default: 0] += 1
      if seen[key, default: 0] <= 3 {
        let small = isHang ? input : shrink(input, kind, modules: modules, limit: settings.limit)
        let file = try? settings.corpus.save(small, kind: kind)
        say("FAIL \(kind): \(failure)\n  input saved to \(file?.path ?? "(not saved)")")
      }
      if isHang { return 3 }  // its thread still runs: start a fresh worker
    }
    let summary = FuzzKind.allCases.map { "\(counts[$0, default: 0]) \($0)" }
    say("lr-fuzz: \(summary.joined(separator: ", ")) inputs, \(failures) failures")
    return failures > 0 ? 1 : 0
  }

  /// A smaller input that still fails: chunks removed while the check keeps failing (bounded).
  static func shrink(
    _ input: [UInt8], _ kind: FuzzKind, modules: any ModuleProvider, limit: Duration
  ) -> [UInt8] {
    var best = input
    var chunk = max(1, best.count / 2)
    var budget = 300
    while chunk >= 1, budget > 0 {
      var start = 0
      var removed = false
      while start < best.count, budget > 0 {
        var candidate = best
        candidate.removeSubrange(start..<min(best.count, start + chunk))
        budget -= 1
        let failure = FuzzCheck.run(kind, candidate, modules: modules, limit: limit)
        if let failure, !failure.hasPrefix("hang") {
          best = candidate
          removed = true
        } else {
          start += chunk
        }
      }
      if !removed { chunk /= 2 }
    }
    return best
  }
}
