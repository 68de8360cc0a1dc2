import LRLanguage

/// Orders a statement's machines into the stages of a ``RolloutPolicy``: the canary first, spread
/// across platforms and device groups, then the waves.
///
/// The order is deterministic: machines are taken round-robin over their (platform, device
/// group) buckets, buckets in name order, each bucket's machines in resolution order. Machines
/// that already ran (`lr resume`) come first, so a resumed run counts them before it sends more.
struct Rollout: Sendable {
  /// The machines of each stage, in order.
  var stages: [[MachineRef]]

  /// - Parameters:
  ///   - bucket: a machine's (platform, device group) key, by lowercased id.
  ///   - done: lowercased ids of machines that already ran this statement.
  init(
    _ machines: [MachineRef], policy: RolloutPolicy, bucket: [String: String],
    done: Set<String> = []
  ) {
    let ordered = Rollout.order(machines, bucket: bucket, done: done)
    var stages: [[MachineRef]] = []
    var start = 0
    for size in policy.stageSizes(machineCount: ordered.count) {
      stages.append(Array(ordered[start..<start + size]))
      start += size
    }
    self.stages = stages
  }

  /// Machines that already ran, then round-robin over the buckets of the rest.
  static func order(_ machines: [MachineRef], bucket: [String: String], done: Set<String>)
    -> [MachineRef]
  {
    let first = machines.filter { done.contains($0.id.lowercased()) }
    var buckets: [String: [MachineRef]] = [:]
    for machine in machines where !done.contains(machine.id.lowercased()) {
      buckets[bucket[machine.id.lowercased()] ?? "", default: []].append(machine)
    }
    let keys = buckets.keys.sorted()
    var ordered = first
    var round = 0
    while ordered.count < machines.count {
      for key in keys {
        if let machine = buckets[key]?[safe: round] { ordered.append(machine) }
      }
      round += 1
    }
    return ordered
  }
}
