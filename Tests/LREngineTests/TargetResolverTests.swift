import DefenderEmulator
import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import Testing

/// What each kind of target resolves to on the lab's demo fleet, through the machines API of the
/// emulator over loopback HTTP.
@Suite(.serialized) struct TargetResolverTests {
  /// The computer names (and unknown names, with suggestions) a target written in `.lr` resolves
  /// to, optionally with results bound and files in the script's folder.
  static func resolve(
    _ target: String, results: ResultValues = [:], files: [String: String] = [:]
  ) async throws -> (names: [String], unknown: [TargetResolver.UnknownName]) {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    for (name, text) in files {
      try Data(text.utf8).write(to: lab.directory.appendingPathComponent(name))
    }
    let resolver = TargetResolver(api: lab.api, baseDirectory: lab.directory)
    let prefix = results.keys.sorted().map { "let \($0) = on machine X < run a.ps1 >\n" }.joined()
    let output = Compiler.compile(
      SourceFile(name: "t.lr", text: prefix + "on \(target) < get 'a' >"))
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics.map(\.message))")
    let statement = try #require(output.plan.allStatements.last)
    let found = try await resolver.resolve(statement.target, results: results)
    return (found.machines.map(\.computerName), found.unknown)
  }

  @Test func oneMachineByShortNameFQDNOrId() async throws {
    #expect(try await Self.resolve("machine ws-0142").names == ["ws-0142.contoso.com"])
    #expect(try await Self.resolve("machine WS-0143.CONTOSO.COM").names == ["ws-0143.contoso.com"])
    #expect(
      try await Self.resolve("machine \(Scenario.exampleMachineId.uppercased())").names == [
        "mymachine1.contoso.com"
      ])
  }

  @Test func anUnknownNameIsReportedWithASuggestion() async throws {
    let result = try await Self.resolve("machine ws-0124")
    #expect(result.names.isEmpty)
    #expect(result.unknown.map(\.name) == ["ws-0124"])
    #expect(result.unknown.map(\.suggestion) == ["ws-0142"])
  }

  @Test func aListKeepsItsOrder() async throws {
    #expect(
      try await Self.resolve("machines [srv-dc01, ws-0142.contoso.com, mymachine1]").names == [
        "srv-dc01.contoso.com", "ws-0142.contoso.com", "mymachine1.contoso.com",
      ])
  }

  @Test func aTagIsCaseInsensitive() async throws {
    #expect(
      try await Self.resolve("tag \"finance\"").names == [
        "ws-0142.contoso.com", "ws-0143.contoso.com",
      ])
    #expect(try await Self.resolve("tag 'test tag 1'").names == ["mymachine1.contoso.com"])
    #expect(try await Self.resolve("tag \"no-such-tag\"").names.isEmpty)
  }

  @Test func aNameWithoutWildcardsIsAPrefix() async throws {
    #expect(
      try await Self.resolve("name \"srv-\"").names == [
        "srv-dc01.contoso.com", "srv-file01.contoso.com", "srv-app02.contoso.com",
        "srv-legacy03.contoso.com",
      ])
    #expect(try await Self.resolve("name \"MyMachine\"").names == ["mymachine1.contoso.com"])
    // A prefix, not a substring.
    #expect(try await Self.resolve("name \"contoso\"").names.isEmpty)
  }

  @Test func aGlobMatchesTheShortOrTheFullName() async throws {
    #expect(
      try await Self.resolve("name \"ws-01*\"").names == [
        "ws-0142.contoso.com", "ws-0143.contoso.com", "ws-0150.contoso.com",
      ])
    #expect(
      try await Self.resolve("name \"srv-*01\"").names == [
        "srv-dc01.contoso.com", "srv-file01.contoso.com",
      ])
    #expect(
      try await Self.resolve("name \"*-0?.contoso.com\"").names == [
        "web-01.contoso.com", "db-02.contoso.com", "mac-design-01.contoso.com",
        "laptop-travel-07.contoso.com", "kiosk-lobby-02.contoso.com", "ws-broken-09.contoso.com",
      ])
  }

  @Test func anODataFilter() async throws {
    #expect(
      try await Self.resolve("filter \"osPlatform eq 'Linux'\"").names == [
        "web-01.contoso.com", "db-02.contoso.com",
      ])
  }

  @Test func aFileOfNames() async throws {
    let result = try await Self.resolve(
      "file \"hosts.txt\"",
      files: [
        "hosts.txt": "# the finance desk\nws-0142\n\n  srv-dc01.contoso.com  # the DC\nnope-01\n"
      ])
    #expect(result.names == ["ws-0142.contoso.com", "srv-dc01.contoso.com"])
    #expect(result.unknown.map(\.name) == ["nope-01"])
  }

  @Test func aUnionListsEachMachineOnceInFirstSeenOrder() async throws {
    let result = try await Self.resolve(
      "machine ws-0143 + tag \"Finance\" + name \"ws-014\" + machines [WS-0142, ws-0150] + filter \"osPlatform eq 'Linux'\" + tag \"DMZ\""
    )
    #expect(
      result.names == [
        "ws-0143.contoso.com", "ws-0142.contoso.com", "ws-0150.contoso.com",
        "web-01.contoso.com", "db-02.contoso.com",
      ])
    #expect(result.unknown.isEmpty)
  }

  @Test func aNameFromAResult() async throws {
    let result = try await Self.resolve(
      "machine $r.machine + machine \"${r.output}\"",
      results: ["r": ["machine": .string("ws-0150"), "output": .string("db-02.contoso.com")]])
    #expect(result.names == ["ws-0150.contoso.com", "db-02.contoso.com"])
  }
}
