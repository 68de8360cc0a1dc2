import CompressNIO
import Foundation
import NIOCore

/// Produces a device file's bytes chunk by chunk and gzip-compresses them while streaming,
/// so a multi-GB file is served with flat memory.
enum FileContent {
  /// Chunk size for generation and compression.
  static let chunkSize = 256 * 1024

  /// A stable 64-bit FNV-1a hash (Swift's `hashValue` is randomized per process).
  static func stableHash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x100_0000_01b3
    }
    return h
  }

  /// Calls `emit` with the raw (uncompressed) content in chunks.
  static func generate(
    _ spec: FileSpec, emit: (inout ByteBuffer) async throws -> Void
  ) async throws {
    if let text = spec.text {
      var buffer = ByteBuffer(string: text)
      try await emit(&buffer)
      return
    }
    if let hostFile = spec.hostFile {
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: hostFile))
      defer { try? handle.close() }
      while let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
        var buffer = ByteBuffer(bytes: data)
        try await emit(&buffer)
      }
      return
    }
    let total = spec.size ?? 0
    let seed = spec.seed ?? 1
    let random = spec.pattern?.lowercased() == "random"
    var offset: Int64 = 0
    var buffer = ByteBufferAllocator().buffer(capacity: chunkSize)
    while offset < total {
      let n = Int(min(Int64(chunkSize), total - offset))
      buffer.clear()
      if random {
        fillRandom(&buffer, count: n, seed: seed, offset: offset)
      } else {
        fillText(&buffer, count: n, seed: seed, offset: offset)
      }
      offset += Int64(n)
      try await emit(&buffer)
    }
  }

  /// Incompressible, deterministic bytes (xorshift per 8-byte word, seeded by chunk).
  private static func fillRandom(
    _ buffer: inout ByteBuffer, count: Int, seed: UInt64, offset: Int64
  ) {
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
      var state = (seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(offset / Int64(chunkSize))) | 1
      let words = count / 8
      for w in 0..<words {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        raw.storeBytes(of: state.littleEndian, toByteOffset: w * 8, as: UInt64.self)
      }
      var tail = state
      for i in (words * 8)..<count {
        tail = tail &* 0x100_0000_01b3 &+ 1
        raw[i] = UInt8(truncatingIfNeeded: tail >> 32)
      }
      return count
    }
  }

  /// Compressible, deterministic text lines: 64 bytes each, naming the seed and the line's offset.
  private static func fillText(_ buffer: inout ByteBuffer, count: Int, seed: UInt64, offset: Int64)
  {
    let filler = Array("lr-emulator-generated-content-".utf8)
    let hex = Array("0123456789abcdef".utf8)
    var template = [UInt8](repeating: 0, count: 64)
    for j in 0..<16 { template[j] = hex[Int((seed >> UInt64(60 - 4 * j)) & 0xF)] }
    template[16] = 0x20
    template[33] = 0x20
    for j in 34..<63 { template[j] = filler[(j - 34) % filler.count] }
    template[63] = 0x0A
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
      guard let base = raw.baseAddress else { return 0 }
      // Chunks start on line boundaries except possibly the first bytes of an odd offset.
      var written = 0
      var position = offset
      template.withUnsafeBytes { t in
        guard let tBase = t.baseAddress else { return }
        while written < count {
          let lineStart = position - position % 64
          let from = Int(position - lineStart)
          let n = min(64 - from, count - written)
          (base + written).copyMemory(from: tBase + from, byteCount: n)
          // Patch the offset digits that fall inside this slice.
          var value = UInt64(lineStart)
          var j = 32
          while j >= 17 {
            let index = j - from
            if index >= 0, index < n {
              base.storeBytes(
                of: hex[Int(value & 0xF)], toByteOffset: written + index, as: UInt8.self)
            }
            value >>= 4
            j -= 1
          }
          written += n
          position += Int64(n)
        }
      }
      return count
    }
  }

  /// Streams the gzip of `spec`'s content to `writer`.
  static func streamGzip(_ spec: FileSpec, to write: (ByteBuffer) async throws -> Void)
    async throws
  {
    let compressor = try ZlibCompressor(
      algorithm: .gzip, configuration: ZlibConfiguration(compressionLevel: .fastestCompression))
    try await generate(spec) { chunk in
      let out = try chunk.compressStream(with: compressor, flush: .sync)
      if out.readableBytes > 0 { try await write(out) }
    }
    var empty = ByteBuffer()
    let tail = try empty.compressStream(with: compressor, flush: .finish)
    try await write(tail)
  }
}
