/// What the emulator has answered since it started (`GET /_emulator/stats`): the figures tests
/// and benchmarks read to prove a client stayed inside the budget and to count its API calls.
public struct EmulatorStats: Sendable, Codable, Equatable {
  /// `/api` requests received (faulted ones included).
  public var apiRequests = 0
  /// `POST …/runliveresponse` requests received (faulted and refused ones included).
  public var liveResponseRequests = 0
  /// Live Response actions created.
  public var actionsCreated = 0
  /// Submissions answered with the device's existing action instead of a new one
  /// (``ServiceQuirks/DuplicateSubmission/returnExisting``).
  public var existingActionsReturned = 0
  /// 429 answers because a per-minute or per-hour budget was exhausted (the client's doing).
  public var throttledByBudget = 0
  /// 429 answers because every concurrent session was in use (the client's doing).
  public var throttledBySessions = 0
  /// 429 answers injected by `forced429Rate` (not the client's doing).
  public var throttledInjected = 0
  /// 5xx answers injected by `serverErrorRate`.
  public var injectedServerErrors = 0
  /// Connections closed without an answer by `connectionResetRate`.
  public var injectedResets = 0
  /// Requests processed whose answer was then dropped by `lostAnswerRate`.
  public var injectedLostAnswers = 0
  /// 401 answers by reason (`"Token has expired"`, `"Authorization header is missing"`, …): a
  /// client whose calls fail can see why, and the contract check tells a fuzzer's deliberate
  /// missing-token cases from a token that ran out.
  public var unauthorized: [String: Int] = [:]
  /// Answers by route (`"GET /api/machines"`, as in docs/openapi.yaml; `"unmatched"` for paths
  /// no route serves) and status code (`"200"`), for every request: the contract check reads it
  /// to prove the fuzzer reached real responses rather than a wall of 401s.
  public var responses: [String: [String: Int]] = [:]

  /// No requests yet.
  public init() {}

  /// 429 answers the client caused by exceeding a documented limit.
  public var throttledByClient: Int { throttledByBudget + throttledBySessions }
}
