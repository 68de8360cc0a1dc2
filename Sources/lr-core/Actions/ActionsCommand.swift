import ArgumentParser
import DefenderClient
import Foundation
import LiveResponse

/// `lr actions list|show|cancel|results`.
struct ActionsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "actions",
    abstract: "List, show, cancel machine actions and fetch their results.",
    subcommands: [List.self, Show.self, Cancel.self, Results.self],
    defaultSubcommand: List.self)

  /// `lr actions list`.
  struct List: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List machine actions.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Only actions on this machine id.") var machine: String?
    @Option(help: "Only actions with this status (Pending, InProgress, Succeeded, ...).")
    var status: String?
    @Option(help: "An OData $filter (combined with --machine/--status by `and`).") var filter:
      String?
    @Option(help: "At most this many actions.") var top: Int = 50

    func run() async throws {
      try await ErrorReporting.run {
        var clauses: [String] = []
        if let machine {
          clauses.append("machineId eq '\(machine.replacingOccurrences(of: "'", with: "''"))'")
        }
        if let status {
          clauses.append("status eq '\(status.replacingOccurrences(of: "'", with: "''"))'")
        }
        if let filter { clauses.append("(\(filter))") }
        let actions = try await Connection.with(connection) {
          try await $0.api.machineActions(
            filter: clauses.isEmpty ? nil : clauses.joined(separator: " and "), top: top)
        }
        switch connection.format {
        case .json: for action in actions { try JSONLines.print(action) }
        case .human:
          let rows = actions.map {
            [
              $0.id, $0.type ?? "", $0.status.rawValue, $0.computerDnsName ?? $0.machineId ?? "",
              $0.creationDateTimeUtc ?? "", $0.requestorComment ?? "",
            ]
          }
          Terminal.out(
            Table(headers: ["ID", "TYPE", "STATUS", "MACHINE", "CREATED", "COMMENT"], rows: rows)
              .render())
        }
      }
    }
  }

  /// `lr actions show ID`.
  struct Show: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show one action and its commands.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The action id.") var id: String

    func run() async throws {
      try await ErrorReporting.run {
        let action = try await Connection.with(connection) { try await $0.api.machineAction(id) }
        switch connection.format {
        case .json: try JSONLines.print(action)
        case .human: Terminal.out(ActionsCommand.describe(action))
        }
      }
    }
  }

  /// `lr actions cancel ID`.
  struct Cancel: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: "Cancel an action that has not finished.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The action id.") var id: String
    @Option(help: "Cancellation comment.") var comment = "Cancelled with lr"

    func run() async throws {
      try await ErrorReporting.run {
        let action = try await Connection.with(connection) {
          try await $0.api.cancelMachineAction(id, comment: comment)
        }
        switch connection.format {
        case .json: try JSONLines.print(action)
        case .human:
          Terminal.line("action \(action.id): \(Terminal.sanitize(action.status.rawValue))")
        }
      }
    }
  }

  /// `lr actions results ID`.
  struct Results: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "results",
      abstract: "Fetch the results of an action's completed commands.",
      discussion: """
        RunScript results print exit code, output and errors; GetFile results are streamed to \
        RESULTS/<run>/<machine>/<path> (gunzipped, SHA-256 shown). PutFile has no result.
        """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The action id.") var id: String
    @Option(help: "Only this command index.") var index: Int?
    @Option(help: "Run name used in the results path (default: the action id).") var run: String?

    func run() async throws {
      try await ErrorReporting.run {
        let format = connection.format
        try await Connection.with(connection) { connection in
          let api = connection.api
          let action = try await api.machineAction(id)
          let machine = action.computerDnsName ?? action.machineId ?? "machine"
          var printed = 0
          for command in action.commands where index == nil || command.index == index {
            guard command.isCompleted else { continue }
            switch command.command.type.lowercased() {
            case "runscript":
              let transcript = try await api.scriptTranscript(
                actionID: action.id, index: command.index)
              printed += 1
              switch format {
              case .json:
                try JSONLines.print(
                  ScriptResultLine(
                    actionId: action.id, index: command.index, transcript: transcript))
              case .human:
                Terminal.line(
                  "[\(command.index)] RunScript \(Terminal.sanitize(transcript.scriptName ?? command.command.parameter("ScriptName") ?? "")) exit code \(transcript.exitCode.map(String.init) ?? "?")"
                )
                if !transcript.scriptOutput.isEmpty {
                  Terminal.line(Terminal.sanitize(transcript.scriptOutput, multiline: true))
                }
                if !transcript.scriptErrors.isEmpty {
                  Terminal.line(Terminal.styled("errors:", "31"))
                  Terminal.line(Terminal.sanitize(transcript.scriptErrors, multiline: true))
                }
              }
            case "getfile":
              let remote = command.command.parameter("Path") ?? "file"
              let file = try await api.saveFileResult(
                actionID: action.id, index: command.index, remotePath: remote, machine: machine,
                run: run ?? action.id, root: api.settings.resultsDirectory)
              printed += 1
              switch format {
              case .json:
                try JSONLines.print(
                  FileResultLine(
                    actionId: action.id, index: command.index, remotePath: remote, file: file))
              case .human:
                Terminal.line(
                  "[\(command.index)] GetFile \(Terminal.sanitize(remote)) -> \(Terminal.sanitize(file.path)) (\(file.size) bytes, sha256 \(file.sha256))"
                )
                if let requested = file.requestedPath {
                  Terminal.line(
                    "    \(Terminal.sanitize(requested)) already existed and was kept; saved under the new name above"
                  )
                }
              }
            default: continue
            }
          }
          if printed == 0, format == .human { Terminal.line("no completed command with a result") }
        }
      }
    }
  }

  struct ScriptResultLine: Encodable {
    var actionId: String
    var index: Int
    var transcript: ScriptTranscript
  }

  struct FileResultLine: Encodable {
    var actionId: String
    var index: Int
    var remotePath: String
    var file: DownloadedFile
  }

  /// A human description of an action.
  static func describe(_ action: MachineAction) -> String {
    var out = "action   \(action.id)\n"
    out += "type     \(Terminal.sanitize(action.type ?? ""))\n"
    out += "status   \(Terminal.sanitize(action.status.rawValue))\n"
    out += "machine  \(Terminal.sanitize(action.computerDnsName ?? "")) \(action.machineId ?? "")\n"
    out +=
      "created  \(action.creationDateTimeUtc ?? "")  updated \(action.lastUpdateDateTimeUtc ?? "")\n"
    out += "comment  \(Terminal.sanitize(action.requestorComment ?? ""))\n"
    for command in action.commands {
      let params = command.command.params.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
      out +=
        "  [\(command.index)] \(command.command.type) \(Terminal.sanitize(params)): \(command.commandStatus)"
      if !command.errors.isEmpty {
        out += " — " + Terminal.sanitize(command.errors.joined(separator: "; "))
      }
      out += "\n"
    }
    return out
  }
}
