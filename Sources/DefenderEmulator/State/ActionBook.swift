import Foundation
import LiveResponse

/// Every action the emulator knows, by id and in creation order, with the entity of each finished
/// action built once: a poll costs the actions it asks for, not every action there has been.
struct ActionBook {
  private var actions: [String: MachineAction] = [:]
  /// Each action's place in creation order.
  private var ordinal: [String: Int] = [:]
  private var order: [String] = []
  /// Actions not yet seen in a terminal status.
  private(set) var open: Set<String> = []
  /// The entities of finished actions (a terminal action never changes again).
  private var finished: [String: JSONValue] = [:]
  /// Entities built from a timeline so far (cache misses), for tests and benchmarks.
  private(set) var rendered = 0

  /// Adds a new action.
  mutating func add(_ action: MachineAction) {
    ordinal[action.id] = order.count
    order.append(action.id)
    open.insert(action.id)
    actions[action.id] = action
  }

  /// The action with this id (lowercase), or nil.
  subscript(id: String) -> MachineAction? {
    get { actions[id] }
    set {
      guard let newValue else { return }
      actions[id] = newValue
    }
  }

  /// Marks an action seen terminal: it no longer counts among the open ones.
  mutating func close(_ id: String) { open.remove(id) }

  /// The action's entity at `now`; a finished action's is built once and reused.
  mutating func entity(_ action: MachineAction, now: Date) -> JSONValue {
    if let cached = finished[action.id] { return cached }
    rendered += 1
    let snap = action.snapshot(at: now)
    let entity = action.entity(snap)
    if snap.status.isTerminal {
      finished[action.id] = entity
      open.remove(action.id)
    }
    return entity
  }

  /// The actions with these ids (lowercase; every action when nil) that `include` admits, in
  /// creation order, as entities at `now`.
  mutating func entities(
    ids: Set<String>?, now: Date, include: (MachineAction) -> Bool
  ) -> [JSONValue] {
    let chosen: [MachineAction]
    if let ids {
      chosen = ids.compactMap { actions[$0] }.sorted {
        (ordinal[$0.id] ?? 0) < (ordinal[$1.id] ?? 0)
      }
    } else {
      chosen = order.compactMap { actions[$0] }
    }
    return chosen.filter(include).map { entity($0, now: now) }
  }
}
