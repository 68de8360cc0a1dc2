import Foundation

/// The demo fleet's scripted outputs by name, built on first use: the demo scenario's rules say
/// `{demo:NAME}` and a command's transcript expands it (``ScriptArguments/substitute``), so
/// starting the lab does not format the tables (start-up, issue 16.3).
extension Scenario.DemoOutputs {
  /// The output a `{demo:NAME}` placeholder names, built on the first call.
  static func text(named name: String) -> String? {
    switch name {
    case "workstationProcesses": return workstationProcesses
    case "oddLsassProcesses": return oddLsassProcesses
    case "serverProcesses": return serverProcesses
    case "domainControllerProcesses": return domainControllerProcessList
    case "services": return services
    case "autoruns": return autoruns
    case "fileHash": return fileHash
    default: return nil
    }
  }

  /// `template` with each `{demo:NAME}` replaced by that output (unknown names stay).
  static func expand(_ template: String) -> String {
    guard template.contains("{demo:") else { return template }
    var result = template
    while let open = result.range(of: "{demo:"),
      let close = result[open.upperBound...].firstIndex(of: "}"),
      let text = text(named: String(result[open.upperBound..<close]))
    {
      result.replaceSubrange(open.lowerBound...close, with: text)
    }
    return result
  }
}
