package io.wsgate.jetty.internal.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * How many frames, and how many bytes, a thread relays in one turn before it lets others have theirs.
 *
 * <p>Relayed frames are read on the thread that learns they can be: a selector thread (see
 * {@link RelayConnection}), or the thread that completed the previous frame's write. A connection
 * keeps reading for as long as the next frame is asked for before the current read ends, which the
 * relay does whenever the other side's write completes at once. A peer that sends
 * faster than the gateway relays would so keep one thread, and on a selector every other connection
 * it serves, to itself. A turn is one such run of reads on one thread: after
 * {@link #FRAMES_PER_TURN} frames or {@link #BYTES_PER_TURN} bytes (large frames cost a selector more:
 * on TLS each is decrypted and encrypted again there), the next demand is not made there but handed to the pool once
 * the turn is over, so the read loop ends, the selector goes back to its other connections, and
 * the busy connection carries on from a pool thread (in turns of its own).
 *
 * <p>A turn is per thread: turns nest (a read that completes a write that resumes another
 * connection's reads), each with its own budget. Nothing here allocates on the common path (only a
 * demand past the budget does).
 */
final class ReadBudget {

    /** Frames one turn relays before the next demand is handed to the pool (as Netty reads 16 messages per turn). */
    static final int FRAMES_PER_TURN = 16;

    /** Payload bytes one turn relays before the next demand is handed to the pool (a turn may pass it by one frame). */
    static final int BYTES_PER_TURN = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ReadBudget.class);
    private static final ThreadLocal<Turn> TURN = ThreadLocal.withInitial(Turn::new);

    private ReadBudget() {
    }

    /** This thread's turn; its fields are saved and restored around a nested turn. */
    private static final class Turn {
        boolean active;
        int left;
        long bytesLeft;
        /** Demands past the budget, each to run as a turn of its own; null while there are none. */
        List<Runnable> deferred;
    }

    /**
     * Runs one turn: {@code read} reads and relays frames; each demand past the budget made during it is
     * handed to {@code pool} when it returns, as a turn of its own.
     *
     * @param read what reads (a connection's fillable callback, or a demand)
     * @param pool where demands past the budget go
     */
    static void turn(Runnable read, Executor pool) {
        Deque<Runnable> refused = handOff(runTurn(read), pool, null);
        // a pool stopping or full: the reads go on here rather than never (a connection would stop reading
        // until its idle timeout), one turn after another, never nested
        while (refused != null && !refused.isEmpty()) {
            refused = handOff(runTurn(refused.poll()), pool, refused);
        }
    }

    /** Runs {@code read} as a turn on this thread; returns the demands it deferred, or null. */
    private static List<Runnable> runTurn(Runnable read) {
        Turn t = TURN.get();
        boolean outerActive = t.active;
        int outerLeft = t.left;
        long outerBytesLeft = t.bytesLeft;
        List<Runnable> outerDeferred = t.deferred;
        t.active = true;
        t.left = FRAMES_PER_TURN;
        t.bytesLeft = BYTES_PER_TURN;
        t.deferred = null;
        try {
            read.run();
            return t.deferred;
        } finally {
            t.active = outerActive;
            t.left = outerLeft;
            t.bytesLeft = outerBytesLeft;
            t.deferred = outerDeferred;
        }
    }

    /** Hands each deferred demand to the pool as a turn; returns those it refused (added to {@code refused}). */
    private static Deque<Runnable> handOff(List<Runnable> deferred, Executor pool, Deque<Runnable> refused) {
        if (deferred == null) {
            return refused;
        }
        for (Runnable demand : deferred) {
            try {
                pool.execute(() -> turn(demand, pool));
            } catch (RejectedExecutionException e) {
                LOG.debug("a deferred read was refused by the pool; it runs on this thread", e);
                if (refused == null) {
                    refused = new ArrayDeque<>();
                }
                refused.add(demand);
            }
        }
        return refused;
    }

    /**
     * Asks for a side's next frame: at once while this thread's turn has budget left, after the turn
     * (from the pool) once it has none, and as a turn of its own when this thread is in none.
     *
     * @param demand  makes the demand
     * @param pool    where a demand past the budget goes
     * @param relayed the payload bytes of the frame relayed before this demand (0 for none)
     */
    static void demand(Runnable demand, Executor pool, int relayed) {
        Turn t = TURN.get();
        if (!t.active) {
            turn(demand, pool);
        } else if (--t.left > 0 && (t.bytesLeft -= relayed) > 0) {
            demand.run();
        } else {
            // from the pool, the demand starts a turn of its own there
            if (t.deferred == null) {
                t.deferred = new ArrayList<>(2);
            }
            t.deferred.add(demand);
        }
    }
}
