import LRCheck
import LRPrompt
import LRSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lr`, the launcher: answers `lr --version` and `lr check FILE…` itself, draws the REPL's banner
/// and first prompt on a terminal (``InstantPrompt``), and hands every other command to `lr-core`
/// (``Core``), which holds the REPL, the engine, the emulator and team mode.
///
/// The launcher links no Foundation, networking or database code and is one static executable
/// on Linux, so it starts in about half the time sqlite3 does; `lr-core` is a 200 MB
/// position-independent executable whose relocations alone cost more than sqlite3's whole start
/// (issue 16.3, docs/benchmarks.md).
@main
enum LR {
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments == ["--version"] {
      StandardStreams.out(LRVersion.current + "\n")
      return
    }
    if arguments.first == "check", let check = Check(arguments: Array(arguments.dropFirst())) {
      ImmediateInterrupt.install()
      do {
        exit(try check.run())
      } catch {
        StandardStreams.err("lr: \(error.description)\n")
        exit(2)
      }
    }
    let core = Core.locate()
    var drawn: InstantPrompt.Drawn?
    // The REPL on a terminal: its banner and prompt now, lr-core's line editor a moment later.
    if core != nil, let kind = InstantPrompt.kind(arguments: arguments), InstantPrompt.terminal {
      drawn = InstantPrompt.draw(
        kind: kind, environment: ProcessEnvironment.variables("LR_LAB_TIME_SCALE"))
    }
    Core.exec(core, CommandLine.arguments, replacing: drawn)
  }
}
