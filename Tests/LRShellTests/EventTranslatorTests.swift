import Foundation
import LREngine
import LRLanguage
import LRShell
import LiveResponse
import Testing

/// The REPL's view of the engine's events: the same `EngineEvent`s `lr run` renders, folded
/// into the shell's, with commands numbered across the statement's requests.
struct EventTranslatorTests {
  final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [ShellEvent] = []
    func add(_ event: ShellEvent) { lock.withLock { list.append(event) } }
    var all: [ShellEvent] { lock.withLock { list } }
    /// The shell's views of the engine events, in order.
    var views: [ShellEvent] {
      all.flatMap { event -> [ShellEvent] in
        if case .engine(_, let views) = event { views } else { [event] }
      }
    }
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
    let completed = c.views.compactMap { event -> ShellEvent.Command? in
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
    guard case .refused(let machine, let reason)? = c.views.first else {
      Issue.record("expected a refusal, got \(c.all)")
      return
    }
    #expect(machine.name == "ws-0142")
    #expect(reason == "no automation level [DisallowedOperation]")
  }

  @Test func everyEngineEventIsPassedOnOnceWithItsViews() throws {
    let plan = try Self.plan("on machine ws-0142 < run Get-Processes.ps1 >\n")
    let c = Collected()
    let translator = EventTranslator(plan: plan, started: Date()) { c.add($0) }
    let events: [EngineEvent] = [
      .runStarted(runID: "r1", statements: 1),
      .actionSubmitted(statement: 1, machine: Self.machine, request: 0, actionID: "a1"),
      .actionQueued(actionID: "a1", machine: Self.machine),
      .retry(reason: "HTTP 503", attempt: 1, after: 0.5),
      .runFinished(runID: "r1", summary: RunSummary()),
    ]
    for event in events { translator.handle(event) }
    let names = c.all.compactMap { event -> String? in
      if case .engine(let engineEvent, _) = event { engineEvent.eventName } else { nil }
    }
    #expect(names == ["runStarted", "actionSubmitted", "actionQueued", "retry", "runFinished"])
    #expect(c.all.count == events.count)
    // The text keeps its lines: the action's status, and the retry as a note.
    guard case .actionStatus(_, "a1", .pending, _)? = c.views.first,
      case .note(let note)? = c.views.last
    else {
      Issue.record("unexpected views \(c.views)")
      return
    }
    #expect(note == "HTTP 503; retrying for up to 60 s (Ctrl-C stops)")
  }
}
