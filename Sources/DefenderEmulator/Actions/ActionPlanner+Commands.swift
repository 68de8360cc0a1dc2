import Foundation
import LiveResponse

extension ActionPlanner {
  /// PutFile: the library file lands in the device's working folder after 2 s.
  func putFile(_ command: LiveResponseCommand, step: inout PlannedCommand, files: DeviceFiles) {
    let name = command.param("FileName") ?? ""
    step.end = step.start.addingTimeInterval(2)
    if let entry = library[name.lowercased()] {
      let spec = FileSpec(
        path: files.workingFolder(for: machine) + entry.fileName,
        text: String(decoding: entry.content, as: UTF8.self))
      step.creates = [spec]
    } else {
      step.failure = ["File \(name) does not exist in the library"]
    }
  }

  /// GetFile: the device's file after 2 s plus 40 MB/s, unless missing, empty or over 3 GB.
  func getFile(_ command: LiveResponseCommand, step: inout PlannedCommand, files: DeviceFiles) {
    let path = command.param("Path") ?? ""
    guard let spec = files.lookup(path, on: machine) else {
      step.end = step.start.addingTimeInterval(1)
      step.failure = ["File \(path) was not found on the device"]
      return
    }
    let size = spec.byteCount
    if size > 3 * 1_073_741_824 {
      step.end = step.start.addingTimeInterval(2)
      step.failure = ["File size exceeds the 3 GB limit"]
    } else if size == 0 {
      step.end = step.start.addingTimeInterval(1)
      step.failure = ["Cannot collect an empty file"]
    } else {
      step.end = step.start.addingTimeInterval(2 + Double(size) / 40_000_000)
      step.result = .file(spec)
    }
  }

  /// RunScript: the first matching script behaviour (or the fallback) decides the duration,
  /// failure or transcript, and the files created and removed.
  func runScript(_ command: LiveResponseCommand, step: inout PlannedCommand) {
    let name = command.param("ScriptName") ?? ""
    let args = command.param("Args") ?? ""
    guard let entry = library[name.lowercased()] else {
      step.end = step.start.addingTimeInterval(1)
      step.failure = ["Script \(name) was not found in the library"]
      return
    }
    let behaviour =
      scripts.first { $0.matches(script: entry.fileName, args: args, machine: machine) }
      ?? ScriptBehaviour.fallback(script: entry.fileName, machine: machine)
    var duration = behaviour.durationSeconds
    if let n = behaviour.durationFromArg {
      let words = ScriptArguments.split(args)
      if n < words.count, let d = Double(words[n]) { duration = max(0, d) }
    }
    if duration > limits.runScriptTimeoutSeconds {
      step.end = step.start.addingTimeInterval(limits.runScriptTimeoutSeconds)
      step.failure = [Self.timeoutError(limits.runScriptTimeoutSeconds)]
      return
    }
    step.end = step.start.addingTimeInterval(duration)
    let transcriptId = UUID().uuidString.lowercased()
    let sub = { (s: String) -> String in
      ScriptArguments.substitute(
        s, args: args, script: entry.fileName, machine: machine, transcriptId: transcriptId)
    }
    if let failure = behaviour.fail {
      step.failure = [sub(failure)]
      return
    }
    step.result = .transcript(Self.transcript(of: behaviour, script: entry.fileName, sub: sub))
    step.creates = behaviour.creates.map { spec in
      var s = spec
      s.path = sub(spec.path)
      if s.seed == nil { s.seed = FileContent.stableHash(s.path) }
      return s
    }
    step.removes = behaviour.removes.map(sub)
  }

  /// The transcript a script behaviour writes, its texts passed through `sub`.
  static func transcript(
    of behaviour: ScriptBehaviour, script: String, sub: (String) -> String
  ) -> [UInt8] {
    let output: [UInt8]
    if let b64 = behaviour.outputBase64, let data = Data(base64Encoded: b64) {
      output = [UInt8](data)
    } else {
      output = Array(sub(behaviour.output).utf8)
    }
    let transcript: JSONValue = .object([
      ("script_name", .string(script)),
      ("exit_code", .number(Int(behaviour.exitCode))),
      ("script_output", .rawBytes(output)),
      ("script_errors", .string(sub(behaviour.errors))),
    ])
    return transcript.encoded()
  }
}
