import DefenderClient
import Foundation
import LREngine
import LRSystem
import LRTeam

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a run's saved files from the team database under `ROOT/RUN/MACHINE/NAME`, as the local
/// results folder lays them out (`lr results fetch`, docs/results.md).
///
/// Names come from hosts under investigation and from the database: each path component is
/// made safe (no separators, `..`, device names or control characters). A file is written to a
/// temporary sibling, its SHA-256 checked against the journal's, then linked into place, which
/// never replaces an existing file: one with the same SHA-256 is kept and said so, a different
/// one is left alone and reported.
struct SavedFileFetcher {
  /// What became of one file.
  enum Outcome: String, Sendable {
    case written, same, notStored, missing, conflict, mismatch

    /// Whether the file is now on disk as the journal recorded it.
    var fetched: Bool { self == .written || self == .same }
  }

  /// One file's result: where it is (or would be), and why when not fetched.
  struct Fetched: Sendable {
    var file: SavedFile
    /// The path under the output folder (`RUN/MACHINE/NAME`, made safe).
    var relativePath: String
    var outcome: Outcome
    var detail: String?
  }

  let store: TeamFileStore
  let root: URL

  /// `RUN/MACHINE/NAME` for a file, each component made safe.
  static func relativePath(of file: SavedFile) -> String {
    [file.runID, file.computerName, file.name].map(ResultsFolder.safeComponent)
      .joined(separator: "/")
  }

  /// Fetches one file (never throws: each failure is an outcome with its detail).
  func fetch(_ file: SavedFile) -> Fetched {
    let relative = Self.relativePath(of: file)
    let where_ = file.host.map { "kept on \($0) at \(file.path)" } ?? "saved at \(file.path)"
    func result(_ outcome: Outcome, _ detail: String?) -> Fetched {
      Fetched(file: file, relativePath: relative, outcome: outcome, detail: detail)
    }
    switch file.state {
    case .missing: return result(.missing, "not in the team database; \(where_)")
    case .notStored(let why): return result(.notStored, "not stored: \(why); \(where_)")
    case .stored: break
    }
    guard let expected = file.sha256 else { return result(.missing, "no SHA-256 journaled") }
    let destination = root.appendingPathComponent(relative)
    if FileManager.default.fileExists(atPath: destination.path) {
      return FileDigest.ofFile(at: destination.path) == expected
        ? result(.same, "already there with the same SHA-256")
        : result(.conflict, "a different file is already there; not overwritten")
    }
    do {
      return try write(file, expected: expected, to: destination)
        ? result(.written, nil)
        : result(.mismatch, "its SHA-256 does not match the journal's; nothing kept")
    } catch let error as FetchConflict {
      return result(.conflict, error.why)
    } catch {
      return result(.missing, "cannot be fetched: \(error)")
    }
  }

  /// Streams the file into a temporary sibling, checks its SHA-256 and links it into place;
  /// false (and nothing left behind) when the hash differs.
  private func write(_ file: SavedFile, expected: String, to destination: URL) throws -> Bool {
    let folder = destination.deletingLastPathComponent()
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let temporary = folder.appendingPathComponent(
      "." + destination.lastPathComponent + ".partial-" + UUID().uuidString.prefix(8)
    ).path
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw FetchConflict(why: "cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    defer { unlink(temporary) }
    var digest = FileDigest()
    do {
      try store.read(file) { chunk in
        digest.update(chunk)
        try Self.put(chunk, to: fd)
      }
      close(fd)
    } catch {
      close(fd)
      throw error
    }
    guard digest.hex() == expected else { return false }
    guard link(temporary, destination.path) == 0 else {
      throw FetchConflict(
        why: errno == EEXIST
          ? "a file appeared there meanwhile; not overwritten"
          : "cannot create it: \(String(cString: strerror(errno)))")
    }
    return true
  }

  /// Writes all of `chunk` to `fd`.
  private static func put(_ chunk: Data, to fd: Int32) throws {
    let failure = chunk.withUnsafeBytes { StandardStreams.write(bytes: $0, to: fd) }
    guard failure == 0 else {
      throw FetchConflict(why: "cannot write: \(String(cString: strerror(failure)))")
    }
  }
}

/// A file that could not be put in place (the detail said to the user).
struct FetchConflict: Error {
  var why: String
}
