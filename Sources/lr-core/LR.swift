import ArgumentParser
import LRSystem

/// The `lr` command: a scripting REPL and batch runner for Defender for Endpoint Live Response.
@main
struct LR: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lr",
    abstract: "Scripting REPL and batch runner for Microsoft Defender for Endpoint Live Response.",
    usage: """
      lr [--lab | --profile NAME | --offline] [--output human|json]
      lr <subcommand>
      """,
    discussion: """
      Without a subcommand, lr opens the REPL (`lr repl --help` lists its options):
        lr --lab             the built-in lab: an in-process emulator with a demo
                             fleet, no tenant needed; `--lab` works with run,
                             machines, library and actions too. The lab runs 10
                             times faster than real time: LR_LAB_TIME_SCALE sets
                             the factor (LR_LAB_TIME_SCALE=1 for real time).
        lr --profile NAME    a tenant from the configuration.
        lr --offline         send nothing: show the bodies statements would POST.
      """,
    version: LRVersion.current,
    subcommands: [
      REPLCommand.self, CheckCommand.self, CompileCommand.self, FormatCommand.self,
      RunCommand.self, PlanCommand.self, ResumeCommand.self, RerunCommand.self, ReportCommand.self,
      RunsCommand.self, WorkerCommand.self, WatchCommand.self,
      AuditCommand.self, ApproveCommand.self,
      QueryCommand.self, StackCommand.self, ResultsCommand.self, MachinesCommand.self,
      LibraryCommand.self, ActionsCommand.self, LoginCommand.self, LogoutCommand.self,
      EmulatorCommand.self, LSPCommand.self,
    ],
    defaultSubcommand: REPLCommand.self
  )
}
