import Foundation

/// A RunScript result: the transcript JSON behind the result link.
public struct ScriptTranscript: Sendable, Equatable, Codable {
  /// Executed script name (`script_name`; the docs' table says `name`).
  public var scriptName: String?
  /// Script exit code.
  public var exitCode: Int?
  /// Standard output.
  public var scriptOutput: String
  /// Standard error (`script_errors`; the docs' table says `script_error`).
  public var scriptErrors: String

  /// Creates a transcript.
  public init(scriptName: String?, exitCode: Int?, scriptOutput: String, scriptErrors: String) {
    self.scriptName = scriptName
    self.exitCode = exitCode
    self.scriptOutput = scriptOutput
    self.scriptErrors = scriptErrors
  }

  enum CodingKeys: String, CodingKey {
    case scriptName = "script_name"
    case exitCode = "exit_code"
    case scriptOutput = "script_output"
    case scriptErrors = "script_errors"
    case name
    case scriptError = "script_error"
  }

  /// Decodes both documented spellings.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    scriptName = c.lossyString(.scriptName, .name)
    exitCode = c.lossyInt(.exitCode)
    scriptOutput = c.lossyString(.scriptOutput) ?? ""
    scriptErrors = c.lossyString(.scriptErrors, .scriptError) ?? ""
  }

  /// Decodes a transcript. A host's output that is not valid UTF-8 (a JSON string with raw bytes)
  /// is kept with its invalid bytes replaced by U+FFFD (a strict decoder would drop the field).
  public static func decode(from data: Data) throws -> ScriptTranscript {
    try JSONDecoder().decode(
      ScriptTranscript.self, from: Data(String(decoding: data, as: UTF8.self).utf8))
  }

  /// Encodes the `script_*` spelling.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(scriptName, forKey: .scriptName)
    try c.encodeIfPresent(exitCode, forKey: .exitCode)
    try c.encode(scriptOutput, forKey: .scriptOutput)
    try c.encode(scriptErrors, forKey: .scriptErrors)
  }
}
