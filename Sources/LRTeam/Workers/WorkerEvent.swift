/// What a worker reports: one line per claim and per end of a claim (`lr worker`).
public enum WorkerEvent: Sendable, Equatable {
  /// The worker began taking work (its name, how many runs at once).
  case started(worker: String, concurrency: Int)
  /// It claimed a run.
  case claimed(WorkClaim)
  /// The run ended; `state` is its final state in the journal (`finished`, `failed`, `paused`…).
  case finished(WorkClaim, state: String)
  /// The worker is stopping: the run went back to the queue for another worker.
  case released(WorkClaim)
  /// Another worker claimed the run after this one's lease ran out: this one stopped it.
  case lost(WorkClaim)
  /// The run could not be executed (`error` says why): done as `failed`, or back in the queue
  /// when the team database could not be reached.
  case failed(WorkClaim, error: String)
  /// The worker stopped.
  case stopped(worker: String)
}
