import LiveResponse
import Testing

@testable import LREngine

/// An action's life as the engine follows it: each announcement once, in order.
struct ActionRunStateMachineTests {
  @Test func pendingThenRunningThenFinished() {
    var life = ActionRun.StateMachine()
    #expect(life.observe(.pending, commandStarted: false) == [.queued])
    #expect(life.state == .queued)
    #expect(life.observe(.pending, commandStarted: false) == [])
    #expect(life.observe(.inProgress, commandStarted: false) == [.started])
    #expect(life.observe(.inProgress, commandStarted: true) == [])
    #expect(life.observe(.succeeded, commandStarted: true) == [])
    #expect(life.state == .finished(.succeeded))
  }

  @Test func aStartedCommandMeansRunningEvenWhilePending() {
    var life = ActionRun.StateMachine()
    #expect(life.observe(.pending, commandStarted: true) == [.queued, .started])
    #expect(life.state == .running)
  }

  @Test func straightToRunningIsNotQueued() {
    var life = ActionRun.StateMachine()
    #expect(life.observe(.inProgress, commandStarted: false) == [.started])
    #expect(life.observe(.failed, commandStarted: true) == [])
    #expect(life.state == .finished(.failed))
  }

  @Test func finishedAtOnceAnnouncesNothing() {
    var life = ActionRun.StateMachine()
    #expect(life.observe(.cancelled, commandStarted: false) == [])
    #expect(life.state == .finished(.cancelled))
  }
}
