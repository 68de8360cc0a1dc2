import DefenderClient

/// Machines read from the API, each once (by id, case-insensitive), in the order first read.
struct MachineSet: Sendable {
  private(set) var machines: [Machine] = []
  /// Each machine's position in ``machines``, by lowercased id.
  private var positions: [String: Int] = [:]

  init(_ machines: [Machine] = []) { add(machines) }

  /// Adds the machines not held yet.
  mutating func add(_ found: [Machine]) {
    for machine in found where positions[machine.id.lowercased()] == nil {
      positions[machine.id.lowercased()] = machines.count
      machines.append(machine)
    }
  }

  /// Whether a machine with this id (lowercased) is held.
  func contains(_ id: String) -> Bool { positions[id] != nil }

  /// The machine with this id (lowercased), found without a scan.
  func machine(id: String) -> Machine? { positions[id].map { machines[$0] } }
}
