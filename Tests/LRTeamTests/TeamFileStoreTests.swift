import DefenderClient
import Foundation
import LREngine
import LRTestSupport
import PostgresNIO
import Testing

@testable import LRTeam

/// Saved files in the team database: stored in chunks once, whole or not at all, the cap
/// enforced and reported, and a connection lost in the middle of a store survived.
@Suite struct TeamFileStoreTests {
  typealias Conformance = RunJournalConformanceTests

  /// A journal with one run and one action, and a file of `size` bytes saved on disk.
  struct Saved {
    let journal: PostgresJournal
    let command: CommandRecord
    let bytes: Data
  }

  static func saved(
    url: TeamURL, size: Int, sha256: String? = nil, environment: [String: String] = [:]
  ) throws -> Saved {
    let journal = try Team.open(url, tenant: "tenant-a").journal
    try journal.create(Conformance.run("r1", at: 1))
    let action = try journal.plan(Conformance.action("r1", token: "t-\(UUID().uuidString)"))
    let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) })
    let file = try LRTestSupport.temporaryDirectory().appendingPathComponent("1-evidence.bin")
    try bytes.write(to: file)
    var digest = FileDigest()
    digest.update(bytes)
    let command = CommandRecord(
      actionRow: try #require(action.id), commandIndex: 0, type: "GetFile", status: "Completed",
      resultPath: file.path, resultSize: Int64(size), resultSHA256: sha256 ?? digest.hex())
    return Saved(journal: journal, command: command, bytes: bytes)
  }

  static func count(_ table: String, _ url: TeamURL) throws -> String {
    try PostgresServer.shared().sql("SELECT count(*) FROM \(table)", database: url.database)
  }

  /// The bytes read back from the database.
  static func readBack(_ store: TeamFileStore) throws -> Data {
    let file = try #require(try store.files(run: "r1").first)
    var data = Data()
    try store.read(file) { data.append($0) }
    return data
  }

  @Test func aJournaledFileIsStoredInChunksOnce() throws {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    let saved = try Self.saved(url: url, size: 2 * TeamFileStore.chunkSize + 1234)
    try saved.journal.record(saved.command)
    try saved.journal.record(saved.command)  // journaled again (a resume, an adopted action)
    #expect(try Self.count("lr_saved_file", url) == "1")
    #expect(try Self.count("lr_saved_file_chunk", url) == "3")
    let files = try saved.journal.files.files(run: "r1")
    #expect(files.count == 1)
    #expect(files.first?.state == .stored)
    #expect(files.first?.host == ProcessInfo.processInfo.hostName)
    #expect(files.first?.name == "1-evidence.bin")
    #expect(try Self.readBack(saved.journal.files) == saved.bytes)
  }

  @Test func aFileOverTheCapIsRecordedAndReportedNotStored() throws {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    let saved = try Self.saved(url: url, size: 100)
    let store = TeamFileStore(
      database: saved.journal.database, tenant: "tenant-a",
      environment: ["LR_TEAM_FILE_CAP": "10"])
    let notices = Notices()
    store.report { notices.add($0) }
    #expect(store.store(saved.command) == .notStored("over the team's cap of 10 bytes"))
    #expect(notices.all.count == 1)
    #expect(notices.all.first?.contains("over the team's cap of 10 bytes") == true)
    #expect(try Self.count("lr_saved_file_chunk", url) == "0")
    #expect(
      try PostgresServer.shared().sql(
        "SELECT stored, note FROM lr_saved_file", database: url.database)
        == "f|over the team's cap of 10 bytes")
  }

  @Test func aFileChangedOnDiskIsNotStored() throws {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    let saved = try Self.saved(url: url, size: 5000, sha256: String(repeating: "0", count: 64))
    let outcome = saved.journal.files.store(saved.command)
    guard case .notStored(let why) = outcome else {
      Issue.record("\(outcome)")
      return
    }
    #expect(why.contains("changed on disk"))
    #expect(try Self.count("lr_saved_file_chunk", url) == "0")
  }

  /// The connection dies after a chunk was sent, then after the COMMIT was sent: the store is
  /// sent again on a new connection, and the file is stored once, whole.
  @Test(arguments: ["lr_saved_file_chunk", "COMMIT"])
  func aConnectionLostMidStoreIsSurvivedAndStoresOnce(cut: String) throws {
    let server = try PostgresServer.shared()
    let direct = try TeamURL(try server.makeDatabase())
    let proxy = try TCPProxy(to: server.port)
    defer { proxy.stop() }
    let url = try TeamURL(
      server.url(database: direct.database, through: proxy))
    let saved = try Self.saved(url: url, size: 3 * TeamFileStore.chunkSize)
    proxy.loseAnswer(after: cut)
    try saved.journal.record(saved.command)
    #expect(try Self.count("lr_saved_file", direct) == "1")
    #expect(try Self.count("lr_saved_file_chunk", direct) == "3")
    let reader = try Team.open(direct, tenant: "tenant-a").journal.files
    #expect(try Self.readBack(reader) == saved.bytes)
  }

  /// The database gone for longer than the retry window: the store is reported, not thrown, so
  /// the run goes on with the file on its own disk.
  @Test func aDatabaseGoneDuringAStoreIsReportedNotThrown() throws {
    let server = try PostgresServer.shared()
    let direct = try TeamURL(try server.makeDatabase())
    let proxy = try TCPProxy(to: server.port)
    let url = try TeamURL(
      server.url(database: direct.database, through: proxy))
    let saved = try Self.saved(url: direct, size: 100)
    let database = TeamDatabase(url: url, retryWindow: .seconds(1))
    try database.query("SELECT 1")
    let store = TeamFileStore(database: database, tenant: "tenant-a")
    let notices = Notices()
    store.report { notices.add($0) }
    proxy.stop()
    guard case .failed = store.store(saved.command) else {
      Issue.record("the store did not fail")
      return
    }
    #expect(notices.all.first?.contains("could not be stored in the team database") == true)
    #expect(try Self.count("lr_saved_file", direct) == "0")
  }
}

extension TeamFileStoreTests {
  /// A file journaled while the database could not take it (its command's row only, as after a
  /// store that failed) is stored when the run finishes, from the saving host's disk.
  @Test func aFileTheDatabaseMissedIsStoredWhenTheRunFinishes() throws {
    let server = try PostgresServer.shared()
    let url = try TeamURL(try server.makeDatabase())
    let saved = try Self.saved(url: url, size: TeamFileStore.chunkSize + 10)
    let command = saved.command
    try server.sql(
      """
      INSERT INTO lr_command (tenant, action_row, command_index, type, status, result_path,
        result_size, result_sha256)
      VALUES ('tenant-a', \(command.actionRow), 0, 'GetFile', 'Completed',
        '\(command.resultPath ?? "")', \(command.resultSize ?? 0), '\(command.resultSHA256 ?? "")')
      """, database: url.database)
    #expect(try saved.journal.files.files(run: "r1").first?.state == .missing)
    try saved.journal.finish(run: "r1", state: .finished)
    #expect(try saved.journal.files.files(run: "r1").first?.state == .stored)
    #expect(try Self.readBack(saved.journal.files) == saved.bytes)
  }
}

/// Notices collected from a store's reporter.
final class Notices: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [String] = []
  func add(_ text: String) { lock.withLock { items.append(text) } }
  var all: [String] { lock.withLock { items } }
}
