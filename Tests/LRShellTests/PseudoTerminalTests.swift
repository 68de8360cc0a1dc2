import Foundation
import LRTestSupport
import Testing

/// The REPL in a real pseudo-terminal, driven by pexpect (Tests/pty/repl_pty.py), plus piped input.
@Suite struct PseudoTerminalTests {
  /// Runs a script of Tests/pty with pexpect and pyte (Tests/pty/python.sh makes their venv).
  func runPseudoTerminalScript(_ name: String) async throws -> (status: Int32, output: String) {
    let root = LRTestSupport.packageRoot
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"),
      [
        "bash", root.appendingPathComponent("Tests/pty/python.sh").path,
        root.appendingPathComponent("Tests/pty/\(name)").path, LRTestSupport.lrExecutable.path,
        root.path,
      ])
    return (result.status, result.stdout + result.stderr)
  }

  /// The offline preview: prompt, multi-line input, history, completion, diagnostics, Ctrl-C/D.
  @Test(.timeLimit(.minutes(1))) func replInAPseudoTerminal() async throws {
    let result = try await runPseudoTerminalScript("repl_pty.py")
    #expect(result.status == 0, "\(result.output)")
  }

  /// `lr --lab`: the documented example's results above a half-typed line, completion from the
  /// service, multi-line input, hostile output, Ctrl-C cancelling through the API, Ctrl-D, wrapped
  /// input on a narrow terminal, piped input.
  @Test(.timeLimit(.minutes(3))) func labInAPseudoTerminal() async throws {
    let result = try await runPseudoTerminalScript("repl_lab_pty.py")
    #expect(result.status == 0, "\(result.output)")
  }

  /// `lr --lab` on a terminal: the prompt does not wait for the lab to start (issue 16.3).
  @Test(.timeLimit(.minutes(1))) func labPromptsBeforeTheLabHasStarted() async throws {
    let result = try await runPseudoTerminalScript("repl_lab_start_pty.py")
    #expect(result.status == 0, "\(result.output)")
  }

  /// The launcher draws the banner and first prompt before lr-core has loaded (issue 16.3): keys
  /// typed before lr-core's line editor took over are kept and shown once, Ctrl-C and Ctrl-D at
  /// the first prompt, `lr repl` draws the same screen, and TERM=dumb gets no early prompt.
  @Test(.timeLimit(.minutes(2))) func theLauncherDrawsTheFirstPrompt() async throws {
    let result = try await runPseudoTerminalScript("repl_instant_prompt_pty.py")
    #expect(result.status == 0, "\(result.output)")
  }

  @Test func labRunsStatementsAndProfileErrorsAreClear() async throws {
    let root = LRTestSupport.packageRoot
    let seed = try String(
      contentsOf: root.appendingPathComponent("examples/seed.lr"), encoding: .utf8)
    let state = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let lab = try await LRTestSupport.runLR(
      ["--lab"], stdin: seed,
      environment: [
        "LR_LAB_TIME_SCALE": "600", "XDG_STATE_HOME": state.path,
        "LR_RESULTS_DIR": state.appendingPathComponent("results").path,
      ], currentDirectory: root)
    #expect(lab.status == 0, "\(lab.stdout)\(lab.stderr)")
    #expect(lab.stdout.contains(#""type":"GetFile""#) || lab.stdout.contains("GetFile"))
    #expect(lab.stdout.contains("OfficeClickToRun.dmp.zip"))
    #expect(lab.stdout.contains("9afda9b41c2b4b6ba6a2640b20e0fa7edd65ce20581005c4fde1adaccc2822bc"))
    let profile = try await LRTestSupport.runLR(
      ["--profile", "prod", "--output", "human"], stdin: ".machines\n",
      environment: ["LR_CONFIG": state.appendingPathComponent("none.toml").path])
    #expect(profile.status == 3)
    #expect(profile.stderr.contains("lr: error:"))
    let both = try await LRTestSupport.runLR(["--lab", "--offline"], stdin: "")
    #expect(both.status != 0)
    #expect(both.stderr.contains("exclude each other"))
  }
}
