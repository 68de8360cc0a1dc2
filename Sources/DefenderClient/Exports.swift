/// The service's vocabulary (statuses, commands, request bodies, tokens) is part of the client's API.
@_exported import LiveResponse
