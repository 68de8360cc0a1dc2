import DefenderClient
import Foundation
import LiveResponse
import Testing

@testable import LREngine

/// When the engine polls: on the governor's beat until the run has seen a command like the next
/// one finish, then when a completion is likely.
struct PollScheduleTests {
  static let interval = Duration.seconds(5)
  static let epoch = 1_800_000_000.0

  /// A service timestamp `seconds` after the test's epoch.
  static func time(_ seconds: Double?) -> String? {
    guard let seconds else { return nil }
    let date = Date(timeIntervalSince1970: epoch + seconds)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }

  /// A one-command `RunScript` action created at `created`, its command started and ended when
  /// given (service seconds).
  static func action(
    _ id: String, machine: String, script: String = "sweep.ps1", created: Double,
    start: Double? = nil, end: Double? = nil
  ) -> MachineAction {
    let status: ActionStatus = end != nil ? .succeeded : (start != nil ? .inProgress : .pending)
    var action = MachineAction(
      id: id, status: status, machineId: machine,
      commands: [
        ActionCommand(
          index: 0, commandStatus: end != nil ? .completed : .created,
          command: LiveResponseCommand(
            type: "RunScript", params: [.init(key: "ScriptName", value: script)]),
          startTime: time(start), endTime: time(end))
      ])
    action.creationDateTimeUtc = time(created)
    return action
  }

  /// A schedule that has seen `sweep.ps1` take 30 s after a 5 s check-in on machine m0.
  static func learned() -> PollSchedule {
    var schedule = PollSchedule()
    schedule.track(action("a0", machine: "m0", created: 0), at: .seconds(0), interval: interval)
    schedule.polled(at: .seconds(0), interval: interval)
    schedule.observe(
      action("a0", machine: "m0", created: 0, start: 5, end: 35), at: .seconds(36),
      interval: interval)
    schedule.polled(at: .seconds(36), interval: interval)
    return schedule
  }

  @Test func withNothingLearnedItPollsOnTheBeat() {
    var schedule = PollSchedule()
    #expect(schedule.nextPoll(interval: Self.interval) == nil)
    schedule.track(
      Self.action("a1", machine: "m1", created: 0), at: .seconds(0), interval: Self.interval)
    #expect(schedule.nextPoll(interval: Self.interval) == .seconds(0))
    schedule.polled(at: .seconds(0), interval: Self.interval)
    #expect(schedule.nextPoll(interval: Self.interval) == .seconds(5))
    schedule.polled(at: .seconds(5), interval: Self.interval)
    #expect(schedule.nextPoll(interval: Self.interval) == .seconds(10))
  }

  @Test func afterOneFinishedItPollsWhenTheNextShouldFinish() {
    var schedule = Self.learned()
    // Created at service 100, tracked at client 200: check-in 5 s + 30 s + 1 s slack.
    schedule.track(
      Self.action("a1", machine: "m1", created: 100), at: .seconds(200), interval: Self.interval)
    #expect(schedule.nextPoll(interval: Self.interval) == .seconds(236))
  }

  @Test func aStartedCommandIsPredictedFromItsStart() {
    var schedule = Self.learned()
    schedule.track(
      Self.action("a1", machine: "m1", created: 100), at: .seconds(200), interval: Self.interval)
    // It started late (device checked in after 12 s): due 30 s after that start.
    schedule.observe(
      Self.action("a1", machine: "m1", created: 100, start: 112), at: .seconds(213),
      interval: Self.interval)
    #expect(schedule.nextPoll(interval: Self.interval) == .seconds(243))
  }

  @Test func anotherScriptIsNotPredicted() {
    var schedule = Self.learned()
    schedule.track(
      Self.action("a1", machine: "m1", script: "other.ps1", created: 100), at: .seconds(200),
      interval: Self.interval)
    // The beat: the last poll (36) plus the interval, already past.
    #expect(schedule.nextPoll(interval: Self.interval) == .seconds(41))
  }

  @Test func aPollWaitsForCompletionsPredictedJustAfterTheFirst() {
    var schedule = Self.learned()
    for (i, at) in [200.0, 201.5, 210].enumerated() {
      schedule.track(
        Self.action("a\(i + 1)", machine: "m\(i + 1)", created: at - 100), at: .seconds(at),
        interval: Self.interval)
    }
    // Due 236, 237.5 and 246: the first two in one poll, within the 2.5 s gather window.
    #expect(schedule.nextPoll(interval: Self.interval) == .milliseconds(237_500))
  }

  @Test func pollsAreNeverCloserThanTheInterval() {
    var schedule = Self.learned()
    schedule.track(
      Self.action("a1", machine: "m1", created: 0), at: .seconds(0), interval: Self.interval)
    schedule.polled(at: .seconds(34), interval: Self.interval)
    #expect(schedule.nextPoll(interval: Self.interval) == .seconds(39))
  }

  @Test func anEarlyPredictionBacksOffUpToTheMaximumWait() {
    var schedule = Self.learned()
    schedule.track(
      Self.action("a1", machine: "m1", created: 100), at: .seconds(200), interval: Self.interval)
    var now = Duration.seconds(236)
    var waits: [Duration] = []
    for _ in 0..<6 {
      schedule.polled(at: now, interval: Self.interval)
      let next = schedule.nextPoll(interval: Self.interval) ?? .zero
      waits.append(next - now)
      now = next
    }
    #expect(
      waits == [.seconds(5), .seconds(10), .seconds(20), .seconds(40), .seconds(60), .seconds(60)])
  }

  @Test func aFinishedActionIsNoLongerScheduled() {
    var schedule = Self.learned()
    #expect(schedule.nextPoll(interval: Self.interval) == nil)
    schedule.track(
      Self.action("a1", machine: "m1", created: 0), at: .seconds(40), interval: Self.interval)
    schedule.forgetAll()
    #expect(schedule.nextPoll(interval: Self.interval) == nil)
  }

  @Test func serviceTimestampsParseWithSevenFractionalDigits() {
    #expect(ServiceTimestamp.seconds("1970-01-01T00:00:00Z") == 0)
    let parsed = ServiceTimestamp.seconds("2021-02-04T15:36:52.7788848Z") ?? 0
    #expect(abs(parsed - 1_612_453_012.7788848) < 1e-6)
    #expect(ServiceTimestamp.seconds("2024-02-29T00:00:00.5Z") == 1_709_164_800.5)
    #expect(ServiceTimestamp.seconds("yesterday") == nil)
    #expect(ServiceTimestamp.seconds("2021-13-04T15:36:52Z") == nil)
  }
}
