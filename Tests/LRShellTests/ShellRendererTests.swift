import Foundation
import LREngine
import LRLanguage
import LiveResponse
import Testing

@testable import LRShell

/// Rendering engine events, especially hostile text from hosts.
@Suite struct ShellRendererTests {
  let machine = ShellEvent.Machine(name: "WS-0142", id: "1e5bc9d7e413ddd7902c2932e418702b84d0cc07")
  let command = ShellEvent.Command(index: 0, type: .runScript, summary: "run Get-Processes.ps1")

  /// Script output with ESC sequences, C1 controls (encoded and raw), invalid UTF-8 and bidi.
  var hostile: [UInt8] {
    Array("ok\u{1B}[2J\u{1B}]0;pwned\u{07}\n".utf8) + Array("csi\u{9B}31m".utf8) + [
      0x9B, 0xFF, 0xC3,
    ]
      + Array("\n\u{202E}txt.exe\u{2066}\r\n".utf8)
  }

  func expectSafe(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for scalar in text.unicodeScalars {
      let v = scalar.value
      let control = (v < 0x20 && v != 0x0A) || v == 0x7F || (0x80..<0xA0).contains(v)
      let bidi = (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
      #expect(
        !control && !bidi, "unsafe scalar U+\(String(v, radix: 16))", sourceLocation: sourceLocation
      )
    }
  }

  @Test func aTargetThatMatchedNoMachineSaysSo() {
    let text = ShellRenderer().render(.resolved(machines: []), job: JobID(2))
    #expect(text == "[2] no machine matched the target\n")
    let one = ShellRenderer().render(.resolved(machines: [machine]), job: JobID(2))
    #expect(one == "[2] 1 machine: WS-0142\n")
  }

  @Test func hostileScriptOutputIsNeutralised() {
    let renderer = ShellRenderer()
    let text = renderer.render(
      .commandCompleted(
        machine: machine, command: command,
        result: .script(exitCode: 0, output: hostile, errors: Array("\u{1B}[31merr".utf8)),
        elapsedSeconds: 2.5),
      job: JobID(1))
    expectSafe(text)
    #expect(text.contains("[1] WS-0142  #1 run Get-Processes.ps1  Completed  2.5s  exit 0"))
    #expect(text.contains("│ ok"))
    #expect(text.contains("\u{FFFD}"))
    #expect(text.contains("txt.exe"))
    expectSafe(renderer.full(.script(exitCode: 1, output: hostile, errors: hostile)))
  }

  @Test func hostileNamesAndReasonsAreNeutralised() {
    let evil = ShellEvent.Machine(name: "WS\u{1B}[1A\u{202E}-1")
    let events: [ShellEvent] = [
      .submitted(target: "machine \u{1B}[2J", requests: 1),
      .resolved(machines: [evil]),
      .waitingForBudget(machine: evil, reason: "429\u{1B}[H", retryAfterSeconds: 6),
      .actionStatus(machine: evil, actionID: "abc\u{1B}", status: .inProgress, elapsedSeconds: 1),
      .commandCompleted(
        machine: evil, command: command,
        result: .file(path: "results/\u{1B}x", size: 10, sha256: "ab\u{202E}"),
        elapsedSeconds: 1),
      .commandCompleted(
        machine: evil, command: command, result: .failed(reason: "no\u{1B}[K"), elapsedSeconds: 1),
      .notExecuted(machine: evil, command: command, reason: "earlier\u{1B} failed"),
      .note("note\u{1B}[31m"),
      .finished(.failed(reason: "x\u{9B}"), elapsedSeconds: 75),
    ]
    for mode in OutputMode.allCases {
      let renderer = ShellRenderer(mode: mode)
      for event in events {
        let text = renderer.render(event, job: JobID(2))
        expectSafe(text)
      }
    }
  }

  @Test func longOutputIsTruncatedWithAShowHint() {
    let output = (1...30).map { "line \($0)" }.joined(separator: "\n")
    let text = ShellRenderer(maxOutputLines: 5).render(
      .commandCompleted(
        machine: machine,
        command: ShellEvent.Command(index: 1, type: .runScript, summary: "run x.ps1"),
        result: .script(exitCode: 0, output: Array(output.utf8), errors: []), elapsedSeconds: 1),
      job: JobID(4))
    #expect(text.contains("│ line 5\n"))
    #expect(!text.contains("line 6\n"))
    #expect(text.contains("… 25 more lines; `.show 4 2` shows all"))
  }

  @Test func fileResultShowsPathSizeAndHash() {
    let text = ShellRenderer().render(
      .commandCompleted(
        machine: machine,
        command: ShellEvent.Command(index: 1, type: .getFile, summary: "get C:\\x.zip"),
        result: .file(path: "results/r1/WS-0142/x.zip", size: 1234, sha256: "abcd"),
        elapsedSeconds: 12),
      job: JobID(1))
    #expect(text.contains("saved results/r1/WS-0142/x.zip  1234 bytes  sha256 abcd"))
  }

  @Test func jsonLinesAreTheEngineEventsWithTheJob() throws {
    let ref = MachineRef(id: machine.id ?? "", computerName: "WS-0142\u{1B}[2J")
    let result = EngineEvent.resultReady(
      actionID: "a1", machine: ref, index: 1,
      result: .script(exitCode: 3, output: "ok\u{1B}]0;pwned\u{07}", errors: "", path: "r/2-x"))
    let view = ShellEvent.commandCompleted(
      machine: machine, command: command,
      result: .script(exitCode: 3, output: hostile, errors: []), elapsedSeconds: 1.25)
    let renderer = ShellRenderer(mode: .json)
    let text = renderer.render(.engine(result, views: [view]), job: JobID(7))
    #expect(text.hasPrefix(#"{"job":7,"event":"resultReady","actionId":"a1","#))
    // The same line `lr run` prints, with the job first.
    #expect(text == #"{"job":7,"# + result.json().serialized().dropFirst() + "\n")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["exitCode"] as? Int == 3)
    #expect(!text.contains("\u{1B}"))
    // A view alone prints nothing in JSON (its engine event is the line); as text it shows.
    #expect(renderer.render(view, job: JobID(7)).isEmpty)
    #expect(
      ShellRenderer().render(.engine(result, views: [view]), job: JobID(7))
        == ShellRenderer().render(view, job: JobID(7)))
  }

  @Test func durations() {
    #expect(ShellRenderer.duration(0.25) == "250ms")
    #expect(ShellRenderer.duration(12.46) == "12.5s")
    #expect(ShellRenderer.duration(185) == "3m05s")
  }
}
