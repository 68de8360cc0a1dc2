import LRSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny process that gives the terminal its mode back when lr-core ends before taking over the
/// prompt the `lr` launcher drew (a shared library missing, a signal, a crash in its first
/// moments), since nothing of lr-core's own runs then.
///
/// The launcher forks it (twice: it is no child of the process that becomes lr-core, which keeps
/// lr's id, signals and exit status) and joins it to lr-core by a socket pair whose descriptor
/// number is in `LR_PROMPT_GUARD`. lr-core sends one byte once its echo is back
/// (``InstantPrompt/Drawn/takeOver()``), and the guardian exits. When the socket closes without
/// that byte, lr-core is gone: the guardian restores the terminal's mode as it was before the
/// launcher turned echo off, and, while lr's process group still owns the terminal, discards the
/// keys typed for lr (never echoed, they are not the shell's) and clears the drawn prompt's line
/// (on a line of its own after an error that ended with a newline, that clears nothing). Then it
/// exits: it never outlives lr-core by more than that.
public struct PromptGuardian: Sendable {
  /// The variable that gives lr-core the descriptor of its end of the socket pair.
  public static let variable = "LR_PROMPT_GUARD"

  /// lr-core's end of the socket pair.
  let descriptor: Int32
  /// The socket's inode, so a descriptor number reused after ``dismiss()`` is never written to.
  let inode: UInt64

  /// In the launcher: starts the guardian of the terminal mode `mode` and exports its descriptor
  /// (left open across `execv`); nil when it cannot be started.
  static func start(restoring mode: termios) -> PromptGuardian? {
    var ends: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, streamType, 0, &ends) == 0 else { return nil }
    let child = fork()
    if child == 0 {
      close(ends[1])
      if fork() == 0 { watch(ends[0], restoring: mode) }
      _exit(0)
    }
    close(ends[0])
    var status: Int32 = 0
    while child > 0, waitpid(child, &status, 0) < 0, errno == EINTR {}
    guard child > 0, let guardian = PromptGuardian(descriptor: ends[1]) else {
      close(ends[1])
      return nil
    }
    setenv(variable, String(ends[1]), 1)
    return guardian
  }

  /// In lr-core: the guardian the launcher started, if any. The variable is removed and the
  /// descriptor closed on exec, so nothing lr-core starts inherits either.
  static func inherited() -> PromptGuardian? {
    let value = getenv(variable).flatMap { Int32(String(cString: $0)) }
    unsetenv(variable)
    guard let value, value > STDERR_FILENO, let guardian = PromptGuardian(descriptor: value) else {
      return nil
    }
    _ = fcntl(value, F_SETFD, FD_CLOEXEC)
    return guardian
  }

  /// The guardian at the socket `descriptor`, or nil when it is no socket.
  private init?(descriptor: Int32) {
    guard let inode = Self.socketInode(descriptor) else { return nil }
    self.descriptor = descriptor
    self.inode = inode
    #if canImport(Darwin)
    // No MSG_NOSIGNAL: a byte sent after the guardian died must not raise SIGPIPE either.
    var on: Int32 = 1
    _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
    #endif
  }

  /// Tells the guardian the terminal has its echo back (it exits) and closes the descriptor; once.
  func dismiss() {
    guard Self.socketInode(descriptor) == inode else { return }
    var byte = UInt8(ascii: "t")
    _ = send(descriptor, &byte, 1, Self.noSignal)
    close(descriptor)
  }

  /// The inode of the socket at `descriptor`, or nil when it is closed or no socket.
  private static func socketInode(_ descriptor: Int32) -> UInt64? {
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return nil }
    return UInt64(info.st_ino)
  }

  /// The guardian's life: waits for lr-core's byte or the socket's end, restores on the end, exits.
  private static func watch(_ socket: Int32, restoring mode: termios) -> Never {
    // Outlives a Ctrl-C, a hang-up or a job-control signal meant for lr, and may set the mode
    // from a background process group.
    for number in [SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU] {
      signal(number, SIG_IGN)
    }
    var byte: UInt8 = 0
    var count = 0
    repeat { count = recv(socket, &byte, 1, 0) } while count < 0 && errno == EINTR
    if count <= 0 { restore(mode) }
    _exit(0)
  }

  /// Sets the terminal's mode back to `mode`; while lr's process group still owns the terminal,
  /// also discards the keys typed for lr and clears the drawn prompt's line.
  private static func restore(_ mode: termios) {
    var mode = mode
    _ = tcsetattr(STDIN_FILENO, TCSANOW, &mode)
    guard tcgetpgrp(STDOUT_FILENO) == getpgrp() else { return }
    _ = tcflush(STDIN_FILENO, TCIFLUSH)
    StandardStreams.write("\r\u{1B}[K", to: STDOUT_FILENO)
  }

  #if canImport(Glibc)
  private static let streamType = Int32(SOCK_STREAM.rawValue)
  private static let noSignal = Int32(MSG_NOSIGNAL)
  #else
  private static let streamType = SOCK_STREAM
  private static let noSignal: Int32 = 0
  #endif
}
