import Foundation
import PostgresNIO

/// One run in the work queue, as `lr watch` shows it.
public struct WorkEntry: Sendable, Equatable {
  /// `queued`, `claimed` or `done`.
  public var run: String
  public var state: String
  /// Who queued it.
  public var queuedBy: String
  public var queuedAt: Date
  /// The script's name.
  public var source: String
  /// How many actions its resolved statements plan.
  public var actions: Int
  /// The worker holding (or that last held) it.
  public var worker: String?
  public var leaseUntil: Date?
  /// How many claims it has had.
  public var claims: Int
  /// The run's final state once done.
  public var outcome: String?

  init?(row: PostgresRow) {
    typealias Columns = (
      String, String, String, Date, String, Int, String?, Date?, Int, String?
    )
    guard let c = try? row.decode(Columns.self) else { return nil }
    (run, state, queuedBy, queuedAt, source, actions) = (c.0, c.1, c.2, c.3, c.4, c.5)
    (worker, leaseUntil, claims, outcome) = (c.6, c.7, c.8, c.9)
  }
}
