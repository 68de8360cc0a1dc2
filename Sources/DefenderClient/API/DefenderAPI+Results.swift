import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Result links and result content: RunScript transcripts and streamed GetFile downloads.
extension DefenderAPI {
  /// The short-lived download link for command `index` of an action (valid 30 minutes).
  public func resultLink(actionID: String, index: Int) async throws -> String {
    let path =
      "/api/machineactions/" + DefenderHTTP.pathSegment(actionID)
      + "/GetLiveResponseResultDownloadLink(index=\(index))"
    let response = try await send(
      Call(method: .GET, path: path, endpoint: .resultLink, idempotent: true))
    return try decode(ODataValue<String>.self, from: response, what: "the result link").value
  }

  /// The RunScript transcript of command `index` (exit code, output, errors).
  public func scriptTranscript(actionID: String, index: Int) async throws -> ScriptTranscript {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lr-transcript-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = try await downloadResult(
      actionID: actionID, index: index, to: directory.appendingPathComponent("transcript.json").path
    )
    guard let data = FileManager.default.contents(atPath: file.path) else {
      throw DefenderClientError.resultUnavailable("the transcript could not be read back")
    }
    do { return try ScriptTranscript.decode(from: data) } catch {
      throw DefenderClientError.invalidResponse(
        "the RunScript result is not a transcript: \(error)")
    }
  }

  /// Saves a GetFile result under `root/run/machine/<path derived from the remote path>`.
  ///
  /// - Returns: the saved file with its size and SHA-256.
  public func saveFileResult(
    actionID: String, index: Int, remotePath: String, machine: String, run: String, root: String
  ) async throws -> DownloadedFile {
    let destination = try SafeResultPath.destination(
      root: root, run: run, machine: machine, remotePath: remotePath)
    try SafeResultPath.prepareParent(of: destination, root: root)
    return try await downloadResult(actionID: actionID, index: index, to: destination)
  }

  /// Streams command `index`'s result to `destination` (gunzipped when gzip, hashed, written to a
  /// temporary name then renamed).
  ///
  /// The link is fetched without the bearer header. An expired or refused link (4xx) is
  /// re-requested — never the whole action; resets and 5xx are retried with backoff.
  ///
  /// - Parameter initialLink: a link obtained earlier (it is renewed if it has expired).
  public func downloadResult(
    actionID: String, index: Int, to destination: String, initialLink: String? = nil
  ) async throws -> DownloadedFile {
    var link: String
    if let initialLink {
      link = initialLink
    } else {
      link = try await resultLink(actionID: actionID, index: index)
    }
    var attempt = 0
    var linkRenewals = 0
    let started = ContinuousClock.now
    while true {
      attempt += 1
      do {
        return try await streamLink(link, to: destination)
      } catch let error as LinkRefused {
        linkRenewals += 1
        guard linkRenewals <= 3 else {
          throw DefenderClientError.resultUnavailable(
            "the result link kept being refused (HTTP \(error.status)) after \(linkRenewals - 1) renewals"
          )
        }
        logger.debug(
          "result link refused; requesting a new one", metadata: ["status": "\(error.status)"])
        link = try await resultLink(actionID: actionID, index: index)
      } catch let error as DefenderClientError
        where error.kind == .transport || error.kind == .serviceUnavailable
      {
        try await retryOrThrow(
          error, .resultLink, attempt: attempt, since: started, cause: error.message)
      }
    }
  }

  struct LinkRefused: Error {
    var status: Int
  }

  /// Downloads one link into the destination (no Authorization header: it is a SAS link).
  func streamLink(_ link: String, to destination: String) async throws -> DownloadedFile {
    var request = HTTPClientRequest(url: link)
    request.method = .GET
    request.headers.add(name: "User-Agent", value: "lr/0.1 (DefenderClient)")
    let response: HTTPClientResponse
    do {
      response = try await http.execute(request, timeout: .hours(12))
    } catch {
      throw DefenderHTTP.mapTransport(error, url: link)
    }
    let status = Int(response.status.code)
    switch status {
    case 200..<300: break
    case 400..<500 where status != 429:
      _ = try? await response.body.collect(upTo: 64 * 1024)
      throw LinkRefused(status: status)
    default:
      _ = try? await response.body.collect(upTo: 64 * 1024)
      throw DefenderClientError(
        .serviceUnavailable, "result storage answered HTTP \(status)", httpStatus: status)
    }
    let expected = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
    let writer = try ResultWriter(destination: destination)
    do {
      for try await chunk in response.body {
        try writer.append(chunk)
      }
    } catch let error as DefenderClientError {
      writer.abandon()
      throw error
    } catch {
      writer.abandon()
      throw DefenderHTTP.mapTransport(error, url: link)
    }
    do {
      let file = try writer.finish()
      if let expected, expected != file.wireSize {
        try? FileManager.default.removeItem(atPath: file.path)
        throw DefenderClientError.transport(
          "the result download ended after \(file.wireSize) of \(expected) bytes")
      }
      return file
    } catch {
      writer.abandon()
      throw error
    }
  }
}
