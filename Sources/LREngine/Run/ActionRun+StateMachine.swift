import LiveResponse

extension ActionRun {
  /// The life of one action as the engine follows it: submitted → queued (the device has not
  /// picked it up) → running → finished, each announcement made once and in that order.
  struct StateMachine: Sendable {
    enum State: Sendable, Equatable {
      /// The service accepted the action (its answer's status is not read yet).
      case submitted
      /// `Pending`: waiting for the device to pick it up (offline devices keep it 3 days).
      case queued
      /// `InProgress`, or a command has started.
      case running
      /// A terminal status.
      case finished(ActionStatus)
    }

    /// What the engine announces for a transition.
    enum Announcement: Sendable, Equatable {
      case queued
      case started
    }

    private(set) var state: State = .submitted

    /// Moves on with the action as last read; returns what to announce (each at most once).
    mutating func observe(_ status: ActionStatus, commandStarted: Bool) -> [Announcement] {
      var announcements: [Announcement] = []
      if status == .pending, state == .submitted {
        state = .queued
        announcements.append(.queued)
      }
      if status == .inProgress || commandStarted, state == .submitted || state == .queued {
        state = .running
        announcements.append(.started)
      }
      if status.isTerminal {
        state = .finished(status)
      }
      return announcements
    }
  }
}
