import Foundation

/// A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, a free loopback
/// port, run as the `postgres` account when the tests run as root, stopped when the process exits.
///
/// One cluster serves a whole test process (``shared()``); each test takes its own database
/// (``makeDatabase()``), so tests never see each other's rows. Fault tests stop, kill and restart
/// the server on the same port and folder. Binaries come from `LR_PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin`, else `PATH`.
public final class PostgresServer: @unchecked Sendable {
  /// The superuser every database belongs to (a lab default, not a secret).
  public static let user = "lr"
  /// The superuser's password (a lab default, not a secret).
  public static let password = "lr-lab-password"

  /// The loopback port the server listens on.
  public let port: Int
  /// The folder holding the cluster (`data/`), its socket and its log.
  public let folder: URL
  private let binaries: URL
  /// Commits are flushed to the operating system before they are acknowledged
  /// (`synchronous_commit=on`), so a `kill -9` of the server loses no committed transaction.
  public let durable: Bool
  private let lock = NSLock()
  private var process: Process?

  private static let sharedLock = NSLock()
  /// Guards ``started`` (apart from ``sharedLock``, which is held while the shared server starts).
  private static let registryLock = NSLock()
  nonisolated(unsafe) private static var sharedServer: PostgresServer?
  nonisolated(unsafe) private static var started: [PostgresServer] = []

  /// The cluster of this test process, created and started on first use.
  public static func shared() throws -> PostgresServer {
    sharedLock.lock()
    defer { sharedLock.unlock() }
    if let sharedServer { return sharedServer }
    let server = try PostgresServer()
    try server.start()
    sharedServer = server
    return server
  }

  /// Creates and initialises a new cluster (not started); `durable` for kill -9 tests (without
  /// it, the last commits acknowledged before a crash may be lost, as PostgreSQL documents for
  /// `synchronous_commit=off`).
  public init(durable: Bool = false) throws {
    self.durable = durable
    binaries = try Self.findBinaries()
    Self.stopOrphans()
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("lr-pg-\(getpid())-\(UUID().uuidString.prefix(8))")
    let (fd, freePort) = try LoopbackSocket.listen()
    close(fd)
    port = freePort
    try initialise()
  }

  /// A URL for `database` as the superuser (or another user and password).
  public func url(
    database: String, user: String = PostgresServer.user, password: String = PostgresServer.password
  ) -> String {
    "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)"
  }

  /// The URL of `database` reached through `proxy` (a ``TCPProxy`` in front of this server), for
  /// tests that cut or silence the connection.
  public func url(database: String, through proxy: TCPProxy) -> String {
    "postgres://\(Self.user):\(Self.password)@127.0.0.1:\(proxy.port)/\(database)"
  }

  /// Creates a fresh, empty database and returns its URL.
  public func makeDatabase() throws -> String {
    let name =
      "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    try sql("CREATE DATABASE \(name)")
    return url(database: name)
  }

