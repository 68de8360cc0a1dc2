extension CompilerState {
  /// The policy a statement's `with …` options write, each option checked (unknown names,
  /// duplicates, values, a canary or breaker on one machine); nil when none is usable.
  func compileRollout(
    _ clause: RolloutClause?, target: TargetSelector, targetRange: ByteRange, file: String
  ) -> RolloutPolicy? {
    guard let clause, let source = sources[file] else { return nil }
    var policy = RolloutPolicy()
    var first: [String: RolloutOption] = [:]
    for (index, option) in clause.options.enumerated() {
      let name = option.name.text
      let removal = clause.removalRange(of: index, in: source)
      guard let kind = RolloutPolicyError.Option(rawValue: name) else {
        reportUnknownRolloutOption(option, file: file)
        continue
      }
      if let earlier = first[name] {
        report(
          .duplicateRolloutOption(name), file: file, option.name.range,
          notes: [Note("first given here", file: file, range: earlier.name.range)],
          fixIts: [.replace(removal, with: "", "remove the second `\(name)`")])
        continue
      }
      first[name] = option
      guard let value = option.value,
        let share = rolloutShare(kind, value: value, file: file, removal: removal)
      else { continue }
      if kind != .waves, let reason = CompilerState.oneMachineReason(kind, target: target) {
        report(
          .rolloutOnOneMachine(name, reason: reason), file: file, option.name.range,
          notes: [Note("the statement's only machine", file: file, range: targetRange)],
          fixIts: [.replace(removal, with: "", "remove `\(name)`")])
        continue
      }
      switch (kind, share) {
      case (.canary, .count(let n)): policy.canary = n
      case (.waves, _): policy.waves = share
      case (.stopIfFailed, _): policy.stopIfFailed = share
      default: break
      }
    }
    return policy.isEmpty ? nil : policy
  }

  /// An option's value read and checked as the command line's (``RolloutPolicy/Share/parse``
  /// and ``RolloutPolicy/validate(machineCount:)``); nil when it is refused (reported).
  func rolloutShare(
    _ kind: RolloutPolicyError.Option, value: Name, file: String, removal: ByteRange
  ) -> RolloutPolicy.Share? {
    let name = kind.rawValue
    let share: RolloutPolicy.Share
    do {
      share = try RolloutPolicy.Share.parse(value.text, option: kind)
    } catch {
      report(.invalidRolloutValue(name, reason: error.reason), file: file, value.range)
      return nil
    }
    switch share {
    case .count(0), .percent(0):
      report(
        .rolloutValueZero(name), file: file, value.range,
        fixIts: [.replace(removal, with: "", "remove `\(name) \(value.text)`")])
      return nil
    case .percent(let p) where p > 100:
      report(
        .percentageOverHundred(name), file: file, value.range,
        fixIts: [.replace(value.range, with: "100%")])
      return nil
    case .percent where kind == .canary:
      report(
        .invalidRolloutValue(name, reason: "a canary is a number of machines, not a share"),
        file: file, value.range, notes: [Note("write how many machines run first, e.g. `10`")])
      return nil
    default:
      break
    }
    // Anything else the command line refuses (a negative count) is refused here too.
    let alone =
      switch (kind, share) {
      case (.canary, .count(let n)): RolloutPolicy(canary: n)
      case (.waves, _): RolloutPolicy(waves: share)
      default: RolloutPolicy(stopIfFailed: share)
      }
    do {
      try alone.validate(machineCount: 2)
    } catch {
      report(.invalidRolloutValue(name, reason: error.reason), file: file, value.range)
      return nil
    }
    return share
  }

  /// An option name the language does not know, with the closest known one as a fix-it.
  func reportUnknownRolloutOption(_ option: RolloutOption, file: String) {
    var fixIts: [FixIt] = []
    if let guess = Suggestions.closest(to: option.name.text, in: RolloutClause.optionNames) {
      fixIts.append(.replace(option.name.range, with: guess, "did you mean `\(guess)`?"))
    }
    report(
      .unknownRolloutOption(option.name.text), file: file, option.name.range,
      notes: [Note("the rollout options are `canary`, `waves` and `stop-if-failed`")],
      fixIts: fixIts)
  }

  /// Why a canary or a breaker means nothing for `target` (from ``RolloutPolicy/validate``), when
  /// it is exactly one machine named in the text; nil otherwise.
  static func oneMachineReason(_ kind: RolloutPolicyError.Option, target: TargetSelector)
    -> String?
  {
    guard target.terms.count == 1, case .machine = target.terms[0] else { return nil }
    let policy =
      kind == .canary ? RolloutPolicy(canary: 1) : RolloutPolicy(stopIfFailed: .count(1))
    do {
      try policy.validate(machineCount: 1)
      return nil
    } catch {
      return error.reason
    }
  }
}
