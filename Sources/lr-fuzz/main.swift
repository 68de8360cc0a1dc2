import Foundation
import LRFuzz
import LRLanguage

/// `lr-fuzz`: generated and mutated inputs through the checker, the formatter and the language
/// server's framing for a bounded time (`make fuzz`). A supervisor runs a worker process; the
/// worker saves each failing input to `Tests/fuzz-corpus/<kind>/<hash>` (a hang ends it), and when
/// the worker crashes the supervisor saves the input it was checking. `--replay FILE…` runs corpus
/// files again. Usage: lr-fuzz [--seconds N] [--seed N] [--per-input-seconds N] [--root DIR]
struct Settings {
  var seconds = 300.0
  var seed = UInt64.random(in: 1...UInt64(UInt32.max))
  var perInput = 5.0
  var root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  var worker = false
  var current = ""
  var replay: [String] = []

  init(_ arguments: [String]) {
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      switch argument {
      case "--seconds": seconds = Double(rest.popFirst() ?? "") ?? seconds
      case "--seed": seed = UInt64(rest.popFirst() ?? "") ?? seed
      case "--per-input-seconds": perInput = Double(rest.popFirst() ?? "") ?? perInput
      case "--root": root = URL(fileURLWithPath: rest.popFirst() ?? ".")
      case "--worker": worker = true
      case "--current": current = rest.popFirst() ?? ""
      case "--replay":
        replay = Array(rest)
        rest = []
      default:
        let message = Data("lr-fuzz: unknown argument \(argument)\n".utf8)
        try? FileHandle.standardError.write(contentsOf: message)
        exit(2)
      }
    }
  }

  var corpus: FuzzCorpus { FuzzCorpus(folder: root.appendingPathComponent("Tests/fuzz-corpus")) }
  var limit: Duration { .milliseconds(Int(perInput * 1000)) }
}

/// Prints a line at once (the supervisor and worker share the terminal); a closed standard output
/// ends the fuzzer quietly, as for any Unix tool.
func say(_ line: String) {
  do { try FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8)) } catch {
    exit(141)
  }
}

let settings = Settings(Array(CommandLine.arguments.dropFirst()))
if !settings.replay.isEmpty {
  exit(Replay.run(settings))
} else if settings.worker {
  exit(Worker.run(settings))
} else {
  exit(Supervisor.run(settings))
}