  /// Runs SQL with `psql` as the superuser (set-up and checks; fails on any error).
  @discardableResult
  public func sql(_ statement: String, database: String = "postgres") throws -> String {
    let result = try tool(
      "psql",
      [
        "-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user, "-d", database, "-v",
        "ON_ERROR_STOP=1",
        "-tAX", "-c", statement,
      ],
      environment: ["PGPASSWORD": Self.password])
    guard result.status == 0 else {
      throw FixtureError("psql failed (\(result.status)): \(result.output)")
    }
    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Starts the server and waits until it accepts connections.
  public func start() throws {
    lock.lock()
    defer { lock.unlock() }
    guard process == nil else { return }
    let server = Process()
    server.executableURL = runAs.executable
    server.arguments =
      runAs.prefix + [
        binaries.appendingPathComponent("postgres").path, "-D", data.path, "-p", "\(port)",
        "-k", folder.path, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300",
        "-c", "fsync=off", "-c", "synchronous_commit=\(durable ? "on" : "off")",
        "-c", "full_page_writes=off",
      ]
    let log = folder.appendingPathComponent("server.log")
    // Kept across restarts: a restarted server appends to the log of the one before.
    if !FileManager.default.fileExists(atPath: log.path) {
      _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    }
    let handle = try FileHandle(forWritingTo: log)
    try handle.seekToEnd()
    server.standardOutput = handle
    server.standardError = handle
    try server.run()
    process = server
    Self.register(self)
    try waitUntilReady()
  }

  /// Stops the server (a fast shutdown: sessions are cut, committed work is kept).
  public func stop() {
    signalServer(SIGINT)
  }

  /// Kills the server outright (`kill -9` of the postmaster), as a crash would.
  public func kill9() {
    signalServer(SIGKILL)
    // The postmaster's children notice their parent's death; give them a moment to go.
    Thread.sleep(forTimeInterval: 0.5)
    try? FileManager.default.removeItem(at: data.appendingPathComponent("postmaster.pid"))
  }

  /// Stops and starts the server on the same port and folder.
  public func restart() throws {
    stop()
    try start()
  }

  /// The server's log so far (for test failure messages).
  public var log: String {
    (try? String(contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
  }

  private var data: URL { folder.appendingPathComponent("data") }

  private func signalServer(_ signal: Int32) {
    lock.lock()
    let server = process
    process = nil
    lock.unlock()
    guard let server, server.isRunning else { return }
    kill(server.processIdentifier, signal)
    server.waitUntilExit()
  }

  private func waitUntilReady() throws {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let ready = try tool("pg_isready", ["-h", "127.0.0.1", "-p", "\(port)", "-q"])
      if ready.status == 0 { return }
      if process?.isRunning == false { break }
      Thread.sleep(forTimeInterval: 0.1)
    }
    throw FixtureError("PostgreSQL did not start on port \(port):\n\(log)")
  }
}

extension PostgresServer {
  /// How to run the server's programs: as `postgres` through `setpriv` when root (initdb and
  /// postgres refuse to run as root), else directly.
  fileprivate var runAs: (executable: URL, prefix: [String]) {
    guard getuid() == 0 else { return (URL(fileURLWithPath: "/usr/bin/env"), []) }
    return (
      URL(fileURLWithPath: "/usr/bin/setpriv"),
      ["--reuid=postgres", "--regid=postgres", "--init-groups", "--reset-env"]
    )
  }

  /// Creates the folder and the cluster, owned by the account that runs the server.
  fileprivate func initialise() throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("\(getpid())".utf8).write(to: folder.appendingPathComponent("owner.pid"))
    let passwordFile = folder.appendingPathComponent("pwfile")
    try Data(Self.password.utf8).write(to: passwordFile)
    if getuid() == 0 {
      let chown = try tool("chown", ["-R", "postgres:postgres", folder.path], asServer: false)
      guard chown.status == 0 else { throw FixtureError("chown failed: \(chown.output)") }
    }
    let result = try tool(
      "initdb",
      [
        "-D", data.path, "-U", Self.user, "--pwfile=\(passwordFile.path)", "-A", "scram-sha-256",
        "-E", "UTF8", "--no-sync", "--locale=C",
      ])
    guard result.status == 0 else { throw FixtureError("initdb failed: \(result.output)") }
  }

  /// Runs one of the server's tools (or a system tool) to completion.
  fileprivate func tool(
    _ name: String, _ arguments: [String], environment: [String: String] = [:],
    asServer: Bool = true
  ) throws -> (status: Int32, output: String) {
    let process = Process()
    let binary = binaries.appendingPathComponent(name)
    let path = FileManager.default.isExecutableFile(atPath: binary.path) ? binary.path : name
    if asServer {
      process.executableURL = runAs.executable
      let env = environment.map { "\($0.key)=\($0.value)" }
      process.arguments = runAs.prefix + ["/usr/bin/env"] + env + [path] + arguments
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [path] + arguments
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = try pipe.fileHandleForReading.readToEnd() ?? Data()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }

  fileprivate static func findBinaries() throws -> URL {
    if let override = ProcessInfo.processInfo.environment["LR_PG_BIN"] {
      return URL(fileURLWithPath: override)
    }
    let root = URL(fileURLWithPath: "/usr/lib/postgresql")
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    let newest = versions.compactMap(Int.init).max()
    if let newest {
      let bin = root.appendingPathComponent("\(newest)/bin")
      if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) {
        return bin
      }
    }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
      let bin = URL(fileURLWithPath: String(dir))
      if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) {
        return bin
      }
    }
    throw FixtureError(
      "PostgreSQL's initdb was not found (install Debian's postgresql, or set LR_PG_BIN)")
  }

  /// Remembers a started server so that it is stopped when the test process exits.
  fileprivate static func register(_ server: PostgresServer) {
    registryLock.lock()
    defer { registryLock.unlock() }
    if started.isEmpty { atexit { PostgresServer.stopAll() } }
    if !started.contains(where: { $0 === server }) { started.append(server) }
  }

  fileprivate static func stopAll() {
    for server in started {
      server.stop()
      try? FileManager.default.removeItem(at: server.folder)
    }
  }

  /// Stops clusters left behind by test processes that were killed (their owner is gone).
  fileprivate static func stopOrphans() {
    let tmp = FileManager.default.temporaryDirectory
    let names = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
    for name in names where name.hasPrefix("lr-pg-") {
      let folder = tmp.appendingPathComponent(name)
      guard
        let owner = try? String(
          contentsOf: folder.appendingPathComponent("owner.pid"), encoding: .utf8),
        let pid = Int32(owner.trimmingCharacters(in: .whitespacesAndNewlines)),
        kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      let pidFile = folder.appendingPathComponent("data/postmaster.pid")
      if let text = try? String(contentsOf: pidFile, encoding: .utf8),
        let line = text.split(separator: "\n").first, let server = Int32(line)
      {
        kill(server, SIGQUIT)
      }
      try? FileManager.default.removeItem(at: folder)
    }
  }
}
