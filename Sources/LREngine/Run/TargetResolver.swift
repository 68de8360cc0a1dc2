import DefenderClient
import Foundation
import LRLanguage
import LiveResponse

/// Resolves symbolic targets (names, ids, tags, globs, files, OData filters) to machines through
/// the machines API. The fleet is listed once per run and matched locally, so a statement over
/// many names costs one call, not one per name.
public actor TargetResolver {
  let api: DefenderAPI
  /// Where `file "…"` targets are read from (the script's folder).
  let baseDirectory: URL
  private var fleet: [Machine]?

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
        add(try await allMachines().filter { TargetResolver.nameMatches(pattern, $0) })
      case .filter(let value):
        add(try await api.machines(filter: value.resolve(results)))
      case .results(let binding, let subset, let condition):
        // The machines of a bound result, as its statement resolved them: no API call.
        for result in TargetResolver.machines(
          of: results[binding], subset, where: condition, results: results)
        where seen.insert(result.machineID.lowercased()).inserted {
          machines.append(MachineRef(id: result.machineID, computerName: result.machine))
        }
      case .file(let value):
        let path = value.resolve(results)
        let url =
          path.hasPrefix("/")
          ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
          throw DefenderClientError.invalidInput("cannot read the machine list \(url.path)")
        }
        for name in TargetResolver.names(inFile: String(decoding: data, as: UTF8.self)) {
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

  func allMachines() async throws -> [Machine] {
    if let fleet { return fleet }
    let all = try await api.machines(top: 10_000)
    fleet = all
    return all
  }

  /// One machine by 40-hex id, FQDN or short name (case-insensitive).
  func machine(named name: String) async throws -> Machine? {
    let lower = name.lowercased()
    let all = try await allMachines()
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

  func suggestion(for name: String) async throws -> String? {
    let names = try await allMachines().compactMap(\.computerDnsName)
    return Suggestions.closest(to: name, in: names)
      ?? Suggestions.closest(
        to: name, in: names.map { String($0.split(separator: ".").first ?? "") })
  }
}
