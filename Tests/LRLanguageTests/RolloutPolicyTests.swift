import Foundation
import LRLanguage
import Testing

/// `RolloutPolicy`: reading shares, refusing values that mean nothing, stage sizes and the breaker.
@Suite struct RolloutPolicyTests {
  typealias Share = RolloutPolicy.Share

  @Test func sharesParseAsCountsAndPercentages() throws {
    #expect(try Share.parse("10") == .count(10))
    #expect(try Share.parse("10%") == .percent(10))
    #expect(try Share.parse("2.5%") == .percent(2.5))
    #expect(try Share.parse(" 7 ") == .count(7))
    #expect(try Share.parse("-3") == .count(-3))
    #expect(Share.percent(10).description == "10%")
    #expect(Share.percent(2.5).description == "2.5%")
    #expect(Share.count(4).description == "4")
  }

  @Test(arguments: ["", "ten", "10%%", "%", "1 0", "nan%", "inf%", "10 %x", "5.5"])
  func garbageIsAnError(text: String) {
    #expect(throws: RolloutPolicyError.self) { try Share.parse(text, option: .stopIfFailed) }
  }

  @Test func aParseErrorNamesTheOption() {
    do {
      _ = try Share.parse("lots", option: .stopIfFailed)
      Issue.record("parsed")
    } catch {
      #expect(error.option == .stopIfFailed)
      #expect(error.description.hasPrefix("--stop-if-failed 'lots' is not"))
    }
  }

  @Test(arguments: [
    (RolloutPolicy(canary: 0), "--canary must be at least 1 machine (got 0)"),
    (RolloutPolicy(canary: -2), "--canary must be at least 1 machine (got -2)"),
    (RolloutPolicy(waves: .count(0)), "--waves must be at least 1 machine (got 0)"),
    (RolloutPolicy(waves: .percent(0)), "--waves must be more than 0% (got 0%)"),
    (RolloutPolicy(waves: .percent(150)), "--waves cannot be more than 100% (got 150%)"),
    (
      RolloutPolicy(stopIfFailed: .count(-1)),
      "--stop-if-failed must be at least 1 machine (got -1)"
    ),
    (
      RolloutPolicy(stopIfFailed: .percent(100.5)),
      "--stop-if-failed cannot be more than 100% (got 100.5%)"
    ),
  ])
  func badValuesAreRefused(policy: RolloutPolicy, message: String) {
    #expect(throws: RolloutPolicyError.self) { try policy.validate(machineCount: 50) }
    do { try policy.validate(machineCount: 50) } catch { #expect(error.description == message) }
  }

  @Test func aBreakerOrCanaryOnOneMachineIsRefused() throws {
    #expect(
      throws: RolloutPolicyError(
        .stopIfFailed, "cannot apply to a one-machine run (nothing would be left to stop)")
    ) {
      try RolloutPolicy(stopIfFailed: .percent(5)).validate(machineCount: 1)
    }
    #expect(
      throws: RolloutPolicyError(
        .canary, "cannot apply to a one-machine run (the canary would be the whole run)")
    ) {
      try RolloutPolicy(canary: 1).validate(machineCount: 1)
    }
    try RolloutPolicy(waves: .percent(10)).validate(machineCount: 1)
    try RolloutPolicy(canary: 10, waves: .percent(100), stopIfFailed: .count(1))
      .validate(machineCount: 2)
  }

  @Test func stagesAreTheCanaryThenWavesThenTheRest() {
    #expect(RolloutPolicy().stageSizes(machineCount: 7) == [7])
    #expect(RolloutPolicy(canary: 10).stageSizes(machineCount: 100) == [10, 90])
    #expect(
      RolloutPolicy(canary: 10, waves: .percent(25)).stageSizes(machineCount: 100)
        == [10, 25, 25, 25, 15])
    #expect(RolloutPolicy(waves: .count(3)).stageSizes(machineCount: 7) == [3, 3, 1])
    #expect(
      RolloutPolicy(waves: .percent(2.5)).stageSizes(machineCount: 10) == [
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      ])
    #expect(RolloutPolicy(canary: 20).stageSizes(machineCount: 5) == [5])
    #expect(RolloutPolicy(canary: 2).stageSizes(machineCount: 0) == [])
  }

  @Test func theBreakerCountsFailedAmongFinished() {
    let percent = RolloutPolicy(stopIfFailed: .percent(20))
    #expect(!percent.breakerTrips(failed: 1, finished: 10))
    #expect(percent.breakerTrips(failed: 2, finished: 10))
    #expect(!percent.breakerTrips(failed: 0, finished: 10))
    let count = RolloutPolicy(stopIfFailed: .count(3))
    #expect(!count.breakerTrips(failed: 2, finished: 90))
    #expect(count.breakerTrips(failed: 3, finished: 90))
    #expect(!RolloutPolicy(canary: 3).breakerTrips(failed: 3, finished: 3))
  }

  @Test func theCommandLineWinsFieldByField() {
    let plan = RolloutPolicy(canary: 5, waves: .percent(10), stopIfFailed: .percent(5))
    let cli = RolloutPolicy(stopIfFailed: .count(2))
    #expect(
      cli.overriding(plan)
        == RolloutPolicy(canary: 5, waves: .percent(10), stopIfFailed: .count(2)))
    #expect(cli.overriding(nil) == cli)
    #expect(RolloutPolicy().isEmpty && !cli.isEmpty)
  }

  @Test func itRoundTripsThroughJSONAsText() throws {
    let policy = RolloutPolicy(canary: 10, waves: .percent(2.5), stopIfFailed: .count(4))
    let data = try JSONEncoder().encode(policy)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains(#""waves":"2.5%""#) && text.contains(#""stopIfFailed":"4""#))
    #expect(try JSONDecoder().decode(RolloutPolicy.self, from: data) == policy)
  }
}
