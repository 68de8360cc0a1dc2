import ArgumentParser
import DefenderClient
import Dispatch
import Foundation
import LREngine
import LRTeam
import LiveResponse

/// `lr worker --team URL`: execute the runs `lr run --team --detach` queued.
struct WorkerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker",
    abstract: "Execute queued team runs (lr run --team --detach) until stopped.",
    discussion: """
      Claims the tenant's queued runs in the team database (one run per claim; any number of \
      workers on any hosts share the queue), executes each as `lr resume` would and renews its \
      lease every third of --lease. A worker killed outright stops renewing: after the lease \
      another worker claims the run and adopts its journaled actions by their token, never \
      submitting one twice. SIGTERM or Ctrl-C stops the runs in progress and puts them back in \
      the queue; the worker then exits 0. Prints one line per claim and per end of a claim.
      """)

  @OptionGroup var connection: ConnectionOptions

  @OptionGroup var team: TeamOption

  @Option(help: "How many runs to execute at once.")
  var concurrency = 1

  @Option(help: "How long a claim holds without a heartbeat (e.g. 30s).")
  var lease = "30s"

  @Option(
    help: """
      How long after an unanswered submission was journaled before a search that does not find \
      it proves it never arrived (as lr resume --settle; default 2m).
      """)
  var settle = "2m"

  @Flag(help: "Exit when no run is queued instead of waiting for one.")
  var exitWhenIdle = false

  func validate() throws {
    if RunCommand.duration(lease) == nil {
      throw ValidationError("--lease takes a duration such as 30s or 2m")
    }
    if RunCommand.duration(settle) == nil, settle != "0" {
      throw ValidationError("--settle takes a duration such as 30s or 2m")
    }
    if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
  }

  func run() async throws {
    let format = connection.format
    let lease = RunCommand.duration(lease) ?? .seconds(30)
    let settle = RunCommand.duration(settle) ?? .zero
    try await ErrorReporting.run {
      try await Connection.with(connection, team: team) { connection in
        let api = connection.api
        let opened = try team.require(
          "lr worker", tenant: api.settings.tenantID, profile: self.connection.profile)
        let executor = try WorkerExecutor(
          team: opened, api: api, settle: settle, resultsDirectory: self.connection.resultsDir)
        var worker = Worker(
          name: Worker.defaultName,
          queue: WorkQueue(database: opened.connect(), tenant: opened.tenant), lease: lease
        ) { event in
          Terminal.out(format == .json ? event.json().serialized() + "\n" : event.text + "\n")
        }
        worker.exitWhenIdle = exitWhenIdle
        try await StopSignals.run { [worker, concurrency] in
          try await worker.serve(concurrency: concurrency) { try await executor.execute($0) }
        }
      }
    }
  }
}
