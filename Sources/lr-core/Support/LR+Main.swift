import ArgumentParser
import Foundation
import LRSystem

extension LR {
  /// Parses and runs, mapping usage errors to exit status 2 (ArgumentParser's default is 64).
  static func main() async {
    // `lr --version` alone is answered before swift-argument-parser builds the command tree and
    // reflects over its options, which is most of the time lr spends in `main` (issue 16.3;
    // docs/benchmarks.md). Any other use of --version still goes through the parser.
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments == ["--version"] {
      Terminal.out(LRVersion.current + "\n")
      return
    }
    do {
      // `lr check FILE…` and the REPL's plain starts skip the parser (FastDispatch).
      var command: any ParsableCommand
      if let fast = FastDispatch.command(arguments) {
        command = fast
      } else {
        command = try parseAsRoot(arguments)
      }
      if let cancellable = command as? any CancelsOnInterrupt {
        try await Interrupt.run(cancellable)
      } else if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        ImmediateInterrupt.install()
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
