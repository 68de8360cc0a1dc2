import CompressNIO
import Crypto
import Foundation
import NIOCore
import Testing

@testable import DefenderClient

@Suite struct ResultWriterTests {
  func gzip(_ data: [UInt8]) throws -> [UInt8] {
    var buffer = ByteBuffer(bytes: data)
    let compressed = try buffer.compress(with: .gzip())
    return Array(compressed.readableBytesView)
  }

  func hex(_ data: [UInt8]) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
  }

  func temporaryFile() throws -> (dir: URL, path: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-rw-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (dir, dir.appendingPathComponent("out.bin").path)
  }

  func feed(_ bytes: [UInt8], chunk: Int, to writer: ResultWriter) throws {
    var index = 0
    while index < bytes.count {
      let end = min(index + chunk, bytes.count)
      try writer.append(ByteBuffer(bytes: bytes[index..<end]))
      index = end
    }
  }

  @Test(arguments: [3, 4096, 1 << 20])
  func gzipIsInflatedAndHashedWhileStreaming(chunk: Int) throws {
    var generator = SystemRandomNumberGenerator()
    let original = (0..<150_000).map { index in
      index % 3 == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8(index % 251)
    }
    let (dir, path) = try temporaryFile()
    defer { try? FileManager.default.removeItem(at: dir) }
    let writer = try ResultWriter(destination: path)
    try feed(try gzip(original), chunk: chunk, to: writer)
    let file = try writer.finish()
    #expect(file.size == Int64(original.count))
    #expect(file.sha256 == hex(original))
    #expect(file.wasCompressed)
    #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == original)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.bin"])
  }

  @Test func rawContentIsSavedAsIs() throws {
    let (dir, path) = try temporaryFile()
    defer { try? FileManager.default.removeItem(at: dir) }
    let writer = try ResultWriter(destination: path)
    let bytes = Array(#"{"exit_code":0}"#.utf8)
    try feed(bytes, chunk: 1, to: writer)
    let file = try writer.finish()
    #expect(!file.wasCompressed)
    #expect(file.sha256 == hex(bytes))
  }

  @Test func multiMemberGzipIsConcatenated() throws {
    let (dir, path) = try temporaryFile()
    defer { try? FileManager.default.removeItem(at: dir) }
    let writer = try ResultWriter(destination: path)
    let a = Array("hello ".utf8)
    let b = Array("world".utf8)
    try feed(try gzip(a) + gzip(b), chunk: 5, to: writer)
    let file = try writer.finish()
    #expect(try String(contentsOfFile: file.path, encoding: .utf8) == "hello world")
  }

  @Test func truncatedGzipIsRejectedAndLeavesNothing() throws {
    let (dir, path) = try temporaryFile()
    defer { try? FileManager.default.removeItem(at: dir) }
    let compressed = try gzip(Array(repeating: 65, count: 100_000))
    let writer = try ResultWriter(destination: path)
    #expect(throws: DefenderClientError.self) {
      try feed(Array(compressed.dropLast(12)), chunk: 100, to: writer)
      _ = try writer.finish()
    }
    writer.abandon()
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
  }

  @Test func garbageAfterGzipIsRejected() throws {
    let (dir, path) = try temporaryFile()
    defer { try? FileManager.default.removeItem(at: dir) }
    let writer = try ResultWriter(destination: path)
    #expect(throws: DefenderClientError.self) {
      try feed(try gzip(Array("x".utf8)) + [1, 2, 3], chunk: 64, to: writer)
      _ = try writer.finish()
    }
  }

  @Test func corruptGzipIsRejected() throws {
    let (dir, path) = try temporaryFile()
    defer { try? FileManager.default.removeItem(at: dir) }
    let writer = try ResultWriter(destination: path)
    #expect(throws: DefenderClientError.self) {
      try feed(
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3] + Array(repeating: 0xff, count: 64), chunk: 8,
        to: writer)
      _ = try writer.finish()
    }
  }

  @Test func anExistingFileIsNeverOverwritten() throws {
    let (dir, path) = try temporaryFile()
    defer { try? FileManager.default.removeItem(at: dir) }
    var saved: [DownloadedFile] = []
    for content in ["first", "second", "third"] {
      let writer = try ResultWriter(destination: path)
      try feed(Array(content.utf8), chunk: 3, to: writer)
      saved.append(try writer.finish())
    }
    #expect(saved.map(\.path) == [path, dir.path + "/out-2.bin", dir.path + "/out-3.bin"])
    #expect(saved.map(\.requestedPath) == [nil, path, path])
    #expect(
      try saved.map { try String(contentsOfFile: $0.path, encoding: .utf8) } == [
        "first", "second", "third",
      ])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [
        "out-2.bin", "out-3.bin", "out.bin",
      ])
  }

  @Test(arguments: [
    ("/r/hosts", "/r/hosts-2"), ("/r/x.dmp.zip", "/r/x-2.dmp.zip"),
    ("/r/_bashrc", "/r/_bashrc-2"), ("/r/a.", "/r/a-2."),
  ])
  func numberedNames(path: String, expected: String) {
    #expect(ResultWriter.numbered(path, 2) == expected)
  }
}
