import Foundation
import LRLanguage
import LRShell

/// Collects what a session writes, for assertions.
final class Collector: @unchecked Sendable {
  private var outText = ""
  private var errText = ""
  private let lock = NSLock()

  var out: String { lock.withLock { outText } }
  var err: String { lock.withLock { errText } }

  var output: ShellOutput {
    ShellOutput(
      out: { text in self.lock.withLock { self.outText += text } },
      err: { text in self.lock.withLock { self.errText += text } })
  }

  func reset() {
    lock.withLock {
      outText = ""
      errText = ""
    }
  }
}

/// Modules the tests import (a stand-in for the stdlib's `windows` module).
let testModules = InMemoryModules([
  "windows": """
  # Dump a process's memory and fetch the dump.
  def win-memdump(process) <
    run minidump.ps1 $process
    get "C:\\\\windows\\\\TEMP\\\\${process}.dmp.zip"
  >
  """
])

/// A session on the preview runner writing into a collector.
func previewSession(_ collector: Collector, mode: OutputMode = .human) -> Session {
  Session(
    runner: PlanPreviewRunner(),
    configuration: Session.Configuration(modules: testModules, outputMode: mode),
    output: collector.output)
}

/// The documented seed body, with the REPL's default Comment.
let seedBody =
  #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"minidump.ps1"},{"key":"Args","value":"OfficeClickToRun"}]},{"type":"GetFile","params":[{"key":"Path","value":"C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip"}]}],"Comment":"lr REPL"}"#
