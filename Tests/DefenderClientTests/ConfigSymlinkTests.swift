import DefenderClient
import Foundation
import Testing

/// A config file reached through a symlink is judged by the file the link points to.
@Suite struct ConfigSymlinkTests {
  @Test func aLinkToAnOwnerOnlyFileIsAccepted() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-cfg-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let real = dir.appendingPathComponent("real.toml")
    try #require(
      FileManager.default.createFile(
        atPath: real.path, contents: Data("[profiles.p]\nclient_secret = \"x\"\n".utf8),
        attributes: [.posixPermissions: 0o600]))
    let link = dir.appendingPathComponent("config.toml")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
    let loaded = try #require(try ConfigFile.load(environment: ["LR_CONFIG": link.path]))
    #expect(!loaded.readableByOthers)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: real.path)
    #expect(try ConfigFile.load(environment: ["LR_CONFIG": link.path])?.readableByOthers == true)
  }
}
