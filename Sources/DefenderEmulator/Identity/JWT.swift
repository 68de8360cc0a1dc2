import Crypto
import Foundation
import LiveResponse
import _CryptoExtras

/// Base64url without padding, as JWTs use.
enum Base64URL {
  static func encode(_ bytes: some DataProtocol) -> String {
    Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  static func decode(_ text: some StringProtocol) -> Data? {
    var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while s.count % 4 != 0 { s.append("=") }
    return Data(base64Encoded: s)
  }
}

/// A decoded (not yet trusted) JWT.
struct DecodedJWT {
  var header: JSONValue
  var claims: JSONValue
  var signingInput: Data
  var signature: Data

  init?(_ token: String) {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3,
      let h = Base64URL.decode(parts[0]), let header = JSONValue.parse(h),
      let c = Base64URL.decode(parts[1]), let claims = JSONValue.parse(c),
      let sig = Base64URL.decode(parts[2])
    else { return nil }
    self.header = header
    self.claims = claims
    self.signingInput = Data((parts[0] + "." + parts[1]).utf8)
    self.signature = sig
  }

  /// A numeric claim.
  func number(_ name: String) -> Double? {
    switch claims[name] {
    case .number(let i): return Double(i)
    case .double(let d): return d
    default: return nil
    }
  }
}

/// Signs the emulator's access tokens (RS256) and publishes the key as a JWKS. The key is made on
/// first use (the first token or JWKS request), so starting an emulator does not wait for it.
final class TokenSigner: @unchecked Sendable {
  /// The RSA key and its id (`kid` / `x5t`).
  struct Key: Sendable {
    let privateKey: _RSA.Signing.PrivateKey
    let id: String
  }

  /// Guards `made`; held while the key is generated, so concurrent first callers share one key.
  private let lock = NSLock()
  private var made: Key?

  /// One key per process: RSA generation is slow and tests start many servers.
  static let shared = TokenSigner()

  /// Whether the key has been generated yet.
  var hasKey: Bool { lock.withLock { made != nil } }

  /// The key, generated (2048-bit RSA) on the first call.
  func key() throws -> Key {
    try lock.withLock {
      if let made { return made }
      let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
      let der = key.publicKey.derRepresentation
      let kid = Base64URL.encode(Array(SHA256.hash(data: der)).prefix(20))
      let fresh = Key(privateKey: key, id: kid)
      made = fresh
      return fresh
    }
  }

  func sign(claims: JSONValue) throws -> String {
    let key = try key()
    let keyId = key.id
    let header: JSONValue = .object([
      ("typ", .string("JWT")), ("alg", .string("RS256")), ("x5t", .string(keyId)),
      ("kid", .string(keyId)),
    ])
    let input = Base64URL.encode(header.encoded()) + "." + Base64URL.encode(claims.encoded())
    let signature = try key.privateKey.signature(
      for: Data(input.utf8), padding: .insecurePKCS1v1_5)
    return input + "." + Base64URL.encode(signature.rawRepresentation)
  }

  func verify(_ jwt: DecodedJWT) -> Bool {
    guard jwt.header["alg"]?.stringValue == "RS256", let key = try? key() else { return false }
    let signature = _RSA.Signing.RSASignature(rawRepresentation: jwt.signature)
    return key.privateKey.publicKey.isValidSignature(
      signature, for: jwt.signingInput, padding: .insecurePKCS1v1_5)
  }

  var jwks: JSONValue {
    let key = try? key()
    let keyId = key?.id ?? ""
    let primitives = try? key?.privateKey.publicKey.getKeyPrimitives()
    return .object([
      (
        "keys",
        .array([
          .object([
            ("kty", .string("RSA")), ("use", .string("sig")), ("kid", .string(keyId)),
            ("x5t", .string(keyId)),
            ("n", .string(Base64URL.encode(primitives?.modulus ?? Data()))),
            ("e", .string(Base64URL.encode(primitives?.publicExponent ?? Data()))),
            ("alg", .string("RS256")),
          ])
        ])
      )
    ])
  }
}

/// Verifies a client's certificate assertion against the key registered for the app.
enum ClientAssertion {
  /// Whether `jwt` is signed by the key in `pem` (a public key or, with X509, a certificate).
  static func verify(_ jwt: DecodedJWT, pem: String) -> Bool {
    let alg = jwt.header["alg"]?.stringValue ?? ""
    if let key = rsaKey(pem) {
      let signature = _RSA.Signing.RSASignature(rawRepresentation: jwt.signature)
      switch alg {
      case "RS256":
        return key.isValidSignature(signature, for: jwt.signingInput, padding: .insecurePKCS1v1_5)
      case "PS256":
        return key.isValidSignature(signature, for: jwt.signingInput, padding: .PSS)
      default: return false
      }
    }
    if alg == "ES256", let key = try? P256.Signing.PublicKey(pemRepresentation: pem),
      let signature = try? P256.Signing.ECDSASignature(rawRepresentation: jwt.signature)
    {
      return key.isValidSignature(signature, for: jwt.signingInput)
    }
    return false
  }

  private static func rsaKey(_ pem: String) -> _RSA.Signing.PublicKey? {
    if let key = try? _RSA.Signing.PublicKey(pemRepresentation: pem) { return key }
    if let der = CertificatePublicKey.rsaPublicKeyDER(fromCertificatePEM: pem) {
      return try? _RSA.Signing.PublicKey(derRepresentation: der)
    }
    return nil
  }
}
