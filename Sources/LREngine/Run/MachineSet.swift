import DefenderClient

/// Machines read from the API, each once (by id, case-insensitive), in the order first read.
struct MachineSet: Sendable {
  private(set) var machines: [Machine] = []
  private var ids = Set<String>()

  init(_ machines: [Machine] = []) { add(machines) }

  /// Adds the machines not held yet.
  mutating func add(_ found: [Machine]) {
    for machine in found where ids.insert(machine.id.lowercased()).inserted {
      machines.append(machine)
    }
  }

  /// Whether a machine with this id (lowercased) is held.
  func contains(_ id: String) -> Bool { ids.contains(id) }
}
