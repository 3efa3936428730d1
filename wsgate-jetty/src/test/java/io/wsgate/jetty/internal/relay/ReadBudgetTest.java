package io.wsgate.jetty.internal.relay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

class ReadBudgetTest {

    /** A connection whose every frame is relayed at once, so that each read asks for the next on the same thread. */
    private static final class Greedy {
        final List<Runnable> pool = new ArrayList<>();
        final Executor executor = pool::add;
        final int frameBytes;
        int relayed;

        Greedy(int frameBytes) {
            this.frameBytes = frameBytes;
        }

        void read() {
            relayed++;
            ReadBudget.demand(this::read, executor, frameBytes);
        }
    }

    @Test
    void aTurnOfSmallFramesEndsAfterSixteenAndTheRestGoesOnFromThePool() {
        Greedy g = new Greedy(64);
        ReadBudget.turn(g::read, g.executor);
        assertThat(g.relayed).isEqualTo(ReadBudget.FRAMES_PER_TURN);
        assertThat(g.pool).hasSize(1);

        // the pool's task is a turn of its own, with a fresh budget
        g.pool.remove(0).run();
        assertThat(g.relayed).isEqualTo(2 * ReadBudget.FRAMES_PER_TURN);
        assertThat(g.pool).hasSize(1);
    }

    @Test
    void aTurnOfLargeFramesEndsOnceItHasRelayedAQuarterMebibyte() {
        Greedy g = new Greedy(100 * 1024);
        ReadBudget.turn(g::read, g.executor);
        // 100, 200, then 300 KiB relayed: past 256 KiB, the next frame waits for the pool
        assertThat(g.relayed).isEqualTo(3);
        assertThat(g.pool).hasSize(1);
    }

    @Test
    void aDeferredReadThePoolRefusesGoesOnHereRatherThanNever() {
        int[] relayed = {0};
        Executor refusing = task -> {
            throw new java.util.concurrent.RejectedExecutionException("stopping");
        };
        Runnable[] read = new Runnable[1];
        read[0] = () -> {
            // a connection that relays 200,000 small frames and then has nothing more
            if (++relayed[0] < 200_000) {
                ReadBudget.demand(read[0], refusing, 64);
            }
        };
        // one turn after another on this thread, never nested: 12,500 nested turns would overflow the stack
        ReadBudget.turn(read[0], refusing);
        assertThat(relayed[0]).isEqualTo(200_000);
    }

    @Test
    void aDemandOutsideAnyTurnStartsOne() {
        Greedy g = new Greedy(1024 * 1024);
        ReadBudget.demand(g::read, g.executor, 0);
        assertThat(g.relayed).isEqualTo(1);
        assertThat(g.pool).hasSize(1);
    }
}
