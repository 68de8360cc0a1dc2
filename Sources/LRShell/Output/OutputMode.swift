import ArgumentParser

/// How the session prints events: text for people, or one JSON object per line for programs.
public enum OutputMode: String, Sendable, CaseIterable, ExpressibleByArgument {
  case human
  case json
}
