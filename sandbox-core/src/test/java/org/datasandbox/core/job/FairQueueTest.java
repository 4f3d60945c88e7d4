package org.datasandbox.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.config.JobLimits;
import org.junit.jupiter.api.Test;

class FairQueueTest {
    /** A job: its developer and its place among that developer's submissions. */
    private record Item(String developer, int index) {
    }

    private static FairQueue<Item> queue(int perDeveloper, int running) {
        return new FairQueue<>(new JobLimits(2, 10_000, perDeveloper, running), Item::developer);
    }

    @Test
    void poll_greedyDeveloperWith80JobsQueuedFirst_anotherDevelopersJobIsTheSecondDispatch() {
        FairQueue<Item> queue = queue(100, 1);
        for (int i = 0; i < 80; i++) {
            queue.add(new Item("greedy", i));
        }
        queue.add(new Item("other", 0));
        Item first = queue.poll();
        queue.done(first);
        assertThat(first.developer()).isEqualTo("greedy");
        assertThat(queue.poll()).isEqualTo(new Item("other", 0));
    }

    /**
     * The round-robin bound as an oracle, on generated submissions: with D developers waiting, a
     * developer's i-th job (from 0) is dispatched within the first (i + 1) * D dispatches, and each
     * developer's jobs leave in the order they came.
     */
    @Test
    void poll_generatedBacklogs_everyJobWithinItsRoundRobinBound() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int developers = 1 + random.nextInt(6);
            FairQueue<Item> queue = queue(200, 1 + random.nextInt(2));
            Map<String, Integer> submitted = new HashMap<>();
            int total = 1 + random.nextInt(120);
            for (int j = 0; j < total; j++) {
                String developer = "d" + random.nextInt(developers);
                int index = submitted.merge(developer, 1, Integer::sum) - 1;
                queue.add(new Item(developer, index));
            }
            int waiting = submitted.size();
            Map<String, Integer> next = new HashMap<>();
            for (int dispatch = 1; dispatch <= total; dispatch++) {
                Item item = queue.poll();
                assertThat(item).as("dispatch %d of %d", dispatch, total).isNotNull();
                assertThat(item.index()).isEqualTo(next.getOrDefault(item.developer(), 0));
                next.put(item.developer(), item.index() + 1);
                assertThat(dispatch).as("%s", item).isLessThanOrEqualTo((item.index() + 1) * waiting);
                queue.done(item);
            }
            assertThat(queue.poll()).isNull();
        }
    }

    @Test
    void poll_developerAtTheRunningLimit_isSkippedUntilDone() {
        FairQueue<Item> queue = queue(10, 1);
        queue.add(new Item("a", 0));
        queue.add(new Item("a", 1));
        Item running = queue.poll();
        assertThat(queue.poll()).isNull();
        queue.done(running);
        assertThat(queue.poll()).isEqualTo(new Item("a", 1));
    }

    @Test
    void add_beyondTheDeveloperLimit_isRefusedNamingTheLimitWhileOthersStillQueue() {
        FairQueue<Item> queue = queue(3, 1);
        for (int i = 0; i < 3; i++) {
            queue.add(new Item("greedy", i));
        }
        assertThatThrownBy(() -> queue.add(new Item("greedy", 3)))
                .isInstanceOfSatisfying(SandboxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_JOBS);
                    assertThat(e.code().category()).isEqualTo(ErrorCode.Category.RESOURCE_EXHAUSTED);
                    assertThat(e.details()).containsEntry("limit", "maxQueuedPerDeveloper").containsEntry("value", "3");
                });
        queue.add(new Item("other", 0));
        assertThat(queue.queued()).isEqualTo(4);
    }

    @Test
    void add_beyondTheSandboxLimit_isBusyNamingTheLimit() {
        FairQueue<Item> queue = new FairQueue<>(new JobLimits(1, 2, 2, 1), Item::developer);
        queue.add(new Item("a", 0));
        queue.add(new Item("b", 0));
        assertThatThrownBy(() -> queue.add(new Item("c", 0))).isInstanceOfSatisfying(SandboxException.class,
                e -> assertThat(e.details()).containsEntry("limit", "maxQueued"));
    }

    @Test
    void remove_waitingJob_leavesTheQueueAndNeverDispatches() {
        FairQueue<Item> queue = queue(10, 2);
        Item kept = new Item("a", 0);
        Item removed = new Item("a", 1);
        queue.add(kept);
        queue.add(removed);
        assertThat(queue.remove(removed)).isTrue();
        assertThat(queue.remove(removed)).isFalse();
        List<Item> out = new ArrayList<>();
        for (Item item = queue.poll(); item != null; item = queue.poll()) {
            out.add(item);
        }
        assertThat(out).containsExactly(kept);
        assertThat(queue.queued()).isZero();
    }

    @Test
    void take_closed_returnsNullAtOnce() throws Exception {
        FairQueue<Item> queue = queue(10, 1);
        queue.add(new Item("a", 0));
        queue.close();
        assertThat(queue.take()).isNull();
    }
}
