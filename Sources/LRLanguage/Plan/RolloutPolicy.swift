/// How a run stages its fan-out: a canary first, the rest in waves, and a failure breaker.
///
/// Written on the command line (`--canary 10 --waves 10% --stop-if-failed 5%`) or on a statement
/// in the language; the engine orders the machines into stages from it and pauses the run when the
/// breaker trips. Every field is optional: an empty policy is one stage of every machine.
public struct RolloutPolicy: Sendable, Equatable, Codable {
  /// How many machines run first, alone; the run continues only if they pass the breaker.
  public var canary: Int?
  /// The size of each later stage: a count of machines or a share of the whole run.
  public var waves: Share?
  /// The breaker: the run pauses once this many (or this share) of the finished machines failed.
  public var stopIfFailed: Share?

  public init(canary: Int? = nil, waves: Share? = nil, stopIfFailed: Share? = nil) {
    self.canary = canary
    self.waves = waves
    self.stopIfFailed = stopIfFailed
  }

  /// A number of machines, or a percentage of the run's machines.
  public enum Share: Sendable, Equatable, Codable, CustomStringConvertible {
    case count(Int)
    case percent(Double)

    /// Reads "10" (a count), "10%" or "2.5%" (a percentage); anything else is an error.
    public static func parse(
      _ text: String, option: RolloutPolicyError.Option = .waves
    ) throws(RolloutPolicyError) -> Share {
      var trimmed = Substring(text)
      while trimmed.first == " " { trimmed.removeFirst() }
      while trimmed.last == " " { trimmed.removeLast() }
      if trimmed.hasSuffix("%") {
        let number = trimmed.dropLast()
        guard let value = Double(number), value.isFinite, !number.contains("%") else {
          throw RolloutPolicyError(option, "'\(text)' is not a percentage (write e.g. 10%)")
        }
        return .percent(value)
      }
      guard let value = Int(trimmed) else {
        throw RolloutPolicyError(
          option, "'\(text)' is not a count or a percentage (write e.g. 10 or 10%)")
      }
      return .count(value)
    }

    /// "10" or "10%" (the form `parse` reads back).
    public var description: String {
      switch self {
      case .count(let n): return String(n)
      case .percent(let p):
        let whole = p.rounded()
        return whole == p && abs(p) < 1e15 ? "\(Int(whole))%" : "\(p)%"
      }
    }

    /// How many machines of `total` this share is: a percentage rounds up, and is at least 1.
    public func machines(of total: Int) -> Int {
      switch self {
      case .count(let n): return n
      case .percent(let p): return max(1, Int((p * Double(total) / 100).rounded(.up)))
      }
    }

    public init(from decoder: any Decoder) throws {
      let text = try decoder.singleValueContainer().decode(String.self)
      do {
        self = try Share.parse(text)
      } catch {
        throw DecodingError.dataCorrupted(
          .init(codingPath: decoder.codingPath, debugDescription: error.description))
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      try container.encode(description)
    }
  }

  /// Whether the policy stages nothing (no canary, no waves, no breaker).
  public var isEmpty: Bool { canary == nil && waves == nil && stopIfFailed == nil }

  /// This policy, with each field it leaves unset taken from `base` (the command line wins).
  public func overriding(_ base: RolloutPolicy?) -> RolloutPolicy {
    RolloutPolicy(
      canary: canary ?? base?.canary, waves: waves ?? base?.waves,
      stopIfFailed: stopIfFailed ?? base?.stopIfFailed)
  }

  /// Rejects values that cannot mean anything for a run of `machineCount` machines.
  public func validate(machineCount: Int) throws(RolloutPolicyError) {
    if let canary, canary < 1 {
      throw RolloutPolicyError(.canary, "must be at least 1 machine (got \(canary))")
    }
    if let waves { try Self.validate(waves, option: .waves) }
    if let stopIfFailed { try Self.validate(stopIfFailed, option: .stopIfFailed) }
    if machineCount == 1 {
      if stopIfFailed != nil {
        throw RolloutPolicyError(
          .stopIfFailed, "cannot apply to a one-machine run (nothing would be left to stop)")
      }
      if canary != nil {
        throw RolloutPolicyError(
          .canary, "cannot apply to a one-machine run (the canary would be the whole run)")
      }
    }
  }

  private static func validate(_ share: Share, option: RolloutPolicyError.Option)
    throws(RolloutPolicyError)
  {
    switch share {
    case .count(let n) where n < 1:
      throw RolloutPolicyError(option, "must be at least 1 machine (got \(n))")
    case .percent(let p) where p <= 0:
      throw RolloutPolicyError(option, "must be more than 0% (got \(share))")
    case .percent(let p) where p > 100:
      throw RolloutPolicyError(option, "cannot be more than 100% (got \(share))")
    default: break
    }
  }

  /// The size of each stage for `machineCount` machines: the canary, then waves, then the rest.
  public func stageSizes(machineCount: Int) -> [Int] {
    var sizes: [Int] = []
    var left = machineCount
    if let canary, left > 0 {
      sizes.append(min(max(canary, 1), left))
      left -= sizes[0]
    }
    let wave = max(1, waves?.machines(of: machineCount) ?? left)
    while left > 0 {
      sizes.append(min(wave, left))
      left -= min(wave, left)
    }
    return sizes
  }

  /// Whether `failed` of `finished` machines reach the breaker's threshold (never without one).
  public func breakerTrips(failed: Int, finished: Int) -> Bool {
    guard let stopIfFailed, failed > 0, finished > 0 else { return false }
    switch stopIfFailed {
    case .count(let n): return failed >= n
    case .percent(let p): return Double(failed) * 100 >= p * Double(finished)
    }
  }
}

/// A rollout option with a value that cannot be used, and why.
public struct RolloutPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Which option the value was given for.
  public enum Option: String, Sendable, Equatable {
    case canary, waves
    case stopIfFailed = "stop-if-failed"
  }

  public var option: Option
  /// Why the value is refused, without the option's name ("must be at least 1 machine (got 0)").
  public var reason: String

  public init(_ option: Option, _ reason: String) {
    self.option = option
    self.reason = reason
  }

  /// "--canary must be at least 1 machine (got 0)", as the command line reports it.
  public var description: String { "--\(option.rawValue) \(reason)" }
}
