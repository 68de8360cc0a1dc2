import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A freshly generated lab CA and a server certificate it signed (for `--tls`).
struct TLSMaterial {
  /// The CA certificate, PEM.
  var caPEM: String
  /// The server certificate, DER.
  var serverCertificateDER: [UInt8]
  /// The server private key, PEM (PKCS#8).
  var serverKeyPEM: String

  /// Generates a CA and a server certificate valid for `host`, `localhost` and 127.0.0.1.
  static func generate(host: String) throws -> TLSMaterial {
    let now = Date()
    let caKey = P256.Signing.PrivateKey()
    let caPublic = Certificate.PublicKey(caKey.publicKey)
    let caName = try DistinguishedName {
      OrganizationName("lr lab")
      CommonName("lr emulator lab CA")
    }
    let caSKI = SubjectKeyIdentifier(hash: caPublic)
    let ca = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: caPublic,
      notValidBefore: now.addingTimeInterval(-3600),
      notValidAfter: now.addingTimeInterval(30 * 86_400),
      issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
        Critical(KeyUsage(keyCertSign: true, cRLSign: true))
        caSKI
      },
      issuerPrivateKey: .init(caKey))

    let serverKey = P256.Signing.PrivateKey()
    let serverPublic = Certificate.PublicKey(serverKey.publicKey)
    let serverName = try DistinguishedName { CommonName(host) }
    var names: [GeneralName] = [.dnsName("localhost")]
    names.append(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])))
    if let address = ipv4Bytes(host) {
      if address != [127, 0, 0, 1] {
        names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(address))))
      }
    } else if host != "localhost" {
      names.append(.dnsName(host))
    }
    let server = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: serverPublic,
      notValidBefore: now.addingTimeInterval(-3600),
      notValidAfter: now.addingTimeInterval(30 * 86_400),
      issuer: caName, subject: serverName, signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        Critical(KeyUsage(digitalSignature: true))
        try ExtendedKeyUsage([.serverAuth])
        SubjectAlternativeNames(names)
        SubjectKeyIdentifier(hash: serverPublic)
        AuthorityKeyIdentifier(keyIdentifier: caSKI.keyIdentifier)
      },
      issuerPrivateKey: .init(caKey))
    var serializer = DER.Serializer()
    try serializer.serialize(server)
    return TLSMaterial(
      caPEM: try ca.serializeAsPEM().pemString, serverCertificateDER: serializer.serializedBytes,
      serverKeyPEM: serverKey.pemRepresentation)
  }

  private static func ipv4Bytes(_ host: String) -> [UInt8]? {
    let parts = host.split(separator: ".").compactMap { UInt8($0) }
    return parts.count == 4 && host.split(separator: ".").count == 4 ? parts : nil
  }

  /// A NIOSSL server configuration serving the generated certificate.
  func serverConfiguration() throws -> TLSConfiguration {
    TLSConfiguration.makeServerConfiguration(
      certificateChain: [
        .certificate(try NIOSSLCertificate(bytes: serverCertificateDER, format: .der))
      ],
      privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)))
  }
}
