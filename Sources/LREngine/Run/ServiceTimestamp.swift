/// The service's entity timestamps (`2021-02-04T15:36:52.7788848Z`, ISO 8601 in UTC) as seconds
/// since 1970, parsed without a formatter: the poll schedule reads several per action and poll.
enum ServiceTimestamp {
  /// Seconds since 1970 for `text`, or nil when it is not a UTC ISO 8601 date and time.
  static func seconds(_ text: String?) -> Double? {
    guard let text else { return nil }
    let bytes = Array(text.utf8)
    guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
      bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
      bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
    else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for i in range {
        let digit = Int(bytes[i]) - 48
        guard (0...9).contains(digit) else { return nil }
        value = value * 10 + digit
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    var fraction = 0.0
    var scale = 0.1
    var i = 19
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      while i < bytes.count, let digit = Optional(Int(bytes[i]) - 48), (0...9).contains(digit) {
        fraction += Double(digit) * scale
        scale /= 10
        i += 1
      }
    }
    let rest = bytes[i...]
    guard rest.isEmpty || Array(rest) == Array("Z".utf8) || Array(rest) == Array("+00:00".utf8)
    else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    return Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + fraction
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
