package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.Poll;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The access log's batching writer: whole lines, none lost, none reordered within a producer. */
class LineWriterTest {

    @Test
    void everyLineFromManyThreadsIsWrittenWholeAndInProducerOrderByClose() throws Exception {
        StringWriter sink = new StringWriter();
        LineWriter writer = new LineWriter(new PrintWriter(sink), "t-lines");
        int producers = 8;
        int perProducer = LineWriter.CAPACITY / 2; // more than the queue holds in total
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            done.add(
                    pool.submit(
                            () -> {
                                for (int i = 0; i < perProducer; i++) {
                                    writer.add("p" + id + " line " + i);
                                }
                            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        writer.close();
        String[] lines = sink.toString().split(System.lineSeparator());
        assertThat(lines).hasSize(producers * perProducer);
        int[] next = new int[producers];
        for (String line : lines) {
            String[] parts = line.split(" ");
            assertThat(parts).hasSize(3);
            int p = Integer.parseInt(parts[0].substring(1));
            assertThat(Integer.parseInt(parts[2]))
                    .as("producer %d's order", p)
                    .isEqualTo(next[p]++);
        }
    }

    @Test
    void aLineIsWrittenWithoutWaitingForMoreAndLinesAfterCloseAreWrittenDirectly()
            throws Exception {
        StringWriter sink = new StringWriter();
        LineWriter writer = new LineWriter(new PrintWriter(sink), "t-lines");
        writer.add("first");
        Poll.until(
                Duration.ofSeconds(5),
                "the line written by the background writer",
                () -> sink.toString().contains("first"));
        writer.close();
        writer.close();
        writer.add("late");
        assertThat(sink.toString())
                .isEqualTo("first" + System.lineSeparator() + "late" + System.lineSeparator());
    }
}
