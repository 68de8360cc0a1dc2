import Crypto
import Foundation
import _CryptoExtras

/// A certificate credential: builds the signed JWT client assertion Entra ID accepts (RS256 with
/// the certificate's SHA-1 thumbprint in `x5t`).
struct ClientAssertion: Sendable {
  let privateKey: _RSA.Signing.PrivateKey
  let thumbprint: Data  // SHA-1 of the certificate DER

  /// Reads a PEM file holding a `CERTIFICATE` block and an RSA private key block.
  init(pemFile path: String) throws(DefenderClientError) {
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(data: data, encoding: .utf8)
    else {
      throw .configuration("certificate file \(path) is not readable")
    }
    try self.init(pem: text, source: path)
  }

  /// Parses PEM text.
  init(pem text: String, source: String) throws(DefenderClientError) {
    let blocks = Self.pemBlocks(text)
    guard let certificate = blocks.first(where: { $0.label == "CERTIFICATE" }) else {
      throw .configuration("\(source) holds no CERTIFICATE block")
    }
    guard
      let keyBlock = blocks.first(where: {
        $0.label == "PRIVATE KEY" || $0.label == "RSA PRIVATE KEY"
      })
    else {
      throw .configuration(
        "\(source) holds no unencrypted private key (PRIVATE KEY or RSA PRIVATE KEY block)")
    }
    do {
      privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: keyBlock.pem)
    } catch {
      throw .configuration("\(source): the private key cannot be read (\(error))")
    }
    thumbprint = Data(Insecure.SHA1.hash(data: certificate.der))
  }

  /// The base64url `x5t` header value.
  var x5t: String { Self.base64URL(thumbprint) }

  /// A signed assertion for `audience` (the token endpoint URL).
  func assertion(clientID: String, audience: String, now: Date = Date()) throws -> String {
    let header: [String: String] = ["alg": "RS256", "typ": "JWT", "x5t": x5t]
    let issued = Int(now.timeIntervalSince1970)
    let claims: [String: any Sendable] = [
      "aud": audience, "iss": clientID, "sub": clientID, "jti": UUID().uuidString,
      "nbf": issued, "iat": issued, "exp": issued + 600,
    ]
    let headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    let claimData = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
    let signingInput = Self.base64URL(headerData) + "." + Self.base64URL(claimData)
    let signature = try privateKey.signature(
      for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
    return signingInput + "." + Self.base64URL(signature.rawRepresentation)
  }

  static func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  struct PEMBlock {
    var label: String
    var pem: String
    var der: Data
  }

  static func pemBlocks(_ text: String) -> [PEMBlock] {
    var blocks: [PEMBlock] = []
    var label: String?
    var lines: [String] = []
    for rawLine in text.split(whereSeparator: \.isNewline) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
        label = String(line.dropFirst(11).dropLast(5))
        lines = []
      } else if line.hasPrefix("-----END "), let current = label {
        let body = lines.joined()
        if let der = Data(base64Encoded: body) {
          let pem =
            "-----BEGIN \(current)-----\n\(lines.joined(separator: "\n"))\n-----END \(current)-----\n"
          blocks.append(PEMBlock(label: current, pem: pem, der: der))
        }
        label = nil
      } else if label != nil {
        lines.append(line)
      }
    }
    return blocks
  }
}
