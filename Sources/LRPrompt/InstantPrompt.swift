import LRSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The REPL's first prompt, drawn by the `lr` launcher before `lr-core` has loaded (start-up,
/// issue 16.3), the way a shell's instant prompt is drawn before its start-up files have run.
///
/// On a terminal, `lr`, `lr --offline` and `lr --lab` print the banner and the prompt, turn the
/// terminal's echo off, ignore SIGINT, set `LR_PROMPT_DRAWN` and exec `lr-core`. Keys typed
/// before lr-core's line editor takes over wait in the terminal driver, unechoed; lr-core then
/// turns echo back on, clears the drawn prompt's line, draws its own prompt there and reads the
/// waiting keys as typed (``Drawn/takeOver()``). Nothing is lost or shown twice; the keys appear a
/// few milliseconds later than typed. Ctrl-C is ignored in that window (it would otherwise end
/// lr-core before its REPL could handle it). Should lr-core end before it takes over (a shared
/// library missing, a signal), a ``PromptGuardian`` gives the terminal its mode back.
public enum InstantPrompt {
  /// The variable that tells lr-core the banner and prompt are on the screen: `echo` when the
  /// launcher turned the terminal's echo off, `1` when it was off already.
  public static let variable = "LR_PROMPT_DRAWN"

  /// The REPL an invocation opens with no option but `--offline` or `--lab`, or nil for any
  /// other (whose prompt lr-core draws itself).
  public static func kind(arguments: [String]) -> RunnerKind? {
    switch arguments {
    case [], ["--offline"]: .offline
    case ["--lab"]: .lab
    default: nil
    }
  }

  /// Whether a prompt may be drawn early: input and output are both terminals that understand
  /// the line-clearing escape sequence (`TERM` is not `dumb`, as in an editor's shell buffer).
  public static var terminal: Bool {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return false }
    return getenv("TERM").map { String(cString: $0) != "dumb" } ?? true
  }

  /// Prints the banner and first prompt for `kind` and tells lr-core so (the environment, the
  /// terminal's mode and the ignored SIGINT all pass through the launcher's `execv`). With echo
  /// turned off, a ``PromptGuardian`` turns it back on if lr-core ends before taking over.
  /// Returns the drawn prompt, for an `execv` that fails.
  public static func draw(kind: RunnerKind, environment: [String: String]) -> Drawn {
    signal(SIGINT, SIG_IGN)
    var mode = termios()
    var echoWasOn = false
    if tcgetattr(STDIN_FILENO, &mode) == 0, mode.c_lflag & tcflag_t(ECHO) != 0 {
      var quiet = mode
      quiet.c_lflag &= ~tcflag_t(ECHO)
      echoWasOn = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0
    }
    // Echo off before the prompt shows: a key typed at it is never echoed twice.
    StandardStreams.out(
      Banner.text(kind: kind, environment: environment) + kind.prompt(machine: nil))
    // The guardian after the prompt, which need not wait for its fork.
    let guardian = echoWasOn ? PromptGuardian.start(restoring: mode) : nil
    setenv(variable, echoWasOn ? "echo" : "1", 1)
    return Drawn(echoWasOn: echoWasOn, guardian: guardian)
  }

  /// In lr-core: the drawn prompt, if the launcher drew one (read once: the variable is removed,
  /// so no process lr-core starts inherits it). SIGINT gets its default back until the REPL
  /// installs its own handling.
  public static func drawn() -> Drawn? {
    let value = getenv(variable).map { String(cString: $0) }
    unsetenv(variable)
    guard let value, value == "1" || value == "echo" else {
      unsetenv(PromptGuardian.variable)
      return nil
    }
    signal(SIGINT, SIG_DFL)
    let drawn = Drawn(echoWasOn: value == "echo", guardian: PromptGuardian.inherited())
    guard terminal else {
      drawn.takeOver()
      return nil
    }
    return drawn
  }

  /// A banner and prompt the launcher drew.
  public struct Drawn: Sendable {
    /// Whether the launcher turned the terminal's echo off.
    let echoWasOn: Bool
    /// The process that restores the terminal if lr-core ends before ``takeOver()``.
    let guardian: PromptGuardian?

    /// Gives the terminal its echo back and clears the prompt's line, for lr-core's own prompt
    /// (before its line editor reads the terminal's mode) or for an error that ends lr-core or
    /// the launcher's `execv`; then dismisses the guardian.
    public func takeOver() {
      if echoWasOn {
        var mode = termios()
        if tcgetattr(STDIN_FILENO, &mode) == 0 {
          mode.c_lflag |= tcflag_t(ECHO)
          _ = tcsetattr(STDIN_FILENO, TCSANOW, &mode)
        }
      }
      if isatty(STDOUT_FILENO) == 1 { StandardStreams.write("\r\u{1B}[K", to: STDOUT_FILENO) }
      guardian?.dismiss()
    }
  }
}
