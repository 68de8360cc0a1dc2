import Foundation
import HTTPTypes
import Hummingbird

extension EmulatorService {
  /// `POST /api/libraryfiles` (multipart: `File`, `Description`, `ParametersDescription`,
  /// `HasParameters`, `OverrideIfExists`).
  func uploadLibraryFile(_ request: inout Request, caller: Caller, base: String) async throws
    -> Response
  {
    let contentType = request.headers[.contentType] ?? ""
    let limit = limits.libraryMaxBytes
    let tooLarge = EmulatorError.badRequest(
      "File size exceeds the limit of \(Self.megabytes(limit)) MB")
    let body: [UInt8]
    do {
      let (cap, overflow) = limit.addingReportingOverflow(Self.multipartAllowance)
      body = try await request.bodyBytes(limit: overflow ? Int.max : cap)
    } catch is BodyTooLarge {
      throw tooLarge
    }
    guard let form = MultipartForm(contentType: contentType, body: body) else {
      throw EmulatorError.invalidRequestBody("Request body must be multipart/form-data")
    }
    guard let file = form.part("File") else { throw EmulatorError.missingParameter("File") }
    let fileName = try Self.libraryFileName(file.fileName)
    guard file.body.count <= limit else { throw tooLarge }
    func bool(_ name: String) throws(EmulatorError) -> Bool {
      guard let text = form.text(name)?.trimmingCharacters(in: .whitespacesAndNewlines),
        !text.isEmpty
      else { return false }
      switch text.lowercased() {
      case "true": return true
      case "false": return false
      default: throw EmulatorError.invalidInput("\(name): '\(text)' is not a boolean")
      }
    }
    let entity = try await state.upload(
      fileName: fileName, content: file.body, description: form.text("Description"),
      hasParameters: try bool("HasParameters"),
      parametersDescription: form.text("ParametersDescription"),
      override: try bool("OverrideIfExists"), createdBy: caller.name)
    return .json(entity.withContext(base + "/api/$metadata#LibraryFiles/$entity"))
  }

  /// Room for multipart framing and the other form fields beyond the file's own size limit.
  static let multipartAllowance = 1_048_576

  /// `bytes` in MB for messages (`20` for 20 MiB, `0.5` for 512 KiB).
  static func megabytes(_ bytes: Int) -> String {
    let mb = Double(bytes) / 1_048_576
    return mb == mb.rounded() ? String(Int(mb)) : String(format: "%.2g", mb)
  }

  /// The library name a `File` part's `filename` gives, taken as it is: a name with a path
  /// (`../x.ps1`, `C:\x.ps1`), `.`, `..` or no filename at all is refused (`400 InvalidInput`),
  /// never reduced to its last component.
  static func libraryFileName(_ raw: String?) throws(EmulatorError) -> String {
    guard let raw, !raw.isEmpty else {
      throw .invalidInput("file name: the File part has no filename")
    }
    guard LibraryEntry.isValidName(raw) else {
      throw .invalidInput(
        "file name '\(raw)': only letters, digits, '-', '_' and '.' are allowed, and not '.' or '..' alone"
      )
    }
    return raw
  }
}
