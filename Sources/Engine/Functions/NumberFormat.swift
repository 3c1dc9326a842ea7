// Numeric format models as Snowflake's TO_CHAR reads them (Oracle's): '9' a digit whose
// leading zeros print as blanks, '0' a digit always printed, '.' or 'D' the decimal point,
// ',' or 'G' a group separator (printed only after a digit), '$' before the first digit,
// 'S' an explicit sign at either end, 'MI' a trailing minus, 'FM' no blank padding. Without
// S or MI one leading position holds '-' or a blank. A value with more integer digits than
// the format has prints as '#' across the format's width. Values are rounded half away from
// zero in decimal, from the shortest digits that read back as the double.

struct NumberFormat: Sendable {
    private enum Slot: Equatable { case digit(zero: Bool), group }
    private enum Sign { case implicit, leading, trailing, trailingMinus }

    private var integer: [Slot] = []
    private var fraction: [Bool] = []  // '0' slots are true
    private var point = false
    private var dollar = false
    private var fillMode = false
    private var sign = Sign.implicit
    let text: String

    init(_ format: String) throws(SQLError) {
        text = format
        let s = Array(format.uppercased().utf8)
        var i = 0
        func bad(_ what: String) -> SQLError {
            SQLError(.runtime, "number format '\(format)' \(what) (elements: 9 0 . D , G $ S MI FM)", reason: .invalidText)
        }
        while i < s.count {
            let c = Unicode.Scalar(s[i])
            switch c {
            case "F" where i + 1 < s.count && s[i + 1] == UInt8(ascii: "M"): fillMode = true; i += 2; continue
            case "M" where i + 1 < s.count && s[i + 1] == UInt8(ascii: "I"):
                guard i + 2 == s.count, sign == .implicit else { throw bad("has MI somewhere other than at its end") }
                sign = .trailingMinus; i += 2; continue
            case "9", "0":
                if point { fraction.append(c == "0") } else { integer.append(.digit(zero: c == "0")) }
            case ".", "D":
                guard !point else { throw bad("has two decimal points") }
                point = true
            case ",", "G":
                guard !point else { throw bad("has a group separator after the decimal point") }
                integer.append(.group)
            case "$": dollar = true
            case "S":
                guard sign == .implicit else { throw bad("has two signs") }
                sign = i == 0 || (i == 2 && fillMode) ? .leading : i == s.count - 1 ? .trailing : .implicit
                guard sign != .implicit else { throw bad("has S somewhere other than at either end") }
            default:
                throw bad("has an unknown element '\(c)'")
            }
            i += 1
        }
        guard integer.contains(where: { $0 != .group }) || !fraction.isEmpty else { throw bad("has no digit positions") }
    }

    func print(_ value: Double, to out: inout TextBuilder) {
        guard value.isFinite else { out.append(value.isNaN ? "NaN" : value < 0 ? "-Inf" : "Inf"); return }
        print(DecimalDigits(value), to: &out)
    }

    func print(_ value: Int64, to out: inout TextBuilder) { print(DecimalDigits(value), to: &out) }

    private func print(_ number: DecimalDigits, to out: inout TextBuilder) {
        // Integer and fraction digits, rounded half away from zero at the fraction's length.
        var whole: [UInt8] = number.point > 0 ? (0..<number.point).map { number.digit(at: $0) } : []
        var part: [UInt8] = (0..<fraction.count).map { number.digit(at: number.point + $0) }
        let next = number.point + fraction.count
        if next >= 0, number.digit(at: next) >= 5 {
            var carry = true
            for k in stride(from: part.count - 1, through: 0, by: -1) where carry {
                part[k] += 1
                carry = part[k] == 10
                if carry { part[k] = 0 }
            }
            for k in stride(from: whole.count - 1, through: 0, by: -1) where carry {
                whole[k] += 1
                carry = whole[k] == 10
                if carry { whole[k] = 0 }
            }
            if carry { whole.insert(1, at: 0) }
        }
        while whole.first == 0 { whole.removeFirst() }
        let negative = number.negative && (!whole.isEmpty || part.contains { $0 != 0 })
        let slots = integer.filter { $0 != .group }.count
        // The text a successful print has, in order: padding, sign, $, integer, point, fraction, sign.
        var body: [UInt8] = []
        if whole.count > slots {
            let width = integer.count + fraction.count + (point ? 1 : 0) + (dollar ? 1 : 0) + (sign == .trailingMinus ? 2 : 1)
            out.append(String(repeating: "#", count: width))
            return
        }
        var padding = 0
        var started = false
        let k = slots - whole.count  // digit slots before the value's first digit
        var slot = 0
        let onlyBlanks = !integer.contains(.digit(zero: true)) && whole.isEmpty && fraction.isEmpty
        for s in integer {
            switch s {
            case .group:
                if started { body.append(UInt8(ascii: ",")) } else { padding += 1 }
            case .digit(let zero):
                if slot < k {
                    if zero || started || (onlyBlanks && slot == slots - 1) { body.append(UInt8(ascii: "0")); started = true } else { padding += 1 }
                } else {
                    body.append(UInt8(ascii: "0") + whole[slot - k])
                    started = true
                }
                slot += 1
            }
        }
        if point { body.append(UInt8(ascii: ".")) }
        for d in part { body.append(UInt8(ascii: "0") + d) }
        if !fillMode { out.append(String(repeating: " ", count: padding)) }
        switch sign {
        case .implicit: if negative { out.append(UInt8(ascii: "-")) } else if !fillMode { out.append(UInt8(ascii: " ")) }
        case .leading: out.append(UInt8(ascii: negative ? "-" : "+"))
        case .trailing, .trailingMinus: break
        }
        if dollar { out.append(UInt8(ascii: "$")) }
        body.withUnsafeBytes { out.append($0) }
        switch sign {
        case .trailing: out.append(UInt8(ascii: negative ? "-" : "+"))
        case .trailingMinus: if negative { out.append(UInt8(ascii: "-")) } else if !fillMode { out.append(UInt8(ascii: " ")) }
        case .implicit, .leading: break
        }
    }
}
