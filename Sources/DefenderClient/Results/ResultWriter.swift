import CompressNIO
import Crypto
import Foundation
import LRSystem
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A retrieved file saved on disk: where, how big, and its SHA-256 (of the decompressed content).
public struct DownloadedFile: Sendable, Equatable, Codable {
  /// Absolute path of the saved file.
  public var path: String
  /// Size in bytes after decompression.
  public var size: Int64
  /// Lowercase hex SHA-256 of the saved bytes.
  public var sha256: String
  /// Bytes received on the wire.
  public var wireSize: Int64
  /// Whether the wire content was gzip-compressed.
  public var wasCompressed: Bool
  /// The path that was asked for, when a file already existed there and this one was saved
  /// under a new name instead (``path``, e.g. `hosts-2`); nil otherwise. Evidence is never
  /// overwritten.
  public var requestedPath: String?
}

/// Streams a result to disk: detects gzip, inflates on the fly into a fixed window, hashes and
/// counts while writing to a temporary name, and renames only when complete — onto a name
/// nothing else holds: when the destination exists, `name-2.ext`, `name-3.ext`, ... is used.
///
/// Memory stays flat: one input chunk plus a 256 KiB window, whatever the file size.
final class ResultWriter {
  private enum Mode { case undecided, raw, gzip }

  let destination: String
  private let temporary: String
  private var fd: Int32
  private var mode = Mode.undecided
  private var pending = ByteBuffer()
  private var hasher = SHA256()
  private var size: Int64 = 0
  private var memberSize: UInt32 = 0
  private var wireSize: Int64 = 0
  private var trailer: [UInt8] = []
  private var decompressor: (any NIODecompressor)?
  private var window: ByteBuffer
  private var finished = false

