import ArgumentParser
import DefenderClient
import Foundation

/// `lr library list|upload|delete|sync`.
struct LibraryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "library",
    abstract: "Manage the Live Response library (scripts and files).",
    subcommands: [List.self, Upload.self, Delete.self, Sync.self],
    defaultSubcommand: List.self)

  /// `lr library list`.
  struct List: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List library files.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
      try await ErrorReporting.run {
        let files = try await Connection.with(connection) { try await $0.api.libraryFiles() }
        switch connection.format {
        case .json: for file in files { try JSONLines.print(file) }
        case .human:
          let rows = files.map {
            [
              $0.fileName, String(($0.sha256 ?? "").prefix(16)),
              $0.hasParameters == true ? "yes" : "",
              $0.description ?? "",
            ]
          }
          Terminal.out(
            Table(headers: ["NAME", "SHA-256", "PARAMS", "DESCRIPTION"], rows: rows).render())
        }
      }
    }
  }

  /// `lr library upload FILE`.
  struct Upload: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "upload",
      abstract: "Upload a file to the library (metadata from options or FILE.json).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The file to upload.") var file: String
    @Option(help: "Name in the library (default: the file's name).") var name: String?
    @Option(help: "Description.") var description: String?
    @Option(help: "Description of the script's parameters (implies --has-parameters).")
    var parametersDescription: String?
    @Flag(help: "The script takes parameters.") var hasParameters = false
    @Flag(help: "Replace an existing file of the same name.") var force = false

    func run() async throws {
      try await ErrorReporting.run {
        let upload = try LibraryCommand.makeUpload(
          path: file, name: name, description: description,
          parametersDescription: parametersDescription, hasParameters: hasParameters ? true : nil,
          overrideIfExists: force)
        let saved = try await Connection.with(connection) {
          try await $0.api.uploadLibraryFile(upload)
        }
        switch connection.format {
        case .json: try JSONLines.print(saved)
        case .human:
          Terminal.line(
            "uploaded \(Terminal.sanitize(saved.fileName)) (\(upload.content.count) bytes, sha256 \(upload.sha256))"
          )
        }
      }
    }
  }

  /// `lr library delete NAME`.
  struct Delete: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "delete", abstract: "Delete a library file.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The library file name.") var name: String

    func run() async throws {
      try await ErrorReporting.run {
        try await Connection.with(connection) { try await $0.api.deleteLibraryFile(name) }
        switch connection.format {
        case .json: try JSONLines.print(["deleted": name])
        case .human: Terminal.line("deleted \(Terminal.sanitize(name))")
        }
      }
    }
  }

  /// `lr library sync DIR`.
  struct Sync: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Upload the files of DIR whose SHA-256 differs from the library's.",
      discussion: "FILE.json sidecars give description / hasParameters / parametersDescription.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The folder to sync.") var directory: String
    @Flag(help: "Show what would be uploaded without uploading.") var dryRun = false

    func run() async throws {
      try await ErrorReporting.run {
        let uploads = try LibraryCommand.scan(directory: directory)
        let results: [(String, String)] = try await Connection.with(connection) { connection in
          let existing = try await connection.api.libraryFiles()
          var byName: [String: LibraryFile] = [:]
          for file in existing { byName[file.fileName.lowercased()] = file }
          var results: [(String, String)] = []
          for upload in uploads {
            let current = byName[upload.fileName.lowercased()]
            if current?.sha256?.lowercased() == upload.sha256 {
              results.append((upload.fileName, "unchanged"))
              continue
            }
            let action = current == nil ? "added" : "updated"
            if !dryRun { _ = try await connection.api.uploadLibraryFile(upload) }
            results.append((upload.fileName, dryRun ? "would be \(action)" : action))
          }
          return results
        }
        switch connection.format {
        case .json:
          for (name, state) in results { try JSONLines.print(["file": name, "state": state]) }
        case .human:
          Terminal.out(
            Table(headers: ["FILE", "STATE"], rows: results.map { [$0.0, $0.1] }).render())
        }
      }
    }
  }

  /// Builds an upload from a file path, options and its sidecar.
  static func makeUpload(
    path: String, name: String?, description: String?, parametersDescription: String?,
    hasParameters: Bool?, overrideIfExists: Bool
  ) throws -> LibraryUpload {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      !isDirectory.boolValue
    else { throw DefenderClientError.invalidInput("\(path) is not a readable file") }
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    if let size = (attributes?[.size] as? NSNumber)?.intValue, size > LibraryUpload.maximumSize {
      throw DefenderClientError.invalidInput(
        "\(path) is \(size) bytes; the API accepts library files up to 20 MB")
    }
    guard let content = FileManager.default.contents(atPath: path) else {
      throw DefenderClientError.invalidInput("\(path) is not readable")
    }
    let sidecar = try LibrarySidecar.load(for: path)
    let upload = LibraryUpload(
      fileName: name ?? URL(fileURLWithPath: path).lastPathComponent, content: content,
      description: description ?? sidecar?.description,
      hasParameters: hasParameters
        ?? (parametersDescription != nil ? true : sidecar?.hasParameters),
      parametersDescription: parametersDescription ?? sidecar?.parametersDescription,
      overrideIfExists: overrideIfExists)
    try upload.validate()
    return upload
  }

  /// Every regular file of a folder except sidecars and hidden files, sorted by name.
  static func scan(directory: String) throws -> [LibraryUpload] {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
    else { throw DefenderClientError.invalidInput("\(directory) is not a folder") }
    let names = try manager.contentsOfDirectory(atPath: directory).sorted()
    let all = Set(names)
    var uploads: [LibraryUpload] = []
    for name in names where !name.hasPrefix(".") {
      if name.hasSuffix(".json"), all.contains(String(name.dropLast(5))) { continue }  // sidecar
      let path = directory + "/" + name
      var isDir: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
        continue
      }
      uploads.append(
        try makeUpload(
          path: path, name: nil, description: nil, parametersDescription: nil, hasParameters: nil,
          overrideIfExists: true))
    }
    return uploads
  }
}
