// A statement nested deeper than the running thread's stack can recurse through stops with an
// error here. The parser already bounds nesting (`Parser.maxDepth`); this catches what that
// bound cannot know: how much stack the thread running the statement was given.

import CSupport

/// Checks the stack before a recursive step over a statement's trees.
enum StackGuard {
    /// Room kept free: a frame of the binder or evaluator takes a few kilobytes, and an error
    /// must still be raised and reported from here.
    static let reserve = 256 * 1024

    @inline(__always)
    static func check() throws(SQLError) {
        if moviecol_stack_remaining() < reserve {
            throw SQLError(.unsupported, "statement is nested too deeply for this thread's stack; simplify the expression or split it into CTEs")
        }
    }
}
