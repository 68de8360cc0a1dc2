import ArgumentParser
import Foundation

/// The `lr` command: a scripting REPL and batch runner for Defender for Endpoint Live Response.
@main
struct LR: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lr",
    abstract: "Scripting REPL and batch runner for Microsoft Defender for Endpoint Live Response.",
    version: LRVersion.current,
    subcommands: [
      CheckCommand.self,
      CompileCommand.self,
      FormatCommand.self,
      REPLCommand.self,
    ],
    defaultSubcommand: REPLCommand.self
  )

  /// Runs a command, turning every error into a message and an exit status in one place.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var async = command as? any AsyncParsableCommand {
        try await async.run()
      } else {
        try command.run()
      }
    } catch let error as UsageError {
      Terminal.err("lr: \(error.description)\n")
      exit(withError: ExitStatus.usage)
    } catch {
      exit(withError: error)
    }
  }
}
