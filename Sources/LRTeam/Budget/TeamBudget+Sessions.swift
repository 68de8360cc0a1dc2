import DefenderClient
import PostgresNIO

/// A task waiting for a Live Response session.
struct SessionWaiter {
  let id: Int
  /// The machine id, lower-cased (the database's key).
  let machine: String
  /// The machine id as the caller wrote it (for events).
  let machineID: String
  let continuation: CheckedContinuation<Void, any Error>
  var reported = false
  var reportedOutage = false
}

extension TeamBudget {
  /// Waits for a Live Response session on `machineID`: one of the tenant's sessions and the
  /// device's one running action, across every process (UNIQUE constraints in the database).
  public func acquireSession(machineID: String) async throws {
    try await register(outage: .waitingForSession(machineID: machineID, reason: .teamDatabase))
    let id = nextWaiter
    nextWaiter += 1
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        sessionWaiters.append(
          SessionWaiter(
            id: id, machine: machineID.lowercased(), machineID: machineID,
            continuation: continuation))
        kick()
      }
    } onCancel: {
      Task { await self.cancelWaiter(id) }
    }
  }

  /// Releases the session of a finished (or abandoned) action on `machineID`.
  public func releaseSession(machineID: String) async {
    let key = machineID.lowercased()
    guard let count = held[key], count > 0 else { return }
    held[key] = count == 1 ? nil : count - 1
    pendingReleases.append(key)
    await flushPending()
    if !sessionWaiters.isEmpty { kick() }
  }

  /// Sessions this process holds now.
  public var runningSessions: Int { held.values.reduce(0, +) }

  func releaseStatement(_ machine: String) -> PostgresQuery {
    """
    DELETE FROM lr_budget_session WHERE ctid IN (
      SELECT ctid FROM lr_budget_session
      WHERE tenant = \(tenant) AND holder = \(holder) AND machine = \(machine) LIMIT 1)
    """
  }

  private func takeStatement(_ machines: [String]) -> PostgresQuery {
    """
    SELECT o_index, o_granted, o_reason FROM lr_budget_take_sessions(\(tenant), \(holder),
      \(machines), \(limits.concurrentSessions), \(limits.actionsPerDevice))
    """
  }

  /// Asks for the waiting sessions now (a release here), or starts asking.
  func kick() {
    kicked = true
    guard !pumping else { return }
    pumping = true
    Task { await self.pump() }
  }

  /// Asks for the waiters' sessions in one statement per round until none waits; a round starts
  /// at once after a local release, else after ``sessionRecheck``.
  private func pump() async {
    while !sessionWaiters.isEmpty {
      kicked = false
      await takeSessions()
      var waited = Duration.zero
      while !kicked, waited < sessionRecheck, !sessionWaiters.isEmpty {
        try? await Task.sleep(for: .milliseconds(20))
        waited += .milliseconds(20)
      }
    }
    pumping = false
  }

  /// One round: the waiters in order, each granted or told why it waits.
  private func takeSessions() async {
    let batch = Array(sessionWaiters.prefix(256))
    let rows: [PostgresRow]
    do { rows = try await sessionDatabase.query(takeStatement(batch.map(\.machine))) } catch {
      for waiter in batch { report(waiter.id, outage: true, reason: .teamDatabase) }
      return
    }
    for row in rows {
      guard let (index, granted, reason) = try? row.decode((Int, Bool, String?).self),
        index >= 1, index <= batch.count
      else { continue }
      let waiter = batch[index - 1]
      if granted {
        held[waiter.machine, default: 0] += 1
        if let position = sessionWaiters.firstIndex(where: { $0.id == waiter.id }) {
          sessionWaiters.remove(at: position)
          waiter.continuation.resume()
        } else {
          await releaseSession(machineID: waiter.machine)  // cancelled meanwhile
        }
      } else {
        report(waiter.id, outage: false, reason: reason == "device" ? .deviceBusy : .sessions)
      }
    }
  }

  /// Emits why a waiter waits, once per waiter (and once more for an outage).
  private func report(_ id: Int, outage: Bool, reason: GovernorEvent.Reason) {
    guard let position = sessionWaiters.firstIndex(where: { $0.id == id }) else { return }
    let waiter = sessionWaiters[position]
    guard outage ? !waiter.reportedOutage : !waiter.reported else { return }
    if outage { sessionWaiters[position].reportedOutage = true }
    sessionWaiters[position].reported = true
    emit(.waitingForSession(machineID: waiter.machineID, reason: reason))
  }

  private func cancelWaiter(_ id: Int) {
    guard let position = sessionWaiters.firstIndex(where: { $0.id == id }) else { return }
    let waiter = sessionWaiters.remove(at: position)
    waiter.continuation.resume(throwing: CancellationError())
  }

  /// Takes this process's sessions again after the others gave its lease up (the database was
  /// away longer than the lease); a session another process took meanwhile stays theirs.
  func retakeHeld() async {
    let machines = held.flatMap { Array(repeating: $0.key, count: $0.value) }
    guard !machines.isEmpty else { return }
    _ = try? await sessionDatabase.query(takeStatement(machines))
  }
}
