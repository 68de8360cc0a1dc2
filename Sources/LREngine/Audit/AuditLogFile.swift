import Foundation

/// The audit log's file, opened for one locked operation: an exclusive `flock` held from open to
/// ``release()``, so appends from several lr processes are serialised and each sees the others'.
final class AuditLogFile {
  let path: String
  private let descriptor: Int32

  /// Opens (creating it owner-only, 0600) and locks the log; blocks while another process holds it.
  init(url: URL) throws {
    path = url.path
    while true {
      let opened = try AuditLogFile.openLocked(path)
      // Renamed away (`lr audit rotate`) while this process waited for the lock: open anew.
      var held = stat()
      var current = stat()
      if fstat(opened, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino,
        held.st_dev == current.st_dev
      {
        descriptor = opened
        return
      }
      close(opened)
    }
  }

  /// Opens (creating 0600) and takes the exclusive lock; returns the descriptor.
  private static func openLocked(_ path: String) throws -> Int32 {
    let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw failure("open", path) }
    while flock(descriptor, LOCK_EX) != 0 {
      if errno == EINTR { continue }
      let error = failure("lock", path)
      close(descriptor)
      throw error
    }
    return descriptor
  }

  /// Releases the lock and the file.
  func release() { close(descriptor) }

  /// The file's size in bytes.
  func size() throws -> Int {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw AuditLogFile.failure("stat", path) }
    return Int(info.st_size)
  }

  /// Bytes at an offset.
  func read(at offset: Int, count: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let n = bytes.withUnsafeMutableBytes { buffer in
        pread(descriptor, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset + done))
      }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { break }
      done += n
    }
    return Array(bytes.prefix(done))
  }

  /// The first line (without its newline), or nil for an empty file.
  func firstLine() throws -> String? {
    let size = try size()
    guard size > 0 else { return nil }
    var bytes: [UInt8] = []
    while bytes.count < size {
      let chunk = try read(at: bytes.count, count: min(65_536, size - bytes.count))
      guard !chunk.isEmpty else { break }
      if let end = chunk.firstIndex(of: 0x0A) {
        return String(decoding: bytes + chunk[..<end], as: UTF8.self)
      }
      bytes += chunk
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The last line and whether it ends with a newline (nil for an empty file).
  func lastLine() throws -> (text: String, complete: Bool)? {
    let size = try size()
    guard size > 0 else { return nil }
    let complete = try read(at: size - 1, count: 1) == [0x0A]
    let end = complete ? size - 1 : size
    var start = end
    var bytes: [UInt8] = []
    while start > 0 {
      let count = min(65_536, start)
      let chunk = try read(at: start - count, count: count)
      if let newline = chunk.lastIndex(of: 0x0A) {
        bytes = Array(chunk[(newline + 1)...]) + bytes
        start = 0
      } else {
        bytes = chunk + bytes
        start -= count
      }
    }
    return (String(decoding: bytes, as: UTF8.self), complete)
  }

  /// Appends text and flushes it to disk.
  func append(_ text: String) throws {
    let bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { buffer in
        write(descriptor, buffer.baseAddress.map { $0 + done }, bytes.count - done)
      }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { throw AuditLogFile.failure("write", path) }
      done += n
    }
    guard fsync(descriptor) == 0 else { throw AuditLogFile.failure("sync", path) }
  }

  static func failure(_ operation: String, _ path: String) -> AuditLogError {
    AuditLogError(
      path: path, message: "cannot \(operation) the audit log: \(String(cString: strerror(errno)))")
  }
}
