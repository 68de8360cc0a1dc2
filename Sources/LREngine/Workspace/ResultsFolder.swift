import DefenderClient
import Foundation

/// The on-disk layout of results: `results/<run>/<machine>/<number>-<name>` plus `manifest.json`.
public struct ResultsFolder: Sendable {
  /// The run's folder (`<root>/<run>`).
  public let runDirectory: URL

  public init(root: URL, runID: String) {
    self.runDirectory = root.appendingPathComponent(ResultsFolder.safeComponent(runID))
  }

  /// The folder of one machine's results.
  public func machineDirectory(_ computerName: String) -> URL {
    runDirectory.appendingPathComponent(ResultsFolder.safeComponent(computerName))
  }

  /// Where a command's result goes: `<number>-<name>`, `number` counting the statement's
  /// commands on the machine from 1 (as every front end shows them), with a name derived safely
  /// from the remote path or script name (no separators, `..`, device names or control characters).
  public func resultURL(machine computerName: String, number: Int, remoteName: String) -> URL {
    let last =
      remoteName.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last.map(String.init) ?? ""
    return machineDirectory(computerName).appendingPathComponent(
      "\(number)-\(ResultsFolder.safeComponent(last))")
  }

  public var manifestURL: URL { runDirectory.appendingPathComponent("manifest.json") }

  /// One safe path component (the client's rule: no separators, `..`, device names or controls).
  public static func safeComponent(_ text: String) -> String {
    SafeResultPath.component(text)
  }
}

/// `manifest.json`: what ran, where, statuses, exit codes, file sizes and SHA-256.
public struct Manifest: Codable, Sendable, Equatable {
  public struct Command: Codable, Sendable, Equatable {
    public var index: Int
    public var type: String
    public var params: [String: String]
    public var status: String
    public var exitCode: Int?
    public var file: String?
    public var size: Int64?
    public var sha256: String?

    public init(
      index: Int, type: String, params: [String: String], status: String, exitCode: Int? = nil,
      file: String? = nil, size: Int64? = nil, sha256: String? = nil
    ) {
      self.index = index
      self.type = type
      self.params = params
      self.status = status
      self.exitCode = exitCode
      self.file = file
      self.size = size
      self.sha256 = sha256
    }
  }
  public struct Action: Codable, Sendable, Equatable {
    public var statement: Int
    public var request: Int
    public var machineID: String
    public var computerName: String
    public var actionID: String?
    public var status: String?
    public var comment: String
    public var commands: [Command]
    /// Why the service refused to create the action (then `actionID` is nil).
    public var error: String?

    public init(
      statement: Int, request: Int, machineID: String, computerName: String, actionID: String?,
      status: String?, comment: String, commands: [Command], error: String? = nil
    ) {
      self.error = error
      self.statement = statement
      self.request = request
      self.machineID = machineID
      self.computerName = computerName
      self.actionID = actionID
      self.status = status
      self.comment = comment
      self.commands = commands
    }
  }
  public var run: String
  public var source: String
  public var startedAt: Date
  public var finishedAt: Date?
  public var state: String
  public var actions: [Action]

  public init(
    run: String, source: String, startedAt: Date, finishedAt: Date?, state: String,
    actions: [Action]
  ) {
    self.run = run
    self.source = source
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.state = state
    self.actions = actions
  }

  /// Writes the manifest atomically (pretty, sorted keys, ISO 8601 dates).
  public func write(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try encoder.encode(self).write(to: url, options: .atomic)
  }
}
