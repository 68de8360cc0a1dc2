import Foundation

/// One `lr worker`: claims queued runs of its tenant, executes each while renewing its lease,
/// and releases it done (or, when stopping, back to the queue). Several run at once
/// (`concurrency`); any number of workers on any hosts share one queue.
///
/// A worker killed outright stops renewing: once its lease runs out another worker claims the
/// run and executes it as `lr resume` would, adopting the journaled actions by their token.
public struct Worker: Sendable {
  /// Executes a claimed run to its end; returns its final state (`finished`, `failed`, …).
  public typealias Execute = @Sendable (WorkClaim) async throws -> String

  /// The worker's name (host and process), recorded on each claim.
  public var name: String
  public var queue: WorkQueue
  /// How long a claim holds without a heartbeat (renewed every third of it).
  public var lease: Duration
  /// How long to wait before looking again when nothing is queued.
  public var idle: Duration = .seconds(1)
  /// Stop when nothing is queued instead of waiting for work.
  public var exitWhenIdle = false
  /// Where events go.
  public var report: @Sendable (WorkerEvent) -> Void

  public init(
    name: String, queue: WorkQueue, lease: Duration,
    report: @escaping @Sendable (WorkerEvent) -> Void
  ) {
    self.name = name
    self.queue = queue
    self.lease = lease
    self.report = report
  }

  /// The default name: `host:pid`.
  public static var defaultName: String {
    "\(ProcessInfo.processInfo.hostName):\(getpid())"
  }

  /// Takes work until cancelled (or, with ``exitWhenIdle``, until nothing is queued); a run in
  /// progress when cancelled is stopped and put back in the queue.
  public func serve(concurrency: Int, execute: @escaping Execute) async throws {
    report(.started(worker: name, concurrency: concurrency))
    defer { report(.stopped(worker: name)) }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<max(1, concurrency) {
        group.addTask { try await self.slot(execute) }
      }
      try await group.waitForAll()
    }
  }

  /// One run at a time, claim after claim.
  private func slot(_ execute: @escaping Execute) async throws {
    while !Task.isCancelled {
      let next: WorkClaim?
      do {
        next = try await queue.claim(worker: name, lease: lease)
      } catch  where error.isTransient {
        // The database is away (restarting): ask again once it may be back.
        try await Task.sleep(for: idle)
        continue
      }
      guard let claim = next else {
        if exitWhenIdle { return }
        try? await Task.sleep(for: idle)
        continue
      }
      report(.claimed(claim))
      try await hold(claim, execute)
    }
  }

  /// Executes a claimed run with a heartbeat, then releases the claim as the run ended.
  private func hold(_ claim: WorkClaim, _ execute: @escaping Execute) async throws {
    let run = Task { try await execute(claim) }
    let heartbeat = Task { await self.heartbeat(claim, stopping: run) }
    let result = await withTaskCancellationHandler {
      await run.result
    } onCancel: {
      run.cancel()
    }
    heartbeat.cancel()
    if await heartbeat.value {
      report(.lost(claim))
      return
    }
    if Task.isCancelled {
      // Stopping: another worker takes the run up where it stopped.
      try await queue.release(claim, outcome: nil)
      report(.released(claim))
      return
    }
    switch result {
    case .success(let state):
      try await queue.release(claim, outcome: state)
      report(.finished(claim, state: state))
    case .failure(let error as TeamError) where error.isTransient:
      await releaseOnceReachable(claim)
      report(.failed(claim, error: error.description))
    case .failure(let error):
      try await queue.release(claim, outcome: "failed")
      report(.failed(claim, error: String(describing: error)))
    }
  }

  /// Puts a run stopped by an unreachable database back in the queue, trying again until the
  /// database answers or the lease runs out (then any worker may claim it anyway).
  private func releaseOnceReachable(_ claim: WorkClaim) async {
    let deadline = ContinuousClock.now + lease
    while ContinuousClock.now < deadline, !Task.isCancelled {
      if (try? await queue.release(claim, outcome: nil)) != nil { return }
      try? await Task.sleep(for: idle)
    }
  }

  /// Renews the lease every third of it until cancelled; returns true (after stopping `run`)
  /// when the claim was lost: another worker holds it, or no renewal succeeded for a whole lease.
  private func heartbeat(_ claim: WorkClaim, stopping run: Task<String, any Error>) async -> Bool {
    let clock = ContinuousClock()
    var renewed = clock.now
    while !Task.isCancelled {
      try? await Task.sleep(for: lease / 3)
      if Task.isCancelled { break }
      do {
        if try await queue.renew(claim, lease: lease) {
          renewed = clock.now
        } else {
          run.cancel()
          return true
        }
      } catch {
        if clock.now - renewed > lease {
          run.cancel()
          return true
        }
      }
    }
    return false
  }
}
