import ArgumentParser

/// The `lr` command: a scripting REPL and batch runner for Defender for Endpoint Live Response.
@main
struct LR: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lr",
    abstract: "Scripting REPL and batch runner for Microsoft Defender for Endpoint Live Response.",
    version: LRVersion.current,
    subcommands: [
      REPLCommand.self, CheckCommand.self, CompileCommand.self, FormatCommand.self,
      RunCommand.self, ResumeCommand.self, RunsCommand.self, AuditCommand.self,
      MachinesCommand.self,
      LibraryCommand.self, ActionsCommand.self, LoginCommand.self, LogoutCommand.self,
      EmulatorCommand.self, LSPCommand.self,
    ],
    defaultSubcommand: REPLCommand.self
  )
}
