import CLRBuildInfo

/// The version `lr --version` prints, with the commit it was built from.
public enum LRVersion {
  /// The release number.
  public static let number = "0.1.0"
  /// The git commit compiled in by `make dist` / `make install`; empty in a plain `swift build`.
  public static let commit = String(cString: lr_build_commit())
  /// `0.1.0 (commit abc1234)`, or `0.1.0 (development build)` when no commit was compiled in.
  public static let current =
    number + (commit.isEmpty ? " (development build)" : " (commit \(commit))")
}
