import LiveResponse

/// Polls many machine actions with one list call (`id in (…)`) per round, at an interval that
/// adapts to the hourly budget left, and reports every change.
///
/// Use it for everything in flight: 25 running actions cost one call per round instead of 25.
/// When an action it tracks for a held session finishes, the session slot is released.
public actor ActionPoller {
  /// A change in one tracked action.
  public struct Change: Sendable, Equatable {
    /// The action as last read.
    public var action: MachineAction
    /// Commands that became `Completed` since the previous read (fetch their results now).
    public var completedCommands: [ActionCommand]
    /// Commands that became `Failed` since the previous read.
    public var failedCommands: [ActionCommand]
    /// Whether the action reached a terminal status (it is no longer tracked).
    public var finished: Bool
  }

  private let api: DefenderAPI
  private var tracked: [String: MachineAction?] = [:]
  private var sessions: [String: String] = [:]  // action id -> machine id
  /// When each tracked action was first tracked (service time), for the visibility window.
  private var trackedAt: [String: Duration] = [:]
  private var subscribers: [Int: AsyncStream<Change>.Continuation] = [:]
  private var nextSubscriber = 0
  /// Status calls made so far: list calls plus individual GETs for ids a list did not return
  /// (for the polling-cost benchmark).
  public private(set) var calls = 0
  /// Polling rounds made so far (one list call per 50 tracked actions each).
  public private(set) var rounds = 0

  /// Creates a poller on an API client.
  public init(api: DefenderAPI) {
    self.api = api
  }

  /// Starts tracking a submitted action (its session slot is released when it finishes).
  public func track(_ submission: Submission, releasesSession: Bool = true) {
    track(
      actionID: submission.action.id, machineID: submission.action.machineId,
      releasesSession: releasesSession)
  }

  /// Starts tracking an action by id.
  public func track(actionID: String, machineID: String? = nil, releasesSession: Bool = false) {
    if tracked[actionID] == nil {
      tracked[actionID] = .some(nil)
      trackedAt[actionID] = api.governor.clock.now
    }
    if releasesSession, let machineID { sessions[actionID] = machineID }
  }

  /// Stops tracking an action (its session slot, if held, is released).
  public func untrack(_ actionID: String) async {
    tracked[actionID] = nil
    trackedAt[actionID] = nil
    if let machine = sessions.removeValue(forKey: actionID) {
      await api.governor.releaseSession(machineID: machine)
    }
  }

  /// Stops tracking every action (their runner stopped following them); releases held sessions.
  public func untrackAll() async {
    for id in Array(tracked.keys) { await untrack(id) }
  }

  /// Ids still tracked.
  public var trackedIDs: [String] { Array(tracked.keys).sorted() }

  /// A stream of changes; each call is an independent subscription.
  public func changes() -> AsyncStream<Change> {
    let (stream, continuation) = AsyncStream<Change>.makeStream()
    let id = nextSubscriber
    nextSubscriber += 1
    subscribers[id] = continuation
    return stream
  }

  /// One polling round: reads every tracked action and returns what changed.
  @discardableResult
  public func pollOnce() async throws -> [Change] {
    let ids = Array(tracked.keys).sorted()
    guard !ids.isEmpty else { return [] }
    rounds += 1
    calls += (ids.count + 49) / 50
    var read = try await api.machineActions(ids: ids)
    let seen = Set(read.map(\.id))
    for missing in ids where !seen.contains(missing) {
      calls += 1
      if let action = try await readMissing(missing) { read.append(action) }
    }
    var changes: [Change] = []
    for action in read {
      guard let entry = tracked[action.id] else { continue }
      let previous = entry
      if previous == action { continue }
      let before = Dictionary(
        (previous?.commands ?? []).map { ($0.index, $0.commandStatus) },
        uniquingKeysWith: { first, _ in first })
      let completed = action.commands.filter {
        $0.isCompleted && before[$0.index] != $0.commandStatus
      }
      let failed = action.commands.filter { $0.isFailed && before[$0.index] != $0.commandStatus }
      let finished = action.status.isTerminal
      changes.append(
        Change(
          action: action, completedCommands: completed, failedCommands: failed, finished: finished))
      if finished {
        await untrack(action.id)
      } else {
        tracked[action.id] = .some(action)
      }
    }
    for change in changes {
      for continuation in subscribers.values { continuation.yield(change) }
    }
    return changes
  }

  /// An action the list did not return, read by id; nil while it is not visible yet: the
  /// service shows a new action only after a while, so a `404` for an action never read is
  /// "not yet" until ``RetryPolicy/visibilityDeadline`` (service time) has passed since it was
  /// tracked, and only then an error.
  private func readMissing(_ id: String) async throws -> MachineAction? {
    do {
      return try await api.machineAction(id)
    } catch let error as DefenderClientError where error.kind == .notFound {
      let neverRead = tracked[id].map { $0 == nil } ?? false
      let since = trackedAt[id] ?? api.governor.clock.now
      guard neverRead, api.governor.clock.now - since < api.retry.visibilityDeadline else {
        throw error
      }
      return nil
    }
  }

  /// Polls until nothing is tracked, sleeping the governor's adaptive interval between rounds.
  public func run() async throws {
    while !tracked.isEmpty {
      try await pollOnce()
      guard !tracked.isEmpty else { break }
      let interval = await api.governor.pollInterval()
      do { try await api.governor.clock.sleep(until: api.governor.clock.now + interval) } catch {
        throw DefenderClientError(.cancelled, "cancelled while polling")
      }
    }
    for continuation in subscribers.values { continuation.finish() }
  }
}
