// What a scalar function is to the engine: one registry entry (see `FunctionRegistry`) with
// its name and aliases, its overloads (parameter and result types, each with a batch
// kernel), how it treats NULLs, whether it is volatile and whether it can fail on a row.
// The binder picks an overload once, casting the arguments to its parameter types; the
// evaluator then runs that overload's kernel over whole batches. Modelled on DuckDB's
// `ScalarFunctionSet` and DataFusion's `ScalarUDFImpl`.

import Columnar

/// A batch kernel: the arguments' columns (flat, of the overload's parameter types) in, one
/// column of the result type out.
package typealias ScalarKernel = @Sendable (_ input: KernelInput) throws(SQLError) -> ColumnData

/// The arguments a kernel runs over.
package struct KernelInput {
    /// One flat column per argument, each of its parameter's type.
    package let arguments: [ColumnData]
    package let count: Int
    /// The result type the binder resolved.
    package let type: LogicalType
    /// For functions whose result is NULL where an argument is NULL: the rows where every
    /// argument is present (nil when all are). The kernel may compute anything on the other
    /// rows (they come out NULL) but must not fail on them.
    package let present: ValidityBitmap?

    /// Whether row `i` has a NULL argument (and so a NULL result, for propagating functions).
    @inline(__always)
    package func skips(_ i: Int) -> Bool { present.map { !$0.isValid(i) } ?? false }
}

/// A parameter's type in an overload.
package enum ParameterType: Sendable, CustomStringConvertible {
    /// This type; an argument of another type is cast to it when the cast is implicit
    /// (see `ImplicitCasts`).
    case type(LogicalType)
    /// Any type, passed as it is.
    case any
    /// Every `.common` parameter of a call takes the common type of their arguments
    /// (COALESCE, GREATEST, the branches of IFF).
    case common
    /// Like `.common`, the arguments must have a common type, but they are passed in their
    /// own types (NULLIF compares in the common type and returns its first argument as is).
    case comparable

    package var description: String {
        switch self {
        case .type(let t): "\(t)"
        case .any: "ANY"
        case .common, .comparable: "T"
        }
    }
}

/// How an overload's result type follows from its arguments.
package enum ReturnType: Sendable {
    case type(LogicalType)
    /// The common type of the `.common` (or `.comparable`) parameters.
    case common
    /// The (resolved) type of parameter `i`.
    case parameter(Int)
}

/// One overload: parameter types, result type, kernel.
package struct FunctionSignature: Sendable {
    package var parameters: [ParameterType]
    /// Parameters after the first `parameters.count - optional` may be left out.
    package var optional: Int
    /// When set, the last parameter repeats: the call takes `parameters.count - 1` or more.
    package var variadic: Bool
    package var returns: ReturnType
    package var kernel: ScalarKernel

    package init(_ parameters: [ParameterType], optional: Int = 0, variadic: Bool = false, returns: ReturnType,
                kernel: @escaping ScalarKernel) {
        self.parameters = parameters
        self.optional = optional
        self.variadic = variadic
        self.returns = returns
        self.kernel = kernel
    }

    /// The argument counts the overload takes.
    var arity: ClosedRange<Int> {
        let required = parameters.count - optional - (variadic ? 1 : 0)
        return required...(variadic ? 64 : parameters.count)
    }

    /// The parameter argument `i` binds to.
    func parameter(_ i: Int) -> ParameterType { parameters[min(i, parameters.count - 1)] }
}

/// A scalar function: one entry of the registry.
package final class ScalarFunction: Sendable {
    package enum NullHandling: Sendable {
        /// A NULL argument makes the result NULL; the kernel's other NULLs add to those.
        case propagates
        /// The kernel reads the arguments' validity and decides (COALESCE, CONCAT_WS).
        case kernel
    }

    package enum Volatility: Sendable {
        /// Same arguments, same result: calls on constants fold when binding.
        case immutable
        /// One value per statement, read when it runs (CURRENT_TIMESTAMP): never folded into
        /// a plan (see `QueryEngine.fixingStatementTime`).
        case stable
        /// A new value per row (UUID_STRING, a SAMPLE's random key): a plan read twice must be
        /// read once and buffered (`Binder.readOnceIfVolatile`).
        case volatile
    }

    /// Lowercase name as SQL writes it.
    package let name: String
    package let aliases: [String]
    package let signatures: [FunctionSignature]
    package let nulls: NullHandling
    package let volatility: Volatility
    /// Whether a row can raise an error (a conversion, an overflow, a bad pattern). Calls that
    /// cannot run eagerly over whole batches inside CASE branches and AND / OR.
    package let canFail: Bool
    /// Checks of constant arguments made when binding (a DATE_PART part, say), so that a
    /// mistake is reported before any row is read.
    package let check: (@Sendable (_ arguments: [BoundExpr], _ positions: [Int]) throws(SQLError) -> Void)?
    /// A rewrite of the bound call into other expressions, or nil to keep the call (IFF with
    /// a branch that can fail becomes CASE, whose branches run only on their own rows).
    package let rewrite: (@Sendable (_ arguments: [BoundExpr], _ type: LogicalType) -> BoundExpr?)?

    package init(_ name: String, aliases: [String] = [], nulls: NullHandling = .propagates,
                volatility: Volatility = .immutable, canFail: Bool = false, _ signatures: [FunctionSignature],
                check: (@Sendable (_ arguments: [BoundExpr], _ positions: [Int]) throws(SQLError) -> Void)? = nil,
                rewrite: (@Sendable (_ arguments: [BoundExpr], _ type: LogicalType) -> BoundExpr?)? = nil) {
        self.name = name
        self.aliases = aliases
        self.signatures = signatures
        self.nulls = nulls
        self.volatility = volatility
        self.canFail = canFail
        self.check = check
        self.rewrite = rewrite
    }

    /// The overloads as SQL would write them, for error messages.
    var signatureList: String {
        signatures.map { s in
            var params = s.parameters.map(\.description)
            if s.variadic { params[params.count - 1] += ", ..." }
            let required = s.parameters.count - s.optional
            for i in required..<s.parameters.count where !s.variadic { params[i] = "[\(params[i])]" }
            return "\(name.uppercased())(\(params.joined(separator: ", ")))"
        }.joined(separator: ", ")
    }
}

/// A call bound to one overload.
package struct FunctionCall: Sendable, CustomStringConvertible {
    package let function: ScalarFunction
    /// Index of the overload in `function.signatures`.
    package let signature: Int

    package var name: String { function.name }
    package var kernel: ScalarKernel { function.signatures[signature].kernel }
    package var description: String { function.name }
}
