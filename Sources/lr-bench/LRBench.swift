// lr-bench: helpers for bench/client.sh (docs/benchmarks.md, "Client" sections).
//
//   lr-bench getfile URL MACHINE PATH     submit a GetFile, wait for it, print "<action id> <fresh link>"
//   lr-bench polling naive|lr URL [N]     N (25) actions in flight on the emulator at URL, each one's
//                                         result link fetched when its command completes; prints one
//                                         JSON line: API calls per completed action (submissions,
//                                         status, result links) for that poller. Run each poller on a
//                                         fresh emulator (bench/client.sh does), so neither inherits
//                                         the other's spent budget. With LR_BENCH_ADMIN_KEY (the
//                                         emulator's --admin-key) the emulator's own count is added.
import DefenderClient
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
import LiveResponse
#endif

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
      complain("usage: lr-bench getfile|polling URL ...\n")
      exit(2)
    }
    let scale = Double(ProcessInfo.processInfo.environment["LR_BENCH_SCALE"] ?? "600") ?? 600
    switch args[1] {
    case "getfile":
      let api = try api(args[2], scale: scale)
      let machine = try await api.machine(args[3])
      let submission = try await api.runLiveResponse(
        machineID: machine.id, commands: [.getFile(args[4])], comment: "lr-bench download",
        waitIfBusy: true)
      let done = try await api.waitUntilFinished(actionID: submission.action.id)
      guard done.status == .succeeded else {
        complain("action ended \(done.status)\n")
        exit(1)
      }
      let link = try await api.resultLink(actionID: done.id, index: 0)
      print(done.id, link)
      await api.shutdown()
    case "polling":
      guard args.count >= 4, ["naive", "lr"].contains(args[2]) else {
        complain("usage: lr-bench polling naive|lr URL [N]\n")
        exit(2)
      }
      // A fresh client for this poller alone (and, from bench/client.sh, a fresh emulator).
      let url = args[3]
      let pollerAPI = try Self.api(url, scale: scale)
      let count = args.count > 4 ? Int(args[4]) ?? 25 : 25
      let machines = try await pollerAPI.machines(
        filter: "healthStatus eq 'Active' and "
          + "(osPlatform eq 'Windows11' or osPlatform eq 'Windows10')",
        limit: count)
      guard machines.count >= count else {
        complain("need \(count) machines (use --scenario large)\n")
        exit(1)
      }
      let before = try await emulatorRequests(url)
      let cost = try await (args[2] == "naive" ? naivePolling : batchedPolling)(pollerAPI, machines)
      let after = try await emulatorRequests(url)
      var line =
        #"{"poller": "\#(args[2])", "actions": \#(count), "completed": \#(cost.completed), "#
        + #""submission_calls": \#(cost.submissions), "status_calls": \#(cost.status), "#
        + #""result_link_calls": \#(cost.links), "calls": \#(cost.total), "#
        + #""calls_per_completed_action": \#(cost.perAction)"#
      if let before, let after { line += #", "emulator_api_requests": \#(after - before)"# }
      print(line + "}")
      await pollerAPI.shutdown()
    default:
      exit(2)
    }
  }

  /// API calls one poller spent, by kind, for the actions it saw complete.
  struct Cost {
    var submissions = 0
    var status = 0
    var links = 0
    var completed = 0
    var total: Int { submissions + status + links }
    var perAction: Double { completed == 0 ? 0 : Double(total) / Double(completed) }
  }

  /// The emulator's `/api` request count (nil without `LR_BENCH_ADMIN_KEY`).
  static func emulatorRequests(_ url: String) async throws -> Int? {
    guard let key = ProcessInfo.processInfo.environment["LR_BENCH_ADMIN_KEY"],
      let stats = URL(string: url + "/_emulator/stats")
    else { return nil }
    var request = URLRequest(url: stats)
    request.setValue(key, forHTTPHeaderField: "X-Emulator-Admin-Key")
    let (data, _) = try await URLSession.shared.data(for: request)
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return object?["apiRequests"] as? Int
  }

  static func submitAll(_ api: DefenderAPI, _ machines: [Machine], cost: inout Cost) async throws
    -> [Submission]
  {
    var submissions: [Submission] = []
    for (index, machine) in machines.enumerated() {
      // Durations 300…540 virtual seconds (all 25 still running when polling starts), like real triage scripts.
      let seconds = 300 + (index * 37) % 241
      let submission = try await api.runLiveResponse(
        machineID: machine.id, commands: [.runScript("sleep.ps1", args: String(seconds))],
        comment: "lr-bench polling")
      cost.submissions += submission.attempts
      submissions.append(submission)
    }
    return submissions
  }

  /// The baseline: every action polled with its own GET every 5 (virtual) seconds; each result
  /// link fetched when its command completes.
  static func naivePolling(_ api: DefenderAPI, machines: [Machine]) async throws -> Cost {
    var cost = Cost()
    var pending = Set(try await submitAll(api, machines, cost: &cost).map(\.action.id))
    let clock = api.governor.clock
    while !pending.isEmpty {
      for id in pending.sorted() {
        cost.status += 1
        let action = try await api.machineAction(id)
        guard action.status.isTerminal else { continue }
        pending.remove(id)
        if let machine = action.machineId {
          await api.governor.releaseSession(machineID: machine)
        }
        for command in action.commands where command.isCompleted {
          _ = try await api.resultLink(actionID: action.id, index: command.index)
          cost.links += 1
        }
        cost.completed += 1
      }
      try await clock.sleep(until: clock.now + .seconds(5))
    }
    return cost
  }

  /// lr: one ActionPoller for everything in flight (one list call per round, adaptive
  /// interval); each result link fetched when the poller reports the command completed.
  static func batchedPolling(_ api: DefenderAPI, machines: [Machine]) async throws -> Cost {
    var cost = Cost()
    let poller = ActionPoller(api: api)
    for submission in try await submitAll(api, machines, cost: &cost) {
      await poller.track(submission)
    }
    let clock = api.governor.clock
    while !(await poller.trackedIDs.isEmpty) {
      for change in try await poller.pollOnce() {
        for command in change.completedCommands {
          _ = try await api.resultLink(actionID: change.action.id, index: command.index)
          cost.links += 1
        }
        if change.finished { cost.completed += 1 }
      }
      guard !(await poller.trackedIDs.isEmpty) else { break }
      try await clock.sleep(until: clock.now + (await api.governor.pollInterval()))
    }
    cost.status = await poller.calls
    return cost
  }
}

/// Writes a line to standard error; a closed stream drops it (the throwing write never traps).
func complain(_ text: String) {
  try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
}
