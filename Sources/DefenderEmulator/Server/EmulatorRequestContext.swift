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
}
