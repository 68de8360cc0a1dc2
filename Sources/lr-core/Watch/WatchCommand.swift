import ArgumentParser
import Foundation
import LRTeam

/// `lr watch --team URL [RUN]`: the tenant's live runs, redrawn on each `lr_runs` notification.
struct WatchCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "watch", abstract: "Show the team's live runs, updated as they change.",
    discussion: """
      Lists every live run on the tenant (running, queued, paused, awaiting approval): who \
      started it, its script, its actions planned, running, finished and failed, the sessions it \
      holds and an estimated end at its rate so far. With RUN, the watch ends (status 0) when \
      that run does (finished, failed, cancelled, interrupted, abandoned). The board is read again when the team \
      database notifies a change (LISTEN lr_runs), never on a timer; while the database is \
      unreachable it says so and waits. Ctrl-C ends it (status 0).
      """)

  @Argument(help: "Show only this run.")
  var run: String?

  @Option(help: "Output format: human or json (one board per line).")
  var output: OutputFormat?

  @Flag(help: "Print one board and exit.")
  var once = false

  @OptionGroup var team: TeamOption

  @OptionGroup var scope: TeamTenantOptions

  func run() async throws {
    let opened: Team
    do {
      opened = try team.require("lr watch", tenant: scope.tenant, profile: scope.profile)
    } catch {
      throw ErrorReporting.report(error)
    }
    defer { opened.close() }
    let format = output ?? (Terminal.stdoutIsTerminal ? .human : .json)
    let view = BoardView(format: format, redraw: format == .human && Terminal.stdoutIsTerminal)
    do {
      try await watch(opened, view: view)
    } catch is CancellationError {
      return
    } catch {
      if Task.isCancelled { return }
      throw ErrorReporting.report(error)
    }
  }

  /// Whether the watched run, gone from the board, has ended (said on a terminal); a run the
  /// tenant does not have is a usage error.
  func ended(_ run: String, team: Team, view: BoardView) async throws -> Bool {
    guard
      let state = try await RunBoard.state(database: team.database, tenant: team.tenant, run: run)
    else {
      throw ValidationError("no run \(run) on this tenant (lr runs --team lists them)")
    }
    if view.format == .human { Terminal.out("run \(run) \(state)\n") }
    return true
  }

  /// Reads and shows the board once, then again after each batch of notifications.
  func watch(_ team: Team, view: BoardView) async throws {
    let read = { [run] () async throws -> RunBoard in
      try await RunBoard.read(database: team.database, tenant: team.tenant, run: run)
    }
    if once {
      view.show(try await read())
      return
    }
    let wakeups = BoardWakeups.start(url: team.url, tenant: team.tenant, run: run)
    let heartbeat = view.redraw ? Task { await view.heartbeat() } : nil
    defer { heartbeat?.cancel() }
    for await _ in wakeups {
      do {
        let board = try await read()
        view.show(board)
        if let run, !board.runs.contains(where: { $0.run == run }),
          try await ended(run, team: team, view: view)
        {
          return
        }
      } catch let error as TeamError where error.isTransient {
        // The listener reconnects and asks for a full read again once the server is back.
        Terminal.printError("lr: \(error.description); waiting for it")
      }
    }
  }
}
