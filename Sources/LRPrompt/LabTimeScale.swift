/// How fast the lab's clock runs against real time (`LR_LAB_TIME_SCALE`).
public enum LabTimeScale {
  /// Lab seconds per real second unless `LR_LAB_TIME_SCALE` says otherwise: the seed example's
  /// 22 seconds take about 2.
  public static let defaultScale = 10.0

  /// The time scale `LR_LAB_TIME_SCALE` asks for (1 is real time), or the default.
  public static func scale(_ environment: [String: String]) -> Double {
    environment["LR_LAB_TIME_SCALE"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil }
      ?? defaultScale
  }

  /// `lab time ×10; LR_LAB_TIME_SCALE=1 for real time`, for banners.
  public static func note(_ environment: [String: String]) -> String {
    let scale = scale(environment)
    let shown = scale == scale.rounded() ? String(Int(scale)) : String(scale)
    return scale == 1
      ? "lab time is real time (LR_LAB_TIME_SCALE=1)"
      : "lab time ×\(shown); LR_LAB_TIME_SCALE=1 for real time"
  }
}
