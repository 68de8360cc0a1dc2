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
    let body = try await request.bodyBytes(limit: 64 * 1024 * 1024)
    guard let form = MultipartForm(contentType: contentType, body: body) else {
      throw EmulatorError.invalidRequestBody("Request body must be multipart/form-data")
    }
    guard let file = form.part("File") else { throw EmulatorError.missingParameter("File") }
    let fileName = URL(fileURLWithPath: file.fileName ?? "").lastPathComponent
    guard LibraryEntry.isValidName(fileName) else {
      throw EmulatorError.invalidInput(
        "file name '\(fileName)': only letters, digits, '-', '_' and '.' are allowed")
    }
    let limit = await state.limits.libraryMaxBytes
    guard file.body.count <= limit else {
      throw EmulatorError.badRequest(
        "File size \(file.body.count) bytes exceeds the limit of \(limit / 1_048_576) MB")
    }
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
}
