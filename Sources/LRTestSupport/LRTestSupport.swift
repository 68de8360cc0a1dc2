import Foundation

/// Helpers shared by lr test targets: where the package and the built `lr` live, and a process runner.
public enum LRTestSupport {
  /// The package root (the folder holding Package.swift).
  public static let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
  }()

  /// The debug `lr` executable that `swift build --build-tests` produced.
  public static var lrExecutable: URL {
    if let override = ProcessInfo.processInfo.environment["LR_TEST_EXECUTABLE"] {
      return URL(fileURLWithPath: override)
    }
    return packageRoot.appendingPathComponent(".build/debug/lr")
  }

  /// What a finished process printed and how it exited.
  public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// Runs `lr` with arguments (and optional stdin), waiting for it to exit.
  public static func runLR(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    currentDirectory: URL? = nil
  ) async throws -> ProcessResult {
    try await run(
      lrExecutable, arguments, stdin: stdin, environment: environment,
      currentDirectory: currentDirectory)
  }

  /// Runs an executable, capturing stdout and stderr through temporary files.
  ///
  /// Waiting is asynchronous (the termination handler resumes the task), so tests that start
  /// processes never block the few threads of the concurrency pool other tests need.
  public static func run(
    _ executable: URL, _ arguments: [String], stdin: String? = nil,
    environment: [String: String] = [:], currentDirectory: URL? = nil
  ) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("lr-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    process.environment = isolatedEnvironment(
      environment, home: dir.appendingPathComponent("home"))
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = dir.appendingPathComponent("out")
    let err = dir.appendingPathComponent("err")
    for file in [out, err] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
      throw FixtureError("could not create \(file.path)")
    }
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    let input = Pipe()
    process.standardInput = input
    let exited = AsyncStream<Void>.makeStream()
    process.terminationHandler = { _ in
      exited.continuation.yield()
      exited.continuation.finish()
    }
    try process.run()
    // A child that exits without reading its input is reported by its status, not by a trap here.
    if let stdin { try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    for await _ in exited.stream { break }
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return ProcessResult(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
  }

  /// The environment a test's child process gets: the test's own variables over the inherited
  /// ones, with `NO_COLOR`, and never the real home. Unless the test sets them, `HOME` is `home`
  /// (a temporary folder) and the XDG folders and `LR_CONFIG` are unset, so the journal, audit
  /// log, history, config and token cache all fall under the temporary home.
  public static func isolatedEnvironment(_ environment: [String: String], home: URL)
    -> [String: String]
  {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["HOME"] = home.path
    for key in [
      "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "LR_CONFIG", "LR_TEAM",
    ] {
      env.removeValue(forKey: key)
    }
    for (k, v) in environment { env[k] = v }
    return env
  }

  /// A fresh temporary directory, removed by the caller when done.
  public static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("lr-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }
}
