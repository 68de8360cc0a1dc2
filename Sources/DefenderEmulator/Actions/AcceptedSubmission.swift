import LiveResponse

/// A `runliveresponse` the emulator accepted, with its body exactly as received
/// (`GET /_emulator/submissions`).
struct AcceptedSubmission: Sendable {
  /// The device's id.
  var machineId: String
  /// The action created.
  var actionId: String
  /// The request body, as received.
  var body: String

  /// `{"machineId","actionId","body"}`.
  var json: JSONValue {
    .object([
      ("machineId", .string(machineId)), ("actionId", .string(actionId)), ("body", .string(body)),
    ])
  }
}

extension EmulatorState {
  /// Keeps an accepted submission's body (`GET /_emulator/submissions`).
  func recordSubmission(_ submission: AcceptedSubmission) {
    submissions.append(submission)
  }
}
