import Foundation
import LRLanguage
import LRModules

/// How a ``LanguageServer`` behaves.
public struct LanguageServerOptions: Sendable {
  /// How long diagnostics wait for typing to pause. The first change after a quiet period is
  /// analysed at once; changes that follow within this delay are coalesced into one analysis when
  /// typing pauses for this long.
  public var debounce: Duration
  /// The stdlib folder, searched after the document's folder for `use` modules.
  public var stdlib: String?
  /// Names from the tenant or lab (machines, library scripts and files, tags) for completion.
  public var completionNames: (@Sendable () async -> CompletionNames)?
  /// How long fetched names are reused before the provider is asked again.
  public var completionNamesLifetime: Duration
  /// The version in `serverInfo`.
  public var version: String
  /// Where log lines go (standard error for `lr lsp`); nil logs nothing.
  public var log: (@Sendable (String) -> Void)?
  /// Whether diagnostics after an edit re-check only the statements it touched (the default);
  /// false checks the whole document every time (the baseline in `bench/lsp.sh`).
  public var incrementalDiagnostics = true

  /// Creates options.
  public init(
    debounce: Duration = .milliseconds(150), stdlib: String? = nil,
    completionNames: (@Sendable () async -> CompletionNames)? = nil,
    completionNamesLifetime: Duration = .seconds(300), version: String = "0.1.0",
    log: (@Sendable (String) -> Void)? = nil
  ) {
    self.debounce = debounce
    self.stdlib = stdlib
    self.completionNames = completionNames
    self.completionNamesLifetime = completionNamesLifetime
    self.version = version
    self.log = log
  }
}

