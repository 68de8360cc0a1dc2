// lr-bench: helpers for bench/client.sh (docs/benchmarks.md, "Client" sections).
//
//   lr-bench getfile URL MACHINE PATH   submit a GetFile, wait for it, print "<action id> <fresh link>"
//   lr-bench polling URL [N]            N (25) actions in flight: calls per completed action for the
//                                       ActionPoller vs a naive one-GET-per-action-every-5-s poller
import DefenderClient
import Foundation

@main
struct Bench {
  static func api(_ url: String, scale: Double) throws -> DefenderAPI {
    var retry = RetryPolicy()
    retry.requestTimeout = .seconds(600)
    return DefenderAPI(
      settings: ConnectionSettings(
        tenantID: "lab", clientID: "lr-lab", credential: .secret(Secret("lr-lab-secret")),
        cloud: try Cloud.custom(apiBaseURL: url, authorityBaseURL: url)),
      clock: SystemRateClock(scale: scale), retry: retry)
  }

  static func main() async throws {
    let args = CommandLine.arguments
    guard args.count >= 3 else {
      FileHandle.standardError.write(Data("usage: lr-bench getfile|polling URL ...\n".utf8))
      exit(2)
    }
    let scale = Double(ProcessInfo.processInfo.environment["LR_BENCH_SCALE"] ?? "600") ?? 600
    let api = try api(args[2], scale: scale)
    switch args[1] {
    case "getfile":
      let machine = try await api.machine(args[3])
      let submission = try await api.runLiveResponse(
        machineID: machine.id, commands: [.getFile(args[4])], comment: "lr-bench download",
        waitIfBusy: true)
      let done = try await api.waitUntilFinished(actionID: submission.action.id)
      guard done.status == .succeeded else {
        FileHandle.standardError.write(Data("action ended \(done.status)\n".utf8))
        exit(1)
      }
      let link = try await api.resultLink(actionID: done.id, index: 0)
      print(done.id, link)
    case "polling":
      let count = args.count > 3 ? Int(args[3]) ?? 25 : 25
      let machines = try await api.machines(
        filter: "healthStatus eq 'Active' and "
          + "(osPlatform eq 'Windows11' or osPlatform eq 'Windows10')",
        limit: count * 2)
      guard machines.count >= count * 2 else {
        FileHandle.standardError.write(
          Data("need \(count * 2) machines (use --scenario large)\n".utf8))
        exit(1)
      }
      let naive = try await naivePolling(api, machines: Array(machines.prefix(count)), scale: scale)
      let batched = try await batchedPolling(api, machines: Array(machines.suffix(count)))
      print(
        #"{"actions": \#(count), "naive_calls": \#(naive), "poller_calls": \#(batched), "naive_per_action": \#(Double(naive) / Double(count)), "poller_per_action": \#(Double(batched) / Double(count))}"#
      )
    default:
      exit(2)
    }
    await api.shutdown()
  }

  static func submitAll(_ api: DefenderAPI, _ machines: [Machine]) async throws -> [Submission] {
    var submissions: [Submission] = []
    for (index, machine) in machines.enumerated() {
      // Durations 300…540 virtual seconds (all 25 still running when polling starts), like real triage scripts.
      let seconds = 300 + (index * 37) % 241
      submissions.append(
        try await api.runLiveResponse(
          machineID: machine.id, commands: [.runScript("sleep.ps1", args: String(seconds))],
          comment: "lr-bench polling"))
    }
    return submissions
  }

  /// The baseline: every action polled with its own GET every 5 (virtual) seconds.
  static func naivePolling(_ api: DefenderAPI, machines: [Machine], scale: Double) async throws
    -> Int
  {
    var pending = Set(try await submitAll(api, machines).map(\.action.id))
    var calls = 0
    let clock = api.governor.clock
    while !pending.isEmpty {
      for id in pending {
        calls += 1
        let action = try await api.machineAction(id)
        if action.status.isTerminal {
          pending.remove(id)
          if let machine = action.machineId {
            await api.governor.releaseSession(machineID: machine)
          }
        }
      }
      try await clock.sleep(until: clock.now + .seconds(5))
    }
    return calls
  }

  /// lr: one ActionPoller for everything in flight.
  static func batchedPolling(_ api: DefenderAPI, machines: [Machine]) async throws -> Int {
    let poller = ActionPoller(api: api)
    for submission in try await submitAll(api, machines) { await poller.track(submission) }
    try await poller.run()
    return await poller.calls
  }
}
