import Foundation
import PostgresNIO

/// One live run on the tenant's board (`lr watch`): who, what, how far, the sessions it holds,
/// and when it should end at the rate so far.
///
/// Encoded as one run of `lr watch --output json`'s board (docs/json.md, `watchBoard`).
public struct BoardRun: Sendable, Equatable, Encodable {
  public var run: String
  /// Who started or queued it (the operating-system user).
  public var who: String
  /// The script's path or name.
  public var source: String
  /// `running`, `queued`, `paused` or `awaiting` (approval).
  public var state: String
  /// The worker (`host:pid`) executing it, when a worker claimed it.
  public var worker: String?
  /// Actions planned (journaled, or counted when the run was queued), submitted (running on
  /// the service), finished (or skipped), and failed (finished other than `Succeeded`).
  public var actions: Int
  public var submitted: Int
  public var finished: Int
  public var failed: Int
  /// The tenant's sessions held on machines where this run has an action running.
  public var sessions: Int
  /// When it was journaled; when its first action was (nil before).
  public var created: Date
  public var started: Date?
  /// When it should end at the rate so far (nil before its first finished action).
  public var eta: Date?

  enum CodingKeys: String, CodingKey {
    case run, who, source, state, worker, actions, submitted, finished, failed, sessions, eta
    case created = "createdAt"
    case started = "startedAt"
  }

  init(row: PostgresRow) throws {
    let r = row.makeRandomAccess()
    run = try r["id"].decode(String.self)
    who = try r["who"].decode(String.self)
    source = try r["source"].decode(String.self)
    state = try r["state"].decode(String.self)
    worker = try r["worker"].decode(String?.self)
    actions = try r["actions"].decode(Int.self)
    submitted = try r["submitted"].decode(Int.self)
    finished = try r["finished"].decode(Int.self)
    failed = try r["failed"].decode(Int.self)
    sessions = try r["sessions"].decode(Int.self)
    created = try r["created"].decode(Date.self)
    started = try r["started"].decode(Date?.self)
    eta = try r["eta"].decode(Date?.self)
  }
}
