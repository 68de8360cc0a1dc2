import Foundation
import LRTestSupport
import Testing

/// The exercise in docs/training.md: its inputs work on the lab, and each answer it gives is what
/// the lab returns.
@Suite struct TrainingExerciseTests {
  /// Facts the answers state, each of which must also appear in the lab's output.
  static let facts = [
    "ImpairedCommunication", "53477376 bytes",
    "9afda9b41c2b4b6ba6a2640b20e0fa7edd65ce20581005c4fde1adaccc2822bc", "2097152 bytes",
    "9aad199f96c0cdb0e3da64ab8a9c83510c92c4ab65bd332507019c9d7cb2ee4c",
    #"C:\Users\Public\updater.exe"#, #"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"#,
    "Script execution failed: the device rejected the script (0x80070005)",
    "the action ended Failed", "DisallowedOperation",
    "This device has no automation level assigned to it",
    #"\u{1b}[2J\u{1b}[H\u{1b}[31;1mALERT"#, #"\u{202e}txt.exe"#, "51 MB",
  ]

  @Test(.timeLimit(.minutes(2))) func answersAreWhatTheLabReturns() async throws {
    let exercises = try LabTranscript.section("training.md", "exercises")
    let answers = try LabTranscript.section("training.md", "answers")
    let inputs = LabTranscript.inputs(exercises)
    #expect(inputs.count == 8)
    let run = try await LabTranscript.run(inputs)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.isEmpty, "\(run.stderr)")
    #expect(!run.stdout.contains("\u{1B}"), "an escape sequence from a host reached the output")
    for fact in Self.facts {
      #expect(answers.contains(fact), "the answers do not say \(fact)")
      #expect(run.stdout.contains(fact), "the lab did not return \(fact)")
    }
    let lines = run.stdout.split(separator: "\n")
    // 1: two Inactive machines (in the full listing and in the filtered one), one impaired.
    let inactive = lines.filter { $0.contains("  Inactive  ") }
    #expect(inactive.count == 4)
    #expect(
      inactive.allSatisfy {
        $0.hasPrefix("laptop-travel-07.contoso.com") || $0.hasPrefix("kiosk-lobby-02.contoso.com")
      })
    #expect(
      lines.filter { $0.contains("ImpairedCommunication") }.allSatisfy {
        $0.hasPrefix("ws-broken-09.contoso.com")
      })
    // 5: both Finance machines start the updater.
    for machine in ["ws-0142.contoso.com", "ws-0143.contoso.com"] {
      #expect(run.stdout.contains("[3] \(machine)  #1 run Get-Autoruns.ps1  Completed"))
    }
    #expect(run.stdout.components(separatedBy: #"C:\Users\Public\updater.exe"#).count - 1 == 2)
    // 6, 7: the broken and the legacy machine fail; the others are done.
    // (Jobs: 1 the dump, 2 the invoice, 3 autoruns, 4 the broken, 5 the legacy, 6 the hostile.)
    #expect(run.stdout.contains("[4] ws-broken-09.contoso.com  action "))
    #expect(run.stdout.contains("[4] failed"))
    #expect(run.stdout.contains("[5] failed"))
    for job in [1, 2, 3, 6] { #expect(run.stdout.contains("[\(job)] done in")) }
  }

  @Test(.timeLimit(.minutes(1))) func anOfflineMachineKeepsTheActionPending() async throws {
    let exercises = try LabTranscript.section("training.md", "exercises")
    let statement = try #require(exercises.firstMatch(of: /\$ echo "([^"]+)" > kiosk\.lr/)).1
    let state = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let script = state.appendingPathComponent("kiosk.lr")
    try Data((statement + "\n").utf8).write(to: script)
    #expect(exercises.contains("$ lr run kiosk.lr --lab --timeout 30s"))
    let run = try await LRTestSupport.runLR(
      ["run", script.path, "--lab", "--timeout", "30s", "--output", "human"],
      environment: [
        "LR_LAB_TIME_SCALE": "60", "XDG_STATE_HOME": state.path, "HOME": state.path,
        "LR_RESULTS_DIR": state.appendingPathComponent("results").path,
      ])
    let answers = try LabTranscript.section("training.md", "answers")
    let pending =
      "pending (waiting for the device to pick it up; offline devices keep it up to 3 days)"
    #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
    #expect(run.stdout.contains(pending), "\(run.stdout)")
    #expect(run.stdout.contains("1 pending"))
    #expect(answers.replacing("\n   ", with: " ").contains(pending))
    #expect(answers.contains("`1 pending`") && answers.contains("(exit status 1)"))
  }
}