  /// Opens `destination`'s temporary sibling for writing.
  init(destination: String) throws(DefenderClientError) {
    self.destination = destination
    let url = URL(fileURLWithPath: destination)
    temporary =
      url.deletingLastPathComponent().appendingPathComponent(
        "." + url.lastPathComponent + ".partial-" + UUID().uuidString.prefix(8)
      ).path
    fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw .invalidInput("cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    window = ByteBufferAllocator().buffer(capacity: 256 * 1024)
  }

  deinit {
    if !finished { abandon() }
  }

  /// Feeds the next chunk received from the wire.
  func append(_ chunk: ByteBuffer) throws {
    wireSize += Int64(chunk.readableBytes)
    rememberTrailer(chunk)
    var chunk = chunk
    if mode == .undecided {
      pending.writeBuffer(&chunk)
      guard pending.readableBytes >= 2 else { return }
      let magic = pending.getBytes(at: pending.readerIndex, length: 2) ?? []
      if magic == [0x1f, 0x8b] {
        mode = .gzip
        let decompressor = CompressionAlgorithm.gzip().decompressor
        try decompressor.startStream()
        self.decompressor = decompressor
      } else {
        mode = .raw
      }
      chunk = pending
      pending = ByteBuffer()
    }
    switch mode {
    case .raw: try emit(chunk)
    case .gzip: try inflate(&chunk)
    case .undecided: break
    }
  }

  private func rememberTrailer(_ chunk: ByteBuffer) {
    let bytes = chunk.readableBytesView
    if bytes.count >= 8 {
      trailer = Array(bytes.suffix(8))
    } else {
      trailer = Array((trailer + bytes).suffix(8))
    }
  }

  private func inflate(_ input: inout ByteBuffer) throws {
    guard let decompressor else { return }
    while input.readableBytes > 0 {
      let before = input.readableBytes
      let written = window.readableBytes
      do {
        try decompressor.streamInflate(from: &input, to: &window)
      } catch let error as CompressNIOError where error == .bufferOverflow {
        try flushWindow()
        continue
      } catch let error as CompressNIOError where error == .inputBufferOverflow {
        break
      } catch let error as CompressNIOError where error == .corruptData {
        throw DefenderClientError.resultUnavailable("the result is not valid gzip data (corrupt)")
      }
      if input.readableBytes == before && window.readableBytes == written {
        // The member ended and bytes remain: another gzip member follows, or garbage.
        try flushWindow()
        guard input.readableBytes >= 2,
          input.getBytes(at: input.readerIndex, length: 2) == [0x1f, 0x8b]
        else {
          throw DefenderClientError.resultUnavailable(
            "the result has \(input.readableBytes) stray bytes after its gzip data")
        }
        try decompressor.resetStream()
        memberSize = 0
      }
    }
    if window.writableBytes < 64 * 1024 { try flushWindow() }
  }

  private func flushWindow() throws {
    guard window.readableBytes > 0 else { return }
    try emit(window)
    window.clear()
  }

  private func emit(_ buffer: ByteBuffer) throws {
    try buffer.withUnsafeReadableBytes { bytes in
      hasher.update(bufferPointer: bytes)
      let failure = StandardStreams.write(bytes: bytes, to: fd)
      if failure != 0 {
        throw DefenderClientError.resultUnavailable(
          "cannot write \(temporary): \(String(cString: strerror(failure)))")
      }
    }
    size += Int64(buffer.readableBytes)
    memberSize &+= UInt32(truncatingIfNeeded: buffer.readableBytes)
  }

  /// Completes the file: checks the gzip trailer, syncs, renames over the destination.
  func finish() throws -> DownloadedFile {
    if mode == .undecided {
      mode = .raw
      try emit(pending)
    }
    if mode == .gzip {
      try flushWindow()
      let isize =
        trailer.count == 8
        ? UInt32(trailer[4]) | UInt32(trailer[5]) << 8 | UInt32(trailer[6]) << 16 | UInt32(
          trailer[7]) << 24 : 0
      guard trailer.count == 8, isize == memberSize else {
        throw DefenderClientError.transport(
          "the result was truncated (gzip size check failed after \(wireSize) bytes)")
      }
      try decompressor?.finishStream()
    }
    fsync(fd)
    close(fd)
    fd = -1
    let saved: String
    do { saved = try reserveName() } catch {
      unlink(temporary)
      finished = true
      throw error
    }
    // `saved` is an empty file this writer created (O_EXCL): renaming over it replaces nothing
    // anyone else wrote.
    guard rename(temporary, saved) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      unlink(saved)
      finished = true
      throw DefenderClientError.resultUnavailable("cannot rename onto \(saved): \(reason)")
    }
    finished = true
    let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
    return DownloadedFile(
      path: saved, size: size, sha256: digest, wireSize: wireSize,
      wasCompressed: mode == .gzip, requestedPath: saved == destination ? nil : destination)
  }

  /// Claims the destination, or the first free `name-N.ext` beside it, by creating it empty with
  /// `O_CREAT|O_EXCL` (so two downloads can never pick the same name).
  private func reserveName() throws(DefenderClientError) -> String {
    for attempt in 1...10_000 {
      let candidate = attempt == 1 ? destination : Self.numbered(destination, attempt)
      let claim = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      if claim >= 0 {
        close(claim)
        return candidate
      }
      guard errno == EEXIST else {
        throw .resultUnavailable(
          "cannot create \(candidate): \(String(cString: strerror(errno)))")
      }
    }
    throw .resultUnavailable("no free name for \(destination) (10,000 files of that name exist)")
  }

  /// `dir/name.ext` with `-N` before the first extension: `hosts-2`, `x-2.dmp.zip`.
  static func numbered(_ path: String, _ number: Int) -> String {
    let url = URL(fileURLWithPath: path)
    let name = url.lastPathComponent
    let cut = name.dropFirst().firstIndex(of: ".") ?? name.endIndex
    let numbered = name[..<cut] + "-\(number)" + name[cut...]
    return url.deletingLastPathComponent().appendingPathComponent(String(numbered)).path
  }

  /// Deletes the temporary file (after a failure).
  func abandon() {
    if fd >= 0 {
      close(fd)
      fd = -1
    }
    unlink(temporary)
    finished = true
  }
}
