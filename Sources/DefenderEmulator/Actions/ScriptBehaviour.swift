import Crypto
import Foundation
import LiveResponse

/// What a library script does on a simulated device: nothing is ever executed on the host.
///
/// Rules are matched in order on script name, arguments and machine (glob patterns with `*` and
/// `?`, case-insensitive); the first match wins. Text fields may use placeholders: `{args}`,
/// `{arg0}`, `{arg1}`, …, `{arg0:file}` (the word as a file name: `\ / : * ? " < > |` become `-`,
/// as the stdlib scripts do), `{argsHash}`, `{script}`, `{machine}` (computer name), `{machineId}`,
/// `{transcriptId}`.
public struct ScriptBehaviour: Sendable, Codable {
  /// Script name pattern (`minidump.ps1`, `*.sh`).
  public var script: String
  /// Arguments pattern (nil: any).
  public var args: String?
  /// Machine patterns matched against id and computer name (nil: any machine).
  public var machines: [String]?
  /// OS platform pattern (`Windows*`, `Linux`); nil: any.
  public var platform: String?
  /// Standard output.
  public var output: String
  /// Standard output as base64 (for raw, possibly invalid UTF-8 bytes); overrides `output`.
  public var outputBase64: String?
  /// Standard error.
  public var errors: String
  /// Exit code.
  public var exitCode: Int
  /// Virtual seconds the script runs (beyond the RunScript timeout: the command fails).
  public var durationSeconds: Double
  /// Duration taken from argument N (e.g. `sleep.ps1 <seconds>`), when present and numeric.
  public var durationFromArg: Int?
  /// Files the script creates.
  public var creates: [FileSpec]
  /// Paths the script removes.
  public var removes: [String]
  /// When set, the command fails with this error instead of completing.
  public var fail: String?

  /// ``output`` with the demo fleet's named outputs (`{demo:NAME}`) written out; the other
  /// placeholders stay (what a check of the lab's output formats reads).
  public var outputWithDemoTables: String { Scenario.DemoOutputs.expand(output) }

  /// A behaviour rule.
  public init(
    script: String, args: String? = nil, machines: [String]? = nil, platform: String? = nil,
    output: String = "", errors: String = "", exitCode: Int = 0, durationSeconds: Double = 3,
    durationFromArg: Int? = nil, creates: [FileSpec] = [], removes: [String] = [],
    fail: String? = nil, outputBase64: String? = nil
  ) {
    self.script = script
    self.args = args
    self.machines = machines
    self.platform = platform
    self.output = output
    self.outputBase64 = outputBase64
    self.errors = errors
    self.exitCode = exitCode
    self.durationSeconds = durationSeconds
    self.durationFromArg = durationFromArg
    self.creates = creates
    self.removes = removes
    self.fail = fail
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    script = try c.decode(String.self, forKey: .script)
    args = try c.decodeIfPresent(String.self, forKey: .args)
    machines = try c.decodeIfPresent([String].self, forKey: .machines)
    platform = try c.decodeIfPresent(String.self, forKey: .platform)
    output = try c.decodeIfPresent(String.self, forKey: .output) ?? ""
    outputBase64 = try c.decodeIfPresent(String.self, forKey: .outputBase64)
    errors = try c.decodeIfPresent(String.self, forKey: .errors) ?? ""
    exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
    durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds) ?? 3
    durationFromArg = try c.decodeIfPresent(Int.self, forKey: .durationFromArg)
    creates = try c.decodeIfPresent([FileSpec].self, forKey: .creates) ?? []
    removes = try c.decodeIfPresent([String].self, forKey: .removes) ?? []
    fail = try c.decodeIfPresent(String.self, forKey: .fail)
  }

  /// Whether this rule applies to `script` with `args` on `machine`.
  func matches(script name: String, args arguments: String, machine: ScenarioMachine) -> Bool {
    guard Glob.matches(script, name) else { return false }
    if let args, !Glob.matches(args, arguments) { return false }
    if let platform, !Glob.matches(platform, machine.osPlatform) { return false }
    if let machines {
      guard
        machines.contains(where: {
          Glob.matches($0, machine.id) || Glob.matches($0, machine.computerDnsName)
        })
      else { return false }
    }
    return true
  }

  /// The plausible behaviour of a script no rule describes.
  static func fallback(script: String, machine: ScenarioMachine) -> ScriptBehaviour {
    let isPowerShell = script.lowercased().hasSuffix(".ps1")
    let output =
      isPowerShell
      ? "Transcript started, output file is C:\\ProgramData\\Microsoft\\Windows Defender Advanced Threat Protection\\Temp\\PSScriptOutputs\\PSScript_Transcript_{transcriptId}.txt\n{script} completed on {machine}\n"
      : "{script} completed on {machine}\n"
    return ScriptBehaviour(script: script, output: output, durationSeconds: 3)
  }
}

/// Splits a Live Response `Args` string into words (double quotes group, as PowerShell does).
enum ScriptArguments {
  /// The words of `args`.
  static func split(_ args: String) -> [String] {
    var words: [String] = []
    var current = ""
    var inQuotes = false
    var hasWord = false
    for ch in args {
      if ch == "\"" {
        inQuotes.toggle()
        hasWord = true
      } else if ch.isWhitespace, !inQuotes {
        if hasWord { words.append(current) }
        current = ""
        hasWord = false
      } else {
        current.append(ch)
        hasWord = true
      }
    }
    if hasWord { words.append(current) }
    return words
  }

  /// `word` with the characters Windows forbids in file names (and control characters) as `-`.
  static func fileName(_ word: String) -> String {
    String(
      word.unicodeScalars.map { scalar -> Character in
        "\\/:*?\"<>|".unicodeScalars.contains(scalar) || scalar.value < 0x20
          ? "-" : Character(scalar)
      })
  }

  /// Replaces `{demo:NAME}` (the demo fleet's outputs), `{args}`, `{argN}`, `{argN:file}`,
  /// `{script}`, `{machine}`, `{machineId}`, `{transcriptId}`.
  static func substitute(
    _ template: String, args: String, script: String, machine: ScenarioMachine,
    transcriptId: String
  ) -> String {
    // The demo fleet's named outputs first: they contain `{machine}`, `{args}`, `{argsHash}`.
    var result = Scenario.DemoOutputs.expand(template)
    let words = split(args)
    for (i, word) in words.enumerated().reversed() {
      result = result.replacingOccurrences(of: "{arg\(i)}", with: word)
      result = result.replacingOccurrences(of: "{arg\(i):file}", with: fileName(word))
    }
    for i in words.count..<max(words.count, 10) {
      result = result.replacingOccurrences(of: "{arg\(i)}", with: "")
      result = result.replacingOccurrences(of: "{arg\(i):file}", with: "")
    }
    if result.contains("{argsHash}") {
      let digest = SHA256.hash(data: Data(args.utf8)).map { String(format: "%02X", $0) }.joined()
      result = result.replacingOccurrences(of: "{argsHash}", with: digest)
    }
    result = result.replacingOccurrences(of: "{args}", with: args)
    result = result.replacingOccurrences(of: "{script}", with: script)
    result = result.replacingOccurrences(of: "{machineId}", with: machine.id)
    result = result.replacingOccurrences(of: "{machine}", with: machine.computerDnsName)
    result = result.replacingOccurrences(of: "{transcriptId}", with: transcriptId)
    return result
  }
}
