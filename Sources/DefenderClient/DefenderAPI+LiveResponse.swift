import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The outcome of a `runliveresponse` submission.
public struct Submission: Sendable, Equatable {
  /// The created action (status usually `Pending`).
  public var action: MachineAction
  /// The token carried in the action's comment.
  public var token: String
  /// True when the POST's answer was lost and the action was found by its token instead.
  public var recovered: Bool
  /// How many POSTs were sent (429 refusals included).
  public var attempts: Int
}

/// `POST /api/machines/{id}/runliveresponse`, retried only when it provably created nothing.
extension DefenderAPI {
  /// Submits Live Response commands to one machine.
  ///
  /// The comment gets a submission token. A 429 is waited out and retried (nothing was created).
  /// After a lost answer (reset, timeout, 5xx) the machine's recent actions are searched for the
  /// token: if found, that action is returned (``Submission/recovered``); if not, the POST is
  /// retried. `ActiveRequestAlreadyExists` throws an error carrying the running action's id, or,
  /// with `waitIfBusy`, waits for that action to finish and submits again.
  ///
  /// - Parameters:
  ///   - machineID: the 40-hex device id.
  ///   - commands: PutFile → RunScript → GetFile order.
  ///   - comment: the audit comment (the token is appended).
  ///   - token: the submission token (pass the journal's token to make resume idempotent).
  ///   - waitIfBusy: wait for a running action on the device instead of failing.
  ///   - holdSession: take a session slot from the governor first (released by
  ///     ``ActionPoller`` when the action finishes, or here when nothing was created).
  public func runLiveResponse(
    machineID: String, commands: [LiveResponseCommand], comment: String,
    token: String = SubmissionToken.make(), waitIfBusy: Bool = false, holdSession: Bool = true
  ) async throws -> Submission {
    guard !commands.isEmpty else {
      throw DefenderClientError.invalidInput("a Live Response request needs at least one command")
    }
    let body = try JSONEncoder().encode(
      LiveResponseRequest(
        commands: commands, comment: SubmissionToken.tagged(comment, token: token)))
    if holdSession {
      do { try await governor.acquireSession(machineID: machineID) } catch {
        throw DefenderClientError(.cancelled, "cancelled while waiting for a session slot")
      }
    }
    var attempts = 0
    var created = false
    defer {
      if holdSession && !created {
        Task { [governor] in await governor.releaseSession(machineID: machineID) }
      }
    }
    while true {
      attempts += 1
      do {
        let response = try await send(
          Call(
            method: .POST,
            path: "/api/machines/" + DefenderHTTP.pathSegment(machineID) + "/runliveresponse",
            body: ByteBuffer(bytes: body), contentType: "application/json",
            endpoint: .runLiveResponse, idempotent: false))
        created = true
        let action = try decode(MachineAction.self, from: response, what: "the new action")
        return Submission(action: action, token: token, recovered: false, attempts: attempts)
      } catch let error as DefenderClientError
        where error.kind == .transport || error.kind == .serviceUnavailable
        || error.kind == .invalidResponse
      {
        // The answer was lost: did the service create the action anyway?
        if let found = try await findSubmission(machineID: machineID, token: token) {
          created = true
          return Submission(action: found, token: token, recovered: true, attempts: attempts)
        }
        guard attempts < retry.maxAttempts else { throw error }
        await governor.retrying(
          .runLiveResponse, attempt: attempts + 1, delay: retry.delay(afterAttempt: attempts),
          cause: error.message)
        try await Task.sleep(for: retry.delay(afterAttempt: attempts))
      } catch var error as DefenderClientError where error.kind == .activeRequestAlreadyExists {
        let running = try? await runningActions(machineID: machineID)
        if let mine = running?.first(where: {
          SubmissionToken.find(in: $0.requestorComment) == token
        }) {
          created = true
          return Submission(action: mine, token: token, recovered: true, attempts: attempts)
        }
        error.runningActionID = running?.first?.id
        if let id = running?.first?.id {
          error.message += " (action \(id))"
        }
        guard waitIfBusy, attempts < 100 else { throw error }
        if let id = error.runningActionID {
          try await waitUntilFinished(actionID: id)
        } else {
          // The running action finished between the refusal and the lookup: try again shortly.
          let interval = await governor.pollInterval()
          try await governor.clock.sleep(until: governor.clock.now + interval)
        }
      }
    }
  }

  /// Finds, among the machine's recent actions, the one whose comment carries `token`.
  public func findSubmission(machineID: String, token: String) async throws -> MachineAction? {
    let filter = "machineId eq '\(machineID.replacingOccurrences(of: "'", with: "''"))'"
    let actions: [MachineAction]
    do {
      actions = try await machineActions(
        filter: filter, top: 50, orderBy: "creationDateTimeUtc desc")
    } catch let error as DefenderClientError where error.kind == .badRequest {
      actions = try await machineActions(filter: filter, followNextLink: true)
    }
    return actions.first { SubmissionToken.find(in: $0.requestorComment) == token }
  }

  /// The machine's Live Response actions that have not finished.
  public func runningActions(machineID: String) async throws -> [MachineAction] {
    let filter = "machineId eq '\(machineID.replacingOccurrences(of: "'", with: "''"))'"
    let actions = try await machineActions(filter: filter, followNextLink: true)
    return actions.filter {
      !$0.status.isTerminal && ($0.type == nil || $0.type == "LiveResponse")
    }
  }

  /// Polls one action until it reaches a terminal status, at the governor's polling interval.
  @discardableResult
  public func waitUntilFinished(actionID: String) async throws -> MachineAction {
    while true {
      let action = try await machineAction(actionID)
      if action.status.isTerminal { return action }
      let interval = await governor.pollInterval()
      do { try await governor.clock.sleep(until: governor.clock.now + interval) } catch {
        throw DefenderClientError(.cancelled, "cancelled while waiting for action \(actionID)")
      }
    }
  }
}
