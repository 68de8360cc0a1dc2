import DefenderClient
import Foundation
import Testing

/// Settings and state read the home folder one way: `$HOME`, else (unset or empty) the
/// account's home; an empty `HOME` never makes paths relative to `/`.
@Suite struct HomeFolderTests {
  @Test func homeComesFromTheEnvironment() {
    #expect(HomeFolder.path(environment: ["HOME": "/tmp/h"]) == "/tmp/h")
    #expect(ConfigFile.configDirectory(environment: ["HOME": "/tmp/h"]) == "/tmp/h/.config/lr")
  }

  @Test func anEmptyOrUnsetHomeIsTheAccountsHome() {
    #expect(HomeFolder.path(environment: [:]) == NSHomeDirectory())
    #expect(HomeFolder.path(environment: ["HOME": ""]) == NSHomeDirectory())
    #expect(
      ConfigFile.configDirectory(environment: ["HOME": ""]) == NSHomeDirectory() + "/.config/lr")
  }
}
