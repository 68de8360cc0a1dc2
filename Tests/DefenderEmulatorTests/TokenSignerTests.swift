import Foundation
import LiveResponse
import LRTestSupport
import Testing

@testable import DefenderEmulator

/// The token signing key waits for the first token: starting an emulator (and `lr --lab`'s first
/// prompt) does not pay for a 2048-bit RSA key generation.
@Suite struct TokenSignerTests {
  @Test func startingAServerDoesNotGenerateTheKey() async throws {
    let signer = TokenSigner()
    let server = try await EmulatorServer.start(
      scenario: try #require(Scenario.builtIn("demo")), signer: signer)
    #expect(!signer.hasKey)
    await server.stop()
  }

  @Test func theFirstTokenGeneratesOneKeyForConcurrentCallers() async throws {
    let signer = TokenSigner()
    #expect(!signer.hasKey)
    let ids = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<8 { group.addTask { try signer.key().id } }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }
    #expect(ids.count == 1)
    #expect(signer.hasKey)
    let token = try signer.sign(claims: .object([("sub", .string("x"))]))
    let jwt = try #require(DecodedJWT(token))
    #expect(signer.verify(jwt))
    #expect(jwt.header["kid"]?.stringValue == ids.first)
  }

  @Test func theSharedSignerIssuesWorkingTokens() async throws {
    try await withLab { lab in
      let token = try await lab.token(scope: lab.base + "/.default")
      #expect(try await lab.get("/api/machines", token: token).status == 200)
      #expect(TokenSigner.shared.hasKey)
    }
  }
}
