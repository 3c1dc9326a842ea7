/// A number's decimal digits as it prints: the magnitude's digits and where the decimal point
/// falls among them (digits [1, 2, 5] with point 1 is 1.25; point may lie outside the digits).
/// TO_CHAR's formats and NUMBER(p, s)'s ties read a DOUBLE through these, so both round the
/// decimal a user sees rather than the binary value next to it.
struct DecimalDigits {
    var negative: Bool
    var digits: [UInt8]
    var point: Int

    /// The shortest digits that read back as `value` (Swift's `description`).
    init(_ value: Double) {
        let text = Array("\(abs(value))".utf8)
        var digits: [UInt8] = []
        var point: Int? = nil
        var exponent = 0
        var i = 0
        while i < text.count {
            let b = text[i]
            if b == UInt8(ascii: ".") { point = digits.count } else if b == UInt8(ascii: "e") {
                exponent = Int(String(decoding: text[(i + 1)...], as: UTF8.self)) ?? 0
                break
            } else { digits.append(b - UInt8(ascii: "0")) }
            i += 1
        }
        self.negative = value < 0
        self.digits = digits
        self.point = (point ?? digits.count) + exponent
    }

    init(_ value: Int64) {
        digits = Array("\(value.magnitude)".utf8).map { $0 - UInt8(ascii: "0") }
        negative = value < 0
        point = digits.count
    }

    /// The digit at `position` counted from the first digit (0 past either end).
    func digit(at position: Int) -> UInt8 {
        position >= 0 && position < digits.count ? digits[position] : 0
    }
}
