import Foundation
import LiveResponse

extension MachineAction {
  /// The action as the API shows it at virtual time `now`.
  ///
  /// `Pending` until the device checks in, `InProgress` while commands run one at a time,
  /// then `Succeeded`, `Failed` (a command failed; later commands never run), `TimeOut` (the
  /// device never came online within the queue expiry) or `Cancelled`.
  func snapshot(at now: Date) -> ActionSnapshot {
    let cancelAt = cancellation?.at
    let t = min(now, cancelAt ?? now)
    var snap = ActionSnapshot(
      status: .pending, lastUpdate: created,
      commandStatus: Array(repeating: .created, count: commands.count),
      startTimes: Array(repeating: nil, count: commands.count),
      endTimes: Array(repeating: nil, count: commands.count),
      errors: Array(repeating: [], count: commands.count), completedSteps: 0)

    guard let pickup, pickup <= t else {
      if t >= expiry {
        snap.status = .timeOut
        snap.lastUpdate = expiry
      } else if let cancelAt, now >= cancelAt {
        snap.status = .cancelled
        snap.lastUpdate = cancelAt
      }
      return snap
    }
    snap.status = .inProgress
    snap.lastUpdate = pickup
    var failed = false
    for (i, step) in plan.enumerated() where step.start <= t {
      snap.startTimes[i] = step.start
      snap.lastUpdate = max(snap.lastUpdate, step.start)
      if step.end <= t {
        snap.endTimes[i] = step.end
        snap.lastUpdate = max(snap.lastUpdate, step.end)
        if let failure = step.failure {
          snap.commandStatus[i] = .failed
          snap.errors[i] = failure
          failed = true
        } else {
          snap.commandStatus[i] = .completed
          snap.completedSteps = i + 1
        }
      }
    }
    let end = plan.last?.end ?? pickup
    if t >= end {
      snap.status = failed ? .failed : .succeeded
      snap.lastUpdate = end
    } else if let cancelAt, now >= cancelAt {
      snap.status = .cancelled
      snap.lastUpdate = cancelAt
    }
    return snap
  }
}

/// Everything needed to plan a new action on a device.
struct ActionPlanner {
  var machine: ScenarioMachine
  /// The device's files now (normalized path → spec).
  var files: DeviceFiles
  var library: [String: LibraryEntry]
  var scripts: [ScriptBehaviour]
  var limits: Limits
  var scenarioStart: Date

