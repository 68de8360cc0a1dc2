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
      let step = course(of: command, startingAt: cursor, files: fs)
      fs.apply(creates: step.creates, removes: step.removes, on: machine)
      steps.append(step)
      cursor = step.end.addingTimeInterval(0.5)
      if step.failure != nil { break }
    }
    return (pickup, expiry, steps)
  }

  /// One command's course when it starts at `start` on a device holding `files`.
  func course(
    of command: LiveResponseCommand, startingAt start: Date, files: DeviceFiles
  ) -> PlannedCommand {
    var step = PlannedCommand(
      start: start, end: start, failure: nil, result: nil, creates: [], removes: [])
    switch command.type {
    case "PutFile": putFile(command, step: &step, files: files)
    case "RunScript": runScript(command, step: &step)
    case "GetFile": getFile(command, step: &step, files: files)
    default: step.failure = ["Unknown command type \(command.type)"]
    }
    return step
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
