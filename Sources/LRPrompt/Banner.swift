import LRSystem

/// What the REPL prints on a terminal before its first prompt. The `lr` launcher prints it (and
/// the first prompt) before `lr-core` has started (``InstantPrompt``), and `lr-core` prints it
/// itself when the launcher did not (`lr repl …`, or lr-core run directly): the same bytes.
public enum Banner {
  /// The statement the banner and `.help` suggest trying first.
  public static let example =
    #"on machine mymachine1.contoso.com < run minidump.ps1 "OfficeClickToRun"; get 'C:\windows\TEMP\OfficeClickToRun.dmp.zip' >"#

  /// The banner for a REPL on `kind` (with the lab's time scale from `environment`).
  public static func text(kind: RunnerKind, environment: [String: String]) -> String {
    var text = """
      lr \(LRVersion.current): \(kind.description). `.help` for help, `.quit` or Ctrl-D to leave.

      """
    if kind == .lab { text += LabTimeScale.note(environment) + "\n" }
    text += "Try: \(example)\n\n"
    return text
  }
}