  /// Computes pickup, expiry and each command's course for an action created at `created`.
  func plan(commands: [LiveResponseCommand], created: Date) -> (
    pickup: Date?, expiry: Date, steps: [PlannedCommand]
  ) {
    let expiry = created.addingTimeInterval(limits.queueExpirySeconds)
    let earliest = created.timeIntervalSince(scenarioStart) + machine.checkInLatencySeconds
    guard let rel = machine.online.firstOnline(atOrAfter: earliest) else {
      return (nil, expiry, [])
    }
    let pickup = scenarioStart.addingTimeInterval(rel)
    guard pickup < expiry else { return (nil, expiry, []) }

    var fs = files
    var cursor = pickup.addingTimeInterval(0.5)
    var steps: [PlannedCommand] = []
    for command in commands {
      var step = PlannedCommand(
        start: cursor, end: cursor, failure: nil, result: nil, creates: [], removes: [])
      switch command.type {
      case "PutFile":
        let name = command.param("FileName") ?? ""
        step.end = cursor.addingTimeInterval(2)
        if let entry = library[name.lowercased()] {
          let spec = FileSpec(
            path: fs.workingFolder(for: machine) + entry.fileName,
            text: String(decoding: entry.content, as: UTF8.self))
          step.creates = [spec]
        } else {
          step.failure = ["File \(name) does not exist in the library"]
        }
      case "RunScript":
        let name = command.param("ScriptName") ?? ""
        let args = command.param("Args") ?? ""
        guard let entry = library[name.lowercased()] else {
          step.end = cursor.addingTimeInterval(1)
          step.failure = ["Script \(name) was not found in the library"]
          break
        }
        let behaviour =
          scripts.first { $0.matches(script: entry.fileName, args: args, machine: machine) }
          ?? ScriptBehaviour.fallback(script: entry.fileName, machine: machine)
        var duration = behaviour.durationSeconds
        if let n = behaviour.durationFromArg {
          let words = ScriptArguments.split(args)
          if n < words.count, let d = Double(words[n]) { duration = max(0, d) }
        }
        let transcriptId = UUID().uuidString.lowercased()
        func sub(_ s: String) -> String {
          ScriptArguments.substitute(
            s, args: args, script: entry.fileName, machine: machine, transcriptId: transcriptId)
        }
        if duration > limits.runScriptTimeoutSeconds {
          step.end = cursor.addingTimeInterval(limits.runScriptTimeoutSeconds)
          step.failure = [Self.timeoutError(limits.runScriptTimeoutSeconds)]
          break
        }
        step.end = cursor.addingTimeInterval(duration)
        if let failure = behaviour.fail {
          step.failure = [sub(failure)]
          break
        }
        let output: [UInt8]
        if let b64 = behaviour.outputBase64, let data = Data(base64Encoded: b64) {
          output = [UInt8](data)
        } else {
          output = Array(sub(behaviour.output).utf8)
        }
        let transcript: JSONValue = .object([
          ("script_name", .string(entry.fileName)),
          ("exit_code", .number(Int(behaviour.exitCode))),
          ("script_output", .rawBytes(output)),
          ("script_errors", .string(sub(behaviour.errors))),
        ])
        step.result = .transcript(transcript.encoded())
        step.creates = behaviour.creates.map { spec in
          var s = spec
          s.path = sub(spec.path)
          if s.seed == nil { s.seed = FileContent.stableHash(s.path) }
          return s
        }
        step.removes = behaviour.removes.map(sub)
      case "GetFile":
        let path = command.param("Path") ?? ""
        if let spec = fs.lookup(path, on: machine) {
          let size = spec.byteCount
          if size > 3 * 1_073_741_824 {
            step.end = cursor.addingTimeInterval(2)
            step.failure = ["File size exceeds the 3 GB limit"]
          } else if size == 0 {
            step.end = cursor.addingTimeInterval(1)
            step.failure = ["Cannot collect an empty file"]
          } else {
            step.end = cursor.addingTimeInterval(2 + Double(size) / 40_000_000)
            step.result = .file(spec)
          }
        } else {
          step.end = cursor.addingTimeInterval(1)
          step.failure = ["File \(path) was not found on the device"]
        }
      default:
        step.failure = ["Unknown command type \(command.type)"]
      }
      fs.apply(creates: step.creates, removes: step.removes, on: machine)
      steps.append(step)
      cursor = step.end.addingTimeInterval(0.5)
      if step.failure != nil { break }
    }
    return (pickup, expiry, steps)
  }
}

extension ActionPlanner {
  /// The `errors` text of a RunScript that ran into the timeout: it says it timed out and after
  /// how long (`Script execution timed out after 10 minutes`, `… after 30 seconds`). The command is `Failed`
  /// (command statuses have no timeout value) and so is the action; see docs/emulator.md.
  static func timeoutError(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded())
    let span =
      whole % 60 == 0 && whole > 0
      ? "\(whole / 60) minute\(whole == 60 ? "" : "s")"
      : "\(whole) second\(whole == 1 ? "" : "s")"
    return "Script execution timed out after \(span)"
  }
}

/// A device's file system: normalized path → file.
struct DeviceFiles: Sendable {
  private(set) var files: [String: FileSpec] = [:]

  init(machine: ScenarioMachine) {
    for spec in machine.files { files[Self.key(spec.path, machine)] = spec }
  }

  static func key(_ path: String, _ machine: ScenarioMachine) -> String {
    if machine.caseInsensitivePaths {
      return path.replacingOccurrences(of: "/", with: "\\").lowercased()
    }
    return path
  }

  func lookup(_ path: String, on machine: ScenarioMachine) -> FileSpec? {
    files[Self.key(path, machine)]
  }

  mutating func apply(creates: [FileSpec], removes: [String], on machine: ScenarioMachine) {
    for path in removes { files[Self.key(path, machine)] = nil }
    for spec in creates { files[Self.key(spec.path, machine)] = spec }
  }

  func workingFolder(for machine: ScenarioMachine) -> String {
    if machine.caseInsensitivePaths {
      return "C:\\ProgramData\\Microsoft\\Windows Defender Advanced Threat Protection\\Downloads\\"
    }
    return "/var/opt/microsoft/mdatp/response/"
  }
}
