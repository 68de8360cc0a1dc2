/// The calls between procedures, with their strongly connected components (found once, without
/// recursion), so that recursion is known per call in linear time.
struct CallGraph {
  /// Procedure → the distinct known procedures its body calls, in order of first call.
  private(set) var callees: [String: [String]] = [:]
  /// Procedure → the number of its strongly connected component.
  private(set) var component: [String: Int] = [:]
  /// How many procedures each component has.
  private(set) var componentSize: [Int] = []
  /// Procedures that can reach themselves (a component of two or more, or a call to itself).
  private(set) var recursive: Set<String> = []

  init(procedures: [String: Procedure]) {
    for (name, procedure) in procedures {
      var seen = Set<String>()
      callees[name] = procedure.definition.body.commands.compactMap { command in
        let callee = command.name.text
        guard command.kind == .call, procedures[callee] != nil, seen.insert(callee).inserted
        else { return nil }
        return callee
      }
    }
    findComponents()
  }

  /// Whether a call from `caller` to `callee` closes a cycle.
  func isRecursive(from caller: String, to callee: String) -> Bool {
    guard let a = component[caller], let b = component[callee] else { return false }
    return a == b && recursive.contains(callee)
  }

  /// Tarjan's algorithm with an explicit stack (a chain of 10,000 procedures must not overflow).
  private mutating func findComponents() {
    var index: [String: Int] = [:]
    var lowLink: [String: Int] = [:]
    var onStack = Set<String>()
    var stack: [String] = []
    var next = 0
    for root in callees.keys.sorted() where index[root] == nil {
      var work: [(name: String, child: Int)] = [(root, 0)]
      index[root] = next
      lowLink[root] = next
      next += 1
      stack.append(root)
      onStack.insert(root)
      while let (name, child) = work.last {
        let edges = callees[name] ?? []
        if child < edges.count {
          work[work.count - 1].child += 1
          let callee = edges[child]
          if let calleeIndex = index[callee] {
            if onStack.contains(callee) { lowLink[name] = min(lowLink[name] ?? 0, calleeIndex) }
          } else {
            index[callee] = next
            lowLink[callee] = next
            next += 1
            stack.append(callee)
            onStack.insert(callee)
            work.append((callee, 0))
          }
          continue
        }
        work.removeLast()
        if let parent = work.last?.name {
          lowLink[parent] = min(lowLink[parent] ?? 0, lowLink[name] ?? 0)
        }
        if lowLink[name] == index[name] { popComponent(rootedAt: name, &stack, &onStack) }
      }
    }
  }

  private mutating func popComponent(
    rootedAt root: String, _ stack: inout [String], _ onStack: inout Set<String>
  ) {
    let number = componentSize.count
    var members: [String] = []
    while let top = stack.popLast() {
      onStack.remove(top)
      component[top] = number
      members.append(top)
      if top == root { break }
    }
    componentSize.append(members.count)
    if members.count > 1 {
      recursive.formUnion(members)
    } else if callees[root]?.contains(root) == true {
      recursive.insert(root)
    }
  }

  /// The shortest chain of calls from `start` back to `target` inside their component; for a
  /// component larger than `detailLimit` procedures, only its ends (searching it for every
  /// recursive call would be quadratic).
  func cycle(from start: String, to target: String, detailLimit: Int = 64) -> [String] {
    if start == target { return [start] }
    guard let number = component[start], componentSize[number] <= detailLimit else {
      return [start, "…", target]
    }
    var parent: [String: String] = [:]
    var queue = [start]
    var head = 0
    var seen: Set<String> = [start]
    while head < queue.count {
      let name = queue[head]
      head += 1
      for callee in callees[name] ?? [] where component[callee] == number {
        guard seen.insert(callee).inserted else { continue }
        parent[callee] = name
        guard callee == target else {
          queue.append(callee)
          continue
        }
        var path = [target]
        var cursor = target
        while cursor != start, let p = parent[cursor] {
          path.append(p)
          cursor = p
        }
        return path.reversed()
      }
    }
    return [start, target]
  }
}
