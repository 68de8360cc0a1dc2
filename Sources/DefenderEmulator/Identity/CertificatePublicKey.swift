import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Extracts public keys from PEM certificates (for certificate-assertion sign-in).
enum CertificatePublicKey {
  /// The SubjectPublicKeyInfo DER of an RSA certificate, if `pem` is one.
  static func rsaPublicKeyDER(fromCertificatePEM pem: String) -> Data? {
    guard let certificate = try? Certificate(pemEncoded: pem),
      let key = _RSA.Signing.PublicKey(certificate.publicKey)
    else { return nil }
    return key.derRepresentation
  }
}
