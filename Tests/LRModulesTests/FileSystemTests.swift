import Foundation
import LRSystem
import Testing

/// `LRSystem.FileSystem`: the Foundation-free paths and file reads the `lr` launcher, `lr check`
/// and module lookup use agree with Foundation's.
@Suite struct FileSystemTests {
  @Test func standardizeMatchesFoundation() {
    let cwd = FileManager.default.currentDirectoryPath
    for path in [
      "/a/b/../c", "/a/./b//c/", "/../x", "/", "//", "a/b", "./a", "../a", "/a/b/..", "/a/..b/.c",
      "/tmp/lr-test/ä ö/x.lr",
    ] {
      let foundation = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: cwd))
        .standardizedFileURL.path
      #expect(FileSystem.standardize(path) == foundation, "\(path)")
    }
  }

  @Test func parentLastComponentAndJoin() {
    #expect(FileSystem.parent("/a/b/c") == "/a/b")
    #expect(FileSystem.parent("/a") == "/")
    #expect(FileSystem.parent("/") == "/")
    #expect(FileSystem.parent("/a/b/") == "/a")
    #expect(FileSystem.parent("name") == ".")
    #expect(FileSystem.lastComponent("/a/b.lr") == "b.lr")
    #expect(FileSystem.lastComponent("/a/b/") == "b")
    #expect(FileSystem.join("/a", "b") == "/a/b")
    #expect(FileSystem.join("/a/", "b") == "/a/b")
  }

  @Test func readsFilesOfEverySizeAndFolders() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-fs-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for size in [0, 1, 16_383, 16_384, 16_385, 300_000] {
      let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
      let file = dir.appendingPathComponent("f\(size)")
      try Data(bytes).write(to: file)
      #expect(FileSystem.contents(file.path) == bytes, "\(size) bytes")
    }
    #expect(FileSystem.contents(dir.appendingPathComponent("missing").path) == nil)
    #expect(FileSystem.isDirectory(dir.path) && !FileSystem.isDirectory(dir.path + "/f1"))
    #expect(FileSystem.exists(dir.path + "/f1") && !FileSystem.exists(dir.path + "/nope"))
    #expect(Set(FileSystem.names(in: dir.path)).count == 6)
    #expect(FileSystem.names(in: dir.path + "/nope").isEmpty)
  }

  /// A pipe (standard input for `lr check -`) is read to its end, past one chunk.
  @Test func readsAPipeToItsEnd() throws {
    let pipe = Pipe()
    let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }
    let writer = Thread {
      try? pipe.fileHandleForWriting.write(contentsOf: Data(bytes))
      try? pipe.fileHandleForWriting.close()
    }
    writer.start()
    #expect(FileSystem.readAll(pipe.fileHandleForReading.fileDescriptor) == bytes)
  }
}
