import ArgumentParser
import Foundation

extension LR {
  /// Parses and runs, mapping usage errors to exit status 2 (ArgumentParser's default is 64).
  static func main() async {
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
