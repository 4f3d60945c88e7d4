package org.datasandbox.dp.aggregation;

/**
 * The state of an aggregation that spends its budget once: entries are accepted while it is open, and
 * the first result closes it; a second result (which would spend again, or let noise be averaged away)
 * is refused with the reason.
 */
final class SingleUse {
    enum State {
        OPEN,
        RESULT_RETURNED
    }

    private State state = State.OPEN;

    void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the result was already returned: a DP aggregation takes no entries after its"
                    + " release; build a new one");
        }
    }

    void release() {
        if (state != State.OPEN) {
            throw new IllegalStateException("result() was already called: a DP aggregation spends its budget once and"
                    + " returns one result");
        }
        state = State.RESULT_RETURNED;
    }

    State state() {
        return state;
    }
}
