import ArgumentParser
import DefenderClient
import Foundation

/// `lr login`: device-code sign-in for an analyst; the refresh token is cached privately.
struct LoginCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "login",
    abstract: "Sign in as an analyst with a device code (refresh token cached, mode 0600).")

  @OptionGroup var connection: ConnectionOptions

  func run() async throws {
    try await ErrorReporting.run {
      let format = connection.format
      try await Connection.with(connection, deviceCode: true) { connection in
        try await connection.api.tokens.signInWithDeviceCode { prompt in
          Terminal.printError(Terminal.sanitize(prompt.message))
        }
        let store = RefreshTokenStore(settings: connection.api.settings)
        switch format {
        case .json:
          try JSONLines.print([
            "signedIn": "true", "tenant": connection.api.settings.tenantID, "cache": store.path,
          ])
        case .human:
          Terminal.line(
            "Signed in to tenant \(connection.api.settings.tenantID); sign-in cached in \(store.path)"
          )
        }
      }
    }
  }
}

/// `lr logout`: forget the cached device-code sign-in.
struct LogoutCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "logout", abstract: "Delete the cached device-code sign-in.")

  @OptionGroup var connection: ConnectionOptions

  func run() async throws {
    try await ErrorReporting.run {
      let environment = ProcessInfo.processInfo.environment
      var overrides = connection.overrides
      overrides.deviceCode = true
      let settings = try ConnectionSettings.resolve(
        file: try ConfigFile.load(environment: environment), environment: environment,
        overrides: overrides)
      let store = RefreshTokenStore(settings: settings)
      let removed = try store.remove()
      switch connection.format {
      case .json: try JSONLines.print(["signedOut": String(removed), "cache": store.path])
      case .human:
        Terminal.line(
          removed ? "Signed out (deleted \(store.path))" : "Not signed in (no \(store.path))")
      }
    }
  }
}
