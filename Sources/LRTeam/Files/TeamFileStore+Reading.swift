import DefenderClient
import Foundation
import LREngine
import NIOCore
import PostgresNIO

extension TeamFileStore {
  /// Every file a run saved (each journaled command with a result file), with whether it is
  /// stored, by machine name and then in the run's order.
  public func files(run id: String) throws -> [SavedFile] {
    let rows = try database.query(
      """
      SELECT a.run_id, c.action_row, c.command_index, a.machine_id, a.computer_name,
        c.result_path, c.result_size, c.result_sha256, f.name, f.host, f.stored, f.note, f.chunks
      FROM lr_command c JOIN lr_action a ON a.id = c.action_row
      LEFT JOIN lr_saved_file f ON f.action_row = c.action_row
        AND f.command_index = c.command_index AND f.tenant = c.tenant
      WHERE c.tenant = \(tenant) AND a.run_id = \(id) AND c.result_path IS NOT NULL
      ORDER BY a.computer_name, a.statement, a.request_index, c.command_index
      """)
    return try rows.map(Self.savedFile(from:))
  }

  /// Stores the files of a run that the journal recorded but the database does not hold (a store
  /// that failed while the database was away, or a file an lr without file storage saved), from
  /// this host's disk when the file is there with the journaled SHA-256; never throws.
  public func storeMissing(run id: String) {
    guard let files = try? files(run: id) else { return }
    for file in files where file.state == .missing {
      guard let sha256 = file.sha256, FileDigest.ofFile(at: file.path) == sha256 else { continue }
      store(
        CommandRecord(
          actionRow: file.actionRow, commandIndex: file.commandIndex, type: "", status: "Completed",
          resultPath: file.path, resultSize: file.size, resultSHA256: sha256))
    }
  }

  static func savedFile(from row: PostgresRow) throws -> SavedFile {
    let cells = row.makeRandomAccess()
    let path = try cells["result_path"].decode(String.self)
    let stored = try cells["stored"].decode(Bool?.self)
    let state: SavedFile.State =
      switch stored {
      case true?: .stored
      case false?: .notStored(try cells["note"].decode(String?.self) ?? "not stored")
      case nil: .missing
      }
    return SavedFile(
      runID: try cells["run_id"].decode(String.self),
      actionRow: try cells["action_row"].decode(Int64.self),
      commandIndex: try cells["command_index"].decode(Int.self),
      machineID: try cells["machine_id"].decode(String.self),
      computerName: try cells["computer_name"].decode(String.self),
      name: try cells["name"].decode(String?.self) ?? URL(fileURLWithPath: path).lastPathComponent,
      path: path, host: try cells["host"].decode(String?.self),
      size: try cells["result_size"].decode(Int64?.self),
      sha256: try cells["result_sha256"].decode(String?.self), state: state,
      chunks: try cells["chunks"].decode(Int?.self) ?? 0)
  }

  /// Hands a stored file's content to `body` one chunk at a time, in order (one statement per
  /// chunk, so no more than a chunk is held in memory).
  public func read(_ file: SavedFile, _ body: (Data) throws -> Void) throws {
    for n in 0..<file.chunks {
      let rows = try database.query(
        """
        SELECT data FROM lr_saved_file_chunk
        WHERE tenant = \(tenant) AND action_row = \(file.actionRow)
          AND command_index = \(file.commandIndex) AND n = \(n)
        """)
      guard let row = rows.first else {
        throw TeamError.statement("chunk \(n) of \(file.name) is not in the team database")
      }
      let buffer = try row.decode(ByteBuffer.self)
      try body(Data(buffer.readableBytesView))
    }
  }
}
