import Foundation
import Testing

@testable import DefenderClient

@Suite struct SafeResultPathTests {
  @Test(arguments: [
    (#"C:\windows\TEMP\OfficeClickToRun.dmp.zip"#, "C/windows/TEMP/OfficeClickToRun.dmp.zip"),
    ("/var/log/syslog", "var/log/syslog"),
    (#"..\..\..\etc\passwd"#, "etc/passwd"),
    ("../../../../root/.ssh/authorized_keys", "root/_ssh/authorized_keys"),
    (#"C:\a\..\..\b"#, "C/a/b"),
    (#"\\?\C:\x\y.txt"#, "C/x/y.txt"),
    (#"\\server\share\evil.txt"#, "UNC/server/share/evil.txt"),
    (#"\\?\UNC\server\share\f"#, "UNC/server/share/f"),
    (#"C:\temp\CON"#, "C/temp/_CON"),
    (#"C:\temp\nul.txt"#, "C/temp/_nul.txt"),
    (#"C:\temp\com1.log"#, "C/temp/_com1.log"),
    ("C:\\temp\\a\u{1B}[31mred\u{7}.txt", "C/temp/a_[31mred_.txt"),
    ("C:\\temp\\new\nline\r.txt", "C/temp/new_line_.txt"),
    ("C:\\temp\\\u{202E}txt.exe", "C/temp/_txt.exe"),
    (#"C:\temp\file.txt:hidden-stream"#, "C/temp/file.txt_hidden-stream"),
    (#"C:\temp\trailing. . "#, "C/temp/trailing"),
    ("", "unnamed"),
    (#"\\"#, "UNC"),
    ("....", "_"),
    ("-rf", "_rf"),
  ])
  func hostilePathsStayInside(remote: String, expected: String) throws {
    let components = SafeResultPath.relativeComponents(forRemotePath: remote)
    #expect(components.joined(separator: "/") == expected)
    for part in components {
      #expect(part != ".." && part != "." && !part.isEmpty)
      #expect(!part.contains("/") && !part.contains("\\"))
      #expect(!part.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }
    let root = "/tmp/lr-results-root"
    let destination = try SafeResultPath.destination(
      root: root, run: "../run", machine: "../../ws-01", remotePath: remote)
    #expect(destination.hasPrefix(root + "/"))
  }

  @Test func longNamesAreCut() {
    let long = String(repeating: "é", count: 500)
    let part = SafeResultPath.component(long)
    #expect(part.utf8.count <= SafeResultPath.maximumComponentBytes)
  }

  @Test func symlinkedParentIsRefused() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-sym-\(UUID())")
    let outside = FileManager.default.temporaryDirectory.appendingPathComponent("lr-out-\(UUID())")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("run"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    defer {
      try? FileManager.default.removeItem(at: root)
      try? FileManager.default.removeItem(at: outside)
    }
    try FileManager.default.createSymbolicLink(
      at: root.appendingPathComponent("run/ws"), withDestinationURL: outside)
    let destination = try SafeResultPath.destination(
      root: root.path, run: "run", machine: "ws", remotePath: #"C:\x.txt"#)
    #expect(throws: DefenderClientError.self) {
      try SafeResultPath.prepareParent(of: destination, root: root.path)
    }
  }
}
