import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the channel (to drop connections when
/// fault injection asks for a reset).
struct EmulatorRequestContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  let channel: any Channel

  init(source: ApplicationRequestContextSource) {
    self.coreContext = .init(source: source)
    self.channel = source.channel
  }

  /// Library uploads may be up to 20 MB; leave room for multipart framing and over-limit tests.
  var maxUploadSize: Int { 64 * 1024 * 1024 }
}
