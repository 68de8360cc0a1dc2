import Foundation

/// A worker's hold on one queued run: the run, who holds it, and how many times it has been
/// claimed (more than one: an earlier worker died or stopped, and this one adopts its actions).
public struct WorkClaim: Sendable, Equatable {
  /// The run claimed.
  public var run: String
  /// The worker that holds it.
  public var worker: String
  /// How many claims the run has had, this one included.
  public var attempt: Int

  public init(run: String, worker: String, attempt: Int) {
    self.run = run
    self.worker = worker
    self.attempt = attempt
  }
}
