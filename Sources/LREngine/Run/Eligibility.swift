import DefenderClient
import Foundation
import LiveResponse

/// Whether one machine can run one statement's actions now, as the tenant reports it: the
/// pre-flight verdict `lr plan`, `.plan` and `lr run` show per machine.
public struct Eligibility: Sendable, Equatable, Encodable {
  /// The verdict, the most serious first.
  public enum State: String, Sendable, Codable, CaseIterable {
    /// Nothing stands in the way.
    case ok
    /// `onboardingStatus` is not `Onboarded`: the service refuses (`ClientVersionNotSupported`).
    case notOnboarded
    /// The machine's platform is not the script's.
    case platformMismatch
    /// The machine reports no platform yet (newly onboarded); the script needs one.
    case unknownPlatform
    /// An action (any requestor's) is pending or in progress on the machine: lr waits for it.
    case busy
    /// Not seen for a day or reported inactive: the action waits until the device checks in.
    case offline
    /// Another machine has the same computer name (a potential duplicate device).
    case duplicate
  }

  /// The statement (1-based) the verdict is for.
  public var statement: Int
  public var machine: MachineRef
  public var state: State
  /// The machine's `osPlatform` as reported (nil: none).
  public var platform: String?
  /// The platforms the statement's scripts run on (`Windows`, `Linux or macOS`), if known.
  public var scriptPlatform: String?
  public var onboardingStatus: String?
  public var lastSeen: String?
  /// The blocking action of a busy machine: its id, status and requestor.
  public var actionID: String?
  public var actionStatus: String?
  public var requestor: String?
  /// The other machine of a potential duplicate.
  public var duplicateOf: String?

  /// Whether `lr run` refuses the machine (or skips it with `--skip-ineligible`); busy, offline
  /// and duplicate machines are listed and run (the action waits for the device).
  public var blocks: Bool { [.notOnboarded, .platformMismatch, .unknownPlatform].contains(state) }

  /// How long without a report makes a machine offline.
  public static let offlineAfter: TimeInterval = 86_400

  /// The verdict for `ref` (its entity `machine`, nil when the machines read did not hold it);
  /// `fleet` holds at least every machine sharing its computer name (potential duplicates).
  public static func assess(
    statement: Int, ref: MachineRef, machine: Machine?, script: ScriptPlatform?,
    active: [MachineAction], fleet: [Machine], now: Date = Date()
  ) -> Eligibility {
    var verdict = Eligibility(
      statement: statement, machine: ref, state: .ok, platform: machine?.osPlatform,
      scriptPlatform: script?.description, onboardingStatus: machine?.onboardingStatus,
      lastSeen: machine?.lastSeen)
    let blocking = active.first { $0.machineId?.lowercased() == ref.id.lowercased() }
    verdict.actionID = blocking?.id
    verdict.actionStatus = blocking?.status.rawValue
    verdict.requestor = blocking?.requestor
    let name = (machine?.computerDnsName ?? ref.computerName).lowercased()
    verdict.duplicateOf =
      fleet.first {
        $0.computerDnsName?.lowercased() == name && $0.id.lowercased() != ref.id.lowercased()
      }?.id
    verdict.state = state(of: machine, script: script, busy: blocking != nil, now: now)
    if verdict.state == .ok, verdict.duplicateOf != nil { verdict.state = .duplicate }
    return verdict
  }

  /// The most serious state of a machine, duplicates aside.
  static func state(of machine: Machine?, script: ScriptPlatform?, busy: Bool, now: Date) -> State {
    guard let machine else { return busy ? .busy : .ok }
    if let status = machine.onboardingStatus, status.lowercased() != "onboarded" {
      return .notOnboarded
    }
    if let script {
      switch script.fits(machine.platform) {
      case false: return .platformMismatch
      case nil: return .unknownPlatform
      default: break
      }
    }
    if busy { return .busy }
    let seen = Engine.serviceDate(machine.lastSeen)
    if machine.healthStatus?.lowercased() == "inactive"
      || seen.map({ now.timeIntervalSince($0) > offlineAfter }) == true
    {
      return .offline
    }
    return .ok
  }

  enum CodingKeys: String, CodingKey {
    case statement, machineId, computerName, state, platform, scriptPlatform, onboardingStatus
    case lastSeen, actionId, actionStatus, requestor, duplicateOf
  }

  /// Encodes flat, in the JSON lines' vocabulary (`machineId`, `computerName`, `actionId`).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(statement, forKey: .statement)
    try c.encode(machine.id, forKey: .machineId)
    try c.encode(machine.computerName, forKey: .computerName)
    try c.encode(state, forKey: .state)
    try c.encodeIfPresent(platform, forKey: .platform)
    try c.encodeIfPresent(scriptPlatform, forKey: .scriptPlatform)
    try c.encodeIfPresent(onboardingStatus, forKey: .onboardingStatus)
    try c.encodeIfPresent(lastSeen, forKey: .lastSeen)
    try c.encodeIfPresent(actionID, forKey: .actionId)
    try c.encodeIfPresent(actionStatus, forKey: .actionStatus)
    try c.encodeIfPresent(requestor, forKey: .requestor)
    try c.encodeIfPresent(duplicateOf, forKey: .duplicateOf)
  }

  /// One line for people: `not onboarded (CanBeOnboarded)`, `busy: action … (Pending) by …`.
  public var explanation: String {
    switch state {
    case .ok: "ok"
    case .notOnboarded: "not onboarded (\(onboardingStatus ?? "?"))"
    case .platformMismatch:
      "platform mismatch: \(platform ?? "?") cannot run a \(scriptPlatform ?? "?") script"
    case .unknownPlatform: "unknown platform: the machine reports none yet"
    case .busy:
      "busy: action \(actionID ?? "?") (\(actionStatus ?? "?")) by \(requestor ?? "unknown")"
    case .offline: "offline (last seen \(lastSeen ?? "never"))"
    case .duplicate: "potential duplicate device (also \(duplicateOf ?? "?"))"
    }
  }
}
