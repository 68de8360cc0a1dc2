import Foundation
import LiveResponse
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
  /// How far before the submission (client clock) the lookups by token search, so that a client
  /// clock running ahead of the service's cannot hide the action.
  public static let clockSkewMargin: Duration = .seconds(3600)
  /// How long an action may wait for an offline device on the service (3 days).
  public static let queueLifetime: Duration = .seconds(3 * 86_400)
  /// The most actions one lookup reads (newest first).
  static let lookupPageSize = 50

  /// Submits Live Response commands to one machine: the body is written as `lr compile` writes
  /// it (``LiveResponseRequest/body``), with the token appended to the comment, and sent through
  /// ``runLiveResponse(machineID:body:token:waitIfBusy:holdSession:)``.
  public func runLiveResponse(
    machineID: String, commands: [LiveResponseCommand], comment: String,
    token: String = SubmissionToken.make(), waitIfBusy: Bool = false, holdSession: Bool = true
  ) async throws -> Submission {
    guard !commands.isEmpty else {
      throw DefenderClientError.invalidInput("a Live Response request needs at least one command")
    }
    let body = LiveResponseRequest(
      commands: commands, comment: SubmissionToken.tagged(comment, token: token)
    ).body
    return try await runLiveResponse(
      machineID: machineID, body: body, token: token, waitIfBusy: waitIfBusy,
      holdSession: holdSession)
  }

  /// Submits a request body to one machine, exactly as given (the bytes `lr compile` printed and
  /// the journal keeps, the token already in its comment).
  ///
  /// The body's comment carries the submission token. A 429 is waited out and retried (nothing was created).
  /// After a lost answer (reset, timeout, 5xx) the machine's recent actions are searched for the
  /// token until ``RetryPolicy/submissionSettle`` has passed: if found, that action is returned
  /// (``Submission/recovered``); if not, the POST is retried. A 2xx answer is never followed by
  /// another POST: when its body cannot be read, the action is looked up by its token (a few
  /// times, as the list may lag behind the creation), and if it cannot be found the error names
  /// the token instead. A 2xx carrying another action (its comment lacks the token: the service
  /// answered with the device's existing action) is never adopted: it counts as a busy device.
  /// `ActiveRequestAlreadyExists` throws
  /// an error carrying the running action's id, or, with `waitIfBusy`, waits for that action to
  /// finish and submits again.
  ///
  /// - Parameters:
  ///   - machineID: the 40-hex device id.
  ///   - body: `{"Commands":[…],"Comment":"… [lr:token]"}`, sent byte for byte.
  ///   - token: the submission token the body's comment carries (the journal's, on resume).
  ///   - waitIfBusy: wait for a running action on the device instead of failing.
  ///   - holdSession: take a session slot from the governor first (released by
  ///     ``ActionPoller`` when the action finishes, or here when nothing was created).
  public func runLiveResponse(
    machineID: String, body: String, token: String, waitIfBusy: Bool = false,
    holdSession: Bool = true
  ) async throws -> Submission {
    guard body.contains(SubmissionToken.tagged("", token: token)) else {
      throw DefenderClientError.invalidInput(
        "a Live Response request body must carry its submission token [lr:\(token)]")
    }
    if holdSession {
      do { try await governor.acquireSession(machineID: machineID) } catch {
        throw DefenderClientError(.cancelled, "cancelled while waiting for a session slot")
      }
    }
    let submittedAt = Date()
    var attempts = 0
    var created = false
    defer {
      if holdSession && !created {
        Task { [governor] in await governor.releaseSession(machineID: machineID) }
      }
    }
    while true {
      attempts += 1
      let response: BufferedResponse
      do {
        response = try await send(
          Call(
            method: .POST,
            path: "/api/machines/" + DefenderHTTP.pathSegment(machineID) + "/runliveresponse",
            body: ByteBuffer(string: body), contentType: "application/json",
            endpoint: .runLiveResponse, idempotent: false))
      } catch let error as DefenderClientError
        where error.kind == .transport || error.kind == .serviceUnavailable
      {
        // The answer was lost: did the service create the action anyway?
        if let found = try await findLostSubmission(
          machineID: machineID, token: token, submittedAt: submittedAt, cause: error.message)
        {
          created = true
          return Submission(action: found, token: token, recovered: true, attempts: attempts)
        }
        guard attempts < retry.maxAttempts else { throw error }
        let delay = retry.delay(afterAttempt: attempts)
        await governor.retrying(
          .runLiveResponse, attempt: attempts + 1, delay: delay, cause: error.message)
        try await sleepOrCancel(delay)
        continue
      } catch let error as DefenderClientError where error.kind == .activeRequestAlreadyExists {
        if let mine = try await settleBusyDevice(
          error, machineID: machineID, token: token, otherActionID: nil, waitIfBusy: waitIfBusy,
          attempts: attempts)
        {
          created = true
          return Submission(action: mine, token: token, recovered: true, attempts: attempts)
        }
        continue
      }
      // A 2xx. When it carries our token, the service created our action: never POST again.
      if let action = try? decode(MachineAction.self, from: response, what: "the new action") {
        if SubmissionToken.find(in: action.requestorComment) == token {
          created = true
          return Submission(action: action, token: token, recovered: false, attempts: attempts)
        }
        // Another action (the device's existing one): never adopted; the device is busy with it.
        if let mine = try await settleBusyDevice(
          Self.anotherAction(action, status: response.status), machineID: machineID, token: token,
          otherActionID: action.id, waitIfBusy: waitIfBusy, attempts: attempts)
        {
          created = true
          return Submission(action: mine, token: token, recovered: true, attempts: attempts)
        }
        continue
      }
      let action = try await findAcceptedSubmission(
        machineID: machineID, token: token, submittedAt: submittedAt, status: response.status)
      created = true
      return Submission(action: action, token: token, recovered: true, attempts: attempts)
    }
  }

  /// A device busy with another action: the service refused with `ActiveRequestAlreadyExists`,
  /// or answered with that action instead of creating ours. Returns our action if the device is
  /// in fact running it (found by its token); else, with `waitIfBusy`, waits for the other
  /// action to finish and returns nil (submit again); else throws `error`, naming the other
  /// action.
  private func settleBusyDevice(
    _ error: DefenderClientError, machineID: String, token: String, otherActionID: String?,
    waitIfBusy: Bool, attempts: Int
  ) async throws -> MachineAction? {
    var error = error
    let running = try? await runningActions(machineID: machineID)
    if let mine = running?.first(where: { SubmissionToken.find(in: $0.requestorComment) == token })
    {
      return mine
    }
    let other = otherActionID ?? running?.first?.id
    error.runningActionID = other
    if let other, !error.message.contains(other) { error.message += " (action \(other))" }
    guard waitIfBusy, attempts < 100 else { throw error }
    if let other {
      let blocking = running?.first { $0.id == other }
      let requestor = blocking?.requestor.map { ", requested by \($0)" } ?? ""
      let status = blocking.map { "\($0.status.rawValue)" } ?? "in progress"
      await governor.retrying(
        .runLiveResponse, attempt: attempts + 1, delay: .zero,
        cause:
          "machine \(machineID) is busy with action \(other) (\(status)\(requestor)); waiting for it to finish (cancelling it frees the device: `lr actions cancel \(other)`, or `.cancel \(other)` in the REPL)"
      )
      try await waitUntilFinished(actionID: other)
    } else {
      // The running action finished between the refusal and the lookup: try again shortly.
      let interval = await governor.pollInterval()
      try await governor.clock.sleep(until: governor.clock.now + interval)
    }
    return nil
  }

  /// The error for a 2xx answer carrying an action that is not the one submitted (its comment
  /// lacks our token): the device is busy with that action.
  static func anotherAction(_ action: MachineAction, status: Int) -> DefenderClientError {
    var error = DefenderClientError(
      .activeRequestAlreadyExists,
      "the service answered the submission (HTTP \(status)) with another action already on this device (action \(action.id), requested by \(action.requestor ?? "another requestor")) instead of creating this one; lr did not adopt it",
      httpStatus: status)
    error.runningActionID = action.id
    return error
  }

  /// After a 2xx whose body could not be read: the action by its token, searched for
  /// ``RetryPolicy/maxAttempts`` times (the list can lag behind the creation), or an error naming
  /// the token. Never resubmits.
  private func findAcceptedSubmission(
    machineID: String, token: String, submittedAt: Date, status: Int
  ) async throws -> MachineAction {
    let lookups = max(1, retry.maxAttempts)
    let cause =
      "the service accepted the submission (HTTP \(status)) but its answer was unreadable; looking for the action with token [lr:\(token)]"
    if let found = try await searchForSubmission(
      machineID: machineID, token: token, submittedAt: submittedAt, cause: cause,
      nextDelay: { [retry] lookup in lookup < lookups ? retry.delay(afterAttempt: lookup) : nil })
    {
      return found
    }
    throw DefenderClientError(
      .invalidResponse,
      "the service accepted the submission to machine \(machineID) (HTTP \(status)) but its answer could not be read, and no action with token [lr:\(token)] was found after \(lookups) lookups. It was not submitted again: look for the token in the machine's actions (lr actions list --machine \(machineID)) before retrying",
      httpStatus: status)
  }

  /// After a lost answer: the action by its token, searched for until
  /// ``RetryPolicy/submissionSettle`` (service time) has passed without finding it; nil then,
  /// which proves the POST never created an action.
  private func findLostSubmission(
    machineID: String, token: String, submittedAt: Date, cause: String
  ) async throws -> MachineAction? {
    let clock = governor.clock
    let deadline = clock.now + retry.submissionSettle
    return try await searchForSubmission(
      machineID: machineID, token: token, submittedAt: submittedAt,
      cause: "\(cause); looking for the action with token [lr:\(token)] before submitting again",
      nextDelay: { [retry] lookup in
        let left = deadline - clock.now
        return left > .zero ? min(retry.delay(afterAttempt: lookup), left / clock.scale) : nil
      })
  }

  /// Looks for the action carrying `token`, again after each `nextDelay(lookup)` (reported to the
  /// governor as a retry), until it is found or `nextDelay` says to stop (nil).
  private func searchForSubmission(
    machineID: String, token: String, submittedAt: Date, cause: String,
    nextDelay: (Int) -> Duration?
  ) async throws -> MachineAction? {
    var lookup = 1
    while true {
      if let found = try await findSubmission(
        machineID: machineID, token: token, submittedAfter: submittedAt)
      {
        return found
      }
      guard let delay = nextDelay(lookup) else { return nil }
      await governor.retrying(.machineActions, attempt: lookup + 1, delay: delay, cause: cause)
      try await sleepOrCancel(delay)
      lookup += 1
    }
  }

  private func sleepOrCancel(_ delay: Duration) async throws {
    do { try await Task.sleep(for: delay) } catch {
      throw DefenderClientError(.cancelled, "cancelled while retrying a submission")
    }
  }

  /// Finds, among the machine's recent Live Response actions, the one whose comment carries
  /// `token`.
  ///
  /// One call in the usual case: `machineId`, `type eq 'LiveResponse'` and `creationDateTimeUtc ge`
  /// (`submittedAfter` minus ``clockSkewMargin``) filtered, newest first, at most
  /// ``lookupPageSize`` per page; further pages only while the token is not found. A service that
  /// refuses that query is asked for every page of the machine's actions instead.
  ///
  /// - Parameter submittedAfter: when the submission was first sent (default: an hour ago).
  public func findSubmission(machineID: String, token: String, submittedAfter: Date? = nil)
    async throws -> MachineAction?
  {
    let since = (submittedAfter ?? Date()).addingTimeInterval(-Self.clockSkewMargin.seconds)
    let filter =
      Self.machineFilter(machineID)
      + " and type eq 'LiveResponse' and creationDateTimeUtc ge \(Self.odataDate(since))"
    func matches(_ action: MachineAction) -> Bool {
      SubmissionToken.find(in: action.requestorComment) == token
    }
    do {
      return try await machineActions(
        filter: filter, top: Self.lookupPageSize, orderBy: "creationDateTimeUtc desc",
        followNextLink: true, until: matches
      ).first(where: matches)
    } catch let error as DefenderClientError where error.kind == .badRequest {
      return try await machineActions(
        filter: Self.machineFilter(machineID), followNextLink: true, until: matches
      ).first(where: matches)
    }
  }

  /// The machine's Live Response actions that have not finished, newest first.
  ///
  /// One call: `machineId`, `type eq 'LiveResponse'`, `Pending`/`InProgress` and created within
  /// the 3-day queue lifetime (plus ``clockSkewMargin``), newest first, at most
  /// ``lookupPageSize``. A service that refuses that query is asked for every page of the
  /// machine's actions instead.
  public func runningActions(machineID: String) async throws -> [MachineAction] {
    let since = Date().addingTimeInterval(
      -(Self.queueLifetime.seconds + Self.clockSkewMargin.seconds))
    let filter =
      Self.machineFilter(machineID)
      + " and type eq 'LiveResponse' and (status eq 'Pending' or status eq 'InProgress')"
      + " and creationDateTimeUtc ge \(Self.odataDate(since))"
    let actions: [MachineAction]
    do {
      actions = try await machineActions(
        filter: filter, top: Self.lookupPageSize, orderBy: "creationDateTimeUtc desc")
    } catch let error as DefenderClientError where error.kind == .badRequest {
      actions = try await machineActions(
        filter: Self.machineFilter(machineID), followNextLink: true)
    }
    return actions.filter {
      !$0.status.isTerminal && ($0.type == nil || $0.type == "LiveResponse")
    }
  }

  /// `machineId eq '…'` with the id quoted.
  static func machineFilter(_ machineID: String) -> String {
    "machineId eq '\(machineID.replacingOccurrences(of: "'", with: "''"))'"
  }

  /// An OData date-time literal (`2026-01-22T14:04:27Z`).
  static func odataDate(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
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
