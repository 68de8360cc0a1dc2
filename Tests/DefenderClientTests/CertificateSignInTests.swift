import DefenderEmulator
import Foundation
import LRTestSupport
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
    let lab = try await EmulatorFixture.start(scenario, timeScale: 60)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-cert-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let fakeCertificate =
      "-----BEGIN CERTIFICATE-----\n\(Data("not a real certificate".utf8).base64EncodedString())\n-----END CERTIFICATE-----\n"
    func client(_ signing: _RSA.Signing.PrivateKey, file: String) throws -> DefenderAPI {
      let path = dir.appendingPathComponent(file).path
      try #require(
        FileManager.default.createFile(
          atPath: path, contents: Data((fakeCertificate + signing.pemRepresentation).utf8),
          attributes: [.posixPermissions: 0o600]))
      return try lab.client(
        lab.settings(client: "lr-cert", credential: .certificate(path: path)),
        retry: LabFixture.fastRetry)
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
    await lab.stop()
    try? FileManager.default.removeItem(at: dir)
  }
}
