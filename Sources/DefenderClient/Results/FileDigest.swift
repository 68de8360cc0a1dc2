import Crypto
import Foundation

/// A SHA-256 computed as bytes stream past (a saved result checked on resume, a file stored in
/// or fetched from the team database a chunk at a time), as lowercase hex like the journal's.
public struct FileDigest {
  private var hasher = SHA256()
  /// How many bytes went in.
  public private(set) var count: Int64 = 0

  public init() {}

  /// Adds the next bytes.
  public mutating func update(_ bytes: Data) {
    hasher.update(data: bytes)
    count += Int64(bytes.count)
  }

  /// The digest as lowercase hex (as the journal records it).
  public func hex() -> String {
    hasher.finalize().map { String(format: "%02x", $0) }.joined()
  }

  /// The SHA-256 (hex) of a file, read a chunk at a time; nil when it cannot be read.
  public static func ofFile(at path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    var digest = FileDigest()
    while true {
      // read(upToCount:) answers nil at the end of the file: not an error.
      let chunk: Data
      do {
        chunk = try handle.read(upToCount: 1 << 20) ?? Data()
      } catch {
        return nil
      }
      if chunk.isEmpty { break }
      digest.update(chunk)
    }
    return digest.hex()
  }
}