/// The `lr` language server: a store of open documents and the dispatch of JSON-RPC messages.
///
/// ``handle(_:)`` takes one message body at a time, in order, and returns quickly: analysis runs in
/// detached tasks (cached per document revision), so a slow analysis never blocks the next
/// message. Answers and notifications go to `send` as JSON bodies (unframed), possibly out of order.
public actor LanguageServer {
  struct Document {
    var uri: String
    /// The absolute path of a `file://` document.
    var path: String?
    /// The ``SourceFile/name`` of the document (its path, or the URI).
    var name: String
    var version: Int?
    var text: DocumentText
    var revision: Int
    var analysis: Task<DocumentSnapshot, Never>?
    var analysisRevision = -1
    /// The diagnostics of `checkRevision`, updated incrementally from the previous ones.
    var check: Task<CheckedDocument, Never>?
    var checkRevision = -1
    var diagnosticsTask: Task<Void, Never>?
    var lastChange: ContinuousClock.Instant?
    /// Module paths the last published analysis read (a change to one re-analyses this document).
    var importedPaths: Set<String> = []
    /// Whether the last published analysis had a `use` it could not find.
    var missesModules = false
  }

  let options: LanguageServerOptions
  let send: @Sendable ([UInt8]) -> Void
  var documents: [String: Document] = [:]
  /// Increases with every change to any open document (modules may be open documents).
  var revision = 0
  var isInitialized = false
  var isShuttingDown = false
  var inFlight: [RequestID: Task<Void, Never>] = [:]
  var namesTask: Task<CompletionNames, Never>?
  var namesFetchedAt: ContinuousClock.Instant?

  /// The exit status once `exit` arrived (0 after `shutdown`, else 1); nil while serving.
  public private(set) var exitStatus: Int32?

  /// Creates a server that writes message bodies with `send`.
  public init(options: LanguageServerOptions = .init(), send: @escaping @Sendable ([UInt8]) -> Void)
  {
    self.options = options
    self.send = send
  }

  /// The status to exit with when the input ends without `exit`.
  public var statusAtEndOfInput: Int32 { exitStatus ?? (isShuttingDown ? 0 : 1) }

  // MARK: - Dispatch

  /// Handles one message body (the JSON text of a request, notification or response).
  public func handle(_ body: [UInt8]) {
    guard exitStatus == nil else { return }
    let data = Data(body)
    let envelope: IncomingEnvelope
    do {
      envelope = try JSONDecoder().decode(IncomingEnvelope.self, from: data)
    } catch DecodingError.dataCorrupted {
      replyError(nil, .parseError, "invalid JSON")
      return
    } catch {
      replyError(nil, .invalidRequest, "a message must be a JSON object")
      return
    }
    guard let method = envelope.method else {
      // A response: the server sends no requests, so there is nothing to match it with.
      if envelope.hasID && envelope.hasResultOrError { return }
      replyError(envelope.id, .invalidRequest, "a request needs a method")
      return
    }
    if envelope.hasID {
      guard let id = envelope.id else {
        replyError(nil, .invalidRequest, "a request id must be a number or a string")
        return
      }
      handleRequest(id: id, method: method, data: data)
    } else {
      handleNotification(method: method, data: data)
    }
  }

  /// Reports broken framing (the connection keeps reading after it).
  public func handleFramingError(_ message: String) {
    log("framing error: \(message)")
    replyError(nil, .parseError, message)
  }

  func handleRequest(id: RequestID, method: String, data: Data) {
    if method == InitializeRequest.method {
      guard let _ = decode(InitializeRequest.self, data, id: id) else { return }
      isInitialized = true
      reply(
        id,
        InitializeResult(
          capabilities: LanguageServer.capabilities,
          serverInfo: ServerInfo(name: "lr", version: options.version)))
      return
    }
    guard isInitialized else {
      replyError(id, .serverNotInitialized, "initialize first")
      return
    }
    guard !isShuttingDown else {
      replyError(id, .invalidRequest, "the server is shutting down")
      return
    }
    switch method {
    case ShutdownRequest.method:
      isShuttingDown = true
      for task in inFlight.values { task.cancel() }
      for document in documents.values { document.diagnosticsTask?.cancel() }
      reply(id, ShutdownRequest.Response.none)
    case CompletionRequest.method:
      serve(CompletionRequest.self, id: id, data: data) { request, snapshot, names in
        snapshot.completions(at: request.position, names: names)
      }
    case HoverRequest.method:
      serve(HoverRequest.self, id: id, data: data) { request, snapshot, _ in
        snapshot.hover(at: request.position)
      }
    case DefinitionRequest.method:
      serve(DefinitionRequest.self, id: id, data: data) { request, snapshot, _ in
        snapshot.definition(at: request.position)
      }
    case DocumentSymbolRequest.method:
      serve(DocumentSymbolRequest.self, id: id, data: data) { _, snapshot, _ in
        snapshot.documentSymbols()
      }
    case DocumentSemanticTokensRequest.method:
      serve(DocumentSemanticTokensRequest.self, id: id, data: data) { _, snapshot, _ in
        snapshot.semanticTokens()
      }
    case DocumentFormattingRequest.method:
      serve(DocumentFormattingRequest.self, id: id, data: data) { _, snapshot, _ in
        snapshot.formattingEdits()
      }
    case CodeActionRequest.method:
      serve(CodeActionRequest.self, id: id, data: data) { request, snapshot, _ in
        snapshot.codeActions(in: request.range)
      }
    default:
      replyError(id, .methodNotFound, "unknown method \(method)")
    }
  }

  func handleNotification(method: String, data: Data) {
    if method == ExitNotification.method {
      exitStatus = isShuttingDown ? 0 : 1
      for task in inFlight.values { task.cancel() }
      for document in documents.values { document.diagnosticsTask?.cancel() }
      return
    }
    guard isInitialized, !isShuttingDown else { return }
    switch method {
    case DidOpenTextDocumentNotification.method:
      guard let n = decode(DidOpenTextDocumentNotification.self, data, id: nil) else { return }
      didOpen(n)
    case DidChangeTextDocumentNotification.method:
      guard let n = decode(DidChangeTextDocumentNotification.self, data, id: nil) else { return }
      didChange(n)
    case DidCloseTextDocumentNotification.method:
      guard let n = decode(DidCloseTextDocumentNotification.self, data, id: nil) else { return }
      didClose(n)
    case CancelRequestNotification.method:
      guard let n = decode(CancelRequestNotification.self, data, id: nil) else { return }
      inFlight[n.id]?.cancel()
    default:
      break  // initialized, didSave, $/setTrace, … need nothing
    }
  }

  /// Decodes parameters; a request with bad parameters gets InvalidParams.
  func decode<P: Decodable>(_ type: P.Type, _ data: Data, id: RequestID?) -> P? {
    do {
      return try JSONDecoder().decode(ParamsEnvelope<P>.self, from: data).params
    } catch {
      if let id {
        replyError(id, .invalidParams, "invalid params: \(LanguageServer.describe(error))")
      } else {
        log("ignored a notification with invalid params: \(LanguageServer.describe(error))")
      }
      return nil
    }
  }

  static func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): "missing `\(key.stringValue)`"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      "wrong type at `\(context.codingPath.map(\.stringValue).joined(separator: "."))`"
    default: "\(error)"
    }
  }

  /// Answers a document request from the document's analysis, off the actor.
  func serve<R: TextDocumentRequest>(
    _ type: R.Type, id: RequestID, data: Data,
    _ body: @escaping @Sendable (R, DocumentSnapshot, CompletionNames) -> R.Response
  ) {
    guard let request = decode(R.self, data, id: id) else { return }
    guard let analysis = analysisTask(for: request.textDocument.uri) else {
      replyError(id, .invalidParams, "document not open: \(request.textDocument.uri)")
      return
    }
    let names = R.self == CompletionRequest.self ? completionNamesTask() : nil
    let task = Task.detached(priority: .userInitiated) {
      let snapshot = await analysis.value
      let names = await names?.value ?? CompletionNames()
      guard !Task.isCancelled else {
        self.finish(id, error: ResponseError(code: .requestCancelled, message: "cancelled"))
        return
      }
      let result = body(request, snapshot, names)
      self.finish(id, result: result)
    }
    inFlight[id] = task
  }

  nonisolated func finish<Result: Encodable>(_ id: RequestID, result: Result) {
    send(MessageCoding.json(ResponseMessage(id: id, result: result)))
    Task { await self.removeInFlight(id) }
  }

  nonisolated func finish(_ id: RequestID, error: ResponseError) {
    send(MessageCoding.json(ErrorResponseMessage(id: id, error: error)))
    Task { await self.removeInFlight(id) }
  }

  func removeInFlight(_ id: RequestID) { inFlight[id] = nil }

  /// Waits until every in-flight request has answered, or the timeout passes.
  func drainInFlight(timeout: Duration) async {
    let deadline = ContinuousClock.now + timeout
    while !inFlight.isEmpty, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(10))
    }
  }

  func reply<Result: Encodable>(_ id: RequestID, _ result: Result) {
    send(MessageCoding.json(ResponseMessage(id: id, result: result)))
  }

  func replyError(_ id: RequestID?, _ code: ErrorCode, _ message: String) {
    send(
      MessageCoding.json(
        ErrorResponseMessage(id: id, error: ResponseError(code: code, message: message))))
  }

  func notify<N: NotificationType>(_ notification: N) {
    send(MessageCoding.notification(notification))
  }

  func log(_ line: String) { options.log?(line) }

  // MARK: - Documents

  func didOpen(_ n: DidOpenTextDocumentNotification) {
    let uri = n.textDocument.uri
    documents[uri]?.diagnosticsTask?.cancel()
    let path = DocumentURI.path(of: uri)
    revision += 1
    documents[uri] = Document(
      uri: uri, path: path, name: path ?? uri, version: n.textDocument.version,
      text: DocumentText(n.textDocument.text), revision: revision)
    documentsChanged(except: uri)
    scheduleDiagnostics(uri, leadingEdge: true)
  }

  func didChange(_ n: DidChangeTextDocumentNotification) {
    let uri = n.textDocument.uri
    guard var document = documents[uri] else {
      log("didChange for a document that is not open: \(uri)")
      return
    }
    for change in n.contentChanges {
      document.text = document.text.applying(change)
    }
    revision += 1
    document.revision = revision
    document.version = n.textDocument.version ?? document.version
    documents[uri] = document
    documentsChanged(except: uri)
    scheduleDiagnostics(uri, leadingEdge: true)
  }

  func didClose(_ n: DidCloseTextDocumentNotification) {
    let uri = n.textDocument.uri
    guard let document = documents.removeValue(forKey: uri) else { return }
    document.diagnosticsTask?.cancel()
    revision += 1
    notify(PublishDiagnosticsNotification(uri: uri, version: nil, diagnostics: []))
    documentsChanged(except: uri)
  }

  /// Open documents that import the changed one (or miss a module): refresh their diagnostics
  /// after a pause.
  func documentsChanged(except uri: String) {
    let path = DocumentURI.path(of: uri)
    for (other, document) in documents where other != uri {
      guard document.missesModules || path.map({ document.importedPaths.contains($0) }) == true
      else { continue }
      documents[other]?.revision = revision
      scheduleDiagnostics(other, leadingEdge: false)
    }
  }

  /// What analysing a document needs besides its text: modules (open documents first), compiler
  /// options, and the open documents' URIs by path.
  func analysisInputs() -> (FileModules, Compiler.Options, [String: String]) {
    var open: [String: [UInt8]] = [:]
    for d in documents.values { if let path = d.path { open[path] = d.text.bytes } }
    let modules = FileModules(stdlib: options.stdlib, openDocuments: open, naming: .absolute)
    var compilerOptions = Compiler.Options()
    if let names = cachedNames {
      if !names.machines.isEmpty { compilerOptions.knownMachines = names.machines }
      if !names.scripts.isEmpty || !names.files.isEmpty {
        compilerOptions.knownLibraryFiles = names.scripts + names.files
      }
    }
    let uriToPath = documents.values.reduce(into: [String: String]()) { map, d in
      if let path = d.path { map[path] = d.uri }
    }
    return (modules, compilerOptions, uriToPath)
  }

  /// The analysis of a document's current revision (for requests), started if needed.
  func analysisTask(for uri: String) -> Task<DocumentSnapshot, Never>? {
    guard var document = documents[uri] else { return nil }
    if let task = document.analysis, document.analysisRevision == document.revision { return task }
    let (modules, options, uriToPath) = analysisInputs()
    let (name, text, version) = (document.name, document.text, document.version)
    let task = Task.detached(priority: .userInitiated) {
      let analysis = Analysis(
        source: SourceFile(name: name, bytes: text.bytes), modules: modules, options: options)
      return DocumentSnapshot(
        uri: uri, version: version, text: text, analysis: analysis, openURIs: uriToPath)
    }
    document.analysis = task
    document.analysisRevision = document.revision
    documents[uri] = document
    return task
  }

  /// The diagnostics of a document's current revision, brought up to date from the previous
  /// revision's by ``IncrementalDiagnostics`` (checks of one document run one after another).
  func checkTask(for uri: String) -> Task<CheckedDocument, Never>? {
    guard var document = documents[uri] else { return nil }
    if let task = document.check, document.checkRevision == document.revision { return task }
    let (modules, options, uriToPath) = analysisInputs()
    let (name, text, version) = (document.name, document.text, document.version)
    let previous = document.check
    let incremental = self.options.incrementalDiagnostics
    let task = Task.detached(priority: .userInitiated) {
      let start = ContinuousClock.now
      let source = SourceFile(name: name, bytes: text.bytes)
      var engine: IncrementalDiagnostics
      if let previous, incremental {
        engine = await previous.value.engine
        engine.update(to: source, modules: modules, options: options)
      } else {
        engine = IncrementalDiagnostics(source: source, modules: modules, options: options)
      }
      let converter = DiagnosticConverter(
        uri: uri, name: name, text: text, sources: engine.sources,
        moduleUses: engine.moduleReferences, openURIs: uriToPath)
      return CheckedDocument(
        engine: engine, version: version,
        diagnostics: engine.diagnostics.compactMap { converter.convert($0) },
        duration: ContinuousClock.now - start)
    }
    document.check = task
    document.checkRevision = document.revision
    documents[uri] = document
    return task
  }

  // MARK: - Diagnostics

  /// Publishes diagnostics for a document: at once after a quiet period (with `leadingEdge`),
  /// otherwise when changes pause for the debounce delay.
  func scheduleDiagnostics(_ uri: String, leadingEdge: Bool) {
    guard var document = documents[uri] else { return }
    let now = ContinuousClock.now
    let quiet = document.lastChange.map { now - $0 >= options.debounce } ?? true
    if leadingEdge { document.lastChange = now }
    document.diagnosticsTask?.cancel()
    let delay = leadingEdge && quiet ? Duration.zero : trailingDelay
    let revision = document.revision
    document.diagnosticsTask = Task {
      if delay > .zero {
        do { try await Task.sleep(for: delay) } catch { return }
      }
      await self.publishDiagnostics(uri, revision: revision)
    }
    documents[uri] = document
  }

  /// How long the last check took.
  var lastCheckDuration: Duration?

  /// How long diagnostics wait for typing to pause: twice as long as a check takes (at least
  /// 20 ms), so fast checks publish soon after the last keystroke, and at most the debounce.
  var trailingDelay: Duration {
    guard let last = lastCheckDuration else { return options.debounce }
    return min(options.debounce, max(.milliseconds(20), last * 2))
  }

  func publishDiagnostics(_ uri: String, revision: Int) async {
    guard documents[uri]?.revision == revision, let task = checkTask(for: uri) else { return }
    let checked = await task.value
    lastCheckDuration = checked.duration
    guard !Task.isCancelled, documents[uri]?.revision == revision, !isShuttingDown else { return }
    documents[uri]?.importedPaths = Set(checked.engine.sources.keys)
    documents[uri]?.missesModules = checked.engine.diagnostics.contains {
      $0.id == "moduleNotFound"
    }
    notify(
      PublishDiagnosticsNotification(
        uri: uri, version: checked.version, diagnostics: checked.diagnostics))
  }

  // MARK: - Names from the tenant

  var cachedNames: CompletionNames?

  func completionNamesTask() -> Task<CompletionNames, Never>? {
    guard let provider = options.completionNames else { return nil }
    if let task = namesTask, let at = namesFetchedAt,
      ContinuousClock.now - at < options.completionNamesLifetime
    {
      return task
    }
    let task = Task {
      let names = await provider()
      self.storeNames(names)
      return names
    }
    namesTask = task
    namesFetchedAt = .now
    return task
  }

  func storeNames(_ names: CompletionNames) { cachedNames = names }

  // MARK: - Capabilities

  /// The semantic token legend: the analysis's token kinds, and one modifier (`declaration`).
  public static let legend = SemanticTokensLegend(
    tokenTypes: SemanticToken.Kind.allCases.map(\.rawValue), tokenModifiers: ["declaration"])

  /// What the server offers.
  public static let capabilities = ServerCapabilities(
    positionEncoding: "utf-16",
    textDocumentSync: TextDocumentSyncOptions(openClose: true, change: 2),
    completionProvider: CompletionOptions(
      triggerCharacters: ["$", "{", ".", "\""], resolveProvider: false),
    hoverProvider: true, definitionProvider: true, documentSymbolProvider: true,
    documentFormattingProvider: true,
    codeActionProvider: CodeActionOptions(codeActionKinds: ["quickfix"]),
    semanticTokensProvider: SemanticTokensOptions(legend: legend, full: true, range: false))
}
