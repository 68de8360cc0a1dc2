import Foundation
import LREngine
import LRLanguage
import LRShell
import Testing

/// The REPL's view of the engine's events: the same `EngineEvent`s `lr run` renders, folded
/// into the shell's, with commands numbered across the statement's requests.
struct EventTranslatorTests {
  final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [ShellEvent] = []
    func add(_ event: ShellEvent) { lock.withLock { list.append(event) } }
    var all: [ShellEvent] { lock.withLock { list } }
  }

  static let machine = MachineRef(
    id: "cd9dee6192190eae8dea23e96f21e7626c5a9375", computerName: "ws-0142")

  static func plan(_ text: String) throws -> Plan {
    let output = Compiler.compile(SourceFile(name: "<repl>", text: text))
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
    return output.plan
  }

  @Test func commandsOfASecondRequestAreNumberedAcrossTheStatement() throws {
    // Two GetFiles before a RunScript force a second request (the API's order rule).
    let plan = try Self.plan(
      "on machine ws-0142 < get 'C:\\a.txt'; run Get-Processes.ps1; get 'C:\\b.txt' >\n")
    let statement = try #require(plan.allStatements.first)
    #expect(statement.requests.count == 2)
    let c = Collected()
    let translator = EventTranslator(plan: plan, started: Date()) { c.add($0) }
    translator.handle(
      .actionSubmitted(
        statement: statement.number, machine: Self.machine, request: 1, actionID: "a2"))
    translator.handle(
      .resultReady(
        actionID: "a2", machine: Self.machine, index: 2,
        result: .file(path: "/r/3-b.txt", size: 1, sha256: String(repeating: "0", count: 64))))
    let completed = c.all.compactMap { event -> ShellEvent.Command? in
      if case .commandCompleted(_, let command, _, _) = event { command } else { nil }
    }
    #expect(completed.map(\.index) == [2])
    #expect(completed.first?.summary == "get C:\\b.txt")
  }

  @Test func aRefusalIsShownForItsMachineWithTheServiceCode() throws {
    let plan = try Self.plan("on machine ws-0142 < run Get-Processes.ps1 >\n")
    let c = Collected()
    let translator = EventTranslator(plan: plan, started: Date()) { c.add($0) }
    translator.handle(
      .actionRefused(
        statement: 1, machine: Self.machine, request: 0,
        refusal: Refusal(
          message: "no automation level", code: "DisallowedOperation", httpStatus: 403)))
    guard case .refused(let machine, let reason)? = c.all.first else {
      Issue.record("expected a refusal, got \(c.all)")
      return
    }
    #expect(machine.name == "ws-0142")
    #expect(reason == "no automation level [DisallowedOperation]")
  }
}
