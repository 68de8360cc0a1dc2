import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import DefenderClient

@Suite struct ClientAssertionTests {
  @Test func assertionIsASignedJWTWithTheThumbprint() throws {
    let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    let fakeDER = Data((0..<64).map { UInt8($0) })
    let pem =
      "-----BEGIN CERTIFICATE-----\n\(fakeDER.base64EncodedString())\n-----END CERTIFICATE-----\n"
      + key.pemRepresentation
    let assertion = try ClientAssertion(pem: pem, source: "test.pem")
    let jwt = try assertion.assertion(
      clientID: "lr-lab", audience: "http://x/lab/oauth2/v2.0/token")
    let parts = jwt.split(separator: ".").map(String.init)
    #expect(parts.count == 3)
    func decode(_ part: String) throws -> Data {
      var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(
        of: "_", with: "/")
      while text.count % 4 != 0 { text += "=" }
      return try #require(Data(base64Encoded: text))
    }
    let header = try JSONSerialization.jsonObject(with: decode(parts[0])) as? [String: String]
    #expect(header?["alg"] == "RS256")
    #expect(header?["x5t"] == ClientAssertion.base64URL(Data(Insecure.SHA1.hash(data: fakeDER))))
    let claims = try JSONSerialization.jsonObject(with: decode(parts[1])) as? [String: Any]
    #expect(claims?["iss"] as? String == "lr-lab")
    #expect(claims?["aud"] as? String == "http://x/lab/oauth2/v2.0/token")
    let signature = _RSA.Signing.RSASignature(rawRepresentation: try decode(parts[2]))
    #expect(
      key.publicKey.isValidSignature(
        signature, for: Data((parts[0] + "." + parts[1]).utf8), padding: .insecurePKCS1v1_5))
  }

  @Test func missingBlocksAreNamed() {
    let error = #expect(throws: DefenderClientError.self) {
      try ClientAssertion(pem: "nothing here", source: "x.pem")
    }
    #expect(error?.message.contains("CERTIFICATE") == true)
  }
}
