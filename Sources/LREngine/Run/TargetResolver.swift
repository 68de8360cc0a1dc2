import DefenderClient
import Foundation
import LRLanguage
import LiveResponse

/// Resolves symbolic targets (names, ids, tags, globs, files, OData filters) to machines through
/// the machines API. Names and ids are looked up with `$filter` queries, 25 names a call (a list
/// of 12 hosts costs one call, not a listing of the fleet); a name prefix asks for
/// `startswith(computerDnsName,…)`; tags and globs without a literal prefix list the fleet, once
/// per resolver, as do suggestions for unknown names and the duplicate check of more than
/// ``listFleetAbove`` names.
public actor TargetResolver {
  let api: DefenderAPI
  /// Where `file "…"` targets are read from (the script's folder).
  let baseDirectory: URL
  private var fleet: [Machine]?
  /// Above this many names (100 calls of 25), the duplicate check lists the fleet rather than
  /// asking by name: 100 pages of 1,000 or fewer for fleets up to 100,000 machines.
  public static let listFleetAbove = 2_500
  /// Every machine read so far, in the order read (a listing of the fleet replaces it).
  private var seen = MachineSet()
  /// Names (lowercased) already looked up with a query.
  private var lookedUp = Set<String>()

  public init(api: DefenderAPI, baseDirectory: URL) {
    self.api = api
    self.baseDirectory = baseDirectory
  }

  /// A name that matched no machine, with the closest fleet name.
  public struct UnknownName: Sendable, Equatable {
    public var name: String
    public var suggestion: String?
  }

  /// The machines a selector denotes (deduplicated, in order) and the names that matched none.
  public func resolve(_ selector: TargetSelector, results: ResultValues) async throws
    -> (machines: [MachineRef], unknown: [UnknownName])
  {
    var machines: [MachineRef] = []
    var seen = Set<String>()
    var unknown: [UnknownName] = []
    func add(_ found: [Machine]) {
      for machine in found where seen.insert(machine.id.lowercased()).inserted {
        machines.append(
          MachineRef(id: machine.id, computerName: machine.computerDnsName ?? machine.id))
      }
    }
    try await lookUp(Self.names(in: selector, results: results, baseDirectory: baseDirectory))
    for term in selector.terms {
      switch term {
      case .machine(let value):
        let name = value.resolve(results)
        if let machine = try await machine(named: name) {
          add([machine])
        } else {
          unknown.append(UnknownName(name: name, suggestion: try await suggestion(for: name)))
        }
      case .tag(let value):
        let tag = value.resolve(results).lowercased()
        add(try await allMachines().filter { $0.machineTags.contains { $0.lowercased() == tag } })
      case .name(let value):
        let pattern = value.resolve(results)
        add(
          try await self.machines(prefixedBy: pattern).filter {
            TargetResolver.nameMatches(pattern, $0)
          })
      case .filter(let value):
        add(try await Self.listed(api.machinePages(filter: value.resolve(results))).machines)
      case .results(let binding, let subset, let condition):
        // The machines of a bound result, as its statement resolved them: no API call.
        for result in TargetResolver.machines(
          of: results[binding], subset, where: condition, results: results)
        where seen.insert(result.machineID.lowercased()).inserted {
          machines.append(MachineRef(id: result.machineID, computerName: result.machine))
        }
      case .file(let value):
        for name in try Self.names(inFile: value.resolve(results), baseDirectory: baseDirectory) {
          if let machine = try await machine(named: name) {
            add([machine])
          } else {
            unknown.append(UnknownName(name: name, suggestion: try await suggestion(for: name)))
          }
        }
      }
    }
    return (machines, unknown)
  }

  /// The machines of a bound result's subset that match a `where` condition (none when the
  /// result is not bound: its statement did not run).
  public static func machines(
    of set: ResultSet?, _ subset: ResultField, where condition: PlanExpression?,
    results: ResultValues
  ) -> [MachineResult] {
    set?.machines(subset, where: condition, results: results) ?? []
  }

  /// Names in a machine-list file: one per line; `#` starts a comment; blank lines ignored.
  public static func names(inFile text: String) -> [String] {
    text.split(whereSeparator: \.isNewline).compactMap { line in
      let content =
        line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let name = content.trimmingCharacters(in: .whitespaces)
      return name.isEmpty ? nil : name
    }
  }

  /// Whether a machine's computer name (full or short) matches a glob, or starts with a prefix.
  public static func nameMatches(_ pattern: String, _ machine: Machine) -> Bool {
    guard let full = machine.computerDnsName?.lowercased() else { return false }
    let short = String(full.split(separator: ".").first ?? Substring(full))
    let p = pattern.lowercased()
    if Glob.hasWildcards(p) { return Glob.matches(p, full) || Glob.matches(p, short) }
    return full.hasPrefix(p)
  }

  /// The whole fleet, listed once page by page (``DefenderAPI/machinePages(filter:pageSize:)``)
  /// and held in its ``Machine/targeting`` form.
  func allMachines() async throws -> [Machine] {
    if let fleet { return fleet }
    let all = try await Self.listed(api.machinePages())
    fleet = all.machines
    seen = all
    return all.machines
  }

  /// The machines of `pages`, each once, kept in their ``Machine/targeting`` form as each page
  /// is read.
  static func listed(_ pages: MachinePages) async throws -> MachineSet {
    var pages = pages
    var all = MachineSet()
    while let page = try await pages.next() { all.add(page.map(\.targeting)) }
    return all
  }

  /// One machine by 40-hex id, FQDN or short name (case-insensitive), among the machines its
  /// lookup read (``lookUp(_:)``) or the fleet.
  func machine(named name: String) async throws -> Machine? {
    try await lookUp([name])
    let lower = name.lowercased()
    if let byID = seen.machine(id: lower) { return byID }
    let all = seen.machines
    if let match = all.first(where: {
      $0.id.lowercased() == lower || $0.computerDnsName?.lowercased() == lower
    }) {
      return match
    }
    let short = all.filter {
      ($0.computerDnsName?.lowercased().split(separator: ".").first).map(String.init) == lower
    }
    return short.count == 1 ? short[0] : nil
  }

  /// Reads the machines `names` may denote (by id, FQDN or short name) with `$filter` queries,
  /// 25 names a call, skipping names looked up before (or everything once the fleet is listed).
  func lookUp(_ names: [String]) async throws {
    guard fleet == nil else { return }
    var fresh: [String] = []
    for name in names where lookedUp.insert(name.lowercased()).inserted { fresh.append(name) }
    for start in stride(from: 0, to: fresh.count, by: 25) {
      let chunk = Array(fresh[start..<min(start + 25, fresh.count)])
      let found = try await api.machines(filter: MachineFilter.names(chunk))
      seen.add(found)
    }
  }

  /// The machines whose name may match `pattern` (a prefix or glob): those starting with its
  /// literal prefix, else the fleet.
  func machines(prefixedBy pattern: String) async throws -> [Machine] {
    let prefix = String(pattern.prefix { $0 != "*" && $0 != "?" }).lowercased()
    if fleet != nil || prefix.isEmpty { return try await allMachines() }
    let found = try await api.machines(filter: MachineFilter.startsWith(prefix))
    seen.add(found)
    return found
  }

  /// The names `.machine` and `.file` terms of `selector` name, to look up together.
  static func names(in selector: TargetSelector, results: ResultValues, baseDirectory: URL) throws
    -> [String]
  {
    var names: [String] = []
    for term in selector.terms {
      switch term {
      case .machine(let value): names.append(value.resolve(results))
      case .file(let value):
        names += try Self.names(inFile: value.resolve(results), baseDirectory: baseDirectory)
      default: break
      }
    }
    return names
  }

  /// The names in the machine-list file at `path` (relative to `baseDirectory`).
  static func names(inFile path: String, baseDirectory: URL) throws -> [String] {
    let url =
      path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw DefenderClientError.invalidInput("cannot read the machine list \(url.path)")
    }
    return names(inFile: String(decoding: data, as: UTF8.self))
  }

  /// Every machine sharing a computer name with one of `refs` (theirs and any potential
  /// duplicates), read with `computerDnsName eq` queries, 25 names a call; above
  /// ``listFleetAbove`` names, from the fleet listed in pages of 1,000 (at 100,000 machines, 100
  /// reads instead of 4,000).
  public func machines(namedLike refs: [MachineRef]) async throws -> [Machine] {
    var names: [String] = []
    var unique = Set<String>()
    for ref in refs where unique.insert(ref.computerName.lowercased()).inserted {
      names.append(ref.computerName.lowercased())
    }
    if fleet == nil, names.count > Self.listFleetAbove { _ = try await allMachines() }
    if let fleet {
      return fleet.filter { unique.contains($0.computerDnsName?.lowercased() ?? "") }
    }
    var found = MachineSet()
    for start in stride(from: 0, to: names.count, by: 25) {
      let chunk = Array(names[start..<min(start + 25, names.count)])
      let named = try await api.machines(filter: MachineFilter.computerNames(chunk))
      found.add(named)
    }
    // A target given by id whose machine reports no name: read it by id.
    let ids = refs.map { $0.id.lowercased() }.filter { !found.contains($0) }
    for start in stride(from: 0, to: ids.count, by: 25) {
      let chunk = Array(ids[start..<min(start + 25, ids.count)])
      let byID = try await api.machines(filter: MachineFilter.ids(chunk))
      found.add(byID)
    }
    return found.machines
  }

  func suggestion(for name: String) async throws -> String? {
    let names = try await allMachines().compactMap(\.computerDnsName)
    return Suggestions.closest(to: name, in: names)
      ?? Suggestions.closest(
        to: name, in: names.map { String($0.split(separator: ".").first ?? "") })
  }
}
