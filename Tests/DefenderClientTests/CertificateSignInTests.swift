import DefenderEmulator
import Foundation
import Testing
import _CryptoExtras

@testable import DefenderClient

/// Certificate (signed client assertion) sign-in against the real emulator.
@Suite struct CertificateSignInTests {
  @Test func signedAssertionSignsInAndAWrongKeyIsRefused() async throws {
    let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    let other = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.apps.append(
      ScenarioApp(
        clientId: "lr-cert", clientSecret: nil, roles: ["Machine.Read.All"],
        certificatePEM: key.publicKey.pemRepresentation))
    let server = try await EmulatorServer.start(
      scenario: scenario, host: "127.0.0.1", port: 0, timeScale: 60, tls: false,
      libraryDirectory: nil)
    let base = server.baseURL.absoluteString.trimmingCharacters(
      in: CharacterSet(charactersIn: "/"))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-cert-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let fakeCertificate =
      "-----BEGIN CERTIFICATE-----\n\(Data("not a real certificate".utf8).base64EncodedString())\n-----END CERTIFICATE-----\n"
    func client(_ signing: _RSA.Signing.PrivateKey, file: String) throws -> DefenderAPI {
      let path = dir.appendingPathComponent(file).path
      FileManager.default.createFile(
        atPath: path, contents: Data((fakeCertificate + signing.pemRepresentation).utf8),
        attributes: [.posixPermissions: 0o600])
      return DefenderAPI(
        settings: ConnectionSettings(
          tenantID: "lab", clientID: "lr-cert", credential: .certificate(path: path),
          cloud: try Cloud.custom(apiBaseURL: base, authorityBaseURL: base)),
        clock: SystemRateClock(scale: 60), retry: LabFixture.fastRetry)
    }
    let good = try client(key, file: "good.pem")
    let bad = try client(other, file: "bad.pem")
    do {
      let machines = try await good.machines()
      #expect(machines.contains { $0.id == LabFixture.exampleMachine })
      let error = await #expect(throws: DefenderClientError.self) { try await bad.machines() }
      #expect(error?.kind == .signIn)
    } catch {
      Issue.record(error)
    }
    await good.shutdown()
    await bad.shutdown()
    await server.stop()
    try? FileManager.default.removeItem(at: dir)
  }
}
