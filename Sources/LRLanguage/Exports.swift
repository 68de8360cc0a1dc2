/// The service's vocabulary (command types, JSON, globs) is part of the language's API.
@_exported import LiveResponse
