import Foundation
import LRFuzz

/// Runs workers until the time is up; saves the input of a worker that crashed.
enum Supervisor {
  static func run(_ settings: Settings) -> Int32 {
    let deadline = Date().addingTimeInterval(settings.seconds)
    let current = FileManager.default.temporaryDirectory
      .appendingPathComponent("lr-fuzz-current-\(getpid())")
    defer { try? FileManager.default.removeItem(at: current) }
    var seed = settings.seed
    var failed = false
    say("lr-fuzz: \(Int(settings.seconds)) s from seed \(seed) (replay: --seed \(seed))")
    while Date() < deadline {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
      process.arguments = [
        "--worker", "--seed", "\(seed)", "--seconds", "\(deadline.timeIntervalSinceNow)",
        "--per-input-seconds", "\(settings.perInput)", "--root", settings.root.path,
        "--current", current.path,
      ]
      do { try process.run() } catch {
        say("lr-fuzz: cannot start a worker: \(error)")
        return 2
      }
      process.waitUntilExit()
      if process.terminationReason == .exit {
        failed = failed || process.terminationStatus != 0
        if process.terminationStatus != 3 { break }  // 3: a hang (saved); go on with a new seed
      } else {
        failed = true
        saveCrash(current, settings, signal: process.terminationStatus)
      }
      seed &+= 1
      say("lr-fuzz: new worker from seed \(seed)")
    }
    say(failed ? "lr-fuzz: failures found (see above)" : "lr-fuzz: no failures")
    return failed ? 1 : 0
  }

  /// Saves the input a crashed worker was checking (`kind` line, then the bytes).
  static func saveCrash(_ current: URL, _ settings: Settings, signal: Int32) {
    guard let data = FileManager.default.contents(atPath: current.path),
      let newline = data.firstIndex(of: 10),
      let kind = FuzzKind(rawValue: String(decoding: data[..<newline], as: UTF8.self))
    else {
      say("CRASH (signal \(signal)) before any input was written")
      return
    }
    let input = Array(data[(newline + 1)...])
    let file = try? settings.corpus.save(input, kind: kind)
    say("CRASH (signal \(signal)) in \(kind): input saved to \(file?.path ?? "(not saved)")")
  }
}
