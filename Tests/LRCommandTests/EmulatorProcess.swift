import Foundation
import LRTestSupport

/// A real `lr emulator --port 0` child process; its first stdout line gives the URL.
final class EmulatorProcess: @unchecked Sendable {
  let process = Process()
  let baseURL: String
  /// An empty config folder, so no user config leaks into tests.
  let configHome: String
  private let output = Pipe()

  init(timeScale: Int = 60, extraArguments: [String] = []) throws {
    configHome = try LRTestSupport.temporaryDirectory().path
    process.executableURL = LRTestSupport.lrExecutable
    process.arguments =
      ["emulator", "--port", "0", "--time-scale", String(timeScale), "--quiet"]
      + extraArguments
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    var line = Data()
    let handle = output.fileHandleForReading
    while true {
      let byte = handle.readData(ofLength: 1)
      if byte.isEmpty || byte == Data("\n".utf8) { break }
      line.append(byte)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("listening on ") else {
      process.terminate()
      throw CocoaError(.fileReadCorruptFile)
    }
    var url = String(text.dropFirst("listening on ".count)).trimmingCharacters(in: .whitespaces)
    while url.hasSuffix("/") { url.removeLast() }
    baseURL = url
  }

  /// The environment that signs in to this emulator as `client`.
  func environment(client: String = "lr-lab", secret: String = "lr-lab-secret") -> [String: String]
  {
    [
      "LR_API_URL": baseURL, "LR_AUTHORITY_URL": baseURL, "AZURE_TENANT_ID": "lab",
      "AZURE_CLIENT_ID": client, "AZURE_CLIENT_SECRET": secret,
      "LR_CONFIG": "", "LR_PROFILE": "", "XDG_CONFIG_HOME": configHome,
    ]
  }

  func stop() {
    try? FileManager.default.removeItem(atPath: configHome)
    process.terminate()
    process.waitUntilExit()
  }
}
