import Foundation
import LRTestSupport
import Testing

@testable import LRShell

/// The per-profile history file.
@Suite struct HistoryFileTests {
  @Test func roundTripKeepsMultiLineEntries() throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("lr/history-lab")
    let history = HistoryFile(url: url, limit: 3)
    let multi = "on machine WS-1 <\n  run x.ps1 \"a\\\"b\"\n  get 'C:\\a b.txt'\n>"
    history.add(".connect WS-1")
    history.add(multi)
    history.add(multi)  // not repeated
    history.add("   ")  // blank: not kept
    history.add("é€ 😀")
    #expect(history.entries == [".connect WS-1", multi, "é€ 😀"])
    history.add("fourth")
    #expect(HistoryFile(url: url).entries == [multi, "é€ 😀", "fourth"])
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
  }

  @Test func defaultLocationFollowsXDG() {
    let xdg = HistoryFile.defaultURL(
      profile: "prod", environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])
    #expect(xdg?.path == "/s/lr/history-prod")
    let home = HistoryFile.defaultURL(profile: "a/b", environment: ["HOME": "/h"])
    #expect(home?.path == "/h/.local/state/lr/history-a_b")
    #expect(HistoryFile.defaultURL(profile: "x", environment: [:]) == nil)
  }

  @Test func missingOrCorruptFilesAreEmptyHistories() throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(HistoryFile(url: dir.appendingPathComponent("none")).entries.isEmpty)
    let bad = dir.appendingPathComponent("bad")
    try Data("not json\n\"ok\"\n{\"x\":1}\n".utf8).write(to: bad)
    #expect(HistoryFile(url: bad).entries == ["ok"])
  }
}
