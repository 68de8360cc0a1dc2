import DefenderClient
import LiveResponse

/// When to poll the actions in flight: when a command is likely to complete, predicted from the
/// check-in latencies and command durations seen so far in the run, not on a fixed beat.
///
/// An action whose next command cannot be predicted yet (nothing like it finished in this run)
/// is polled on the governor's beat, as before. A prediction that proves early is read again
/// after one interval, then twice as long each time, up to ``maximumWait``. Polls are never
/// closer together than the governor's interval, and a poll waits up to ``gather`` past the first
/// predicted completion for others predicted just after it, so one list call collects several.
/// Times are the client's clock (``RateClock/now``); the service's timestamps are used only as
/// offsets from each action's creation.
struct PollSchedule: Sendable {
  /// Added to a predicted completion (polling a little late costs less than polling early).
  var slack: Duration = .seconds(1)
  /// How far past the first predicted completion a poll waits for others.
  var gather: Duration = .milliseconds(2_500)
  /// The longest wait for an action whose prediction proved early.
  var maximumWait: Duration = .seconds(60)
  /// Samples kept per kind of command (the most recent).
  var samplesKept = 64

  private struct Entry: Sendable {
    var since: Duration
    var machine: String
    var created: Double?
    var action: MachineAction
    var due: Duration = .zero
    var predicted = false
    var misses = 0
    var pickupLearned = false
    var durationsLearned: Set<Int> = []
  }

  private var entries: [String: Entry] = [:]
  private var latencies: [Double] = []
  private var machineLatency: [String: Double] = [:]
  private var durations: [String: [Double]] = [:]
  /// When the last poll was made.
  private(set) var lastPoll: Duration?

  /// Ids scheduled.
  var trackedIDs: [String] { Array(entries.keys) }

  /// Starts scheduling an action as its submission's answer showed it, tracked at `now`.
  mutating func track(_ action: MachineAction, at now: Duration, interval: Duration) {
    guard entries[action.id] == nil else { return }
    entries[action.id] = Entry(
      since: now, machine: action.machineId?.lowercased() ?? "",
      created: ServiceTimestamp.seconds(action.creationDateTimeUtc), action: action)
    reschedule(action.id, now: now, interval: interval)
  }

  /// Takes a read that changed the action: learns from it and predicts its next completion; a
  /// terminal action is no longer scheduled.
  mutating func observe(_ action: MachineAction, at now: Duration, interval: Duration) {
    guard var entry = entries[action.id] else { return }
    learn(action, entry: &entry)
    if entry.created == nil { entry.created = ServiceTimestamp.seconds(action.creationDateTimeUtc) }
    entry.action = action
    entry.misses = 0
    guard !action.status.isTerminal else {
      entries[action.id] = nil
      return
    }
    entries[action.id] = entry
    reschedule(action.id, now: now, interval: interval)
  }

  /// Records a poll made at `now` (after its changes were observed): every action that was due
  /// and did not change waits again, longer each time its prediction proves early.
  mutating func polled(at now: Duration, interval: Duration) {
    lastPoll = now
    for (id, entry) in entries where entry.due <= now {
      var entry = entry
      entry.misses += 1
      entry.due = now + backoff(entry, interval: interval)
      entries[id] = entry
    }
  }

  /// Stops scheduling an action.
  mutating func forget(_ id: String) { entries[id] = nil }

  /// Stops scheduling every action; what was learned stays for the next statement.
  mutating func forgetAll() { entries = [:] }

  /// When to poll next (never before the last poll plus `interval`); nil when nothing is tracked.
  func nextPoll(interval: Duration) -> Duration? {
    guard let earliest = entries.values.map(\.due).min() else { return nil }
    var at = earliest
    for entry in entries.values where entry.predicted && entry.due <= earliest + gather {
      at = max(at, entry.due)
    }
    if let lastPoll { at = max(at, lastPoll + interval) }
    return at
  }

  /// The wait after a poll that found the action unchanged.
  private func backoff(_ entry: Entry, interval: Duration) -> Duration {
    guard entry.predicted else { return interval }
    let factor = 1 << min(max(0, entry.misses - 1), 16)
    return min(maximumWait, interval * factor)
  }

  /// Sets the action's next due time: its predicted next completion, or the governor's beat.
  private mutating func reschedule(_ id: String, now: Duration, interval: Duration) {
    guard var entry = entries[id] else { return }
    if let completion = predictedCompletion(entry) {
      entry.predicted = true
      let due = completion + slack
      entry.due = due > now ? due : now + backoff(entry, interval: interval)
    } else {
      entry.predicted = false
      entry.due = lastPoll.map { $0 + interval } ?? now
    }
    entries[id] = entry
  }

  /// When the action's next command should complete (client time), from what was learned.
  private func predictedCompletion(_ entry: Entry) -> Duration? {
    guard let created = entry.created else { return nil }
    let commands = entry.action.commands
    guard let next = commands.firstIndex(where: { $0.commandStatus == .created }),
      let duration = Self.median(durations[Self.kind(commands[next].command)])
    else { return nil }
    let start: Double
    if let started = ServiceTimestamp.seconds(commands[next].startTime) {
      start = started
    } else if next == 0 {
      guard let latency = machineLatency[entry.machine] ?? Self.median(latencies) else {
        return nil
      }
      start = created + latency
    } else if let previousEnd = ServiceTimestamp.seconds(commands[next - 1].endTime) {
      start = previousEnd
    } else {
      return nil
    }
    return entry.since + .milliseconds(Int64(((start + duration - created) * 1000).rounded()))
  }

  /// Learns the device's check-in latency and each finished command's duration, once each.
  private mutating func learn(_ action: MachineAction, entry: inout Entry) {
    let created = ServiceTimestamp.seconds(action.creationDateTimeUtc) ?? entry.created
    if !entry.pickupLearned, let created,
      let started = ServiceTimestamp.seconds(action.commands.first?.startTime)
    {
      entry.pickupLearned = true
      let latency = max(0, started - created)
      Self.append(latency, to: &latencies, keeping: samplesKept)
      machineLatency[entry.machine] = latency
    }
    for command in action.commands where !entry.durationsLearned.contains(command.index) {
      guard command.isCompleted || command.isFailed,
        let start = ServiceTimestamp.seconds(command.startTime),
        let end = ServiceTimestamp.seconds(command.endTime)
      else { continue }
      entry.durationsLearned.insert(command.index)
      Self.append(
        max(0, end - start), to: &durations[Self.kind(command.command), default: []],
        keeping: samplesKept)
    }
  }

  /// Commands expected to take alike: the same type and, for scripts, the same script.
  static func kind(_ command: LiveResponseCommand) -> String {
    guard command.type == "RunScript" else { return command.type }
    return "RunScript:" + (command.parameter("ScriptName") ?? "").lowercased()
  }

  static func median(_ samples: [Double]?) -> Double? {
    guard let samples, !samples.isEmpty else { return nil }
    let sorted = samples.sorted()
    return sorted[sorted.count / 2]
  }

  private static func append(_ sample: Double, to samples: inout [Double], keeping limit: Int) {
    samples.append(sample)
    if samples.count > limit { samples.removeFirst(samples.count - limit) }
  }
}
