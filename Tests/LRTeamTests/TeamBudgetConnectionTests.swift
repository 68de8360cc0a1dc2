import DefenderClient
import Foundation
import LRTestSupport
import PostgresNIO
import Testing

@testable import LRTeam

/// The budget's calls never queue behind its session rounds: a round that waits for the
/// tenant's sessions lock (another process's round, slow on a loaded server) holds up no call's
/// window step and no answer (issue 14.8: they shared one connection, so each waited out the
/// rounds in front of it, tens to hundreds of milliseconds on every minute's window).
@Suite struct TeamBudgetConnectionTests {
  @Test func aCallDoesNotWaitBehindASessionRound() async throws {
    let url = try TeamBudgetTests.freshURL()
    let budget = TeamBudgetTests.budget(url)
    try await budget.acquire(.machines)
    // Another holder of the tenant's sessions lock: this budget's next round waits for it.
    let other = TeamDatabase(url: url)
    _ = try await other.query("SELECT pg_advisory_lock(hashtextextended('lr-sessions/lab', 0))")
    let session = TeamBudgetTests.Started { try await budget.acquireSession(machineID: "m1") }
    try await Task.sleep(for: .milliseconds(300))
    let call = TeamBudgetTests.Started {
      let slot = try await budget.acquire(.machines, awaitsAnswer: true)
      await budget.completed(.machines, slot: slot)
    }
    let prompt = await TeamBudgetTests.finishes(within: 3, call)
    _ = try await other.query("SELECT pg_advisory_unlock_all()")
    #expect(prompt, "the call waited for the session round")
    #expect(await TeamBudgetTests.finishes(within: 5, session))
    #expect(await TeamBudgetTests.finishes(within: 5, call))
    await budget.close()
    other.close()
  }
}
