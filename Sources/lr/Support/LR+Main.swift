import ArgumentParser
import Foundation

extension LR {
  /// Parses and runs, mapping usage errors to exit status 2 (ArgumentParser's default is 64).
  static func main() async {
    // `lr --version` alone is answered before swift-argument-parser builds the command tree and
    // reflects over its options, which is most of the time lr spends in `main` (issue 16.3;
    // docs/benchmarks.md). Any other use of --version still goes through the parser.
    if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
      Terminal.out(LRVersion.current + "\n")
      return
    }
    do {
      var command = try parseAsRoot()
      if let cancellable = command as? any CancelsOnInterrupt {
        try await Interrupt.run(cancellable)
      } else if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        Interrupt.exitAtOnce()
        try command.run()
      }
    } catch let error as UsageError {
      Terminal.printError("lr: \(error.description)")
      Foundation.exit(ExitStatus.usage.rawValue)
    } catch {
      if exitCode(for: error) == .validationFailure, !(error is ExitCode) {
        Terminal.printError(fullMessage(for: error))
        Foundation.exit(ExitStatus.usage.rawValue)
      }
      exit(withError: error)
    }
  }
}
